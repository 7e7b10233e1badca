"""What happened after the programmes: job follow-ups, after-school attendance, volunteers.

- `Followup`: a placement checked 3, 6 or 12 months after it started: still employed (same
  employer? monthly wage?) or why not. When each check falls due: core/schedule.py.
- `Session` and `Attendance`: an after-school or Super Saturday session of a CBO on a date, held
  or not held (not held: nobody is marked, nothing counts), and each enrolled child present or
  absent (a child without a mark is "not marked", which is not "absent").
- `Volunteer` and `VolunteerHours`: people who give time; never beneficiaries.

The rules that need another record (the placement, the session, the child) are the
`check_*` functions: the store and the merge call them with the stored rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator, model_validator

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.models.fields import (
    MAX_MONEY_CNY,
    Date,
    _blank_to_none,
    _date_not_future,
    _optional_text,
    _required_text,
    _rule,
    normalise_phone,
    number_typed,
    person_name,
)
from fieldtui.core.models.messages import _field_error
from fieldtui.core.models.records import Record
from fieldtui.core.schedule import FOLLOWUP_EARLY_DAYS, due_on
from fieldtui.core.vocabulary import (
    AfterSchoolProgramme,
    FollowupMonth,
    NotEmployedReason,
    VolunteerActivity,
    choice_label,
    values,
)
from fieldtui.i18n import _, labelled


def _required(v: Any) -> Any:
    v = _blank_to_none(v)
    if v is None:
        raise _rule("required", "is required")
    return v


class Followup(Record):
    """One check of a placement: employed or not N months after it started."""

    placement_id: str
    due_month: int
    checked_on: Date
    employed: bool
    same_employer: bool | None = None
    wage_cny: float | None = None
    reason: NotEmployedReason | None = None
    note: str | None = None

    @field_validator("placement_id", mode="before")
    @classmethod
    def _placement(cls, v: Any) -> str:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        return str(v)

    @field_validator("due_month", mode="before")
    @classmethod
    def _month(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        if str(v).strip().removesuffix(".0") not in values(FollowupMonth):
            raise _rule("followup_month", "must be 3, 6 or 12 (months after the job started)")
        return int(str(v).strip().removesuffix(".0"))

    @field_validator("employed", mode="before")
    @classmethod
    def _employed(cls, v: Any) -> Any:
        return _required(v)

    @field_validator("same_employer", "reason", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("wage_cny", mode="before")
    @classmethod
    def _wage_typed(cls, v: Any) -> Any:
        return number_typed(_blank_to_none(v))

    @field_validator("wage_cny")
    @classmethod
    def _wage(cls, v: float | None) -> float | None:
        if v is not None and v <= 0:
            raise _rule("wage_positive", "must be more than 0")
        if v is not None and v > MAX_MONEY_CNY:
            raise _rule("too_large", "must be at most ¥{max}", max=f"{MAX_MONEY_CNY:,}")
        return v

    @field_validator("checked_on")
    @classmethod
    def _checked(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, v: Any) -> str | None:
        return _optional_text(v, 200)

    @model_validator(mode="after")
    def _outcome(self) -> Followup:
        if self.employed:
            if self.wage_cny is None:
                raise _field_error("wage_cny", "required", "is required when still employed")
            if self.reason is not None:
                raise _field_error("reason", "reason_employed", "leave empty when still employed")
        else:
            if self.reason is None:
                raise _field_error("reason", "required", "is required when not employed")
            if self.wage_cny is not None:
                raise _field_error("wage_cny", "wage_unemployed", "leave empty when not employed")
            self.same_employer = None  # says nothing without a job (a form's tick box may still be on)
        return self


def check_followup_against_placement(followup: Followup, placement: Any) -> None:
    """A check is of a live placement, recorded no earlier than FOLLOWUP_EARLY_DAYS before it is due."""
    if placement is None or placement.deleted:
        raise RecordInvalid({"placement_id": labelled(_("Job placement"),
                                                      _("must be an existing, non-removed job placement"))})
    earliest = due_on(placement.start_date, followup.due_month) - dt.timedelta(days=FOLLOWUP_EARLY_DAYS)
    if followup.checked_on < earliest:
        raise RecordInvalid({"checked_on": labelled(_("Checked on"), _(
            "is too early for this check: it is due on {date}").format(
            date=due_on(placement.start_date, followup.due_month).isoformat()))})


class Session(Record):
    """An after-school or Super Saturday session a CBO ran (or planned and did not hold) on a date."""

    cbo_id: str
    programme: AfterSchoolProgramme = "after_school"
    held_on: Date
    held: bool = True
    topic: str | None = None

    @field_validator("cbo_id", mode="before")
    @classmethod
    def _cbo(cls, v: Any) -> str:
        return _required_text(v, 64)

    @field_validator("held_on")
    @classmethod
    def _date(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]

    @field_validator("topic", mode="before")
    @classmethod
    def _topic(cls, v: Any) -> str | None:
        return _optional_text(v, 80)


class Attendance(Record):
    """One child at one session: present or absent."""

    session_id: str
    enrolment_id: str
    present: bool

    @field_validator("session_id", "enrolment_id", mode="before")
    @classmethod
    def _ids(cls, v: Any) -> str:
        return _required_text(v, 64)

    @field_validator("present", mode="before")
    @classmethod
    def _present(cls, v: Any) -> Any:
        return _required(v)


def check_attendance(mark: Attendance, session: Any, enrolment: Any, child_cbo: str | None) -> None:
    """A mark is for a held, live session and a child enrolled in its programme, at its CBO, that day."""
    if session is None or session.deleted:
        raise RecordInvalid({"session_id": labelled(_("Session"), _("must be an existing, non-removed session"))})
    if not session.held:
        raise RecordInvalid({"session_id": labelled(_("Session"), _(
            "was not held: nobody is marked present or absent"))})
    if enrolment is None or enrolment.deleted or child_cbo is None:
        raise RecordInvalid({"enrolment_id": labelled(_("Child"), _(
            "must be an existing, non-removed after-school child"))})
    enrolled = (enrolment.start_date <= session.held_on
                and (enrolment.end_date is None or session.held_on <= enrolment.end_date))
    if child_cbo != session.cbo_id or enrolment.programme != session.programme or not enrolled:
        raise RecordInvalid({"enrolment_id": labelled(_("Child"), _(
            "was not enrolled in this programme of this CBO on the session's date"))})


class Volunteer(Record):
    """Someone who gives time to a CBO (a college student, a neighbour): not a beneficiary."""

    cbo_id: str
    full_name: str
    phone: str | None = None
    affiliation: str | None = None
    joined_on: Date

    @field_validator("cbo_id", mode="before")
    @classmethod
    def _cbo(cls, v: Any) -> str:
        return _required_text(v, 64)

    @field_validator("full_name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> str:
        return person_name(v)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v: Any) -> str | None:
        return normalise_phone(v)

    @field_validator("affiliation", mode="before")
    @classmethod
    def _affiliation(cls, v: Any) -> str | None:
        return _optional_text(v, 80)

    @field_validator("joined_on")
    @classmethod
    def _joined(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]


class VolunteerHours(Record):
    """Hours a volunteer gave on a day: to one session, or to an activity (training, other)."""

    volunteer_id: str
    activity: VolunteerActivity
    worked_on: Date
    hours: float = Field(gt=0, le=24)
    session_id: str | None = None

    @field_validator("volunteer_id", mode="before")
    @classmethod
    def _volunteer(cls, v: Any) -> str:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        return str(v)

    @field_validator("session_id", mode="before")
    @classmethod
    def _session(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("hours", mode="before")
    @classmethod
    def _hours_blank(cls, v: Any) -> Any:
        return number_typed(_required(v))

    @field_validator("hours")
    @classmethod
    def _quarters(cls, v: float) -> float:
        if round(v * 4) != v * 4:
            raise _rule("quarter_hours", "must be in quarter hours (e.g. 2.5 or 2.75)")
        return v

    @field_validator("worked_on")
    @classmethod
    def _worked(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]


def check_volunteer_hours(hours: VolunteerHours, volunteer: Any, session: Any) -> None:
    """Hours are a live volunteer's; hours for a session are on its day, for its programme, at the
    volunteer's CBO, and only if it was held."""
    if volunteer is None or volunteer.deleted:
        raise RecordInvalid({"volunteer_id": labelled(_("Volunteer"), _(
            "must be an existing, non-removed volunteer"))})
    if hours.session_id is None:
        return
    if session is None or session.deleted or not session.held or session.cbo_id != volunteer.cbo_id:
        raise RecordInvalid({"session_id": labelled(_("Session"), _(
            "must be a session held by the volunteer's CBO"))})
    if hours.worked_on != session.held_on or hours.activity != session.programme:
        raise RecordInvalid({"session_id": labelled(_("Session"), _(
            "was on {date} ({programme}): the date and activity must be the session's").format(
            date=session.held_on.isoformat(), programme=choice_label(session.programme)))})
