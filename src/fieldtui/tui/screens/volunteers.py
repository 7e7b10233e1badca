"""Volunteers: people who give time to a CBO (never beneficiaries); Ctrl+L logs hours for the one
under the cursor (screens/volunteer_hours.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from fieldtui.core import clock
from fieldtui.core import formatting as fmt
from fieldtui.i18n import N_, _
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.picker import volunteer_label
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import Volunteer


def hours_text(value: float | None) -> str:
    """2.5 -> "2.5", 12.0 -> "12" (hours are quarter hours)."""
    if value is None:
        return fmt.DASH
    return fmt.number(int(value)) if value == int(value) else f"{value:,.2f}".rstrip("0")


class VolunteerForm(RecordFormScreen):
    KIND = "volunteers"
    NEW_TITLE = N_("New volunteer")
    EDIT_TITLE = N_("Edit volunteer")
    MODEL = "Volunteer"
    PERSON = None
    FIELDS = [
        Field("cbo_id", "cbo", title=N_("CBO")),
        Field("full_name", title=N_("Full name")),
        Field("phone", title=N_("Phone")),
        Field("affiliation", title=N_("School or workplace")),
        Field("joined_on", "date", title=N_("Joined on")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"joined_on": clock.today().isoformat()}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_volunteer(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: Volunteer) -> str:
        return self.app.store.save_volunteer(record).id


class VolunteerListScreen(RecordListScreen):
    KIND = "volunteers"
    FORM = VolunteerForm
    COLUMNS = [
        *person_columns(),
        Column("affiliation", N_("School or workplace")),
        Column("joined_on", N_("Joined on"), "joined"),
        Column("hours", N_("Hours"), render=lambda r: hours_text(r["hours"])),
        Column("phone", N_("Phone")),
    ]
    BINDINGS = [Binding("ctrl+l", "log_hours", _("Log hours"))]

    def form_defaults(self) -> dict[str, Any]:
        return {"cbo_id": self.table.cbo_id} if self.table.cbo_id else {}

    def action_log_hours(self) -> None:
        from fieldtui.tui.screens.volunteer_hours import HoursForm

        row = self.table.current_row()
        if row is None or row.get("deleted"):
            return
        self.app.push_screen(HoursForm(defaults={"volunteer_id": [row["id"], volunteer_label(row)]}),
                             lambda _saved: self.refresh_rows(keep_id=row["id"]))
