"""A generated SQLite file loaded into a PostgreSQL HQ for the summary's figure, without the merge.

Merging 1M participants through core/pg/merge.py would take hours (checks, versions, rules per
file); the summary only needs the same rows in the same schema. So: the schema as the first merge
makes it (core/pg/schema.ensure), every table of the file COPYed into it (the record tables in
kinds order, then the people's pinyin keys), then ANALYZE, as a server's autovacuum would have
done after a real load. The file is opened read-only and never written.

    python -m benchmarks.pg_load URL [--size 1000000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

#: Beside the record tables: what the summary and the lists read at headquarters.
EXTRA = ("participant_keys",)


def load(url: str, path: Path, *, quiet: bool = False) -> dict[str, int]:
    """COPY every record table (and the pinyin keys) of the SQLite file at `path` into the HQ at
    `url` (its schema created first); returns the rows per table."""
    from fieldtui.core.kinds import RECORD_TABLES
    from fieldtui.core.pg import schema
    from fieldtui.core.pg.connect import connect

    lite = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    counts = {}
    try:
        with connect(url) as conn:
            schema.ensure(conn)
            for table in (*RECORD_TABLES, *EXTRA):
                began = time.perf_counter()
                counts[table] = _copy_table(conn, lite, table)
                if not quiet:
                    print(f"  {table}: {counts[table]:,} rows in {time.perf_counter() - began:.0f} s",
                          file=sys.stderr, flush=True)
            conn.raw.execute("ANALYZE")
    finally:
        lite.close()
    return counts


def _copy_table(conn, lite: sqlite3.Connection, table: str) -> int:
    """One table, in one transaction (its deferred foreign keys checked at its commit)."""
    pg_cols = {r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?",
        (table,))}
    cols = [r[1] for r in lite.execute(f"PRAGMA table_info({table})") if r[1] in pg_cols]
    names = ", ".join(cols)
    rows = 0
    with conn.transaction(), conn.raw.cursor().copy(f"COPY public.{table} ({names}) FROM STDIN") as copy_in:
        for row in lite.execute(f"SELECT {names} FROM {table}"):
            copy_in.write_row(row)
            rows += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import cached

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    counts = load(args.url, cached(args.size))
    print(f"loaded {sum(counts.values()):,} rows in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
