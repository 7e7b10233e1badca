"""The one clock: today's date for rules and form defaults, the UTC time for stamps.

Everything that needs "now" asks here, so tests freeze it in one place (monkeypatch
`clock.today` / `clock.utc_now`) and a wrong laptop clock is handled where stamps are made."""

from __future__ import annotations

import datetime as dt

#: How far ahead of this machine's clock a time stamp may be (laptops' clocks drift; a stamp years
#: ahead would win every later edit): headquarters refuses a file with a later one (exchange/rules.py),
#: and `fieldtui redate` dates such stamps now (records/redating.py).
CLOCK_SLACK = dt.timedelta(days=1)


def today() -> dt.date:
    return dt.date.today()


def utc_now() -> str:
    """ISO 8601 with microseconds, in UTC: stamps sort as text the way they sort in time."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
