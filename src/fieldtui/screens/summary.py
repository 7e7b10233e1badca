"""Summary screen for coordinators (placeholder: issue 4 builds it out)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from fieldtui.core import summary
from fieldtui.render import summary_table


class SummaryScreen(Screen[None]):
    """The initiative's figures from `core.summary`, the same module the CLI uses."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-body", Static).update(summary_table(summary.compute(self.app.store)))
