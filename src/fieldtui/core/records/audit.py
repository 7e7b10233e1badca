"""Who changed what, and when: one audit row per change, in the change's own transaction, with
the fields it changed and their old and new values (`audit_changes`, keyed by the audit row).

The values are personal data (names, phones): they stay in this file. Exports copy only the
record tables (exchange/schema.py), so neither the audit nor its values ever travel, identified
or pseudonymised. Rows audited before the values were kept have none (`changes` is None).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fieldtui.core import kinds

#: The meta key of the latest stamp any audited save had (local to the file: exports copy none).
LATEST_SAVE = "latest_save"


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One audited change of one row, as the History view shows it."""

    at: str  # UTC stamp
    actor: str
    action: str  # create, update, delete, restore (merge, import)
    table: str
    row_id: str
    changes: tuple[Change, ...] | None  # None: audited before values were kept


def _changes(text: Any) -> tuple[Change, ...] | None:
    """The stored JSON as changes; a damaged value reads as none recorded rather than raising."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return tuple(Change(str(f), *(v if isinstance(v, list) and len(v) == 2 else (None, v)))
                 for f, v in data.items())


class Audit:
    """Write and read the audit trail and each record's history."""

    def _audit(self, action: str, table: str, row_id: str, at: str,
               changes: dict[str, tuple[Any, Any]] | None = None) -> None:
        seq = self.conn.execute(
            "INSERT INTO audit (at, actor, action, table_name, row_id) VALUES (?, ?, ?, ?, ?) RETURNING seq",
            (at, self.operator, action, table, row_id)).fetchone()[0]
        self.conn.execute("INSERT INTO audit_changes (seq, changes) VALUES (?, ?)",
                          (seq, json.dumps({f: list(v) for f, v in (changes or {}).items()}, ensure_ascii=False)))
        # The latest save ever, kept when a later one is stamped earlier (its clock fell back):
        # what `clock_behind` compares this computer's date with (records/redating.py). A file
        # from before it starts from its audit's last line.
        # SQL both engines read (a PostgreSQL HQ audits its settlements too): no scalar max().
        self.conn.execute(
            f"INSERT INTO meta (key, value) SELECT '{LATEST_SAVE}', CASE WHEN prev > ? THEN prev ELSE ? END "
            "FROM (SELECT (SELECT at FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT 1) AS prev) p WHERE true "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE excluded.value > meta.value", (at, at, seq))

    def audit_trail(self, table: str, row_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT at, actor, action FROM audit WHERE table_name = ? AND row_id = ? ORDER BY seq", (table, row_id))]

    def history(self, rows: Sequence[tuple[str, str]]) -> list[HistoryEntry]:
        """The changes of the given (table, row id) rows, newest first. A save that changed nothing
        in a row (a person saved again with only their training edited) is left out."""
        out: list[tuple[int, HistoryEntry]] = []
        for table, row_id in rows:
            for seq, at, actor, action, text in self.conn.execute(
                    "SELECT a.seq, a.at, a.actor, a.action, c.changes FROM audit a "
                    "LEFT JOIN audit_changes c ON c.seq = a.seq WHERE a.table_name = ? AND a.row_id = ?",
                    (table, row_id)):
                changes = _changes(text)
                if action == "update" and changes == ():
                    continue
                out.append((seq, HistoryEntry(str(at), str(actor), str(action), table, row_id, changes)))
        return [entry for _seq, entry in sorted(out, key=lambda e: e[0], reverse=True)]

    def values_before(self, rows: Sequence[tuple[str, str]], stamp: str) -> dict[tuple[str, str], Any]:
        """Per (table, field) of the given rows that a save later than `stamp` changed: its value
        before the first such save, as stored (what a sheet written at `stamp` holds)."""
        out: dict[tuple[str, str], Any] = {}
        for table, row_id in rows:
            for (text,) in self.conn.execute(
                    "SELECT c.changes FROM audit a JOIN audit_changes c ON c.seq = a.seq "
                    "WHERE a.table_name = ? AND a.row_id = ? AND a.at > ? ORDER BY a.seq", (table, row_id, stamp)):
                for change in _changes(text) or ():
                    out.setdefault((table, change.field), change.old)
        return out

    def record_rows(self, kind: str, row_id: str) -> list[tuple[str, str]]:
        """The rows one list record is made of: its own row, and the person it enrols (if any)."""
        table = kinds.kind(kind).table
        rows = [(table, row_id)]
        column = kinds.TABLE[table].person_column
        if column:
            found = self.conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()
            if found and isinstance(found[0], str):
                rows.insert(0, ("participants", found[0]))
        return rows
