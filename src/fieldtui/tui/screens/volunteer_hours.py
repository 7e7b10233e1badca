"""Volunteer hours: what each volunteer gave, per session (after-school, Super Saturday) or per
activity (training, other). Choosing a session fills in its date and programme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import clock, vocabulary
from fieldtui.core import formatting as fmt
from fieldtui.core.errors import StoreError
from fieldtui.i18n import N_
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.screens.volunteers import hours_text
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.picker import PickerField, session_label, volunteer_label
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import VolunteerHours

ACTIVITY_OPTIONS = vocabulary.options(vocabulary.VolunteerActivity)


class HoursForm(RecordFormScreen):
    KIND = "volunteer_hours"
    NEW_TITLE = N_("Log volunteer hours")
    EDIT_TITLE = N_("Edit volunteer hours")
    MODEL = "VolunteerHours"
    PERSON = None
    FIELDS = [
        Field("volunteer_id", "volunteer", title=N_("Volunteer")),
        Field("session_id", "session", title=N_("Session")),
        Field("activity", "select", ACTIVITY_OPTIONS, title=N_("Activity")),
        Field("worked_on", "date", title=N_("Date")),
        Field("hours", "number", title=N_("Hours")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"worked_on": clock.today().isoformat(), "activity": "after_school"}

    def first_field(self) -> str:
        return "session_id" if self.defaults.get("volunteer_id") else "volunteer_id"

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        hours = self.app.store.get_volunteer_hours(record_id)
        dumped = hours.model_dump(mode="json", warnings=False)
        values = self.values_from(dumped)
        volunteer = self.app.store.get_volunteer(hours.volunteer_id)
        values["volunteer_id"] = [hours.volunteer_id, volunteer_label(volunteer.model_dump())]
        values["session_id"] = ["", ""]
        if hours.session_id:
            session = self.app.store.get_session(hours.session_id)
            values["session_id"] = [hours.session_id, session_label(session.model_dump(mode="json"))]
        return values, self.ids_from(dumped)

    def on_picker_field_changed(self, event: PickerField.Changed) -> None:
        """A session chosen: its date and programme are the hours' (the rule the save checks)."""
        if event.field.id != self.form.widget_for("session_id").id or not event.field.value:
            return
        try:
            session = self.app.store.get_session(event.field.value)
        except StoreError:
            return
        self.form.set_values({"worked_on": session.held_on.isoformat(), "activity": session.programme})

    def save(self, record: VolunteerHours) -> str:
        return self.app.store.save_volunteer_hours(record).id


class HoursListScreen(RecordListScreen):
    KIND = "volunteer_hours"
    FORM = HoursForm
    DESCENDING = True
    COLUMNS = [
        Column("worked_on", N_("Date"), "date"),
        *person_columns(),
        Column("activity", N_("Activity"), "activity", render=lambda r: vocabulary.choice_label(r["activity"])),
        Column("hours", N_("Hours"), render=lambda r: hours_text(r["hours"])),
    ]

    def row_name(self, row: dict[str, Any]) -> str:
        return fmt.shown(f"{row['full_name']} {row['worked_on']}")
