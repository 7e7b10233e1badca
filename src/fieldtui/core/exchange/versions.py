"""The merge semantics: each field of a row keeps the newest of the versions nothing was made on;
versions made side by side with different values are a conflict that keeps every value.

- Versions are per field (core/records/history.py): every change is a version made on the one
  before, and that history (`field_changes`: stamps and device ids, no values) travels in every
  export. Headquarters keeps the union of every history it merged; a field's *heads* are the
  versions nothing was made on. Nothing depends on a file's claimed identity: two copies of one
  file edited apart share the base of their edits, and are seen as side by side.
- A row of a file is 'new' (inserted as it is), 'same' (the content headquarters has) or
  'changed'. Each field of a changed row whose value differs is settled by
  its heads: one head -> its value (an edit made on top of another wins, whatever its clock);
  several -> edits made side by side: the newest head's value is kept meanwhile, and every
  head's value is kept in `field_conflicts` for a person to choose (conflicts.py). Edits of
  different fields on two sides both apply. A file whose version of a field headquarters has
  already (an unchanged record in the next week's export) brings nothing for that field: what
  is left to choose there stays (before, a record folded with its twin, twins.py, lost its
  values to choose when its laptop sent its file again).
- The result is a function of the union of histories and of each version's value: any order of
  files gives the same rows and conflicts, and merging a file again changes nothing.
- Exports from before field histories (schema < 6) bring none: a field they changed is taken as
  one version made on the row's creation at the row's updated_at, so it is side by side with
  any other change of it (kept as a conflict, never lost). Headquarters' own rows changed before
  it had histories are taken the same way.

Telling 'new', 'same' and 'changed' rows apart is two SQL statements driven from the file's rows
(those found here, their content compared column by column; then the rest), no Python per row;
only changed rows are settled field by field (`_settle_row`), the rest is set-based SQL too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from fieldtui.core import kinds
from fieldtui.core.exchange.report import TableCounts
from fieldtui.core.exchange.schema import columns

#: The schema version whose exports carry field histories (`field_changes`).
HISTORY_SINCE = 6
#: Every row of the file being merged, its state here ('new': inserted as the file has it,
#: 'same', 'changed') and whether the file has it live (1) or removed (0), kept until the file's
#: rules are checked (merge.py drops it).
INCOMING = ("CREATE TEMP TABLE IF NOT EXISTS incoming (tbl TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, "
            "live INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID")
#: Columns that are not content: settled by the merge itself (ids, stamps).
_NOT_CONTENT = frozenset({"id", "created_at", "updated_at"})


def content_columns(cols: list[str]) -> list[str]:
    """What two versions of a row are compared on: all but updated_at (same content, other stamp:
    not a conflict)."""
    return [c for c in cols if c != "updated_at"]


def merge_table(conn: sqlite3.Connection, table: str, legacy: bool) -> tuple[TableCounts, list[str]]:
    """Merge one table of the attached file (`src`) into headquarters,
    inside the caller's transaction; returns what happened and the ids of the rows it settled
    field by field and changed (the rows it inserted as the file has them are 'new' in
    `temp.incoming`, for after_merge.check_merged)."""
    cols = columns(conn, table)
    _drop_scratch(conn)
    states = _compare(conn, table, content_columns(cols))
    counts = TableCounts()
    counts.inserted = _insert_new(conn, table, cols, states) if states.get("new") else 0
    written = settle_changed(conn, table, cols, legacy, counts) if states.get("changed") else []
    if states.get("same"):
        _take_later_stamps(conn, table)
        counts.unchanged += states["same"]
    take_histories(conn, table, counts)
    _drop_scratch(conn)
    return counts, written


def settle_changed(conn: sqlite3.Connection, table: str, cols: list[str], legacy: bool,
                   counts: TableCounts) -> list[str]:
    """Settle the file's 'changed' rows of `table` (`temp.inc`) field by field, counted into
    `counts`; returns the ids of those it changed here. Written in SQLite's spelling: a PostgreSQL
    HQ's connection translates it (core/pg/dialect.py)."""
    written: list[str] = []
    device = conn.execute("SELECT value FROM src.meta WHERE key = 'device_id'").fetchone()
    device = device[0] if device else "unknown"
    for (row_id,) in conn.execute("SELECT id FROM temp.inc WHERE state = 'changed' ORDER BY id").fetchall():
        outcome = _settle_row(conn, table, cols, row_id, legacy, device)
        if outcome in ("updated", "deleted"):
            written.append(row_id)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return written


def take_histories(conn: sqlite3.Connection, table: str, counts: TableCounts) -> None:
    """The file's field histories of `table` joined to headquarters', its rows now in conflict
    counted: driven from the table's conflicts (few), each looked up among the file's rows (as
    `row_id IN (SELECT id FROM temp.inc)`, SQLite first built a list of every row of the file:
    ~6 ms for a file's 17,000 sessions with no conflict at all)."""
    conn.execute("INSERT OR IGNORE INTO main.field_changes (tbl, row_id, field, stamp, base, device) "
                 "SELECT tbl, row_id, field, stamp, base, device FROM src.field_changes WHERE tbl = ?", (table,))
    counts.conflicts = conn.execute(
        "SELECT count(DISTINCT f.row_id) FROM field_conflicts f WHERE f.tbl = ? "
        "AND EXISTS (SELECT 1 FROM temp.inc i WHERE i.id = f.row_id)", (table,)).fetchone()[0]


def _drop_scratch(conn: sqlite3.Connection) -> None:
    conn.execute("DROP VIEW IF EXISTS temp.inc")


def _compare(conn: sqlite3.Connection, table: str, content: list[str]) -> dict[str, int]:
    """Each file row 'new' (not here yet), 'same' (headquarters' row has its content) or
    'changed', driven from the file's rows, into `temp.incoming` (kept for the file's rules);
    `temp.inc` is this table's part of it, as the steps shared with PostgreSQL read it. Rows both
    sides have are compared column by column in SQL (no Python per row; see `_same_content`).
    Returns how many rows are in each state: the rows found here first,
    so that when there are none (a CBO's first file, most sessions and marks of any file) the
    rest are all new without another look."""
    conn.execute(INCOMING)
    here = conn.execute(  # CROSS JOIN: the file's rows drive, however large headquarters is
        f"INSERT INTO temp.incoming (tbl, id, state, live) SELECT '{table}', s.id, CASE WHEN "
        f"{_same_content(content)} THEN 'same' ELSE 'changed' END, s.deleted = 0 "
        f"FROM src.{table} s CROSS JOIN main.{table} m ON m.id = s.id").rowcount
    unseen = f" WHERE NOT EXISTS (SELECT 1 FROM temp.incoming i WHERE i.tbl = '{table}' AND i.id = s.id)"
    new = conn.execute(f"INSERT INTO temp.incoming (tbl, id, state, live) SELECT '{table}', s.id, 'new', s.deleted = 0 "
                       f"FROM src.{table} s{unseen if here else ''}").rowcount
    conn.execute(f"CREATE TEMP VIEW inc AS SELECT id, state FROM temp.incoming WHERE tbl = '{table}'")
    if not here:
        return {"new": new}
    found = conn.execute("SELECT state, count(*) FROM temp.inc WHERE state <> 'new' GROUP BY state").fetchall()
    return {"new": new, **dict(found)}


def _same_content(cols: list[str]) -> str:
    """SQL true when headquarters' row `m` and the file's row `s` hold the same value in every
    column of `cols`: byte for byte (BINARY, whatever a column's collation), NULL as NULL, and a
    value of another storage class (3 and '3') as another value. Column by column, stopping at the
    first that differs: building both rows as JSON text to compare them took a quarter longer."""
    return "(" + " AND ".join(f"m.{c} IS s.{c} COLLATE BINARY" for c in cols) + ")"


def _take_later_stamps(conn: sqlite3.Connection, table: str) -> None:
    """Rows whose content headquarters has: only the later stamp is taken (so any order of files
    gives the same stamps). Driven from the file's rows, each looked up here once (CROSS JOIN),
    and only the later ones written: a row the file changed was settled with the later stamp
    already (_settle_row), a new one inserted with its own, so the rows found later here are
    'same' ones (a re-sent file: usually none)."""
    conn.execute(f"UPDATE main.{table} SET updated_at = (SELECT s.updated_at FROM src.{table} s "
                 f"WHERE s.id = main.{table}.id) WHERE id IN (SELECT s.id FROM src.{table} s "
                 f"CROSS JOIN main.{table} m ON m.id = s.id WHERE s.updated_at > m.updated_at)")


def _insert_new(conn: sqlite3.Connection, table: str, cols: list[str], states: dict[str, int]) -> int:
    """The file's 'new' rows inserted as it has them; when every row of the table is new (a
    CBO's first file, most of any file's sessions and marks), without looking each one up in
    `temp.inc` (a third of the insert's time)."""
    col_list = ", ".join(cols)
    every_row_new = not states.get("same") and not states.get("changed")
    return conn.execute(f"INSERT INTO main.{table} ({col_list}) SELECT {col_list} FROM src.{table} s" + (
        "" if every_row_new else " WHERE s.id IN (SELECT id FROM temp.inc WHERE state = 'new')")).rowcount


# --------------------------------------------------------------------------- one changed row


def _settle_row(conn: sqlite3.Connection, table: str, cols: list[str], row_id: str, legacy: bool,
                device: str) -> str:
    """Settle each differing field of one row both sides have (`device`: the file's); returns
    'updated', 'deleted' or 'unchanged' (what the file did to headquarters' row)."""
    here = dict(conn.execute(f"SELECT * FROM main.{table} WHERE id = ?", (row_id,)).fetchone())
    there = dict(conn.execute(f"SELECT * FROM src.{table} WHERE id = ?", (row_id,)).fetchone())
    taken: dict[str, object] = {}
    # Headquarters' row changed with no history at all: changed before histories existed here
    # (a row with any history has every change recorded; a blanked tombstone is no change).
    assume_ours = here["updated_at"] > here["created_at"] and conn.execute(
        "SELECT 1 FROM main.field_changes WHERE tbl = ? AND row_id = ? LIMIT 1", (table, row_id)).fetchone() is None
    for field in cols:
        if field in _NOT_CONTENT or here[field] == there[field]:
            continue
        ours = _history(conn, "main", table, row_id, field)
        theirs = _history(conn, "src", table, row_id, field)
        if legacy and not theirs:
            theirs = _assumed(conn, table, row_id, field, there, device)
        if not ours and assume_ours:
            ours = _assumed(conn, table, row_id, field, here, "headquarters")
        value = _settle_field(conn, table, row_id, field, here, there, ours, theirs, device)
        if value is not _KEEP:
            taken[field] = value
    if taken and taken.get("deleted", here["deleted"]) == 1:  # removed: no personal data kept here either
        taken.update(blanked(table))
    taken = {c: v for c, v in taken.items() if v != here[c]}  # a blanked tombstone's fields: no change
    sets = "".join(f"{c} = ?, " for c in taken)  # the later stamp whatever is taken: any order, same rows
    conn.execute(f"UPDATE main.{table} SET {sets}updated_at = max(updated_at, ?) WHERE id = ?",
                 [*taken.values(), there["updated_at"], row_id])
    if not taken:
        return "unchanged"
    return "deleted" if taken.get("deleted") == 1 else "updated"


_KEEP = object()


def blanked(table: str) -> dict[str, object]:
    """The personal fields of a tombstone, blanked as an export blanks them."""
    return {c: kinds.REMOVED_NAME if (table, c) in kinds.NOT_NULL_PERSONAL else None
            for c in kinds.TABLE[table].personal}


def _history(conn: sqlite3.Connection, schema: str, table: str, row_id: str, field: str) -> list[tuple[str, str]]:
    return [tuple(r) for r in conn.execute(
        f"SELECT stamp, base FROM {schema}.field_changes WHERE tbl = ? AND row_id = ? AND field = ?",
        (table, row_id, field))]


def _assumed(conn: sqlite3.Connection, table: str, row_id: str, field: str, row: dict, device: str
             ) -> list[tuple[str, str]]:
    """A change without a history (made before there were histories): one version made on the
    row's creation, at the row's last save; kept in headquarters' history from now on."""
    conn.execute("INSERT OR IGNORE INTO main.field_changes (tbl, row_id, field, stamp, base, device) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (table, row_id, field, row["updated_at"], row["created_at"], device))
    return [(row["updated_at"], row["created_at"])]


def _head(history: list[tuple[str, str]], created_at: str) -> str:
    """A side's current version of a field: its newest head (the one whose value it shows)."""
    bases = {b for _s, b in history}
    return max((s for s, _b in history if s not in bases), default=created_at)


def _settle_field(conn: sqlite3.Connection, table: str, row_id: str, field: str, here: dict, there: dict,
                  ours: list[tuple[str, str]], theirs: list[tuple[str, str]], device: str) -> object:
    """The value a differing field keeps (or _KEEP for headquarters' own), by the heads of the
    union of both histories; side-by-side heads with different values go to `field_conflicts`."""
    created = here["created_at"]
    mine, yours = _head(ours, created), _head(theirs, created)
    union = set(ours) | set(theirs)
    bases = {b for _s, b in union}
    heads = ({s for s, _b in union} | {mine, yours}) - bases
    values = {mine: here[field], yours: there[field]}
    sources: dict[str, str] = {}
    for stamp, value, source in conn.execute("SELECT stamp, value, device FROM field_conflicts WHERE tbl = ? "
                                             "AND row_id = ? AND field = ?", (table, row_id, field)):
        values.setdefault(stamp, value)
        sources[stamp] = source
    if mine == yours and (here["deleted"] or there["deleted"]):  # one side's value blanked in a tombstone
        return there[field] if not there["deleted"] else _KEEP
    if mine == yours:  # one version, two values: edited outside fieldtui (sqlite3), no stamp, no history
        return _edited_outside(conn, table, row_id, field, mine, {here[field], there[field]}, there[field], device)
    if yours == created or yours in {s for s, _b in ours}:  # a version known here: the file brings nothing
        return _KEEP  # new, and the values left to choose here stay (a fold's too: twins.py)
    winner = max(heads)
    conn.execute("DELETE FROM field_conflicts WHERE tbl = ? AND row_id = ? AND field = ?", (table, row_id, field))
    if len({as_stored(values[h]) for h in heads if h in values}) > 1:  # side by side, two values: keep them all
        sources.setdefault(yours, device)
        sources.setdefault(mine, _device_of(conn, table, row_id, field, mine))
        for stamp in sorted(heads):
            conn.execute("INSERT INTO field_conflicts (tbl, row_id, field, stamp, value, device) VALUES "
                         "(?, ?, ?, ?, ?, ?)", (table, row_id, field, stamp, values.get(stamp),
                                                sources.get(stamp) or _device_of(conn, table, row_id, field, stamp)))
    return there[field] if winner == yours and winner != mine else _KEEP


def _edited_outside(conn: sqlite3.Connection, table: str, row_id: str, field: str, stamp: str,
                    values: set[object], theirs: object, device: str) -> object:
    """Two values of one version: neither can be told newer. Whichever file came last won, so an
    export made before a sqlite3 edit, merged after the one made after it, undid the edit in
    silence. Either order now keeps the same value (the greater, as stored) and lists both for
    review, the other a microsecond before it (field_conflicts holds one value a stamp)."""
    if len({as_stored(v) for v in values}) < 2:  # one value as stored (3 and "3")
        return _KEEP
    kept = max(values, key=lambda v: (as_stored(v) is not None, as_stored(v) or ""))  # NULL below ""
    other = next(v for v in values if v is not kept)
    try:
        before = (dt.datetime.fromisoformat(stamp) - dt.timedelta(microseconds=1)).isoformat(timespec="microseconds")
    except ValueError:  # a stamp that only starts with a date (all a file's check asks): a prefix sorts before
        before = stamp[:-1]
    conn.execute("DELETE FROM field_conflicts WHERE tbl = ? AND row_id = ? AND field = ?", (table, row_id, field))
    for at, value in ((stamp, kept), (before, other)):  # one version, so one device made both (a copy's)
        conn.execute("INSERT INTO field_conflicts (tbl, row_id, field, stamp, value, device) VALUES (?, ?, ?, ?, ?, ?)",
                     (table, row_id, field, at, as_stored(value), device))
    return theirs if kept is theirs else _KEEP


def as_stored(value: object) -> str | None:
    """A value as field_conflicts stores it (TEXT): 3 and '3' are one value."""
    return None if value is None else str(value)


def _device_of(conn: sqlite3.Connection, table: str, row_id: str, field: str, stamp: str) -> str:
    """Where a version was made, as its history says (the row's creation: where it was created)."""
    for schema in ("main", "src"):
        row = conn.execute(f"SELECT device FROM {schema}.field_changes WHERE tbl = ? AND row_id = ? AND field = ? "
                           "AND stamp = ?", (table, row_id, field, stamp)).fetchone()
        if row is not None:
            return row[0]
    return "headquarters"
