"""One model per stored record: every rule about it and the message a person sees when broken.

Person-centric (as in DHIS2 tracker or CommCare cases): a `Participant` is one person and one
direct beneficiary; enrolments (`Training`, `AfterSchool`, `OtherProgramme`) and job
`Placement`s hang off the person. Choices are the `Literal`s of core/vocabulary.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fieldtui.core import clock, vocabulary
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.models.fields import (
    MAX_MONEY_CNY,
    Date,
    _blank_to_none,
    _date_not_future,
    _date_planned,
    _optional_text,
    _required_text,
    _rule,
    normalise_phone,
    normalise_province,
    number_typed,
    person_name,
)
from fieldtui.core.models.messages import _field_error
from fieldtui.core.vocabulary import (
    CHOICE_LABELS,
    AfterSchoolProgramme,
    CBOProgramme,
    Gender,
    Origin,
    OtherProgrammeKind,
    TrainingStatus,
    choice_value,
)
from fieldtui.i18n import _, labelled


class Record(BaseModel):
    """Fields every stored record has. `id` is assigned by the store on first save."""

    model_config = ConfigDict(str_strip_whitespace=True, validate_assignment=False, extra="ignore")

    id: str | None = None
    deleted: bool = False


class CBO(Record):
    """A community-based organisation funded by the initiative: one project with one grant."""

    name_zh: str
    name_en: str
    city: str = "Beijing"
    sector: str = "Economic Empowerment"
    grant_usd: float = Field(ge=0)
    target_direct: int = Field(ge=0)
    sii: float | None = None
    programmes: list[CBOProgramme] = Field(default_factory=list)

    @field_validator("name_zh", "name_en", "city", "sector", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return _required_text(v, 120)

    @field_validator("city", "sector")
    @classmethod
    def _one_spelling(cls, v: str) -> str:
        return vocabulary.CBO_TEXT_ALIASES.get(v, v)

    @field_validator("grant_usd", mode="before")
    @classmethod
    def _grant(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        return number_typed(v, symbols=("US$", "$"))

    @field_validator("target_direct", mode="before")
    @classmethod
    def _target(cls, v: Any) -> Any:
        return number_typed(v)

    @field_validator("grant_usd")
    @classmethod
    def _grant_cents(cls, v: float) -> float:
        if v > 1_000_000_000:
            raise _rule("too_large", "must be at most US$1,000,000,000")
        if round(v, 2) != v:
            raise _rule("cents", "must have at most two decimal places")
        return v

    @field_validator("sii", mode="before")
    @classmethod
    def _sii_blank(cls, v: Any) -> Any:
        return number_typed(_blank_to_none(v))

    @field_validator("sii")
    @classmethod
    def _sii_range(cls, v: float | None) -> float | None:
        if v is not None and not 20 <= v <= 100:
            raise _rule("sii_range", "must be between 20 and 100 (or left empty)")
        return v

    @field_validator("programmes", mode="before")
    @classmethod
    def _programmes(cls, v: Any) -> Any:
        if v is None or v == "":
            return []
        if isinstance(v, str):
            pieces = [p.strip() for p in re.split(r"[,，;；、\n]+", v) if p.strip()]
            v = []
            for piece in pieces:  # "vocational_training after_school" still means two
                known = choice_value(piece) in CHOICE_LABELS
                v += [piece] if known or " " not in piece else piece.split()
        return list(dict.fromkeys(choice_value(p) for p in v))

    @property
    def display_name(self) -> str:
        from fieldtui.i18n import language

        return self.name_zh if language() == "zh" else self.name_en


class Participant(Record):
    """One person: one direct beneficiary, however many programmes they join."""

    cbo_id: str
    full_name: str
    gender: Gender
    birth_year: int
    birth_date: Date | None = None
    province: str
    origin: Origin
    phone: str | None = None
    household_members: int = Field(default=0, ge=0, le=30)
    registered_on: Date
    registered_by: str

    @model_validator(mode="before")
    @classmethod
    def _year_from_date(cls, data: Any) -> Any:
        """A birth date alone is enough ("birth year or date"): its year fills a blank birth year."""
        if isinstance(data, dict) and _blank_to_none(data.get("birth_year")) is None:
            born = _blank_to_none(data.get("birth_date"))
            year = born.year if isinstance(born, dt.date) else None
            if isinstance(born, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", born.strip()):
                year = int(born.strip()[:4])
            if year is not None:
                return {**data, "birth_year": year}
        return data

    @field_validator("cbo_id", mode="before")
    @classmethod
    def _cbo(cls, v: Any) -> str:
        return _required_text(v, 64)

    @field_validator("full_name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> str:
        return person_name(v)

    @field_validator("registered_by", mode="before")
    @classmethod
    def _by(cls, v: Any) -> str:
        return _required_text(v, 60)

    @field_validator("gender", "origin", mode="before")
    @classmethod
    def _choice(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        return choice_value(v)

    @field_validator("birth_date", mode="before")
    @classmethod
    def _bd_blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("birth_year")
    @classmethod
    def _year(cls, v: int) -> int:
        if not 1920 <= v <= clock.today().year:
            raise _rule("birth_year", "must be between 1920 and {year}", year=clock.today().year)
        return v

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and v > clock.today():
            raise _rule("future_date", "cannot be in the future")
        return v

    @field_validator("registered_on")
    @classmethod
    def _reg_early(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]

    @field_validator("province", mode="before")
    @classmethod
    def _province(cls, v: Any) -> str:
        return normalise_province(v)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v: Any) -> str | None:
        return normalise_phone(v)

    @model_validator(mode="after")
    def _consistent(self) -> Participant:
        if self.birth_date is not None and self.birth_date.year != self.birth_year:
            raise _field_error("birth_date", "birth_year_mismatch", "does not match the birth year")
        if self.registered_on.year < self.birth_year:
            raise _field_error("registered_on", "before_birth", "is before the person was born")
        return self


class Enrolment(Record):
    participant_id: str | None = None  # set by the store when saved with its person
    start_date: Date
    end_date: Date | None = None

    @field_validator("end_date", mode="before")
    @classmethod
    def _end_blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("start_date", "end_date")
    @classmethod
    def _dates(cls, v: dt.date | None) -> dt.date | None:
        return _date_not_future(v)

    @model_validator(mode="after")
    def _order(self) -> Enrolment:
        if self.end_date is not None and self.end_date < self.start_date:
            raise _field_error("end_date", "date_order", "must be on or after the start date")
        return self


class Training(Enrolment):
    """A vocational-training enrolment. A course is recorded when people sign up, so its dates
    may be planned: up to a year ahead (`PLANNED_DAYS`), never for a completed course."""

    course: str
    status: TrainingStatus = "enrolled"
    income_before_cny: float | None = Field(default=None, ge=0, le=MAX_MONEY_CNY)

    @field_validator("start_date", "end_date")
    @classmethod
    def _dates(cls, v: dt.date | None) -> dt.date | None:
        return _date_planned(v)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return choice_value(v)

    @field_validator("course", mode="before")
    @classmethod
    def _course(cls, v: Any) -> str:
        return _required_text(v, 80)

    @field_validator("income_before_cny", mode="before")
    @classmethod
    def _income(cls, v: Any) -> Any:
        return number_typed(_blank_to_none(v))

    @model_validator(mode="after")
    def _completed(self) -> Training:
        if self.status == "completed" and self.end_date is None:
            raise _field_error("end_date", "completed_needs_end", "is required when the course is completed")
        if self.status == "completed" and self.end_date > clock.today():
            raise _field_error("end_date", "completed_in_future",
                               "is in the future, so the course is not completed yet")
        return self


class AfterSchool(Enrolment):
    """An after-school (or Super Saturday) enrolment of a migrant child."""

    school: str
    grade: int = Field(ge=1, le=9)
    guardian_name: str | None = None
    guardian_consent: bool = False
    programme: AfterSchoolProgramme = "after_school"

    @field_validator("programme", mode="before")
    @classmethod
    def _programme(cls, v: Any) -> Any:
        return choice_value(v)

    @field_validator("school", mode="before")
    @classmethod
    def _school(cls, v: Any) -> str:
        return _required_text(v, 80)

    @field_validator("guardian_name", mode="before")
    @classmethod
    def _guardian(cls, v: Any) -> str | None:
        return _optional_text(v, 60)


class OtherProgramme(Enrolment):
    """Direct participation in another programme (low-cost school pupil, blind adult trained…)."""

    programme: OtherProgrammeKind
    description: str | None = None

    @field_validator("programme", mode="before")
    @classmethod
    def _programme(cls, v: Any) -> Any:
        return choice_value(v)

    @field_validator("description", mode="before")
    @classmethod
    def _desc(cls, v: Any) -> str | None:
        return _optional_text(v, 200)


class Placement(Record):
    """A job found by a trainee; it hangs off the training enrolment, so only trainees have one."""

    training_id: str
    employer: str
    job_title: str
    start_date: Date
    wage_cny: float
    verified: bool = False

    @field_validator("training_id", mode="before")
    @classmethod
    def _training(cls, v: Any) -> str:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("placement_trainee", "is required: a placement is only for a trainee")
        return str(v)

    @field_validator("employer", "job_title", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return _required_text(v, 80)

    @field_validator("wage_cny", mode="before")
    @classmethod
    def _wage_blank(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        return number_typed(v)

    @field_validator("wage_cny")
    @classmethod
    def _wage(cls, v: float) -> float:
        if v <= 0:
            raise _rule("wage_positive", "must be more than 0")
        if v > MAX_MONEY_CNY:
            raise _rule("too_large", "must be at most ¥{max}", max=f"{MAX_MONEY_CNY:,}")
        return v

    @field_validator("start_date")
    @classmethod
    def _start(cls, v: dt.date) -> dt.date:
        return _date_not_future(v)  # type: ignore[return-value]


def check_placement_against_training(placement: Placement, training: Training | None) -> None:
    """Rules that need the trainee's enrolment: raise RecordInvalid when broken."""
    if training is None or training.deleted:
        raise RecordInvalid({"training_id": labelled(_("Trainee"), _("must be an existing, non-removed trainee"))})
    if placement.start_date < training.start_date:
        raise RecordInvalid(
            {"start_date": labelled(_("Start date"), _("cannot be before the training started ({date})").format(
                date=training.start_date.isoformat()))}
        )
    if training.status == "dropped":
        raise RecordInvalid({"training_id": labelled(
            _("Trainee"), _("dropped the course; a placement needs an enrolled or completed trainee"))})
