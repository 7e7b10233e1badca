"""Throwaway measurement for docs/compact-file.md (issue 19): a benchmark file rewritten with
integer keys, to know how many bytes per participant that design saves before building it.

    python -m tools.compact_prototype SRC OUT N {text|blob} [int-stamps]

Every record table gets `rid INTEGER PRIMARY KEY` (the rowid) and its UUID once, in `uid`
(36-character text, or 16 bytes), with a unique index; every foreign key becomes the parent's rid;
`participant_keys` is keyed by the person's rid; every secondary index is rebuilt from the
original's SQL with `id` read as `rid`. `int-stamps`: created_at/updated_at as integer
microseconds. The file is VACUUMed, then its size per participant and the largest tables and
indexes (bytes per participant) are printed. Not used by the product or its tests.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import sys
import uuid
from pathlib import Path

ORDER = ("cbos", "participants", "trainings", "after_school", "other_programmes", "placements", "followups",
         "sessions", "attendance", "volunteers", "volunteer_hours")


def _stamp(value: str) -> int:
    return int(dt.datetime.fromisoformat(value).timestamp() * 1_000_000)


def _create_table(out: sqlite3.Connection, src: sqlite3.Connection, table: str, uid_type: str,
                  int_stamps: bool) -> None:
    fks = {r[3]: r[2] for r in src.execute(f"PRAGMA foreign_key_list({table})")}
    if table == "participants":
        fks["merged_into"] = "participants"
    defs, names, select = ["rid INTEGER PRIMARY KEY", f"uid {uid_type} NOT NULL UNIQUE"], ["uid"], ["ub(s.id)"]
    for _cid, name, ctype, *_rest in src.execute(f"PRAGMA table_info({table})"):
        if name == "id":
            continue
        names.append(name)
        if name in fks:
            defs.append(f"{name} INTEGER")
            select.append(f"(SELECT p.rid FROM main.{fks[name]} p WHERE p.uid = ub(s.{name}))")
        elif int_stamps and name in ("created_at", "updated_at"):
            defs.append(f"{name} INTEGER")
            select.append(f"stamp(s.{name})")
        else:
            defs.append(f"{name} {ctype}")
            select.append(f"s.{name}")
    out.execute(f"CREATE TABLE main.{table} ({', '.join(defs)})")
    out.execute(f"INSERT INTO main.{table} ({', '.join(names)}) SELECT {', '.join(select)} FROM src.{table} s "
                "ORDER BY s.id")


def rewrite(src_path: Path, out_path: Path, uid_type: str, int_stamps: bool) -> None:
    src = sqlite3.connect(src_path)
    out_path.unlink(missing_ok=True)
    out = sqlite3.connect(out_path, isolation_level=None)
    blob = uid_type == "BLOB"
    out.create_function("ub", 1, lambda s: None if s is None else (uuid.UUID(s).bytes if blob else s),
                        deterministic=True)
    out.create_function("stamp", 1, _stamp, deterministic=True)
    out.execute("ATTACH ? AS src", (str(src_path),))
    out.execute("BEGIN")
    for table in ORDER:
        _create_table(out, src, table, uid_type, int_stamps)
    kcols = [c[1] for c in src.execute("PRAGMA table_info(participant_keys)") if c[1] != "participant_id"]
    out.execute(f"CREATE TABLE main.participant_keys (rid INTEGER PRIMARY KEY, {', '.join(kcols)})")
    out.execute(f"INSERT INTO main.participant_keys (rid, {', '.join(kcols)}) SELECT p.rid, "
                f"{', '.join('k.' + c for c in kcols)} FROM src.participant_keys k "
                "JOIN main.participants p ON p.uid = ub(k.participant_id)")
    for _name, table, sql in src.execute("SELECT name, tbl_name, sql FROM sqlite_master "
                                         "WHERE type = 'index' AND sql IS NOT NULL"):
        if table in (*ORDER, "participant_keys"):
            sql = re.sub(r"\bid\b", "rid", sql)
            out.execute(re.sub(r"\bparticipant_id\b", "rid", sql) if table == "participant_keys" else sql)
    out.execute("COMMIT")
    out.execute("DETACH src")
    out.execute("VACUUM")
    src.close()
    out.close()


if __name__ == "__main__":
    src_path, out_path, n, kind = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    int_stamps = sys.argv[5:] == ["int-stamps"]
    rewrite(src_path, out_path, "BLOB" if kind == "blob" else "TEXT", int_stamps)
    conn = sqlite3.connect(out_path)
    largest = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 16").fetchall()
    conn.close()
    print(f"uid {kind}, {'integer' if int_stamps else 'text'} stamps: {out_path.stat().st_size / n:,.0f} B/participant")
    print("  " + ", ".join(f"{name} {size / n:.0f}" for name, size in largest))
