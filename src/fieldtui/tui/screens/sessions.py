"""After-school sessions: the list (newest first), the form, and Enter on a session opens its
roster to mark each child present or absent (screens/roster.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widgets import DataTable

from fieldtui.core import clock, vocabulary
from fieldtui.core import formatting as fmt
from fieldtui.i18n import N_, _
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, cbo_name
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import Session

PROGRAMME_OPTIONS = vocabulary.options(vocabulary.AfterSchoolProgramme)


def held_text(row: dict[str, Any]) -> str:
    return _("held") if row["held"] else _("not held")


def marks_text(row: dict[str, Any]) -> str:
    """"12 present of 15 marked"; nothing for a session not held (nobody is marked)."""
    if not row["held"]:
        return ""
    return _("{present} of {marked}").format(present=fmt.number(int(row["present"] or 0)),
                                             marked=fmt.number(row["marked"]))


class SessionForm(RecordFormScreen):
    KIND = "sessions"
    NEW_TITLE = N_("New session")
    EDIT_TITLE = N_("Edit session")
    MODEL = "Session"
    PERSON = None
    FIELDS = [
        Field("cbo_id", "cbo", title=N_("CBO")),
        Field("programme", "select", PROGRAMME_OPTIONS, title=N_("Programme")),
        Field("held_on", "date", title=N_("Date")),
        Field("held", "check", title=N_("Held")),
        Field("topic", title=N_("Topic")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"held_on": clock.today().isoformat(), "programme": "after_school", "held": True}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_session(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: Session) -> str:
        return self.app.store.save_session(record).id


class SessionListScreen(RecordListScreen):
    KIND = "sessions"
    FORM = SessionForm
    DESCENDING = True
    COLUMNS = [
        Column("held_on", N_("Date"), "date"),
        Column("programme", N_("Programme"), "programme", render=lambda r: vocabulary.choice_label(r["programme"])),
        Column("cbo", N_("CBO"), "cbo", render=cbo_name),
        Column("held", N_("Held"), render=held_text),
        Column("marked", N_("Present"), render=marks_text),
        Column("topic", N_("Topic")),
    ]
    BINDINGS = [Binding("ctrl+a", "roster", _("Mark attendance"))]

    def form_defaults(self) -> dict[str, Any]:
        return {"cbo_id": self.table.cbo_id} if self.table.cbo_id else {}

    def row_name(self, row: dict[str, Any]) -> str:
        return f"{row['held_on']} {vocabulary.choice_label(row['programme'])}"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter opens the roster (marking is what a session is opened for); Ctrl+O edits it."""
        event.stop()
        event.prevent_default()  # not the list's own Enter (edit) as well
        self.action_roster()

    def action_roster(self) -> None:
        from fieldtui.tui.screens.roster import RosterScreen

        row = self.live_row()
        if row is None:
            return
        self.app.push_screen(RosterScreen(row["id"]), lambda _done: self.refresh_rows(keep_id=row["id"]))
