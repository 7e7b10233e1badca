"""What an export file is: the record tables and `meta` as our migrations build them, and a
`manifest` that describes them (counts per table, a checksum of their content).

Only the record tables travel (plus `meta` with the device id, and the `manifest`): no audit,
no drafts, no merge bookkeeping, no triggers, views or secondary indexes. The export builds its
file with the migrations and then prunes it (`prune_to_export_schema`); the check rebuilds the
same schema for the version a file declares (`expected_schema`) and refuses any difference, so
an extra table, trigger or view never reaches headquarters.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from functools import cache

from fieldtui.core.db import migrations
from fieldtui.core.kinds import RECORD_TABLES

EXPORT_FORMAT = "1"
MANIFEST_DDL = "CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
#: The field histories travel with the records (records/history.py: stamps and ids, no values).
HISTORY = "field_changes"
#: What an export carries and its manifest counts and checksums (the history since schema 6).
#: Decisions about likely duplicates travel too (core/duplicates/: ids, a word, when, who).
DECISIONS = "duplicate_decisions"
EXCHANGED_TABLES = (*RECORD_TABLES, HISTORY, DECISIONS)
KEPT_TABLES = (*EXCHANGED_TABLES, "meta")
_ORDER = {HISTORY: "tbl, row_id, field, stamp, base", DECISIONS: "person_a, person_b"}

#: How export and merge report progress: (stage, done, total).
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


def columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def json_array(cols: list[str], alias: str = "") -> str:
    """SQL for a row as a JSON array of `cols` (what is hashed)."""
    prefix = f"{alias}." if alias else ""
    return "json_array(" + ", ".join(prefix + c for c in cols) + ")"


def json_object(cols: list[str], alias: str = "") -> str:
    """SQL for a row as a JSON object of `cols` (what people review in a conflict)."""
    prefix = f"{alias}." if alias else ""
    return "json_object(" + ", ".join(f"'{c}', {prefix}{c}" for c in cols) + ")"


def exchanged(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    """The exchanged tables this file has (an export from before schema 6 has no history)."""
    present = {r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}
    return [t for t in EXCHANGED_TABLES if t in present]


def content_checksum(conn: sqlite3.Connection, schema: str = "main") -> str:
    """SHA-256 over the exchanged tables: table name, then each row as a JSON array, in key order."""
    digest = hashlib.sha256()
    for table in exchanged(conn, schema):
        cols = columns(conn, table, schema)
        digest.update(f"#{table}\n".encode())
        order = _ORDER.get(table, "id")
        # Read as bytes and decoded a batch at a time, as the connection would decode each text
        # (db/connect.py `text`: not UTF-8 -> U+FFFD), but in C: ~0.3 s of Python per 100k rows less.
        # JSON text holds no raw newline, so the rows' separators stay where they were.
        cur = conn.execute(f"SELECT CAST({json_array(cols)} AS BLOB) FROM {schema}.{table} ORDER BY {order}")
        while batch := cur.fetchmany(2000):
            data = b"\n".join([row[0] for row in batch]) + b"\n"
            digest.update(data if data.isascii() else data.decode("utf-8", "replace").encode())
    return digest.hexdigest()


def counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Rows per exchanged table (what the manifest declares)."""
    return {t: conn.execute(f"SELECT count(*) FROM {schema}.{t}").fetchone()[0] for t in exchanged(conn, schema)}


def prune_to_export_schema(conn: sqlite3.Connection) -> None:
    """Keep only the record tables and meta: no triggers, views, indexes or other tables."""
    for kind in ("trigger", "view"):
        for (name,) in conn.execute(f"SELECT name FROM sqlite_master WHERE type = '{kind}'").fetchall():
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    while True:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            ).fetchall()
        extra = [n for (n,) in rows if n not in KEPT_TABLES]
        if not extra:
            break
        conn.execute(f'DROP TABLE IF EXISTS "{extra[0]}"')
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_export_schema(conn: sqlite3.Connection, version: int = migrations.SCHEMA_VERSION) -> None:
    """The schema of an export of `version`: the migrations, pruned, and the manifest table."""
    migrations.apply(conn, 0, version)
    prune_to_export_schema(conn)
    conn.execute(MANIFEST_DDL)


def schema_listing(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """Every schema object as (type, name, table, SQL with white space folded), sorted."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    # str(): a damaged file can hold a BLOB here (bytes do not sort with str; "b'…'" matches nothing)
    return sorted((str(t), str(n), str(tn), " ".join(str(sql or "").split())) for t, n, tn, sql in rows)


@cache
def pruned_objects(version: int) -> tuple[tuple[str, str], ...]:
    """(name, SQL) of the tables, then the indexes, that a file of `version` has and its exports
    leave out (`prune_to_export_schema`): what an older export is given back, empty, before the
    later migrations run on it (exchange/check.py `_upgrade`), since a migration may alter one
    of them (0012 alters `participant_keys`)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.apply(conn, 0, version)
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index') "
                            "AND sql IS NOT NULL ORDER BY type = 'index', rowid").fetchall()
    finally:
        conn.close()
    return tuple((name, sql) for kind, name, sql in rows if kind == "index" or name not in KEPT_TABLES)


@cache
def expected_schema(version: int) -> tuple[tuple[str, str, str, str], ...]:
    """What an export of schema `version` contains: built by the same migrations and pruning."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_export_schema(conn, version)
        return tuple(schema_listing(conn))
    finally:
        conn.close()
