"""Pydantic's errors as people's messages: `{field path: "Label: message"}`, one per field,
so forms show each beside its field and the CLI prints them per row (RecordInvalid)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.formatting import half_width
from fieldtui.core.vocabulary import LABELS
from fieldtui.i18n import N_, _, labelled, listed


def _field_error(field: str, code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """A model-level rule failure pinned to one field (so forms can show it beside that field)."""
    return PydanticCustomError(code, _(message), {**ctx, "field": field})


def _field_errors(broken: dict[str, str]) -> PydanticCustomError:
    """Several model-level rules broken at once, {field path: message already translated}: a
    form shows every one of them on the first save, not one per save."""
    first = next(iter(broken))
    return PydanticCustomError("rules", broken[first], {"field": first, "fields": broken})


def date_message(value: Any) -> str:
    """Why a date was not understood, as specifically as the text allows ("1990-02-30 is not a
    date: February 1990 has 28 days"); `must be a date written YYYY-MM-DD` otherwise."""
    import calendar
    import re

    from fieldtui.core.formatting import month_year

    text = value.strip() if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return _("{text} is not a date: there is no month {month}").format(text=text, month=month)
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return _("{text} is not a date: {when} has {days} days").format(
                text=text, when=month_year(year, month), days=days)
    return _("must be a date written YYYY-MM-DD, e.g. 2010-03-01")


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
    """The choices by their labels in the reader's language ("Enrolled, Completed, Dropped";
    "在读、已结业、已退出"): pydantic's own list is English ("'a', 'b' or 'c'")."""
    import re

    from fieldtui.core.vocabulary import choice_label

    values = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
    return _("must be one of: {choices}").format(choices=listed([choice_label(v) for v in values]))


def messages_from(exc: ValidationError) -> dict[str, str]:
    """Turn pydantic's errors into `{field path: "Label: message"}`, first error per field."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(str(p) for p in err["loc"] if not isinstance(p, int))
        ctx = err.get("ctx") or {}
        if isinstance(ctx.get("fields"), dict):  # several model-level rules at once
            for path, text in ctx["fields"].items():
                key = ".".join(loc + tuple(path.split(".")))
                label = _(LABELS.get(key.rsplit(".", 1)[-1], "")) if key.rsplit(".", 1)[-1] in LABELS else ""
                out.setdefault(key, labelled(label, text) if label else text)
            continue
        pinned = ctx.get("field")
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
        elif etype in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
            msg = date_message(err.get("input"))
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
    """Build `model` from `data`, raising RecordInvalid with people's messages on failure: every
    message at once, the rules across fields included where the fields they need parse (a
    model's `partial_rules`), so a form is corrected in one go rather than one save per rule."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        typed = _as_meant_data(data, exc)
        if typed is not None:
            return validate(model, typed)
        errors = messages_from(exc)
        partial = getattr(model, "partial_rules", None)
        if partial is not None and isinstance(data, dict):
            for path, message in partial(data).items():
                leaf = path.rsplit(".", 1)[-1]
                errors.setdefault(path, labelled(_(LABELS[leaf]), message) if leaf in LABELS else message)
        raise RecordInvalid(errors) from None


#: pydantic's errors for a number or a date that did not parse.
_PARSING = frozenset({"int_parsing", "float_parsing", "date_parsing", "date_from_datetime_parsing"})
#: A date written year first with other separators, as Excel with Chinese regional settings saves
#: a CSV ("2012/3/1"), or in words ("2012年3月1日"): unambiguous, so read as ISO. Day- or month-first
#: ("3/1/2012") is not, and stays refused.
_YEAR_FIRST = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")


def _as_meant_data(data: Any, exc: ValidationError) -> Any:
    """`data` with each number or date that did not parse only for how it was typed, read again:
    in full width ("１９８５": a Chinese input method's 全角 mode, a pasted sheet) as ASCII, a
    year-first date ("2012/3/1", "2012年3月1日") as ISO; None if there was none. Read only after a
    failure: valid input costs nothing more."""
    fixes = [(e["loc"], typed) for e in exc.errors() if (typed := _as_meant(e)) is not None]
    if not fixes:
        return None
    try:
        for loc, value in fixes:
            data = _with(data, loc, value)
    except (TypeError, KeyError):  # not nested dicts all the way (a model instance given): as it was
        return None
    return data


def _as_meant(error: Any) -> str | None:
    """What a number or date that failed to parse was meant to be, if it differs from what was typed."""
    value = error.get("input")
    if error["type"] not in _PARSING or not isinstance(value, str):
        return None
    text = half_width(value)
    year_first = _YEAR_FIRST.fullmatch(text.strip()) if error["type"].startswith("date") else None
    if year_first:
        text = f"{year_first[1]}-{int(year_first[2]):02d}-{int(year_first[3]):02d}"
    return text if text != value else None


def _with(data: Any, loc: tuple, value: Any) -> dict:
    """A copy of nested dicts `data` with the value at `loc` replaced."""
    if not isinstance(data, dict):
        raise TypeError(type(data).__name__)
    head, *rest = loc
    return {**data, head: _with(data[head], tuple(rest), value) if rest else value}
