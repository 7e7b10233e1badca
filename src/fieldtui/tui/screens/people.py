"""Fields shared by every form that registers a person (trainee, child, other participant)."""

from __future__ import annotations

from typing import Any

from fieldtui.core import clock, vocabulary
from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import N_
from fieldtui.tui.widgets.record_form import Field, heading

models = lazy_module("fieldtui.core.models")  # loaded when a form opens

GENDER_OPTIONS = vocabulary.options(vocabulary.Gender)
ORIGIN_OPTIONS = vocabulary.options(vocabulary.Origin)

PERSON_FIELDS: list[Field] = [
    heading(N_("Person")),
    Field("participant.cbo_id", N_("CBO"), "cbo"),
    Field("participant.full_name", N_("Full name")),
    Field("participant.gender", N_("Gender"), "select", GENDER_OPTIONS),
    Field("participant.birth_year", N_("Birth year"), "int", placeholder="YYYY"),
    Field("participant.birth_date", N_("Birth date"), "date"),
    Field("participant.province", N_("Province of origin"), placeholder="河南 / Henan"),
    Field("participant.origin", N_("Raised in city / recent arrival"), "select", ORIGIN_OPTIONS),
    Field("participant.phone", N_("Phone"), placeholder="13812345678"),
    Field("participant.household_members", N_("Household members benefiting"), "int", placeholder="0"),
    Field("participant.registered_on", N_("Registration date"), "date"),
    Field("participant.registered_by", N_("Registered by")),
]


def person_defaults(operator: str) -> dict[str, Any]:
    return {"participant.registered_on": clock.today().isoformat(), "participant.registered_by": operator}
