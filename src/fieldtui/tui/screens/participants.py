"""Other direct participants (low-cost school pupils, blind adults trained…): list and form."""

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
    from fieldtui.core.models import ParticipantRecord

OTHER_OPTIONS = vocabulary.options(vocabulary.OtherProgrammeKind)


class ParticipantForm(RecordFormScreen):
    KIND = "others"
    NEW_TITLE = N_("New participant (other programme)")
    EDIT_TITLE = N_("Edit participant (other programme)")
    MODEL = "ParticipantRecord"
    FIELDS = [
        *PERSON_FIELDS,
        heading(N_("Programme")),
        Field("programme.programme", "select", OTHER_OPTIONS),
        Field("programme.start_date", "date"),
        Field("programme.description", hint=N_("what the programme is, if Other")),
        Field("programme.end_date", "date"),
    ]

    def new_values(self) -> dict[str, Any]:
        return {**person_defaults(self.app.store.operator), "programme.start_date": clock.today().isoformat()}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_other(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: ParticipantRecord) -> str:
        return self.app.store.save_participant(record).programme.id


class ParticipantListScreen(RecordListScreen):
    KIND = "others"
    FORM = ParticipantForm
    COLUMNS = [
        *person_columns(),
        Column("programme", N_("Programme"), "programme", render=lambda r: vocabulary.choice_label(r["programme"])),
        Column("description", N_("Description")),
        Column("start_date", N_("Start"), "start"),
    ]

    def form_defaults(self) -> dict[str, Any]:
        return {"participant.cbo_id": self.table.cbo_id} if self.table.cbo_id else {}
