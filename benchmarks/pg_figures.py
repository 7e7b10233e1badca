"""Headquarters on PostgreSQL: merging field exports into it (core/pg/merge.py) beside the
hand-written bulk load on the same server in the same run: per file, COPY of each table into a
staging table and INSERT … ON CONFLICT (id) DO UPDATE, one transaction per file, into the same
schema (core/pg/schema.py). Ours also checks every file (exchange/check.py), settles versions and
re-checks the rules against headquarters' rows; the baseline does none of it.

    python -m benchmarks.pg_figures [--files 20] [--size 500] [--runs 5]

Not part of `make bench`: a cluster is started for it (tools/hq_db.py) in a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.exchange_figures import export_files
from benchmarks.figure import Figure, timed, times
from benchmarks.report import print_table


def hand_written(url: str, files: list[Path]) -> None:
    """The baseline: COPY + INSERT … ON CONFLICT per table, one transaction per file."""
    import psycopg

    from fieldtui.core.kinds import RECORD_TABLES
    from fieldtui.core.pg import schema
    from fieldtui.core.pg.connect import connect

    with connect(url) as hq:
        schema.ensure(hq)
    with psycopg.connect(url) as conn:
        for path in files:
            src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            with conn.transaction():
                for table in RECORD_TABLES:
                    cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
                    names = ", ".join(cols)
                    conn.execute(f"CREATE TEMP TABLE s_{table} (LIKE public.{table}) ON COMMIT DROP")
                    with conn.cursor().copy(f"COPY s_{table} ({names}) FROM STDIN") as copy:
                        for row in src.execute(f"SELECT {names} FROM {table}"):
                            copy.write_row(row)
                    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
                    conn.execute(f"INSERT INTO public.{table} ({names}) SELECT {names} FROM s_{table} "
                                 f"ON CONFLICT (id) DO UPDATE SET {updates}")
            src.close()


def fig_pg_merge(count: int, size: int, runs: int) -> Figure:
    from fieldtui.core.pg.merge import merge
    from tools import hq_db

    if hq_db.bin_dir() is None:
        return Figure(f"merge {count} exports of {size:,} into PostgreSQL", count * size, [],
                      skipped="PostgreSQL is not installed")
    files = export_files(count, size)
    folder = Path(tempfile.mkdtemp(prefix="fieldtui-bench-pg-"))
    ours_runs, base_runs, refused = [], [], 0
    try:
        hq_db.start(folder, quiet=True)
        for _ in range(runs):  # interleaved, baseline first; each run into new databases
            base_runs.append(timed(lambda: hand_written(hq_db.new_database(folder), files)))
            url = hq_db.new_database(folder)
            start = time.perf_counter()
            report = merge(url, files, operator="bench")
            ours_runs.append(time.perf_counter() - start)
            refused += len(report.refused)
    finally:
        hq_db.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return Figure(f"merge {count} exports of {size:,} participants into PostgreSQL", count * size, ours_runs,
                  base_runs, times(1.5, "COPY + INSERT … ON CONFLICT"),
                  also=f"{refused} files refused" if refused else None,
                  note="core/pg/merge.py (checks, versions, rules) vs hand-written COPY + INSERT … ON CONFLICT per "
                       "table, one transaction per file, same server, same run")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print_table([fig_pg_merge(args.files, args.size, args.runs)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
