"""Possible duplicates of a person being saved: open the existing record or save anyway."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from fieldtui.core import formatting as fmt
from fieldtui.i18n import _
from fieldtui.tui.widgets.tables import measure_rows_now

#: ("open", participant id), ("save", "") or None (go back to the form).
DuplicateChoice = tuple[str, str]


class Duplicates(ModalScreen[DuplicateChoice | None]):
    """Matches from `Store.possible_duplicates`: same CBO and name + birth year, or same phone."""

    BINDINGS = [
        Binding("o", "open", _("Open existing")),
        Binding("a", "save_anyway", _("Save anyway")),
        Binding("escape", "cancel", _("Back to form")),
    ]

    def __init__(self, matches: list[dict[str, Any]]) -> None:
        super().__init__(classes="dialog-screen")
        self.matches = matches

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog duplicates"):
            yield Static(_("Possible duplicate"), classes="dialog-title")
            yield Static(_("This CBO already has people with the same name and birth year, or the same phone:"),
                         classes="dialog-body")
            yield DataTable(id="matches", cursor_type="row")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Open existing (o)"), id="open", variant="primary")
                yield Button(_("Save anyway (a)"), id="save")
                yield Button(_("Back (Esc)"), id="back")

    def on_mount(self) -> None:
        table = self.query_one("#matches", DataTable)
        table.add_columns(_("Full name"), _("Birth year"), _("Phone"), _("Registered"))
        for m in self.matches:
            cells = (m["full_name"], str(m["birth_year"]), m["phone"] or "", m["registered_on"])
            table.add_row(*(Text(fmt.shown(c)) for c in cells), key=m["id"])  # Text: a name is never markup
        measure_rows_now(table)
        table.focus()

    def _selected(self) -> str:
        table = self.query_one("#matches", DataTable)
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"open": self.action_open, "save": self.action_save_anyway, "back": self.action_cancel}[event.button.id]()

    def action_open(self) -> None:
        self.dismiss(("open", self._selected()))

    def action_save_anyway(self) -> None:
        self.dismiss(("save", ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
