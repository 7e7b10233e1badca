"""The report's language, separate from the process-wide one.

The app writes a report from a worker thread while its screens keep speaking the person's
language, and `fieldtui report --lang` must not depend on what else ran in the process. So the
report's `_()` reads a context variable (each thread has its own) set by `speaking(lang)`,
and the language-dependent formatters take `lang=` explicitly. Strings are extracted like any
other `_()` call (fieldtui.i18n_extract).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from fieldtui.i18n import N_, normalise, translations

__all__ = ["N_", "_", "cbo_name", "lang", "plural", "speaking"]

_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("fieldtui_report_lang", default="en")


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[str]:
    """Within the block, the report's `_()` translates into `lang` ("en" or "zh")."""
    token = _LANG.set(normalise(lang))
    try:
        yield _LANG.get()
    finally:
        _LANG.reset(token)


def lang() -> str:
    return _LANG.get()


def _(message: str) -> str:
    return translations(_LANG.get()).gettext(message)


def plural(n: int, one: str, other: str) -> str:
    """The translated form for a count: English says "1 CBO", "4 CBOs" (Chinese has one form)."""
    return _(one) if n == 1 else _(other)


def cbo_name(name: str, name_zh: str) -> str:
    """A CBO's name in the report's language (names are data: callers escape them)."""
    return name_zh if lang() == "zh" else name
