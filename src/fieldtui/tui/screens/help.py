"""F1 / ?: the keys that work on the screen you came from, with what they do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fieldtui.i18n import _
from fieldtui.tui.widgets.tables import measure_rows_now


class HelpScreen(ModalScreen[None]):
    """Lists (key, description) pairs gathered by the app from the calling screen's active bindings."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", _("Close"))]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(_("Keys"), classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", show_cursor=False)
            yield Static(_("Ctrl+P: command palette · Esc: close"), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("Key"), _("Action"))
        for key, description in self.keys:
            table.add_row(key, description)
        measure_rows_now(table)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
