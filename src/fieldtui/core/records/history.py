"""Each field's history of versions, without its values: how headquarters tells an edit made
on top of another from two edits made side by side, whoever made them and whatever laptop
or copy of a file they came from.

A field's version is the stamp of the save that last changed it (`updated_at`, UTC to the
microsecond); a field never changed since the record was created has the version `created_at`.
Each change is one row of `field_changes`: (table, row, field, stamp, base, device), where base
is the version the change was made on (several rows with one stamp when a change settles a
conflict: it is made on every version it settles) and device the file's id where it was made
(to say where a conflicting value comes from). Only stamps and ids: no names, phones or other
values, so the history travels in every export, pseudonymised ones included.

Versions of one field form a graph; its *heads* are the versions nothing was made on. One head:
everyone agrees. Several heads: edits made side by side; the newest head's value is kept and
the others are conflicts (exchange/merge.py). Copying a file copies its history, so two copies
edited apart share the base of their edits and are seen as side by side, as they are.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from typing import Any

#: Columns that are not content: they identify or stamp a row.
NOT_CONTENT = frozenset({"id", "created_at", "updated_at"})
#: A change under a clock behind the row's latest version is stamped 1 to this many microseconds
#: after it (`later_than`).
BUMP_SPREAD = 1_000_000


def just_after(stamp: str, microseconds: int = 1) -> str | None:
    """`microseconds` after `stamp`, written as fieldtui writes stamps; None for a stamp fieldtui did
    not write (edited by hand: text that starts with a date but is no time)."""
    try:
        after = dt.datetime.fromisoformat(stamp) + dt.timedelta(microseconds=microseconds)
    except ValueError:
        return None
    return after.astimezone(dt.UTC).isoformat(timespec="microseconds") if after.tzinfo else after.isoformat()


def later_than(at: str, *stamps: str) -> str:
    """The stamp of a change of a row: `at` (the clock), unless the row holds a version as late or
    later (the laptop's clock fell back: a flat battery, a wrong date typed), then a random moment
    in the second after it. A version is never made before the one it is made on, so a file edited
    under a wrong clock still merges once the clock is right (its history stays in order).

    Random, not the next microsecond: two copies of one file whose clocks are both behind its
    latest save would stamp their edits of it alike, and headquarters, which knows a version by its
    stamp, took two edits of one field for one version and kept whichever file came second (one
    edit lost, no conflict listed). Now two such edits share a stamp once in a million."""
    latest = max((s for s in stamps if s), default="")
    if at > latest:
        return at
    return just_after(latest, 1 + secrets.randbelow(BUMP_SPREAD)) or at  # a stamp fieldtui did not write: the clock's


def heads(conn: sqlite3.Connection, table: str, row_id: str, field: str, created_at: str) -> list[str]:
    """The versions of a field nothing was made on (newest first); `created_at` if never changed."""
    found = [r[0] for r in conn.execute(
        "SELECT DISTINCT stamp FROM field_changes f WHERE tbl = ? AND row_id = ? AND field = ? AND NOT EXISTS ("
        "SELECT 1 FROM field_changes g WHERE g.tbl = f.tbl AND g.row_id = f.row_id AND g.field = f.field "
        "AND g.base = f.stamp) ORDER BY stamp DESC", (table, row_id, field))]
    return found or [created_at]


def note_changes(conn: sqlite3.Connection, table: str, old: dict[str, Any], new: dict[str, Any], at: str,
                 device: str) -> list[str]:
    """Record a new version, stamped `at`, of every field whose value differs between the stored
    row `old` and the values `new` about to replace them; returns the fields changed."""
    changed = [f for f, v in new.items() if f not in NOT_CONTENT and f in old and old[f] != v]
    for field in changed:
        settle(conn, table, old["id"], field, old["created_at"], at, device)
    return changed


def settle(conn: sqlite3.Connection, table: str, row_id: str, field: str, created_at: str, at: str,
           device: str) -> None:
    """A new version of a field, made on every head it has now (after edits made side by side,
    the person's choice settles them: one head again, wherever the history travels)."""
    for base in heads(conn, table, row_id, field, created_at):
        conn.execute("INSERT OR IGNORE INTO field_changes (tbl, row_id, field, stamp, base, device) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (table, row_id, field, at, base, device))
