"""Records kept once per key, recorded on two laptops: folded into one at headquarters.

A child has one mark per session and a job placement one 3-month check (the forms refuse a
second: `kinds.Table.one_live_per`). Two laptops set up from one file (or a file edited by hand)
can each record it under its own id, and headquarters would then count the child twice, or hold
a job both kept and lost. After each file is merged (on either engine: this SQL is translated
for PostgreSQL), every such pair of live rows is folded, whatever the order of the files:

- the row with the smaller id is kept and takes the content of the one saved last (as a whole:
  a check's outcome, wage and reason belong together);
- every field on which the rows differ becomes a conflict of the kept row, every value kept, for
  a person to choose (exchange/conflicts.py); the other row is removed, its personal fields
  blanked as in any tombstone. Each change is a new version of its field, audited, stamped a
  microsecond after the later row's save (not headquarters' clock: any order, the same rows;
  headquarters' clock only when that save's stamp was edited into one fieldtui did not write).

A later save of the removed row, live on its laptop (which does not know of the fold), reaches
the kept row (`_take_corrections`): its value of each field replaces its earlier one among the
values kept for a person to choose, and its content, when saved after the kept row's, is the kept
row's. So a check corrected a week after a fold counts, as it does when the corrected file is the
first headquarters sees of that laptop's check; one saved before a value was chosen here is kept
to choose beside it. (Before, the correction landed on the tombstone and the figures kept the
superseded value.)
"""

from __future__ import annotations

from typing import Any

from fieldtui.core import kinds
from fieldtui.core.duplicates.decisions import change_fields
from fieldtui.core.exchange.report import TableCounts
from fieldtui.core.exchange.versions import as_stored, blanked
from fieldtui.core.records import history


def fold_twins(hq: Any, counts: dict[str, TableCounts]) -> list[tuple[str, str]]:
    """Fold every group of live rows sharing a key with a row of the file just merged (its rows
    are in `temp.incoming`; see the module docstring), in the caller's transaction; returns the
    rows written, and adds the rows removed and the records left in conflict to the file's
    `counts`. `hq` is a Store or a PostgreSQL HQ."""
    conn = hq.conn
    written: list[tuple[str, str]] = []
    for table in (t for t in kinds.TABLES if t.one_live_per):
        match = " AND ".join(f"{c} = ?" for c in table.one_live_per)
        same_key = " AND ".join(f"o.{c} = r.{c}" for c in table.one_live_per)
        groups = conn.execute(  # the keys of the file's rows (temp.incoming): not a pass over headquarters
            f"SELECT DISTINCT {', '.join(f'r.{c}' for c in table.one_live_per)} FROM temp.incoming i "
            f"JOIN {table.name} r ON r.id = i.id WHERE i.tbl = ? AND r.deleted = 0 AND EXISTS (SELECT 1 FROM "
            f"{table.name} o WHERE {same_key} AND o.deleted = 0 AND o.id <> r.id)", (table.name,)).fetchall()
        for values in groups:
            rows = [dict(r) for r in conn.execute(
                f"SELECT * FROM {table.name} WHERE deleted = 0 AND {match} ORDER BY id", tuple(values)).fetchall()]
            later = max(r["updated_at"] for r in rows)
            conflicted = _fold(hq, table, rows, history.just_after(later) or history.later_than(hq.clock(), later))
            tally = counts.setdefault(table.name, TableCounts())
            tally.deleted += len(rows) - 1
            tally.conflicts += conflicted
            written += [(table.name, r["id"]) for r in rows]
        written += _take_corrections(hq, table)
    return written


def _take_corrections(hq: Any, table: kinds.Table) -> list[tuple[str, str]]:
    """The file's live rows that are folded away here (tombstones beside a live twin of their
    key), saved after the fold: their new values replace their earlier ones in the twin's
    conflicts, and the twin takes their content unless it was changed later (a value chosen
    here since: the two are side by side, both kept to choose). Returns the rows written."""
    conn = hq.conn
    same_key = " AND ".join(f"k.{c} = r.{c}" for c in table.one_live_per)
    found = conn.execute(  # the file's save later than its removal here: a save after the fold
        f"SELECT r.id, k.id FROM temp.incoming i JOIN {table.name} r ON r.id = i.id "
        f"JOIN src.{table.name} f ON f.id = i.id AND f.deleted = 0 "
        f"JOIN {table.name} k ON {same_key} AND k.deleted = 0 AND k.id <> r.id "
        "WHERE i.tbl = ? AND i.state = 'changed' AND r.deleted = 1 AND f.updated_at > (SELECT max(d.stamp) "
        "FROM field_changes d WHERE d.tbl = i.tbl AND d.row_id = r.id AND d.field = 'deleted') "
        "ORDER BY f.updated_at, r.id", (table.name,)).fetchall()
    written: list[tuple[str, str]] = []
    for removed_id, kept_id in found:  # the removed row as its laptop has it (personal fields too)
        removed = dict(conn.execute(f"SELECT * FROM src.{table.name} WHERE id = ?", (removed_id,)).fetchone())
        kept = dict(conn.execute(f"SELECT * FROM {table.name} WHERE id = ?", (kept_id,)).fetchone())
        fields = _content(kept)
        _replace_versions(hq, table.name, removed, kept, fields)
        if removed["updated_at"] <= kept["updated_at"]:  # a value chosen here since: it stays shown
            continue
        at = history.just_after(removed["updated_at"]) or history.later_than(hq.clock(), removed["updated_at"])
        change_fields(hq, table.name, kept_id, {f: removed[f] for f in fields if removed[f] != kept[f]}, at, "update")
        written.append((table.name, kept_id))
    return written


def _replace_versions(hq: Any, table: str, removed: dict[str, Any], kept: dict[str, Any], fields: list[str]) -> None:
    """In the kept row's conflicts, the removed row's earlier versions (its saves before this one)
    give way to this one; a field that now differs gets both values; one left alone is settled."""
    conn = hq.conn
    saves = conn.execute("SELECT stamp FROM field_changes WHERE tbl = ? AND row_id = ?", (table, removed["id"]))
    earlier = {removed["created_at"], *(s for (s,) in saves)} - {removed["updated_at"]}
    where = "tbl = ? AND row_id = ? AND field = ?"
    for field in fields:
        key = (table, kept["id"], field)
        conn.executemany(f"DELETE FROM field_conflicts WHERE {where} AND stamp = ?", [(*key, e) for e in earlier])
        held = conn.execute(f"SELECT count(*) FROM field_conflicts WHERE {where}", key).fetchone()[0]
        if not held and as_stored(removed[field]) == as_stored(kept[field]):
            continue
        for row in [removed] if held else [removed, kept]:
            _keep_to_choose(conn, table, kept["id"], field, row)
        if len({v for (v,) in conn.execute(f"SELECT value FROM field_conflicts WHERE {where}", key)}) < 2:
            # one value left: nothing to choose
            conn.execute(f"DELETE FROM field_conflicts WHERE {where}", key)


def _fold(hq: Any, table: kinds.Table, rows: list[dict[str, Any]], at: str) -> int:
    """Fold `rows` (one key, in id order) into the first; returns 1 if it was left in conflict."""
    kept, newest = rows[0], max(rows, key=lambda r: (r["updated_at"], r["id"]))
    fields = _content(kept)
    differing = [f for f in fields if len({as_stored(r[f]) for r in rows}) > 1]
    for field in differing:
        for row in rows:
            _keep_to_choose(hq.conn, table.name, kept["id"], field, row)
    change_fields(hq, table.name, kept["id"], {f: newest[f] for f in fields if newest[f] != kept[f]}, at, "update")
    for other in rows[1:]:
        change_fields(hq, table.name, other["id"], {"deleted": 1, **blanked(table.name)}, at, "delete")
    return 1 if differing else 0


def _content(row: dict[str, Any]) -> list[str]:
    """The fields a fold compares and carries over: all but the ids, stamps and `deleted`."""
    return [c for c in row if c not in history.NOT_CONTENT and c != "deleted"]


def _keep_to_choose(conn: Any, table: str, kept_id: str, field: str, row: dict[str, Any]) -> None:
    """`row`'s value of `field`, at its last save, among the values kept to choose for the kept row."""
    conn.execute("INSERT OR IGNORE INTO field_conflicts (tbl, row_id, field, stamp, value, device) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (table, kept_id, field, row["updated_at"], as_stored(row[field]),
                                               _made_on(conn, table, row)))


def _made_on(conn: Any, table: str, row: dict[str, Any]) -> str:
    """Where a row's last change was made, as its history says; "unknown" for a row never changed
    since it was made (an export carries no device per row, and guessing it from the file being
    merged would make the result depend on the order of the files)."""
    found = conn.execute("SELECT device FROM field_changes WHERE tbl = ? AND row_id = ? ORDER BY stamp DESC LIMIT 1",
                         (table, row["id"])).fetchone()
    return found[0] if found else "unknown"
