"""Fields shared by every form that registers a person (trainee, child, other participant)."""

from __future__ import annotations

from typing import Any

from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import N_, _
from fieldtui.tui.widgets.record_form import Field, heading

models = lazy_module("fieldtui.core.models")  # loaded when a form opens

GENDER_OPTIONS = ((N_("Female"), "female"), (N_("Male"), "male"), (N_("Other"), "other"))
ORIGIN_OPTIONS = ((N_("Recent arrival"), "recent_arrival"), (N_("Raised in the city"), "city_raised"))


def choice_label(options: tuple[tuple[str, str], ...], value: str | None) -> str:
    """A stored choice value (`after_school`) as its translated label; unknown values shown as stored."""
    for label, stored in options:
        if stored == value:
            return _(label)
    return value or ""

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
    return {"participant.registered_on": models.today().isoformat(), "participant.registered_by": operator}
