"""Domain models: every rule about a record, and the message a person sees when it is broken.

The model is person-centric (as in DHIS2 tracker or CommCare cases): a `Participant` is one
person and one direct beneficiary; programme enrolments (`Training`, `AfterSchool`,
`OtherProgramme`) and job `Placement`s hang off the person. Composite records
(`TraineeRecord`, `ChildRecord`, `ParticipantRecord`) are what a form edits in one go, and
carry the rules that need both the person and the enrolment (age at start, guardian consent).

Validation failures surface as `RecordInvalid`, a mapping of field path -> human message, so
forms can show each message beside its field and the CLI can print them per row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.formatting import UNPRINTABLE
from fieldtui.i18n import N_, _, labelled

# --------------------------------------------------------------------------- vocabularies

GENDERS = ("female", "male", "other")
ORIGINS = ("recent_arrival", "city_raised")
TRAINING_STATUSES = ("enrolled", "completed", "dropped")
AFTER_SCHOOL_PROGRAMMES = ("after_school", "super_saturday")
OTHER_PROGRAMMES = ("low_cost_school", "blind_adult_training", "other")
CBO_PROGRAMMES = ("vocational_training", "after_school", "low_cost_school", "other")

#: Short forms staff type or spreadsheets carry, mapped to the stored value.
CHOICE_ALIASES = {
    "f": "female", "女": "female", "m": "male", "男": "male", "其他": "other",
    "recent": "recent_arrival", "new": "recent_arrival", "新到": "recent_arrival", "新来": "recent_arrival",
    "city": "city_raised", "城市长大": "city_raised", "北京长大": "city_raised",
}

#: English key -> Chinese name of every provincial-level division (hukou origin).
PROVINCES: dict[str, str] = {
    "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北", "Shanxi": "山西",
    "Inner Mongolia": "内蒙古", "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江",
    "Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽",
    "Fujian": "福建", "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南",
    "Hubei": "湖北", "Hunan": "湖南", "Guangdong": "广东", "Guangxi": "广西",
    "Hainan": "海南", "Chongqing": "重庆", "Sichuan": "四川", "Guizhou": "贵州",
    "Yunnan": "云南", "Tibet": "西藏", "Shaanxi": "陕西", "Gansu": "甘肃",
    "Qinghai": "青海", "Ningxia": "宁夏", "Xinjiang": "新疆", "Hong Kong": "香港",
    "Macau": "澳门", "Taiwan": "台湾",
}
_PROVINCE_LOOKUP: dict[str, str] = {}
for _en, _zh in PROVINCES.items():
    for _alias in (_en, _zh, _zh + "省", _zh + "市"):
        _PROVINCE_LOOKUP[_alias.casefold()] = _en
for _alias, _en in {
    "内蒙古自治区": "Inner Mongolia", "广西壮族自治区": "Guangxi", "西藏自治区": "Tibet",
    "宁夏回族自治区": "Ningxia", "新疆维吾尔自治区": "Xinjiang", "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macau",
}.items():
    _PROVINCE_LOOKUP[_alias.casefold()] = _en

#: Field labels used in messages (translated at display time).
LABELS: dict[str, str] = {
    "name_zh": N_("Chinese name"),
    "name_en": N_("English name"),
    "city": N_("City"),
    "sector": N_("Sector"),
    "grant_usd": N_("Grant (US$)"),
    "target_direct": N_("Target (direct beneficiaries)"),
    "sii": N_("Social Impact Index"),
    "programmes": N_("Programmes"),
    "cbo_id": N_("CBO"),
    "full_name": N_("Full name"),
    "gender": N_("Gender"),
    "birth_year": N_("Birth year"),
    "birth_date": N_("Birth date"),
    "province": N_("Province of origin"),
    "origin": N_("Raised in city / recent arrival"),
    "phone": N_("Phone"),
    "household_members": N_("Household members benefiting"),
    "registered_on": N_("Registration date"),
    "registered_by": N_("Registered by"),
    "course": N_("Course"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "status": N_("Status"),
    "income_before_cny": N_("Monthly income before training (¥)"),
    "school": N_("School"),
    "grade": N_("Grade"),
    "guardian_name": N_("Guardian"),
    "guardian_consent": N_("Guardian consent recorded"),
    "programme": N_("Programme"),
    "description": N_("Description"),
    "participant_id": N_("Participant"),
    "training_id": N_("Trainee"),
    "employer": N_("Employer"),
    "job_title": N_("Job title"),
    "wage_cny": N_("Monthly wage (¥)"),
    "verified": N_("Verified"),
}

EARLIEST_DATE = dt.date(1990, 1, 1)
CHILD_CONSENT_AGE = 14  # PIPL art. 28/31: personal data of children under 14 is sensitive.
MIN_TRAINEE_AGE = 16
MAX_CHILD_AGE = 17
MIN_CHILD_AGE = 3
MAX_MONEY_CNY = 1_000_000

_PHONE = re.compile(r"1[3-9]\d{9}")


def today() -> dt.date:
    return dt.date.today()


def _rule(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A broken rule with its human message (translated now, in the current language)."""
    return PydanticCustomError(code, _(message), ctx)


def clean_text(value: Any, *, max_len: int, what: str = "text") -> str:
    """Normalise free text: NFC, trimmed, inner whitespace collapsed, no control characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = unicodedata.normalize("NFC", value)
    if UNPRINTABLE.search(value.replace("\t", " ").replace("\n", " ")):
        raise _rule("control_chars", "must not contain control or invisible characters")
    value = " ".join(value.split())
    if len(value) > max_len:
        raise _rule("too_long", "must be at most {max_len} characters", max_len=max_len)
    return value


def _required_text(value: Any, max_len: int) -> str:
    value = clean_text(value, max_len=max_len)
    if not value:
        raise _rule("required", "is required")
    return value


def _optional_text(value: Any, max_len: int) -> str | None:
    value = clean_text(value, max_len=max_len)
    return value or None


def _date_not_future(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if value > today():
        raise _rule("future_date", "cannot be in the future")
    if value < EARLIEST_DATE:
        raise _rule("too_early", "must be on or after {earliest}", earliest=EARLIEST_DATE.isoformat())
    return value


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def age_on(birth_year: int, birth_date: dt.date | None, on: dt.date) -> int:
    """Completed years on a date; with only a birth year, assume 1 July (the mid-year convention)."""
    born = birth_date or dt.date(birth_year, 7, 1)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def normalise_phone(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    digits = re.sub(r"[\s\-()]", "", str(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _PHONE.fullmatch(digits):
        raise _rule("phone", "must be an 11-digit mainland mobile number, e.g. 13812345678")
    return digits


def normalise_province(value: Any) -> str:
    value = _blank_to_none(value)
    if value is None:
        raise _rule("required", "is required")
    key = unicodedata.normalize("NFC", str(value)).strip().casefold()
    for suffix in ("省", "市", " province", "province"):
        if key not in _PROVINCE_LOOKUP and key.endswith(suffix):
            key = key[: -len(suffix)].strip()
    if key not in _PROVINCE_LOOKUP:
        raise _rule("province", "is not a province of China (e.g. 河南 or Henan)")
    return _PROVINCE_LOOKUP[key]


# --------------------------------------------------------------------------- base


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
    programmes: list[Literal["vocational_training", "after_school", "low_cost_school", "other"]] = Field(
        default_factory=list
    )

    @field_validator("name_zh", "name_en", "city", "sector", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return _required_text(v, 120)

    @field_validator("grant_usd", mode="before")
    @classmethod
    def _grant(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        if v is None:
            raise _rule("required", "is required")
        if isinstance(v, str):
            v = v.replace(",", "").replace("US$", "").replace("$", "").strip()
        return v

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
        return _blank_to_none(v)

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
            v = [p.strip() for p in re.split(r"[,，;\s]+", v) if p.strip()]
        return list(dict.fromkeys(v))

    @property
    def display_name(self) -> str:
        from fieldtui.i18n import language

        return self.name_zh if language() == "zh" else self.name_en


class Participant(Record):
    """One person: one direct beneficiary, however many programmes they join."""

    cbo_id: str
    full_name: str
    gender: Literal["female", "male", "other"]
    birth_year: int
    birth_date: dt.date | None = None
    province: str
    origin: Literal["recent_arrival", "city_raised"]
    phone: str | None = None
    household_members: int = Field(default=0, ge=0, le=30)
    registered_on: dt.date
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
        v = _required_text(v, 60)
        if not any(ch.isalpha() for ch in v):
            raise _rule("name_letters", "must contain letters or Chinese characters")
        return v

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
        key = str(v).strip().lower().replace(" ", "_").replace("-", "_")
        return CHOICE_ALIASES.get(key, key)

    @field_validator("birth_date", mode="before")
    @classmethod
    def _bd_blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("birth_year")
    @classmethod
    def _year(cls, v: int) -> int:
        if not 1920 <= v <= today().year:
            raise _rule("birth_year", "must be between 1920 and {year}", year=today().year)
        return v

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and v > today():
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
    start_date: dt.date
    end_date: dt.date | None = None

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
    """A vocational-training enrolment."""

    course: str
    status: Literal["enrolled", "completed", "dropped"] = "enrolled"
    income_before_cny: float | None = Field(default=None, ge=0, le=MAX_MONEY_CNY)

    @field_validator("course", mode="before")
    @classmethod
    def _course(cls, v: Any) -> str:
        return _required_text(v, 80)

    @field_validator("income_before_cny", mode="before")
    @classmethod
    def _income(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @model_validator(mode="after")
    def _completed(self) -> Training:
        if self.status == "completed" and self.end_date is None:
            raise _field_error("end_date", "completed_needs_end", "is required when the course is completed")
        return self


class AfterSchool(Enrolment):
    """An after-school (or Super Saturday) enrolment of a migrant child."""

    school: str
    grade: int = Field(ge=1, le=9)
    guardian_name: str | None = None
    guardian_consent: bool = False
    programme: Literal["after_school", "super_saturday"] = "after_school"

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

    programme: Literal["low_cost_school", "blind_adult_training", "other"]
    description: str | None = None

    @field_validator("description", mode="before")
    @classmethod
    def _desc(cls, v: Any) -> str | None:
        return _optional_text(v, 200)


class Placement(Record):
    """A job found by a trainee; it hangs off the training enrolment, so only trainees have one."""

    training_id: str
    employer: str
    job_title: str
    start_date: dt.date
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
        return v

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


# --------------------------------------------------------------------------- composites


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


# --------------------------------------------------------------------------- errors



def _field_error(field: str, code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A model-level rule failure pinned to one field (so forms can show it beside that field)."""
    return PydanticCustomError(code, _(message), {**ctx, "field": field})


_TYPE_MESSAGES = {
    "missing": N_("is required"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "date_from_datetime_parsing": N_("must be a date written YYYY-MM-DD"),
    "date_parsing": N_("must be a date written YYYY-MM-DD"),
    "date_type": N_("must be a date written YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("must be a date written YYYY-MM-DD"),
    "bool_parsing": N_("must be yes or no"),
    "bool_type": N_("must be yes or no"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
}


def _choice_message(loc: tuple, err: dict) -> str:
    expected = err.get("ctx", {}).get("expected", "")
    return _("must be one of: {choices}").format(choices=expected.replace("'", ""))


def messages_from(exc: ValidationError) -> dict[str, str]:
    """Turn pydantic's errors into `{field path: "Label: message"}`, first error per field."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(str(p) for p in err["loc"] if not isinstance(p, int))
        pinned = (err.get("ctx") or {}).get("field")
        if pinned:  # a model-level rule that names the field it is about
            loc = loc + tuple(pinned.split("."))
        key = ".".join(loc) if loc else "__root__"
        if key in out:
            continue
        field = loc[-1] if loc else ""
        etype = err["type"]
        if etype == "literal_error":
            msg = _choice_message(loc, err)
        elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            bound = next(iter(err.get("ctx", {}).values()), "")
            msg = {
                "greater_than_equal": _("must be at least {n}"),
                "less_than_equal": _("must be at most {n}"),
                "greater_than": _("must be more than {n}"),
                "less_than": _("must be less than {n}"),
            }[etype].format(n=bound)
        elif etype in _TYPE_MESSAGES:
            msg = _(_TYPE_MESSAGES[etype])
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
        label = _(LABELS.get(field, field.replace("_", " ").capitalize())) if field else ""
        out[key] = labelled(label, msg) if label else msg
    return out


def validate(model: type[BaseModel], data: Any) -> Any:
    """Build `model` from `data`, raising RecordInvalid with people's messages on failure."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordInvalid(messages_from(exc)) from None
