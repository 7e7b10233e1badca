"""Versions of rows, and how one table of a checked file is merged by them: the merge semantics.

- A version of a row is (updated_at, hash of its other columns). Every version seen is recorded
  per device in `row_versions`. A device's history is linear, so version Y descends from X when
  one device has had both and Y is later; and every version descends from the row's creation
  version (updated_at = created_at: ids are created once). Headquarters' own edits count as a
  device (its history: the merged version it edited, then its edit).
- The row kept is the greatest version seen (updated_at, then hash: last writer wins with a
  deterministic tie-break). So a deletion is never undone by an older file, re-merging changes
  nothing, and any order of files gives the same rows.
- CONFLICT ("changed on both sides"): some device's latest version of the row has other content
  than the kept one (updated_at aside) and neither descends from the other (no device has had
  both). Each such pair is one row of `conflicts` (both versions as JSON, the device and the
  export that brought the other version). Conflicts are recomputed for every row a file
  touches, so the table is a function of the set of versions merged: the same in any order. The
  newer version is kept meanwhile; a person reviews it (conflicts.py).

The check hashes each row's version into a side file (`row_versions_file`, in the worker process
when there is one): the merge runs no Python per row. `merge_table` is set-based SQL (INSERT ...
SELECT / UPDATE ... FROM), every step driven from the file's rows (CROSS JOIN fixes the order:
without statistics the planner may otherwise scan the whole headquarters table once per file,
quadratic overall), over scratch tables: `inc` (the file's versions and their fate), `loc`
(rows headquarters edited since), `multi` (rows seen from another device too).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from fieldtui.core.db.files import create_private_file
from fieldtui.core.exchange.hostile import DAMAGED, Refused, scratch_failure
from fieldtui.core.exchange.report import TableCounts
from fieldtui.core.exchange.schema import columns, json_array, json_object
from fieldtui.core.kinds import RECORD_TABLES

#: The export named for a version: the merged file's id, or 'local' (headquarters' own edit).
_EXPORT_ID = "coalesce((SELECT export_id FROM merges WHERE seq = {seq}), 'local')"
_SCRATCH = ("inc", "multi", "loc")


def row_hash(value: object) -> str:
    """The SQL function `fieldtui_hash`: never raises (an exception would abort the whole merge)."""
    if value is None:
        data = b""
    elif isinstance(value, bytes):
        data = value
    else:
        data = str(value).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def hashed_columns(cols: list[str]) -> list[str]:
    """What a version's hash covers: all but updated_at (same content, other stamp: not a conflict)."""
    return [c for c in cols if c != "updated_at"]


def row_versions_file(copy: Path, workdir: Path) -> Path:
    """Each row's version (id, updated_at, hash of its other columns, deleted) per table, in a
    private file beside the checked copy: hashing is Python, so it is done with the checking (in
    the worker process when there is one) rather than in the merge. `columns` records what was
    hashed, in which order; the merge hashes for itself if its own columns differ."""
    out = workdir / f"{copy.stem}-versions.db"
    create_private_file(out)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # scratch: a crash leaves nothing to recover
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.create_function("fieldtui_hash", 1, row_hash, deterministic=True)
        conn.execute("ATTACH DATABASE ? AS src", (copy.resolve().as_uri() + "?mode=ro&immutable=1",))
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE columns (tbl TEXT PRIMARY KEY, hashed TEXT NOT NULL)")
        for table in RECORD_TABLES:
            content = hashed_columns(columns(conn, table, "src"))
            conn.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, u TEXT NOT NULL, h TEXT NOT NULL, "
                         "del INTEGER NOT NULL) WITHOUT ROWID")
            conn.execute(f"INSERT INTO {table} (id, u, h, del) SELECT id, updated_at, "
                         f"fieldtui_hash({json_array(content)}), deleted FROM src.{table}")
            conn.execute("INSERT INTO columns (tbl, hashed) VALUES (?, ?)", (table, json.dumps(content)))
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise scratch_failure(exc, workdir, Refused(DAMAGED())) from None
    finally:
        conn.close()
    return out


def device_seq(conn: sqlite3.Connection, device_id: str) -> int:
    """The small number `row_versions` knows a device by (added on first sight)."""
    conn.execute("INSERT OR IGNORE INTO devices (device_id) VALUES (?)", (device_id,))
    return conn.execute("SELECT seq FROM devices WHERE device_id = ?", (device_id,)).fetchone()[0]


def merge_table(conn: sqlite3.Connection, table: str, device: int, export: int, hq_device: int) -> TableCounts:
    """Merge one table of the attached file (`src`, its versions in `ver`) into headquarters,
    inside the caller's transaction; returns what happened to its rows."""
    cols = columns(conn, table)
    content = hashed_columns(cols)
    p = {"t": table, "dev": device, "eid": export, "hq": hq_device}
    _drop_scratch(conn)
    _versions_in(conn, table, content)
    _headquarters_edits(conn, table, content, p)
    _record_versions(conn, p)
    _compare_with_kept(conn, table, p)
    multi = _rows_seen_elsewhere(conn, p)
    _keep_losing_content(conn, table, cols, p)
    _write_rows(conn, table, cols)
    _recompute_conflicts(conn, table, cols, p, multi)
    counts = _table_counts(conn, p)
    _drop_scratch(conn)
    return counts


def _drop_scratch(conn: sqlite3.Connection) -> None:
    for temp in _SCRATCH:
        conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")


def _versions_in(conn: sqlite3.Connection, table: str, content: list[str]) -> None:
    """`inc`: the file's version of each of its rows, from the side file the check wrote when it
    hashed the same columns as headquarters has, else hashed here."""
    conn.execute("CREATE TEMP TABLE inc (id TEXT PRIMARY KEY, u TEXT NOT NULL, h TEXT NOT NULL, "
                 "del INTEGER NOT NULL, mu TEXT, mh TEXT, mdel INTEGER, state TEXT) WITHOUT ROWID")
    hashed = conn.execute("SELECT hashed FROM ver.columns WHERE tbl = ?", (table,)).fetchone()
    if hashed is not None and json.loads(hashed[0]) == content:  # hashed with the check
        conn.execute(f"INSERT INTO temp.inc (id, u, h, del) SELECT id, u, h, del FROM ver.{table}")
    else:
        conn.execute(f"INSERT INTO temp.inc (id, u, h, del) SELECT id, updated_at, "
                     f"fieldtui_hash({json_array(content)}), deleted FROM src.{table}")


def _headquarters_edits(conn: sqlite3.Connection, table: str, content: list[str], p: dict) -> None:
    """Headquarters' own edits since the last merge, of rows this file has, become versions of the
    HQ "device": its history is the merged version it edited (the greatest seen so far), then the edit."""
    conn.execute("CREATE TEMP TABLE loc (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute(f"INSERT INTO temp.loc SELECT m.id FROM temp.inc i CROSS JOIN main.{table} m ON m.id = i.id "
                 "WHERE NOT EXISTS (SELECT 1 FROM row_versions v WHERE v.tbl = :t AND v.row_id = m.id "
                 "AND v.updated_at = m.updated_at)", p)
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM temp.loc)").fetchone()[0]:
        return
    conn.execute(
        "INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
        "SELECT :t, l.id, w.updated_at, w.hash, :hq, 0 FROM temp.loc l CROSS JOIN row_versions w "
        "ON w.tbl = :t AND w.row_id = l.id WHERE (w.updated_at, w.hash) = (SELECT z.updated_at, z.hash "
        "FROM row_versions z WHERE z.tbl = :t AND z.row_id = l.id ORDER BY z.updated_at DESC, z.hash DESC "
        "LIMIT 1)", p)
    conn.execute("INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
                 f"SELECT :t, m.id, m.updated_at, fieldtui_hash({json_array(content, 'm')}), :hq, 0 "
                 f"FROM temp.loc l CROSS JOIN main.{table} m ON m.id = l.id", p)


def _record_versions(conn: sqlite3.Connection, p: dict) -> None:
    """The file's versions join the device's history. The export named in a conflict is the least
    export id that brought the version (so it is the same in any order)."""
    conn.execute("INSERT INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
                 "SELECT :t, id, u, h, :dev, :eid FROM temp.inc WHERE true "
                 "ON CONFLICT DO UPDATE SET export = excluded.export WHERE "
                 f"{_EXPORT_ID.format(seq='excluded.export')} < {_EXPORT_ID.format(seq='row_versions.export')}", p)


def _compare_with_kept(conn: sqlite3.Connection, table: str, p: dict) -> None:
    """The kept version of each row now, and what the file's version does to it: 'new' (no such
    row yet), 'win' (greater: it replaces the kept one), 'lose' (smaller) or 'same'."""
    conn.execute(
        f"UPDATE temp.inc SET mu = m.updated_at, mdel = m.deleted, mh = (SELECT max(v.hash) FROM row_versions v "
        f"WHERE v.tbl = :t AND v.row_id = m.id AND v.updated_at = m.updated_at) FROM main.{table} m "
        "WHERE m.id = temp.inc.id", p)
    conn.execute("UPDATE temp.inc SET state = CASE WHEN mu IS NULL THEN 'new' WHEN (u, h) > (mu, mh) THEN 'win' "
                 "WHEN (u, h) < (mu, mh) THEN 'lose' ELSE 'same' END")


def _rows_seen_elsewhere(conn: sqlite3.Connection, p: dict) -> bool:
    """`multi`: the file's rows that another device has versions of too; whether there is any."""
    conn.execute("CREATE TEMP TABLE multi (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("INSERT INTO temp.multi SELECT i.id FROM temp.inc i WHERE EXISTS (SELECT 1 FROM row_versions v "
                 "WHERE v.tbl = :t AND v.row_id = i.id AND v.device != :dev)", p)
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM temp.multi)").fetchone()[0])


def _keep_losing_content(conn: sqlite3.Connection, table: str, cols: list[str], p: dict) -> None:
    """`row_data`: the content of versions that stop (or never start) being the kept one, where
    another device is involved: they may be one side of a conflict."""
    conn.execute(f"INSERT OR IGNORE INTO row_data (tbl, row_id, updated_at, hash, data) "
                 f"SELECT :t, m.id, m.updated_at, i.mh, {json_object(cols, 'm')} FROM temp.inc i "
                 f"CROSS JOIN main.{table} m ON m.id = i.id WHERE i.state = 'win' "
                 "AND i.id IN (SELECT id FROM temp.multi)", p)
    conn.execute(f"INSERT OR IGNORE INTO row_data (tbl, row_id, updated_at, hash, data) "
                 f"SELECT :t, s.id, s.updated_at, i.h, {json_object(cols, 's')} FROM src.{table} s "
                 "JOIN temp.inc i ON i.id = s.id WHERE i.state = 'lose' AND i.id IN (SELECT id FROM temp.multi)", p)


def _write_rows(conn: sqlite3.Connection, table: str, cols: list[str]) -> None:
    """New rows are inserted; rows whose file version wins are replaced by it."""
    col_list = ", ".join(cols)
    conn.execute(f"INSERT INTO main.{table} ({col_list}) SELECT {col_list} FROM src.{table} s "
                 "WHERE s.id IN (SELECT id FROM temp.inc WHERE state = 'new')")
    sets = ", ".join(f"{c} = s.{c}" for c in cols if c != "id")
    conn.execute(f"UPDATE main.{table} SET {sets} FROM src.{table} s WHERE s.id = main.{table}.id "
                 f"AND main.{table}.id IN (SELECT id FROM temp.inc WHERE state = 'win')")


#: The greatest hash among the versions with the kept row's stamp: the kept version's.
_KEPT_HASH = ("(SELECT max(w.hash) FROM row_versions w WHERE w.tbl = :t AND w.row_id = m.id "
              "AND w.updated_at = m.updated_at)")


def _recompute_conflicts(conn: sqlite3.Connection, table: str, cols: list[str], p: dict, multi: bool) -> None:
    """The conflicts of every row this file touched, recomputed from all versions seen: each
    device's latest version x that is not the kept one, not the row's creation and not later than
    the kept one, when no device has had both x and the kept version."""
    conn.execute("DELETE FROM conflicts WHERE tbl = :t AND row_id IN (SELECT id FROM temp.multi)", p)
    if not multi:  # only rows seen from two devices or more can be in conflict (and they stay so)
        return
    conn.execute(
        "INSERT INTO conflicts (tbl, row_id, device_id, export_id, kept_updated_at, kept, other_updated_at, other) "
        f"SELECT :t, x.row_id, (SELECT device_id FROM devices WHERE seq = x.device), "
        f"{_EXPORT_ID.format(seq='x.export')}, m.updated_at, {json_object(cols, 'm')}, x.updated_at, "
        "coalesce(d.data, '{}') "
        f"FROM temp.multi mu CROSS JOIN row_versions x ON x.tbl = :t AND x.row_id = mu.id "
        f"JOIN main.{table} m ON m.id = x.row_id "
        "LEFT JOIN row_data d ON d.tbl = :t AND d.row_id = x.row_id AND d.updated_at = x.updated_at "
        "AND d.hash = x.hash "
        "WHERE x.tbl = :t AND x.updated_at != m.created_at "
        "AND NOT EXISTS (SELECT 1 FROM row_versions y WHERE y.tbl = :t AND y.row_id = x.row_id "
        "  AND y.device = x.device AND (y.updated_at, y.hash) > (x.updated_at, x.hash)) "
        f"AND x.updated_at <= m.updated_at AND x.hash != {_KEPT_HASH} "
        "AND NOT EXISTS (SELECT 1 FROM row_versions a JOIN row_versions b ON b.device = a.device "
        "  AND b.tbl = :t AND b.row_id = a.row_id "
        "  WHERE a.tbl = :t AND a.row_id = x.row_id AND a.updated_at = x.updated_at AND a.hash = x.hash "
        f"  AND b.updated_at = m.updated_at AND b.hash = {_KEPT_HASH})", p)


def _table_counts(conn: sqlite3.Connection, p: dict) -> TableCounts:
    """What the file did to the table's rows, and how many of them are now in conflict."""
    counts = TableCounts()
    for state, new_del, old_del, n in conn.execute(
            "SELECT state, del, mdel, count(*) FROM temp.inc GROUP BY state, del, mdel"):
        if state == "new":
            counts.inserted += n
        elif state == "win" and new_del and not old_del:
            counts.deleted += n
        elif state == "win":
            counts.updated += n
        else:
            counts.unchanged += n
    counts.conflicts = conn.execute(
        "SELECT count(DISTINCT row_id) FROM conflicts WHERE tbl = :t AND row_id IN (SELECT id FROM temp.inc)",
        p).fetchone()[0]
    return counts
