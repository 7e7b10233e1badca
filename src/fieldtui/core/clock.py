"""The one clock: today's date for rules and form defaults, the UTC time for stamps.

Everything that needs "now" asks here, so tests freeze it in one place (monkeypatch
`clock.today` / `clock.utc_now`) and a wrong laptop clock is handled where stamps are made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from fieldtui.core.errors import StoreError
from fieldtui.i18n import _

#: How far ahead of this machine's clock a time stamp may be (laptops' clocks drift; a stamp years
#: ahead would win every later edit): headquarters refuses a file with a later one (exchange/rules.py),
#: and `fieldtui redate` dates such stamps now (records/redating.py).
CLOCK_SLACK = dt.timedelta(days=1)


#: No right clock says an earlier date: this version of fieldtui was written after it. A clock reset
#: by a flat battery (to 2000, 2009…) in a file begun under it has no later save to be measured
#: against (records/redating.py `clock_behind`), so this bound names it at start (tui/app.py).
NOT_BEFORE = dt.date(2024, 1, 1)


#: How far `today()` runs ahead of this machine's date (see `anywhere_on_earth`).
_AHEAD: ContextVar[dt.timedelta] = ContextVar("fieldtui_today_ahead", default=dt.timedelta(0))


def today() -> dt.date:
    return dt.date.today() + _AHEAD.get()


def refuse_a_wrong_clock() -> None:
    """Refuse (StoreError, one line) what would trust a date before NOT_BEFORE: `redate` would
    date every change of the file by it (a clock reset to 2009 re-dated a file's 32,746 changes to
    2009), a merge would refuse every file as from a laptop whose clock was ahead."""
    if today() < NOT_BEFORE:
        raise StoreError(_("this computer's clock says {today}, before this version of fieldtui was written: the "
                           "clock is wrong. Set it right and try again; nothing was changed").format(
            today=today().isoformat()))


@contextmanager
def anywhere_on_earth() -> Iterator[None]:
    """Within it, `today()` is the latest date it may be somewhere (this machine's, plus
    CLOCK_SLACK): for records made elsewhere (a merge). A laptop east of headquarters, or of a
    server on UTC, is already in tomorrow, and its session held this morning is not a date in the
    future; a date beyond that still is."""
    token = _AHEAD.set(CLOCK_SLACK)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def utc_now() -> str:
    """ISO 8601 with microseconds, in UTC: stamps sort as text the way they sort in time."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
