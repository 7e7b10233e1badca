"""Job follow-ups: the checks due and overdue (the screen staff open), recording one from it in a
few keys, and the follow-ups recorded (Ctrl+L) to edit or remove.

From the due list: Enter opens the form with the placement, the check and today's date filled in
and "still employed" and "same employer" ticked, the cursor on "still employed": type the wage
(Tab Tab), Ctrl+S; or Space to untick, choose why not, Ctrl+S. The row leaves the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header

from fieldtui.core import clock, vocabulary
from fieldtui.core import formatting as fmt
from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, cbo_name, person_columns
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.paged_list import PagedList
from fieldtui.tui.widgets.paged_table import Column, PagedTable
from fieldtui.tui.widgets.picker import placement_label
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import Followup

MONTH_OPTIONS = vocabulary.options(vocabulary.FollowupMonth)
REASON_OPTIONS = vocabulary.options(vocabulary.NotEmployedReason)
STATUS = {"due": N_("due"), "overdue": N_("overdue")}


def month_label(row: dict[str, Any]) -> str:
    return vocabulary.choice_label(str(row["due_month"]))


class FollowupForm(RecordFormScreen):
    KIND = "followups"
    NEW_TITLE = N_("Record a job follow-up")
    EDIT_TITLE = N_("Edit job follow-up")
    MODEL = "Followup"
    PERSON = None
    FIELDS = [
        Field("placement_id", "placement", title=N_("Job placement")),
        Field("due_month", "select", MONTH_OPTIONS, title=N_("Check")),
        Field("checked_on", "date", title=N_("Checked on")),
        Field("employed", "check", title=N_("Still employed")),
        Field("same_employer", "check", title=N_("Same employer")),
        Field("wage_cny", "number", title=N_("Monthly wage (¥)")),
        Field("reason", "select", REASON_OPTIONS, title=N_("If not, why not")),
        Field("note", title=N_("Note")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"checked_on": clock.today().isoformat(), "employed": True, "same_employer": True}

    def first_field(self) -> str:
        """From the due list the placement and check are known: start at the answer."""
        return "employed" if self.defaults.get("placement_id") else "placement_id"

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        followup = self.app.store.get_followup(record_id)
        dumped = followup.model_dump(mode="json", warnings=False)
        values = self.values_from(dumped)
        placement = self.app.store.get_placement(followup.placement_id)
        person = self.app.store.get_trainee(placement.training_id).participant
        values["placement_id"] = [followup.placement_id, placement_label(
            {"full_name": person.full_name, "employer": placement.employer, "start_date": placement.start_date})]
        return values, self.ids_from(dumped)

    def save(self, record: Followup) -> str:
        return self.app.store.save_followup(record).id


class FollowupListScreen(RecordListScreen):
    """The follow-ups recorded (from the due list, Ctrl+L)."""

    KIND = "followups"
    FORM = FollowupForm
    COLUMNS = [
        *person_columns(),
        Column("employer", N_("Employer"), "employer"),
        Column("due_month", N_("Check"), "month", render=month_label),
        Column("checked_on", N_("Checked on"), "checked"),
        Column("employed", N_("Still employed"), render=lambda r: _("yes") if r["employed"] else _("no")),
        Column("wage_cny", N_("Wage"), render=lambda r: fmt.cny(r["wage_cny"])),
        Column("reason", N_("If not, why not"), render=lambda r: vocabulary.choice_label(r["reason"])),
    ]

    def on_mount(self) -> None:
        super().on_mount()
        self.title = _("Job follow-ups recorded")


class FollowupScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """The checks due and overdue, most recently due first; Enter records one."""

    KIND = "followups"
    FORM = FollowupForm
    COLUMNS = [  # in the order of the list (most recently due first): no column sorts it otherwise
        Column("full_name", N_("Name")),
        Column("cbo", N_("CBO"), render=cbo_name),
        Column("employer", N_("Employer")),
        Column("due_month", N_("Check"), render=month_label),
        Column("due_on", N_("Due")),
        Column("status", N_("Status"), render=lambda r: _(STATUS[r["status"]])),
        Column("phone", N_("Phone")),
    ]
    BINDINGS = [
        Binding("ctrl+o", "record", _("Record")),
        Binding("ctrl+l", "recorded", _("Recorded")),
        Binding("escape", "back", _("Back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="list-screen")

    def compose(self) -> ComposeResult:
        yield Header()
        yield PagedList(self.KIND, self.COLUMNS, (N_("check due"), N_("checks due")), search=False,
                        source="followups_due", id="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _("Job follow-ups due")
        self.sub_title = _("3, 6 and 12 months after each placement started")
        self.table.focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record()

    def action_record(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        label = placement_label({"full_name": row["full_name"], "employer": row["employer"],
                                 "start_date": row["placement_start"]})
        defaults = {"placement_id": [row["placement_id"], label], "due_month": str(row["due_month"])}
        self.app.push_screen(self.FORM(defaults=defaults), self._saved)

    def _saved(self, row_id: str | None) -> None:
        """A check recorded leaves the list; the cursor stays where it was (on the next one)."""
        self.table.reload(place=self.table.cursor_row)

    def action_recorded(self) -> None:
        self.app.push_screen(FollowupListScreen())

    def action_back(self) -> None:
        self.app.pop_screen()

