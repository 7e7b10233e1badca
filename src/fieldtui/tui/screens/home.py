"""The first screen: where am I (file, headline figures) and where can I go."""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds
from fieldtui.core.errors import StoreError, damaged_file_message
from fieldtui.i18n import _
from fieldtui.tui.commands import NAVIGATION
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.screens.help import FIGURE_NOTES
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.workers import deliver, reading

#: The key shown beside each menu entry (the app's bindings do the work).
MENU_KEYS = {**{k.key: (k.key_binding or "").upper() for k in kinds.KINDS}, "summary": "F5"}


#: Below this size (about 15,000 people) the figures take under ~50 ms: count them in place.
SMALL_FILE_BYTES = 16 * 1024 * 1024


class HomeScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """Headline figures of the open file and the way to each area."""

    HELP_NOTES = FIGURE_NOTES

    # The app's F-keys, shown in this screen's footer (elsewhere they would crowd out local actions).
    BINDINGS = [
        *(Binding(k.key_binding, f"app.open({k.key!r})", k.short) for k in kinds.KINDS if k.key_binding),
        Binding("f5", "app.open_summary", _("Summary")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            menu = OptionList(id="menu")
            menu.border_title = _("Go to")
            yield menu
            with Vertical(id="home-side"):
                yield Static(id="headline", classes="card")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        menu = self.query_one("#menu", OptionList)
        for kind, label in NAVIGATION:
            if kind in MENU_KEYS:
                menu.add_option(Option(f"{MENU_KEYS[kind]:<4}{_(label)}", id=kind))
        menu.highlighted = 0
        menu.focus()
        self.refresh_figures()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.app.run_action(f"open({event.option.id!r})")

    def refresh_figures(self) -> None:
        """A CBO's file (thousands of people) is counted in place, in milliseconds, with no
        flicker; a headquarters file is counted off the UI thread after the screen is drawn: at
        a million people that takes seconds, and the screen must take keys at once (benchmarks/)."""
        path = self.app.store.path
        if path is None or path.stat().st_size < SMALL_FILE_BYTES:
            from fieldtui.core import summary

            try:
                self._show_figures(summary.compute(self.app.store, outcomes_too=False))
            except (StoreError, sqlite3.DatabaseError) as exc:
                self._figures_failed(exc)
            return
        self.query_one("#headline", Static).update(_("Counting…"))
        self.call_after_refresh(self._compute_figures)

    @work(thread=True, exclusive=True, group="headline")
    def _compute_figures(self) -> None:
        """On the worker's own connection (tui/workers.py); leaving the screen or quitting
        cancels the worker, which interrupts the count."""
        from fieldtui.core import summary  # loaded with the first count, not before the first screen

        try:
            with reading(self.app) as store:
                result = summary.compute(store, outcomes_too=False)
        except (StoreError, sqlite3.DatabaseError) as exc:
            deliver(self.app, self._figures_failed, exc)  # dropped if interrupted on purpose
            return
        deliver(self.app, self._show_figures, result)

    def _figures_failed(self, exc: Exception) -> None:
        """One line instead of the figures (a damaged page, an unreadable file), never a crash:
        the menu still works. SQLite's own text is not shown: it can quote the damaged data."""
        message = str(exc) if isinstance(exc, StoreError) else damaged_file_message()
        self.query_one("#headline", Static).update(Text(message, style="bold red"))

    def _show_figures(self, result: Any) -> None:
        lines = [
            f"[b]{_('Direct beneficiaries')}[/b]  {fmt.people(result.direct_beneficiaries)}",
            f"[b]{_('Indirect beneficiaries')}[/b]  {fmt.people(result.indirect_beneficiaries)}",
            f"[b]{_('Trainees')}[/b]  {fmt.people(result.trainees)}   "
            f"[b]{_('Placed')}[/b]  {fmt.people(result.trainees_placed)}",
            f"[b]{_('After-school children')}[/b]  {fmt.people(result.after_school_children)}",
            f"[b]{_('Cost per life')}[/b]  {fmt.usd(result.cost_per_life_usd, 2)}",
        ]
        if result.uncounted:
            lines.append(f"[$warning]{escape(fmt.counted_nowhere(result.uncounted))}[/]")
        self.query_one("#headline", Static).update("\n".join(lines))
