"""Job placements: a job found by a trainee, chosen with the searchable trainee picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import clock
from fieldtui.core import formatting as fmt
from fieldtui.i18n import N_, _
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen, person_columns
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import Placement


class PlacementForm(RecordFormScreen):
    KIND = "placements"
    NEW_TITLE = N_("New job placement")
    EDIT_TITLE = N_("Edit job placement")
    MODEL = "Placement"
    PERSON = None
    FIELDS = [
        Field("training_id", "trainee", hint=N_("Enter: find the trainee by name, pinyin, phone or ID")),
        Field("employer"),
        Field("job_title"),
        Field("start_date", "date"),
        Field("wage_cny", "number"),
        Field("verified", "check", hint=N_("the job was confirmed with the employer or the person")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"start_date": clock.today().isoformat()}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        placement = self.app.store.get_placement(record_id)
        dumped = placement.model_dump(mode="json", warnings=False)
        values = self.values_from(dumped)
        trainee = self.app.store.get_trainee(placement.training_id)
        values["training_id"] = [placement.training_id,
                                 f"{fmt.shown(trainee.participant.full_name)} · {fmt.shown(trainee.training.course)}"]
        return values, self.ids_from(dumped)

    def save(self, record: Placement) -> str:
        return self.app.store.save_placement(record).id


class PlacementListScreen(RecordListScreen):
    KIND = "placements"
    FORM = PlacementForm
    COLUMNS = [
        *person_columns(),
        Column("employer", N_("Employer"), "employer"),
        Column("job_title", N_("Job title")),
        Column("start_date", N_("Start"), "start"),
        Column("wage_cny", N_("Wage"), "wage", render=lambda r: fmt.cny(r["wage_cny"])),
        Column("verified", N_("Verified"), render=lambda r: _("yes") if r["verified"] else ""),
    ]
