"""Decisions about a pair: 'different' (never asked again) or 'same' (the two records merged).

A decision is one row of `duplicate_decisions`: the pair in id order, the decision, when and
who (migration 0008). It is audited, and it travels in exports (exchange/schema.py) so every
laptop and headquarters agree. Merging files unions the decisions (`merge_decisions`): for one
pair, 'same' wins over 'different' (a merge done somewhere cannot be undone by a decision made
elsewhere), and between two rows of one decision the earlier (at, operator) is kept, so the
result does not depend on the order of the files.

'Same' keeps the person with the smaller id (the earlier registered: ids are time-ordered) and
makes the other a tombstone pointing at it (`merged_into`, removed); every enrolment of the
other moves to the kept person. Each change is a version of its field (records/history.py), so
it travels like any edit and settles the same way at headquarters. `settle_same` applies every
'same' decision again after a merge, idempotently: an enrolment a second laptop added to the
merged-away person (not knowing of the decision) moves too, whatever the order of the files.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Literal

from fieldtui.core import kinds, pinyin
from fieldtui.core.errors import NotFound, RecordInvalid
from fieldtui.core.records import history
from fieldtui.i18n import _

Decision = Literal["same", "different"]
TABLE = "duplicate_decisions"
#: The tables whose rows belong to a person (their enrolments), from the registry.
ENROLMENT_TABLES = tuple(
    t.name for t in kinds.TABLES if t.person_column == "participant_id")


#: Which of two rows of one pair stays: 'same' over 'different', then the earlier (at, operator).
_KEEP = ("ON CONFLICT (person_a, person_b) DO UPDATE SET decision = excluded.decision, at = excluded.at, "
         "operator = excluded.operator WHERE (excluded.decision = 'same') > (decision = 'same') "
         "OR ((excluded.decision = 'same') = (decision = 'same') "
         "AND (excluded.at, excluded.operator) < (at, operator))")


def pair_of(a: str, b: str) -> tuple[str, str]:
    """A pair in the order decisions store it."""
    return (a, b) if a < b else (b, a)


def decide(store: Any, a: str, b: str, decision: Decision) -> str | None:
    """Record a decision about people `a` and `b` (audited); 'same' merges them. Returns the id
    of the person kept for 'same' (None for 'different'). One transaction."""
    if decision not in ("same", "different"):
        raise RecordInvalid({"decision": _("must be 'same' or 'different'")})
    a, b = pair_of(a, b)
    if a == b:
        raise RecordInvalid({"decision": _("a person cannot be their own duplicate")})
    with store.transaction():
        conn = store.conn
        for pid in (a, b):
            row = conn.execute("SELECT deleted, merged_into FROM participants WHERE id = ?", (pid,)).fetchone()
            if row is None or (row[0] and row[1] is None):
                raise NotFound(_("that record no longer exists or was removed"))
        at = store.clock()
        conn.execute(f"INSERT INTO {TABLE} (person_a, person_b, decision, at, operator) VALUES (?, ?, ?, ?, ?) "
                     + _KEEP, (a, b, decision, at, store.operator))
        store._audit("create", TABLE, f"{a} {b}", at)
        if decision == "different":
            return None
        return _merge(store, a, b, at)[0]


def _root(conn: sqlite3.Connection, pid: str) -> str:
    """The person `pid` ends up as, following `merged_into` (a chain of merges; a loop stops)."""
    seen = {pid}
    while True:
        row = conn.execute("SELECT merged_into FROM participants WHERE id = ?", (pid,)).fetchone()
        if row is None or row[0] is None or row[0] in seen:
            return pid
        pid = row[0]
        seen.add(pid)


def _merge(store: Any, a: str, b: str, at: str) -> tuple[str, list[tuple[str, str]]]:
    """Merge the people of a 'same' pair (a < b): b's root into a's. Returns (kept, rows written)."""
    conn = store.conn
    kept, other = _root(conn, a), _root(conn, b)
    if kept == other:
        return kept, []
    if other < kept:
        kept, other = other, kept
    written: list[tuple[str, str]] = []
    for table in ENROLMENT_TABLES:
        for (eid,) in conn.execute(f"SELECT id FROM {table} WHERE participant_id = ?", (other,)).fetchall():
            change_fields(store, table, eid, {"participant_id": kept}, at, "update")
            written.append((table, eid))
    change_fields(store, "participants", other, {"merged_into": kept, "deleted": 1}, at, "merge")
    written.append(("participants", other))
    return kept, written


def change_fields(store: Any, table: str, row_id: str, values: dict[str, Any], at: str, action: str) -> None:
    """Change fields of one row as a new version of each (records/history.py), audited."""
    conn = store.conn
    old = dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone())
    at = history.later_than(at, old["updated_at"], old["created_at"])
    if not history.note_changes(conn, table, old, values, at, store.device_id):
        return
    sets = ", ".join(f"{c} = ?" for c in values)
    conn.execute(f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?", [*values.values(), at, row_id])
    if table == "participants":  # the person's list and search keys follow their name and phone
        pinyin.refresh_keys(conn, "?", (row_id,))
    store._audit(action, table, row_id, at)


def settle_same(store: Any) -> list[tuple[str, str]]:
    """Apply every 'same' decision again, in the caller's transaction: pairs not merged yet, and
    rows still pointing at a merged-away person (added elsewhere). Returns the rows written."""
    conn = store.conn
    at = store.clock()
    written: list[tuple[str, str]] = []
    for a, b in conn.execute(f"SELECT person_a, person_b FROM {TABLE} WHERE decision = 'same' "
                             "ORDER BY person_a, person_b").fetchall():
        written += _merge(store, a, b, at)[1]
    for table in ENROLMENT_TABLES:
        strays = conn.execute(f"SELECT e.id, p.id FROM participants p JOIN {table} e ON e.participant_id = p.id "
                              "WHERE p.merged_into IS NOT NULL").fetchall()
        for eid, pid in strays:
            change_fields(store, table, eid, {"participant_id": _root(conn, pid)}, at, "update")
            written.append((table, eid))
    return written


def merge_decisions(conn: sqlite3.Connection, schema: str = "src") -> int:
    """Union the decisions of an attached file into this one (see the module docstring): the
    same result in any order. Returns how many rows the file brought or changed."""
    present = conn.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?",
                           (TABLE,)).fetchone()
    if present is None:  # an export from before decisions
        return 0
    before = conn.total_changes
    conn.execute(
        f"INSERT INTO main.{TABLE} (person_a, person_b, decision, at, operator) "
        f"SELECT person_a, person_b, decision, at, operator FROM {schema}.{TABLE} WHERE true " + _KEEP)
    return conn.total_changes - before


def decided(store: Any) -> int:
    """How many pairs have a decision."""
    return store.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
