"""The rules every field shares: clean text, dates not in the future, phones, provinces, ages.

Each broken rule is a PydanticCustomError carrying the message a person reads, translated now
(`_rule`); dates are checked against `clock.today()`, the one clock tests freeze.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from fieldtui.core import clock
from fieldtui.core.formatting import UNPRINTABLE, half_width
from fieldtui.core.vocabulary import PROVINCES
from fieldtui.i18n import _

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

EARLIEST_DATE = dt.date(1990, 1, 1)
CHILD_CONSENT_AGE = 14  # PIPL art. 28/31: personal data of children under 14 is sensitive.
#: The release date of the guardian-consent field (schema 2): a fixed date, not "today". A child's
#: row last saved before then cannot have recorded consent (schema 1 had no such field, and the
#: upgrade does not touch updated_at), so a merge lets it in with the guardian rule still applied
#: (exchange/rules.py), and so does an edit of the person (records/dependants.py); any later save
#: went through a form that requires the consent. Keyed to the row, not to the file's schema
#: version, because a laptop that upgraded still holds its old children. Limit: a hand-edited
#: export that backdates updated_at slips a child past this check (the forms still require consent).
CONSENT_FIELD_SINCE = "2026-11-25"
MIN_TRAINEE_AGE = 16
MAX_CHILD_AGE = 17
MIN_CHILD_AGE = 3
MAX_MONEY_CNY = 1_000_000

_PHONE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits: \d would take a full-width "１" and store it so


def _rule(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A broken rule with its human message (translated now, in the current language)."""
    return PydanticCustomError(code, _(message), ctx)


def clean_text(value: Any, *, max_len: int, what: str = "text") -> str:
    """Normalise free text: NFC, trimmed, inner whitespace collapsed, no control characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if value.isascii() and value.isprintable() and value[:1] != " " and value[-1:] != " " and "  " not in value:
        # ids, dates, codes: NFC, trimming and collapsing would change nothing (a merge validates
        # millions of these: the slow path below was a fifth of checking a file)
        if len(value) > max_len:
            raise _rule("too_long", "must be at most {max_len} characters", max_len=max_len)
        return value
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


def person_name(value: Any) -> str:
    """A person's name (a participant's, a volunteer's): required, at most 60 characters, a letter in it."""
    name = _required_text(value, 60)
    if not any(ch.isalpha() for ch in name):
        raise _rule("name_letters", "must contain letters or Chinese characters")
    return name


def _optional_text(value: Any, max_len: int) -> str | None:
    value = clean_text(value, max_len=max_len)
    return value or None


def _date_not_future(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if value > clock.today():
        raise _rule("future_date", "cannot be in the future")
    if value < EARLIEST_DATE:
        raise _rule("too_early", "must be on or after {earliest}", earliest=EARLIEST_DATE.isoformat())
    return value


PLANNED_DAYS = 366


def _date_planned(value: dt.date | None) -> dt.date | None:
    """A date that may be planned: within a year ahead (a course's start and end)."""
    if value is None:
        return None
    if value > clock.today() + dt.timedelta(days=PLANNED_DAYS):
        raise _rule("too_far_ahead", "can be planned at most a year ahead (until {latest})",
                    latest=(clock.today() + dt.timedelta(days=PLANNED_DAYS)).isoformat())
    if value < EARLIEST_DATE:
        raise _rule("too_early", "must be on or after {earliest}", earliest=EARLIEST_DATE.isoformat())
    return value


def date_typed(value: Any) -> Any:
    """A date as typed, for pydantic to read: eight digits ("20100301", in either width) as
    year, month and day, as many write a date in China; any other number, or text of digits
    only, refused as not a date. pydantic reads a number as a Unix time: "20100301" was 1970-08-22,
    refused as "must be on or after 1990-01-01", which sent people after the wrong mistake. The
    one rule of every date field (`Date`); a plain date or other text goes on unchanged."""
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_parsing", "not a date", {})
    if isinstance(value, str) and value.strip().isdigit():
        digits = half_width(value.strip())
        if len(digits) != 8 or not digits.isascii():
            raise PydanticCustomError("date_parsing", "not a date", {})
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return value


#: A date field: read as `date_typed` says, then as pydantic reads a date ("YYYY-MM-DD").
Date = Annotated[dt.date, BeforeValidator(date_typed)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


#: A number grouped as people type it: thousands after a comma (a full-width "，" is one once
#: `half_width`) or a space, the same one throughout ("3,500", "1 000 000"), decimals after a point.
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}([, ])[0-9]{3}(?:\1[0-9]{3})*(?:\.[0-9]+)?")
#: spaces a spreadsheet or a locale groups digits with (no-break, narrow no-break, thin)
_GROUP_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def number_typed(value: Any, *, symbols: tuple[str, ...] = ()) -> Any:
    """An amount or a count as typed, for pydantic to read: "3,500", "３，５００" and "3 500" as
    "3500", `symbols` ("US$") left out; a comma or space that groups no thousands ("3,5", a
    decimal comma; "3,50,0") is refused by name. The one rule of every money and count field
    (a form's "number" field lets the comma in); anything else is left to the field's type."""
    if not isinstance(value, str):
        return value
    text = half_width(value).translate(_GROUP_SPACES)
    for symbol in symbols:
        text = text.replace(symbol, "")
    text = text.strip()
    if "," in text or " " in text:
        if not _GROUPED.fullmatch(text):
            raise _rule("thousands", "write thousands in groups of three (3,500) and decimals after a point (3.5)")
        text = text.replace(",", "").replace(" ", "")
    return text


def age_on(birth_year: int, birth_date: dt.date | None, on: dt.date) -> int:
    """Completed years on a date; with only a birth year, assume 1 July (the mid-year convention)."""
    born = birth_date or dt.date(birth_year, 7, 1)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def normalise_phone(value: Any) -> str | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    digits = re.sub(r"[\s\-()]", "", half_width(str(value)))
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
