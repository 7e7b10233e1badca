"""Attendance per child and programme: marks on held sessions, present, absent, the rate; Ctrl+T
shows only the children often absent (records/attendance.py says how often is "often"), Enter or
Space a child's page."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header

from fieldtui.core import formatting as fmt
from fieldtui.core import vocabulary
from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.screens.listing import cbo_name
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.paged_list import PagedList
from fieldtui.tui.widgets.paged_table import Column, PagedTable


def rate_text(row: dict[str, Any]) -> str:
    return fmt.percent(row["rate"])


class AttendanceScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """Every after-school child's attendance; the sessions screen is where marks are made."""

    KIND = "attendance"
    COLUMNS = [  # by name (the only order the list has)
        Column("full_name", N_("Name")),
        Column("cbo", N_("CBO"), render=cbo_name),
        Column("programme", N_("Programme"), render=lambda r: vocabulary.choice_label(r["programme"])),
        Column("marked", N_("Marked")),
        Column("present", N_("Present")),
        Column("absent", N_("Absent")),
        Column("rate", N_("Attendance"), render=rate_text),
    ]
    BINDINGS = [
        Binding("space", "person", _("Person")),
        Binding("ctrl+t", "often_absent", _("Often absent")),
        Binding("escape", "back", _("Back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="list-screen")

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedList(self.KIND, self.COLUMNS, (N_("child"), N_("children")), source="attendance_rates",
                        params={"often_absent": False}, id="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _("Attendance")
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_person()

    def action_person(self) -> None:
        """Space or Enter: the child's page (programmes, guardian): whom to call about absences."""
        row = self.table.current_row()
        if row is None or not row.get("participant_id"):
            return
        from fieldtui.tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(row["participant_id"]))

    def action_often_absent(self) -> None:
        often = not self.table.params.get("often_absent")
        self.table.params["often_absent"] = often
        self.sub_title = _("children often absent") if often else ""
        self.table.reload()

    def action_back(self) -> None:
        from textual.widgets import Input

        if isinstance(self.focused, Input):  # Esc in the search box returns to the rows
            self.table.focus()
            return
        self.app.pop_screen()
