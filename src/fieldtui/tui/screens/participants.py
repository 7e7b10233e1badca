"""Other direct participants (low-cost school pupils, blind adults trained…): list and form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.i18n import N_
from fieldtui.tui.screens.form import RecordFormScreen, models
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.screens.people import PERSON_FIELDS, choice_label, person_defaults
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field, heading

if TYPE_CHECKING:
    from fieldtui.core.models import ParticipantRecord

OTHER_OPTIONS = ((N_("Low-cost school"), "low_cost_school"), (N_("Blind adult training"), "blind_adult_training"),
                 (N_("Other"), "other"))


class ParticipantForm(RecordFormScreen):
    KIND = "participants"
    NEW_TITLE = N_("New participant (other programme)")
    EDIT_TITLE = N_("Edit participant (other programme)")
    MODEL = "ParticipantRecord"
    FIELDS = [
        *PERSON_FIELDS,
        heading(N_("Programme")),
        Field("programme.programme", N_("Programme"), "select", OTHER_OPTIONS),
        Field("programme.description", N_("Description")),
        Field("programme.start_date", N_("Start date"), "date"),
        Field("programme.end_date", N_("End date"), "date"),
    ]

    def new_values(self) -> dict[str, Any]:
        return {**person_defaults(self.app.store.operator), "programme.start_date": models.today().isoformat()}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_other(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: ParticipantRecord) -> str:
        return self.app.store.save_participant(record).programme.id


class ParticipantListScreen(RecordListScreen):
    KIND = "participants"
    TITLE_TEXT = N_("Other participants")
    NOUN = N_("participants")
    NOUN_ONE = N_("participant")
    FORM = ParticipantForm
    COLUMNS = [
        *person_columns(),
        Column("programme", N_("Programme"), "programme", render=lambda r: choice_label(OTHER_OPTIONS, r["programme"])),
        Column("description", N_("Description")),
        Column("start_date", N_("Start"), "start"),
    ]

    def form_defaults(self) -> dict[str, Any]:
        return {"participant.cbo_id": self.table.cbo_id} if self.table.cbo_id else {}
