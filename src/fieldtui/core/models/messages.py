"""Pydantic's errors as people's messages: `{field path: "Label: message"}`, one per field,
so forms show each beside its field and the CLI prints them per row (RecordInvalid)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.vocabulary import LABELS
from fieldtui.i18n import N_, _, labelled


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
