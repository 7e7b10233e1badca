"""What a form edits in one go: a person with one enrolment, and the rules that need both
(a trainee's age when training starts, a child's age, guardian and consent under 14: PIPL)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, model_validator

from fieldtui.core.models.fields import (
    CHILD_CONSENT_AGE,
    CONSENT_FIELD_SINCE,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    MIN_TRAINEE_AGE,
    age_on,
)
from fieldtui.core.models.messages import _field_error, _field_errors
from fieldtui.core.models.records import AfterSchool, OtherProgramme, Participant, Training
from fieldtui.i18n import _


class TraineeRecord(BaseModel):
    """What the trainee form edits: the person and their training enrolment together."""

    participant: Participant
    training: Training

    @model_validator(mode="after")
    def _age(self) -> TraineeRecord:
        p, t = self.participant, self.training
        if age_on(p.birth_year, p.birth_date, t.start_date) < MIN_TRAINEE_AGE:
            raise _field_error(
                "participant.birth_year", "trainee_age", "trainees must be at least {age} when training starts",
                age=MIN_TRAINEE_AGE,
            )
        if t.start_date < dt.date(p.birth_year, 1, 1):
            raise _field_error("training.start_date", "before_birth", "is before the person was born")
        return self


class ChildRecord(BaseModel):
    """What the after-school form edits: the child and their enrolment."""

    participant: Participant
    enrolment: AfterSchool

    @model_validator(mode="after")
    def _child(self) -> ChildRecord:
        p, e = self.participant, self.enrolment
        broken = child_rules(age_on(p.birth_year, p.birth_date, e.start_date), e.guardian_name, e.guardian_consent)
        if broken:
            raise _field_errors(broken)
        return self

    @staticmethod
    def partial_rules(data: dict) -> dict[str, str]:
        """The child rules on a form that does not validate yet, with whatever fields parse: so
        the guardian and consent are asked for on the same save as a missing school."""
        p, e = (x.model_dump(mode="json") if isinstance(x, BaseModel) else x or {}
                for x in (data.get("participant"), data.get("enrolment")))  # the merge's checks pass models
        try:
            year = int(p.get("birth_year") or str(p.get("birth_date") or "")[:4])
            born = dt.date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None
            start = dt.date.fromisoformat(str(e.get("start_date")))
            age = age_on(year, born, start)  # a year the calendar does not hold (0, 10000): no age yet
        except (TypeError, ValueError, KeyError, OverflowError):
            return {}
        return child_rules(age, e.get("guardian_name"), bool(e.get("guardian_consent")))


def consent_of_its_time(enrolment: AfterSchool, updated_at: str) -> AfterSchool:
    """A stored child's enrolment as the consent rule reads it: one last saved before the consent
    field existed (CONSENT_FIELD_SINCE) could not record consent and is taken as given; the
    guardian rule still applies. Read by the merge and by an edit of the child's person."""
    if not enrolment.guardian_consent and updated_at < CONSENT_FIELD_SINCE:
        return enrolment.model_copy(update={"guardian_consent": True})
    return enrolment


def child_rules(age: int, guardian: str | None, consent: bool) -> dict[str, str]:
    """{field path: message} of every child rule broken (age; guardian and consent under 14: PIPL)."""
    broken: dict[str, str] = {}
    if not MIN_CHILD_AGE <= age <= MAX_CHILD_AGE:
        broken["participant.birth_year"] = _("the child must be {lo}–{hi} years old when the programme starts").format(
            lo=MIN_CHILD_AGE, hi=MAX_CHILD_AGE)
    elif age < CHILD_CONSENT_AGE:
        if not (guardian or "").strip():
            broken["enrolment.guardian_name"] = _("is required for a child under {age} (PIPL)").format(
                age=CHILD_CONSENT_AGE)
        if not consent:
            broken["enrolment.guardian_consent"] = _("must be recorded for a child under {age} (PIPL)").format(
                age=CHILD_CONSENT_AGE)
    return broken


class ParticipantRecord(BaseModel):
    """A direct participant of another programme (low-cost school pupil, blind adult trained…)."""

    participant: Participant
    programme: OtherProgramme
