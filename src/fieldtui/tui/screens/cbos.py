"""CBOs: the funded organisations (list and form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import formatting as fmt
from fieldtui.core import vocabulary
from fieldtui.i18n import N_, _
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
        Field("name_zh"),
        Field("name_en"),
        Field("city"),
        Field("sector"),
        Field("grant_usd", "number", hint=N_("the whole grant, in US dollars")),
        Field("target_direct", "int", hint=N_("direct beneficiaries the grant is to reach")),
        Field("sii", "number", hint=N_("20 to 100, from the assessment; empty if not assessed")),
        Field("programmes", hint=N_("e.g. Vocational training, After school (separated by commas)")),
    ]

    def new_values(self) -> dict[str, Any]:
        return {key: _(msgid) for key, msgid in vocabulary.CBO_DEFAULTS.items()}

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
