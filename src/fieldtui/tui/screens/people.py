"""Fields shared by every form that registers a person (trainee, child, other participant).

Their order is the order of a registration queue: the required questions first, each answered
with typing or one key, so Enter walks from one to the next (README: "Registering one trainee").
"""

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
    Field("participant.cbo_id", "cbo"),
    Field("participant.full_name", hint=N_("as on the ID card")),
    Field("participant.gender", "select", GENDER_OPTIONS),
    Field("participant.birth_year", "int", placeholder="YYYY", hint=N_("or only the birth date, below")),
    Field("participant.birth_date", "date", hint=N_("if known")),
    Field("participant.province", "province", hint=N_("where the hukou is: type hn, henan or 河南")),
    Field("participant.origin", "select", ORIGIN_OPTIONS),
    Field("participant.phone", hint=N_("11-digit mobile number, if the person has one")),
    Field("participant.household_members", "int",
          hint=N_("other people at home who benefit (indirect beneficiaries); empty: none")),
    Field("participant.registered_on", "date"),
    Field("participant.registered_by", hint=N_("the staff member registering")),
]

#: The person's fields, by path without "participant.", for a form that enrols them again.
PERSON_PATHS = tuple(f.path for f in PERSON_FIELDS if f.kind != "heading")


def person_defaults(operator: str) -> dict[str, Any]:
    return {"participant.registered_on": clock.today().isoformat(), "participant.registered_by": operator}


def needs_guardian(values: dict[str, Any], start_path: str) -> bool:
    """Skip logic: a guardian is asked for only for a child under 14 when the programme starts
    (PIPL), or while the age cannot be told yet (a year still being typed: 0 or 10000 is no year
    the calendar holds)."""
    import datetime as dt

    from fieldtui.core.models.fields import CHILD_CONSENT_AGE, age_on

    try:
        born_text = str(values.get("participant.birth_date") or "").strip()
        born = dt.date.fromisoformat(born_text) if born_text else None
        year = born.year if born else int(str(values.get("participant.birth_year") or "").strip())
        start = dt.date.fromisoformat(str(values.get(start_path) or "").strip())
        return age_on(year, born, start) < CHILD_CONSENT_AGE
    except (ValueError, OverflowError):  # (a year of 25 digits: too large for the calendar's integer)
        return True
