"""The SQLite spellings the shared SQL uses that PostgreSQL reads otherwise, in one place.

The summary, merge and conflict SQL is written once, for SQLite; on PostgreSQL each statement
goes through `translate` (parameters, planner hints, fences, SQLite's INSERT OR IGNORE and
two-argument max()), and the aggregate SQLite has and PostgreSQL lacks (`total`, max of a
comparison, scalar max/min) are defined as functions in the HQ database (`COMPAT`).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: SQLite's functions the shared SQL calls, as PostgreSQL functions (created with the schema).
#: total(): the sum as a float, 0.0 over no rows; a comparison counts 1 when true.
COMPAT = (
    "CREATE OR REPLACE FUNCTION fieldtui_total_add(s float8, v float8) RETURNS float8 "
    "LANGUAGE sql IMMUTABLE AS 'SELECT s + coalesce(v, 0)'",
    "CREATE OR REPLACE FUNCTION fieldtui_total_add(s float8, v boolean) RETURNS float8 "
    "LANGUAGE sql IMMUTABLE AS 'SELECT s + coalesce(v::int, 0)'",
    "CREATE OR REPLACE AGGREGATE total(float8) (sfunc = fieldtui_total_add, stype = float8, initcond = '0')",
    "CREATE OR REPLACE AGGREGATE total(boolean) (sfunc = fieldtui_total_add, stype = float8, initcond = '0')",
    "CREATE OR REPLACE FUNCTION fieldtui_max_bool(s int, v boolean) RETURNS int "
    "LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN v IS NULL THEN s ELSE greatest(s, v::int) END'",
    "CREATE OR REPLACE AGGREGATE max(boolean) (sfunc = fieldtui_max_bool, stype = int)",
    "CREATE OR REPLACE FUNCTION max(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS 'SELECT greatest(a, b)'",
    "CREATE OR REPLACE FUNCTION min(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS 'SELECT least(a, b)'",
    "CREATE OR REPLACE FUNCTION substr(t text, f bigint, n bigint) RETURNS text LANGUAGE sql IMMUTABLE "
    "AS 'SELECT substr(t, f::int, n::int)'",
)

_HINT = re.compile(r"\s+INDEXED BY \w+")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_INSERT_OR_IGNORE = re.compile(r"INSERT OR IGNORE INTO (.*)", re.S)
#: SQLite's schemas: headquarters' own tables; the file being merged and scratch tables (pg_temp)
_SCHEMA = re.compile(r"\b(main|src|temp)\.")
_CROSS = re.compile(r"\bCROSS JOIN\b(?=[^,()]*?\bON\b)")
_NO_ROWS = re.compile(r"\bWHERE 0\b(?!\s*[=<>.])")
_MAX2 = re.compile(r"max\(updated_at, \?\)")


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """One SQLite statement as PostgreSQL reads it (cached: the same few statements recur)."""
    sql = sql.replace("%", "%%")
    sql = _HINT.sub("", sql)
    sql = sql.replace("LIMIT -1", "OFFSET 0")  # SQLite's fence (run once, not inlined); PostgreSQL's
    sql = sql.replace(") WITHOUT ROWID", ")")  # a SQLite storage choice; PostgreSQL tables have keys anyway
    sql = _NO_ROWS.sub("WHERE false", sql)  # SQLite's "WHERE 0": the columns of a query, no rows
    sql = _MAX2.sub("greatest(updated_at, ?)", sql)
    sql = _CROSS.sub("JOIN", sql)  # SQLite's "CROSS JOIN … ON" fixes the join order; PostgreSQL plans it
    sql = _SCHEMA.sub(lambda m: "public." if m.group(1) == "main" else "pg_temp.", sql)
    ignore = _INSERT_OR_IGNORE.fullmatch(sql.strip())
    if ignore:
        sql = f"INSERT INTO {ignore.group(1)} ON CONFLICT DO NOTHING"
    sql = _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")
