"""The first screen: where am I (file, headline figures) and where can I go."""

from __future__ import annotations

import sqlite3

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core import summary
from fieldtui.core.store import Store
from fieldtui.i18n import _


class HomeScreen(Screen[None]):
    """Headline figures of the open file and the way to each area."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="headline", classes="card")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_figures()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Figures are computed off the UI thread: at a million people they take seconds, and
        the screen must take keys at once (benchmarks/: start-up target)."""
        self.query_one("#headline", Static).update(_("Counting…"))
        self._compute_figures()

    @work(thread=True, exclusive=True, group="headline")
    def _compute_figures(self) -> None:
        store = self.app.store
        # A private read-only connection: the app's connection stays free for the UI thread.
        reader = Store.open_readonly(store.path) if store.path is not None else None
        self._reader = reader
        try:
            result = summary.compute(reader or store)
        except sqlite3.OperationalError:  # interrupted: the screen went away
            return
        finally:
            self._reader = None
            if reader is not None:
                reader.close()
        self.app.call_from_thread(self._show_figures, result)

    def on_unmount(self) -> None:
        reader = getattr(self, "_reader", None)
        if reader is not None:  # stop counting at once rather than keep the app from exiting
            reader.conn.interrupt()

    def _show_figures(self, result: summary.Summary) -> None:
        if not self.is_attached:  # left (or the app closed) while counting
            return
        lines = [
            f"[b]{_('Direct beneficiaries')}[/b]  {fmt.number(result.direct_beneficiaries)}",
            f"[b]{_('Indirect beneficiaries')}[/b]  {fmt.number(result.indirect_beneficiaries)}",
            f"[b]{_('Trainees')}[/b]  {fmt.number(result.trainees)}   "
            f"[b]{_('Placed')}[/b]  {fmt.number(result.trainees_placed)}",
            f"[b]{_('After-school children')}[/b]  {fmt.number(result.after_school_children)}",
            f"[b]{_('Cost per life')}[/b]  {fmt.usd(result.cost_per_life_usd, 2)}",
        ]
        self.query_one("#headline", Static).update("\n".join(lines))
