"""Palette: "Open a record by its id…". Headquarters names a refused row by its table and id
only ("after_school row 0190… breaks a rule: …": no personal data travels back), so the laptop
needs a way from that id to the record's form, where it is corrected before the next export."""

from __future__ import annotations

import sqlite3
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldtui.core import kinds
from fieldtui.core.errors import damaged_file_message
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged


class FindRecordScreen(RedrawsOnlyWhatChanged, ModalScreen[tuple[str, str] | None]):
    """Takes an id (or the whole line it is in); dismisses with (table, id) of a live record."""

    BINDINGS = [Binding("escape", "close", _("Cancel"))]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")  # centred over the dimmed screen, as every dialog

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog find-record"):
            yield Static(_("Open a record by its id"), classes="dialog-title")
            yield Static(_("Paste the id, or the whole line headquarters sent that names it."),
                         classes="dialog-body", markup=False)
            yield Input(id="find-id", placeholder="0190…")
            yield Static(id="find-error", classes="dialog-body error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#find-id", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.query_one("#find-error", Static)
        try:
            found = self.app.store.find_record(event.value)  # type: ignore[attr-defined]  (FieldApp)
        except sqlite3.DatabaseError:  # SQLite's own text could quote the data
            error.update(damaged_file_message())
            return
        if found is None:
            error.update(_("No record has this id in this file."))
        elif found[2]:
            error.update(_("That record was removed; restore it from its list (F9) to correct it."))
        else:
            self.dismiss((found[0], found[1]))

    def action_close(self) -> None:
        self.dismiss(None)


def find_record_from(app: App) -> None:
    """Ask for the id, then open what it names: the record's form over its list, or the person."""
    app.push_screen(FindRecordScreen(), lambda found: found and open_record(app, *found))


def open_record(app: Any, table: str, row_id: str) -> None:
    """The form of the record (its list under it, as if opened from there); a person's page for
    a person; otherwise a note saying which screen holds it (a mark: its session's roster)."""
    from fieldtui.tui.app import screen_class

    for kind in kinds.KINDS:
        if kind.table == table and getattr(screen_class(kind.key), "FORM", None) is not None:
            app.leave_form_then(lambda key=kind.key: app.go_to_list(key).open_form(row_id))
            return
    if table == "participants":
        from fieldtui.tui.screens.person import PersonScreen

        app.leave_form_then(lambda: app.push_screen(PersonScreen(row_id)))
        return
    kind = next((k for k in kinds.KINDS if k.table == table), None)
    app.notify(_("That id is a record of {screen}: open it there.").format(
        screen=_(kind.title) if kind else table), severity="warning")
