"""Changes dated in the future by a laptop whose clock was ahead, dated now once it is right.

Headquarters refuses a file holding a change dated later than tomorrow (exchange/rules.py:
a stamp years ahead would win every later edit), and saving the record again cannot help: a
change is never stamped before the version it was made on (history.later_than). So a laptop
whose clock was set to 2062 for a day could never send its file again. `future_changes` says so
before an export; `redate_future` re-dates every such stamp (rows' created/updated stamps, field
histories, conflicts) to now, one microsecond apart in their old order, in one transaction, so
every history stays in order and the file merges. Nothing else of a record changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldtui.core import clock
from fieldtui.core.clock import CLOCK_SLACK
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.records.audit import LATEST_SAVE

#: Every stamp column of a file: (table, column).
_STAMPS = (*((t, c) for t in RECORD_TABLES for c in ("created_at", "updated_at")),
           ("field_changes", "stamp"), ("field_changes", "base"), ("field_conflicts", "stamp"))


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _moment(stamp: str | None) -> dt.datetime:
    """A stamp as a time (the earliest for none, or one fieldtui did not write: the clock wins)."""
    try:
        moment = dt.datetime.fromisoformat(stamp) if stamp else dt.datetime.min
    except ValueError:
        moment = dt.datetime.min
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Redating:
    """Finding and re-dating changes stamped later than this computer's clock allows."""

    conn: Any
    clock: Any

    def _limit(self) -> str:
        return _iso(dt.datetime.fromisoformat(self.clock()) + CLOCK_SLACK)

    def clock_behind(self) -> str | None:
        """The day of this file's latest save, when it is later than tomorrow by this computer's
        date (`clock.today`: what forms default to and check "in the future" against), else None:
        the clock fell back (a flat battery resets it to a year long past), or it was ahead when
        those saves were made (then `redate_future` mends the file). Two lookups by key: asked at
        every start. A file saved by no version that kept `latest_save`: its audit's last line."""
        latest = self.conn.execute(
            "SELECT coalesce((SELECT value FROM meta WHERE key = ?), (SELECT at FROM audit ORDER BY seq DESC "
            "LIMIT 1))", (LATEST_SAVE,)).fetchone()[0]
        day = str(latest)[:10] if latest is not None else ""
        return day if day > (clock.today() + CLOCK_SLACK).isoformat() else None

    def future_changes(self) -> str | None:
        """The latest stamp later than tomorrow by this computer's clock, or None."""
        latest = self.conn.execute("SELECT max(s) FROM (" + " UNION ALL ".join(
            f"SELECT max({c}) AS s FROM {t}" for t, c in _STAMPS) + ")").fetchone()[0]
        return latest if latest is not None and latest > self._limit() else None

    def redate_future(self) -> tuple[int, str | None]:
        """Re-date every stamp later than tomorrow to now (see the module docstring); returns
        how many distinct stamps were re-dated and the latest of them. One transaction. Refused
        by a clock no right one shows (clock.refuse_a_wrong_clock): it would date them all by it."""
        clock.refuse_a_wrong_clock()
        with self.transaction():  # type: ignore[attr-defined]
            limit = {"limit": self._limit()}
            future = [r[0] for r in self.conn.execute("SELECT DISTINCT s FROM (" + " UNION ALL ".join(
                f"SELECT {c} AS s FROM {t} WHERE {c} > :limit" for t, c in _STAMPS) + ") ORDER BY s", limit)]
            if not future:
                return 0, None
            kept = self.conn.execute("SELECT max(s) FROM (" + " UNION ALL ".join(
                f"SELECT max({c}) AS s FROM {t} WHERE {c} <= :limit" for t, c in _STAMPS) + ")", limit).fetchone()[0]
            start = max(dt.datetime.fromisoformat(self.clock()), _moment(kept))
            self.conn.execute("CREATE TEMP TABLE redated (old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID")
            try:
                self.conn.executemany("INSERT INTO temp.redated VALUES (?, ?)", (
                    (old, _iso(start + dt.timedelta(microseconds=i + 1))) for i, old in enumerate(future)))
                for table, column in _STAMPS:
                    self.conn.execute(f"UPDATE {table} SET {column} = (SELECT new FROM temp.redated WHERE old = "
                                      f"{table}.{column}) WHERE {column} > :limit", limit)
                newest = self.conn.execute("SELECT max(new) FROM temp.redated").fetchone()[0]
                self.conn.execute(  # the latest save, re-dated with the rest (`clock_behind`)
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                    "excluded.value WHERE meta.value > ?", (LATEST_SAVE, newest, limit["limit"]))
            finally:
                self.conn.execute("DROP TABLE temp.redated")
            return len(future), future[-1]
