"""What a form edits in one go: a person with one enrolment, and the rules that need both
(a trainee's age when training starts, a child's age, guardian and consent under 14: PIPL)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, model_validator

from fieldtui.core.models.fields import (
    CHILD_CONSENT_AGE,
    MAX_CHILD_AGE,
    MIN_CHILD_AGE,
    MIN_TRAINEE_AGE,
    age_on,
)
from fieldtui.core.models.messages import _field_error
from fieldtui.core.models.records import AfterSchool, OtherProgramme, Participant, Training


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
        age = age_on(p.birth_year, p.birth_date, e.start_date)
        if not MIN_CHILD_AGE <= age <= MAX_CHILD_AGE:
            raise _field_error(
                "participant.birth_year", "child_age",
                "the child must be {lo}–{hi} years old when the programme starts",
                lo=MIN_CHILD_AGE, hi=MAX_CHILD_AGE,
            )
        if age < CHILD_CONSENT_AGE:
            if not e.guardian_name:
                raise _field_error(
                    "enrolment.guardian_name", "guardian_required",
                    "is required for a child under {age} (PIPL)", age=CHILD_CONSENT_AGE,
                )
            if not e.guardian_consent:
                raise _field_error(
                    "enrolment.guardian_consent", "consent_required",
                    "must be recorded for a child under {age} (PIPL)", age=CHILD_CONSENT_AGE,
                )
        return self


class ParticipantRecord(BaseModel):
    """A direct participant of another programme (low-cost school pupil, blind adult trained…)."""

    participant: Participant
    programme: OtherProgramme
