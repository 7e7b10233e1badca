"""The one clock: today's date for rules and form defaults, the UTC time for stamps.

Everything that needs "now" asks here, so tests freeze it in one place (monkeypatch
`clock.today` / `clock.utc_now`) and a wrong laptop clock is handled where stamps are made."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()


def utc_now() -> str:
    """ISO 8601 with microseconds, in UTC: stamps sort as text the way they sort in time."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
