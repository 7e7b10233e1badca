"""One session's roster: every child enrolled in its programme at its CBO on its date, each
present, absent or not marked. A key marks the child under the cursor and moves down; each mark is
saved at once. A session not held has no roster to mark (its line says so)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core import vocabulary
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.paged_list import PagedList
from fieldtui.tui.widgets.paged_table import Column, PagedTable

MARKS = {1: N_("present"), 0: N_("absent"), None: N_("not marked")}


def mark_text(row: dict[str, Any]) -> str:
    return _(MARKS[row["mark"]])


class RosterScreen(RedrawsOnlyWhatChanged, Screen[None]):
    COLUMNS = [
        Column("full_name", N_("Name")),
        Column("mark", N_("Attendance"), render=mark_text),
        Column("school", N_("School")),
    ]
    BINDINGS = [
        Binding("p", "mark(1)", _("Present")),
        Binding("a", "mark(0)", _("Absent")),
        Binding("backspace", "mark(None)", _("Not marked")),
        Binding("ctrl+e", "rest_present", _("The rest present")),
        Binding("escape", "app.pop_screen", _("Back")),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__(classes="list-screen")
        self.session_id = session_id
        self.session = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="roster-status", markup=False)
        yield PagedList("attendance", self.COLUMNS, (N_("child"), N_("children")), cbo_filter=False,
                        source="roster", params={"session_id": self.session_id}, id="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.session = self.app.store.get_session(self.session_id)
        s = self.session
        self.title = _("Attendance")
        self.sub_title = f"{fmt.date(s.held_on)} · {vocabulary.choice_label(s.programme)}"
        self.show_status()
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def show_status(self) -> None:
        status = self.query_one("#roster-status", Static)
        if self.session is not None and not self.session.held:
            status.update(_("This session was not held: nobody is marked, and it counts in no attendance rate."))
            return
        present, absent = self.app.store.session_marks(self.session_id)
        status.update(_("Present {present} · absent {absent} · P present, A absent, Backspace not marked").format(
            present=fmt.number(present), absent=fmt.number(absent)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing to mark at a session that was not held."""
        if action in ("mark", "rest_present"):
            return self.session is None or self.session.held
        return True

    def action_mark(self, present: int | None) -> None:
        row = self.table.current_row()
        if row is None:
            return
        try:
            self.app.store.mark(self.session_id, row["id"], None if present is None else bool(present))
        except (RecordInvalid, StoreError) as exc:
            message = "; ".join(exc.errors.values()) if isinstance(exc, RecordInvalid) else str(exc)
            self.notify(message, severity="error")
            return
        row["mark"] = present
        self.table.update_cell(row["id"], "mark", Text(mark_text(row)))
        self.table.action_cursor_down()
        self.show_status()

    def action_rest_present(self) -> None:
        rest = self.app.store.roster_unmarked(self.session_id)
        if not rest:
            self.notify(_("Every child is marked."))
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.mark_rest_present(self.session_id)
            except (RecordInvalid, StoreError) as exc:
                message = "; ".join(exc.errors.values()) if isinstance(exc, RecordInvalid) else str(exc)
                self.notify(message, severity="error")
            self.table.reload(place=self.table.cursor_row)
            self.show_status()

        self.app.push_screen(Confirm(_("Mark the {n} children not marked yet as present?").format(
            n=fmt.number(len(rest))), yes=_("Mark present"), no=_("Cancel")), answered)
