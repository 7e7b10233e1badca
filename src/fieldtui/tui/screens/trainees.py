"""Trainees: a person and their vocational-training enrolment (list and form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import clock, vocabulary
from fieldtui.i18n import N_
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.screens.people import PERSON_FIELDS, person_defaults
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field, heading

if TYPE_CHECKING:
    from fieldtui.core.models import TraineeRecord

STATUS_OPTIONS = vocabulary.options(vocabulary.TrainingStatus)


class TraineeForm(RecordFormScreen):
    KIND = "trainees"
    NEW_TITLE = N_("New trainee")
    EDIT_TITLE = N_("Edit trainee")
    MODEL = "TraineeRecord"
    FIELDS = [
        *PERSON_FIELDS,
        heading(N_("Training")),
        Field("training.course"),
        Field("training.start_date", "date", hint=N_("may be planned up to a year ahead")),
        Field("training.end_date", "date", hint=N_("planned or actual; needed once completed")),
        Field("training.status", "select", STATUS_OPTIONS),
        Field("training.income_before_cny", "number", hint=N_("per month, before the course; empty if unknown")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {**person_defaults(self.app.store.operator), "training.start_date": clock.today().isoformat(),
                "training.status": "enrolled"}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_trainee(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: TraineeRecord) -> str:
        return self.app.store.save_trainee(record).training.id


class TraineeListScreen(RecordListScreen):
    KIND = "trainees"
    FORM = TraineeForm
    COLUMNS = [
        *person_columns(),
        Column("course", N_("Course"), "course", max_width=10),
        Column("status", N_("Status"), "status", render=lambda r: vocabulary.choice_label(r["status"])),
        Column("start_date", N_("Start"), "start"),
        Column("birth_year", N_("Born"), "birth_year"),
        Column("phone", N_("Phone")),
    ]

    def form_defaults(self) -> dict[str, Any]:
        return {"participant.cbo_id": self.table.cbo_id} if self.table.cbo_id else {}
