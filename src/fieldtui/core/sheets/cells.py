"""One spreadsheet cell, in and out: what a cell becomes for the models, and what a value
becomes in a cell (text a spreadsheet would run as a formula is prefixed with "'")."""

from __future__ import annotations

import datetime as dt
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOOL_WORDS = {"是": "yes", "否": "no", "有": "yes", "无": "no", "对": "yes", "√": "yes", "×": "no"}


def cell(value: Any) -> Any:
    """Spreadsheet cell -> what the models accept (dates as ISO, 1985.0 as 1985, words for yes/no)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return _BOOL_WORDS.get(value, value)
    return value


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
