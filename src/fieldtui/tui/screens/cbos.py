"""CBOs: the funded organisations (list and form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import formatting as fmt
from fieldtui.i18n import N_
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.listing import RecordListScreen
from fieldtui.tui.widgets.paged_table import Column
from fieldtui.tui.widgets.record_form import Field

if TYPE_CHECKING:
    from fieldtui.core.models import CBO


class CBOForm(RecordFormScreen):
    KIND = "cbos"
    NEW_TITLE = N_("New CBO")
    EDIT_TITLE = N_("Edit CBO")
    MODEL = "CBO"
    PERSON = None
    FIELDS = [
        Field("name_zh", N_("Chinese name")),
        Field("name_en", N_("English name")),
        Field("city", N_("City")),
        Field("sector", N_("Sector")),
        Field("grant_usd", N_("Grant (US$)"), "number"),
        Field("target_direct", N_("Target (direct beneficiaries)"), "int"),
        Field("sii", N_("Social Impact Index"), "number", placeholder="20–100"),
        Field("programmes", N_("Programmes"), placeholder="vocational_training, after_school"),
    ]

    def new_values(self) -> dict[str, Any]:
        return {"city": "Beijing", "sector": "Economic Empowerment"}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        dumped = self.app.store.get_cbo(record_id).model_dump(mode="json", warnings=False)
        return self.values_from(dumped), self.ids_from(dumped)

    def save(self, record: CBO) -> str:
        return self.app.store.save_cbo(record).id


class CBOListScreen(RecordListScreen):
    KIND = "cbos"
    FORM = CBOForm
    CBO_FILTER = False
    COLUMNS = [
        Column("name_zh", N_("Chinese name"), "name_zh"),
        Column("name_en", N_("Name"), "name"),
        Column("city", N_("City"), "city"),
        Column("grant_usd", N_("Grant"), "grant", render=lambda r: fmt.usd(r["grant_usd"])),
        Column("target_direct", N_("Target"), "target", render=lambda r: fmt.number(r["target_direct"])),
        Column("sii", N_("SII"), "sii", render=lambda r: fmt.sii(r["sii"])),
    ]
