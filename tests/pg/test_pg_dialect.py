"""SQLite's aggregates as core/pg/dialect.py gives them to PostgreSQL (on its C transition
functions): the same values as SQLite's over the same rows, nested, beside quoted parentheses,
over no rows and over NULLs."""

from __future__ import annotations

import sqlite3

from fieldtui.core.pg.connect import connect
from fieldtui.core.pg.schema import ensure

ROWS = [(1.5, "a", 1), (2.0, ")(", None), (None, "b", 3), (4.25, "a", 0)]
QUERIES = (
    "SELECT total(x), total(x > 1.9), total(n), max(x > 1.9), max(n = 3) FROM t",
    "SELECT total(x) FROM t WHERE s = ')('",
    "SELECT s, total((SELECT total(u.x) FROM t u WHERE u.s = t.s AND u.s != '(')), total(x IS NULL) "
    "FROM t GROUP BY s ORDER BY s",
    "SELECT total(x), total(x > 0), max(x > 0) FROM t WHERE 0",
)


def test_total_and_max_of_a_comparison_read_as_on_sqlite(pg_url):
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE t (x REAL, s TEXT, n INTEGER)")
    lite.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
    with connect(pg_url) as conn:
        ensure(conn)
        conn.raw.execute("CREATE TABLE t (x float8, s text, n bigint)")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
        for sql in QUERIES:
            assert [tuple(r) for r in conn.execute(sql)] == lite.execute(sql).fetchall(), sql
