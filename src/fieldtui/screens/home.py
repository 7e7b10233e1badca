"""The first screen: where am I (file, headline figures) and where can I go."""

from __future__ import annotations

import sqlite3
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from fieldtui.core import formatting as fmt
from fieldtui.core.store import Store
from fieldtui.i18n import _


#: Below this size (about 15,000 people) the figures take under ~50 ms: count them in place.
SMALL_FILE_BYTES = 16 * 1024 * 1024


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
        """A CBO's file (thousands of people) is counted in place, in milliseconds, with no
        flicker; a headquarters file is counted off the UI thread after the screen is drawn: at
        a million people that takes seconds, and the screen must take keys at once (benchmarks/)."""
        path = self.app.store.path
        if path is None or path.stat().st_size < SMALL_FILE_BYTES:
            from fieldtui.core import summary

            self._show_figures(summary.compute(self.app.store))
            return
        self.query_one("#headline", Static).update(_("Counting…"))
        self.call_after_refresh(self._compute_figures)

    @work(thread=True, exclusive=True, group="headline")
    def _compute_figures(self) -> None:
        from fieldtui.core import summary  # pydantic: loaded here, not before the first screen

        worker = get_current_worker()
        store = self.app.store
        # A private read-only connection: the app's connection stays free for the UI thread.
        reader = Store.open_readonly(store.path) if store.path is not None else None
        if reader is not None:  # abandon the count when the screen goes or the app quits
            reader.conn.set_progress_handler(lambda: worker.is_cancelled or not self.is_attached, 10_000)
        try:
            result = summary.compute(reader or store)
        except sqlite3.OperationalError:  # interrupted
            return
        finally:
            if reader is not None:
                reader.close()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_figures, result)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "headline")

    def _show_figures(self, result: Any) -> None:
        if not self.is_attached:  # left (or the app closed) while counting
            return
        lines = [
            f"[b]{_('Direct beneficiaries')}[/b]  {fmt.people(result.direct_beneficiaries)}",
            f"[b]{_('Indirect beneficiaries')}[/b]  {fmt.people(result.indirect_beneficiaries)}",
            f"[b]{_('Trainees')}[/b]  {fmt.people(result.trainees)}   "
            f"[b]{_('Placed')}[/b]  {fmt.people(result.trainees_placed)}",
            f"[b]{_('After-school children')}[/b]  {fmt.people(result.after_school_children)}",
            f"[b]{_('Cost per life')}[/b]  {fmt.usd(result.cost_per_life_usd, 2)}",
        ]
        self.query_one("#headline", Static).update("\n".join(lines))
