"""The validation models (pydantic): every rule about a record and the message a person sees.

records.py: one model per stored record (outcomes.py: follow-ups, attendance, volunteers);
composite.py: what a form edits in one go (a person and an enrolment); fields.py: the rules
fields share; messages.py: pydantic's errors in people's words.
The words themselves (labels, choices) are in core/vocabulary.py, which loads without pydantic.
Failures surface as `RecordInvalid` (core/errors.py): field path -> message.
"""

from __future__ import annotations

from pydantic import ValidationError

from fieldtui.core.clock import today
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.models.composite import ChildRecord, ParticipantRecord, TraineeRecord, consent_of_its_time
from fieldtui.core.models.fields import (
    CHILD_CONSENT_AGE,
    CONSENT_FIELD_SINCE,
    EARLIEST_DATE,
    MAX_CHILD_AGE,
    MAX_MONEY_CNY,
    MIN_CHILD_AGE,
    MIN_TRAINEE_AGE,
    PROVINCES,
    age_on,
    clean_text,
    normalise_phone,
    normalise_province,
)
from fieldtui.core.models.messages import messages_from, validate
from fieldtui.core.models.outcomes import (
    Attendance,
    Followup,
    Session,
    Volunteer,
    VolunteerHours,
    check_attendance,
    check_followup_against_placement,
    check_volunteer_hours,
)
from fieldtui.core.models.records import (
    CBO,
    AfterSchool,
    Enrolment,
    OtherProgramme,
    Participant,
    Placement,
    Record,
    Training,
    check_placement_against_training,
)
from fieldtui.core.vocabulary import CHOICE_ALIASES, LABELS

__all__ = [
    "CBO", "CHILD_CONSENT_AGE", "CHOICE_ALIASES", "CONSENT_FIELD_SINCE", "EARLIEST_DATE", "LABELS", "MAX_CHILD_AGE",
    "MAX_MONEY_CNY", "MIN_CHILD_AGE", "MIN_TRAINEE_AGE", "PROVINCES",
    "AfterSchool", "Attendance", "ChildRecord", "Enrolment", "Followup", "OtherProgramme", "Participant",
    "ParticipantRecord", "Placement", "Record", "RecordInvalid", "Session", "TraineeRecord", "Training",
    "ValidationError", "Volunteer", "VolunteerHours", "age_on", "check_attendance",
    "check_followup_against_placement", "check_placement_against_training", "check_volunteer_hours", "clean_text",
    "consent_of_its_time", "messages_from", "normalise_phone", "normalise_province", "today", "validate",
]
