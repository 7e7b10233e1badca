"""After-school children: a child and their after-school enrolment (list and form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import clock, vocabulary
from fieldtui.i18n import N_
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.screens.people import PERSON_FIELDS, needs_guardian, person_defaults
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field, heading

if TYPE_CHECKING:
    from fieldtui.core.models import ChildRecord

PROGRAMME_OPTIONS = vocabulary.options(vocabulary.AfterSchoolProgramme)


class ChildForm(RecordFormScreen):
    KIND = "children"
    NEW_TITLE = N_("New after-school child")
    EDIT_TITLE = N_("Edit after-school child")
    MODEL = "ChildRecord"
    FIELDS = [
        *PERSON_FIELDS,
        heading(N_("After-school enrolment")),
        Field("enrolment.school"),
        Field("enrolment.grade", "int", hint=N_("1 to 9")),
        Field("enrolment.start_date", "date"),
        Field("enrolment.guardian_name", hint=N_("needed for a child under 14 (PIPL)"),
              show_if=lambda v: needs_guardian(v, "enrolment.start_date")),
        Field("enrolment.guardian_consent", "check", hint=N_("the guardian agreed to this record (PIPL)"),
              show_if=lambda v: needs_guardian(v, "enrolment.start_date")),
        Field("enrolment.programme", "select", PROGRAMME_OPTIONS),
        Field("enrolment.end_date", "date"),
    ]
    REQUIRED_ALSO = ("enrolment.guardian_name", "enrolment.guardian_consent")

    def new_values(self) -> dict[str, Any]:
        return {**person_defaults(self.app.store.operator), "enrolment.start_date": clock.today().isoformat(),
                "enrolment.programme": "after_school"}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_child(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: ChildRecord) -> str:
        return self.app.store.save_child(record).enrolment.id


class ChildListScreen(RecordListScreen):
    KIND = "children"
    FORM = ChildForm
    COLUMNS = [
        *person_columns(),
        Column("school", N_("School"), "school"),
        Column("grade", N_("Grade"), "grade"),
        Column("guardian_name", N_("Guardian")),
        Column("programme", N_("Programme"), render=lambda r: vocabulary.choice_label(r["programme"])),
        Column("start_date", N_("Start"), "start"),
    ]

    def form_defaults(self) -> dict[str, Any]:
        return {"participant.cbo_id": self.table.cbo_id} if self.table.cbo_id else {}
