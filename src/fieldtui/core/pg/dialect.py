"""The SQLite spellings the shared SQL uses that PostgreSQL reads otherwise, in one place.

The summary, merge and conflict SQL is written once, for SQLite; on PostgreSQL each statement
goes through `translate` (parameters, planner hints, fences, SQLite's INSERT OR IGNORE and
two-argument max()), and the aggregate SQLite has and PostgreSQL lacks (`total`, max of a
comparison, scalar max/min) are defined as functions in the HQ database (`COMPAT`).

The aggregates run on PostgreSQL's own C functions: a transition function written in SQL costs
~1 µs a row, which at 1M participants was most of the summary's time (benchmarks/pg_summary.py).
So `total(x)` is read as `total(fieldtui_num(x))`, fieldtui_num (inlined: no call per row) making
a comparison a number as SQLite's are, and total(float8) adds with float8pl; max of a comparison
is bool_or's own transition, made a number at the end.
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
    "CREATE OR REPLACE AGGREGATE total(float8) (sfunc = float8pl, stype = float8, initcond = '0', "
    "combinefunc = float8pl, parallel = safe)",
    "CREATE OR REPLACE AGGREGATE total(boolean) (sfunc = fieldtui_total_add, stype = float8, initcond = '0')",
    "CREATE OR REPLACE FUNCTION fieldtui_num(v float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT v'",
    "CREATE OR REPLACE FUNCTION fieldtui_num(v boolean) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT v::int::float8'",
    "CREATE OR REPLACE FUNCTION fieldtui_max_bool(s int, v boolean) RETURNS int "
    "LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN v IS NULL THEN s ELSE greatest(s, v::int) END'",
    "CREATE OR REPLACE AGGREGATE max(boolean) (sfunc = boolor_statefunc, stype = boolean, finalfunc = int4, "
    "combinefunc = boolor_statefunc, parallel = safe)",
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
_TOTAL = re.compile(r"\btotal\(")


def _totals(sql: str) -> str:
    """Every `total(x)` as `total(fieldtui_num(x))` (nested ones too): the C-backed total(float8)."""
    out, at = [], 0
    for match in _TOTAL.finditer(sql):
        if match.start() < at:
            continue  # inside a total already rewritten
        depth, i, quoted = 1, match.end(), False
        while depth:
            ch = sql[i]
            quoted = quoted != (ch == "'")
            depth += 0 if quoted else {"(": 1, ")": -1}.get(ch, 0)
            i += 1
        out += [sql[at:match.end()], "fieldtui_num(", _totals(sql[match.end():i - 1]), "))"]
        at = i
    return "".join(out) + sql[at:]


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """One SQLite statement as PostgreSQL reads it (cached: the same few statements recur)."""
    sql = sql.replace("%", "%%")
    sql = _HINT.sub("", sql)
    sql = sql.replace("LIMIT -1", "OFFSET 0")  # SQLite's fence (run once, not inlined); PostgreSQL's
    sql = sql.replace(") WITHOUT ROWID", ")")  # a SQLite storage choice; PostgreSQL tables have keys anyway
    sql = _NO_ROWS.sub("WHERE false", sql)  # SQLite's "WHERE 0": the columns of a query, no rows
    sql = _MAX2.sub("greatest(updated_at, ?)", sql)
    sql = _totals(sql)
    sql = _CROSS.sub("JOIN", sql)  # SQLite's "CROSS JOIN … ON" fixes the join order; PostgreSQL plans it
    sql = _SCHEMA.sub(lambda m: "public." if m.group(1) == "main" else "pg_temp.", sql)
    ignore = _INSERT_OR_IGNORE.fullmatch(sql.strip())
    if ignore:
        sql = f"INSERT INTO {ignore.group(1)} ON CONFLICT DO NOTHING"
    sql = _NAMED.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")
