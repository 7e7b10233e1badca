"""Headquarters on PostgreSQL: merging field exports into it (core/pg/merge.py) beside the
hand-written bulk load on the same server in the same run: per file, COPY of each table into a
staging table and INSERT … ON CONFLICT (id) DO UPDATE, one transaction per file, into the same
schema (core/pg/schema.py). Ours also checks every file (exchange/check.py), settles versions and
re-checks the rules against headquarters' rows; the baseline does none of it.

And the summary at 1M participants on PostgreSQL beside the best hand-written SQL for it
(benchmarks/pg_summary.py), on the generated file COPYed in (benchmarks/pg_load.py, ~5 min at 1M).

    python -m benchmarks.pg_figures [--files 20] [--size 500] [--runs 5]
    python -m benchmarks.pg_figures --summary [--summary-size 1000000] [--summary-url URL] [--files 0]

Not part of `make bench` (the summary alone takes ~10 minutes at 1M with its load): a cluster is
started for it (tools/hq_db.py) in a temporary folder, stopped and removed after. --summary-url:
an HQ already loaded (pg_load.py), nothing started.
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
from benchmarks.figure import Figure, paired, timed, times
from benchmarks.report import print_table


def hand_written(url: str, files: list[Path], csv: bool = False) -> None:
    """The baseline: COPY + INSERT … ON CONFLICT per table, one transaction per file; rows written
    by psycopg one at a time (`write_row`), or with `csv` as lines SQLite formats (as ours does)."""
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
                    if csv:
                        _copy_csv(conn, src, table, cols)
                    else:
                        with conn.cursor().copy(f"COPY s_{table} ({names}) FROM STDIN") as copy:
                            for row in src.execute(f"SELECT {names} FROM {table}"):
                                copy.write_row(row)
                    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
                    conn.execute(f"INSERT INTO public.{table} ({names}) SELECT {names} FROM s_{table} "
                                 f"ON CONFLICT (id) DO UPDATE SET {updates}")
            src.close()


def _copy_csv(conn, src: sqlite3.Connection, table: str, cols: list[str]) -> None:
    """COPY in CSV lines made by SQLite, 2,000 rows a write (the same technique as core/pg/merge.py)."""
    from fieldtui.core.pg.merge import _csv_line

    lines = src.execute(f"SELECT {_csv_line(cols)} FROM {table}")
    with conn.cursor().copy(f"COPY s_{table} ({', '.join(cols)}) FROM STDIN (FORMAT csv)") as copy:
        while block := lines.fetchmany(2000):
            copy.write("\n".join(line for (line,) in block) + "\n")


def fig_pg_merge(count: int, size: int, runs: int, csv_baseline: bool = True) -> list[Figure]:
    from fieldtui.core.pg.merge import merge
    from tools import hq_db

    if hq_db.bin_dir() is None:
        return [Figure(f"merge {count} exports of {size:,} into PostgreSQL", count * size, [],
                       skipped="PostgreSQL is not installed")]
    files = export_files(count, size)
    folder = Path(tempfile.mkdtemp(prefix="fieldtui-bench-pg-"))
    ours_runs, base_runs, csv_runs, refused = [], [], [], 0
    try:
        hq_db.start(folder, quiet=True)
        for _ in range(runs):  # interleaved, baseline first; each run into new databases
            base_runs.append(timed(lambda: hand_written(hq_db.new_database(folder), files)))
            if csv_baseline:
                csv_runs.append(timed(lambda: hand_written(hq_db.new_database(folder), files, csv=True)))
            url = hq_db.new_database(folder)
            start = time.perf_counter()
            report = merge(url, files, operator="bench")
            ours_runs.append(time.perf_counter() - start)
            refused += len(report.refused)
    finally:
        hq_db.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)
    name = f"merge {count} exports of {size:,} participants into PostgreSQL"
    figures = [Figure(name, count * size, ours_runs, base_runs, times(1.5, "COPY + INSERT … ON CONFLICT"),
                   also=f"{refused} files refused" if refused else None,
                   note="core/pg/merge.py (checks, versions, rules) vs hand-written COPY (psycopg write_row) + "
                        "INSERT … ON CONFLICT per table, one transaction per file, same server, same run"),
            Figure(name + ", baseline with SQLite-made CSV", count * size, ours_runs, csv_runs, None,
                   note="the same baseline given ours' COPY technique (CSV lines formatted by SQLite): "
                        "what is left is the merge's own work")]
    return figures if csv_baseline else figures[:1]


def summary_runs(url: str, n: int, runs: int) -> Figure:
    """The summary (`fieldtui summary URL --json`'s computation) beside the hand-written SQL,
    interleaved, after one untimed call of each that also checks they give the same figures."""
    from benchmarks import pg_summary
    from fieldtui.core import summary
    from fieldtui.core.pg.connect import connect, opened

    params = pg_summary.bounds()
    with opened(url) as hq, connect(url) as base_conn:  # the baseline: the same session settings
        def ours() -> summary.Summary:
            return summary.compute(hq, summary.Filters(), duplicates_too=True)

        problems = pg_summary.same_figures(ours(), pg_summary.best(base_conn.raw, params))
        ours_runs, base_runs = paired(ours, lambda: pg_summary.best(base_conn.raw, params), runs)
    return Figure(f"summary on PostgreSQL, all figures, {n:,} participants", n, ours_runs, base_runs,
                  times(1.5, "best SQL on PostgreSQL"), also="; ".join(problems[:3]) or None,
                  note="`fieldtui summary postgresql://… --json` (outcomes, breakdowns) vs the same figures "
                       "hand-written for PostgreSQL (pg_summary.py), same server and session settings")


def fig_pg_summary(n: int, runs: int, url: str | None = None) -> Figure:
    from benchmarks import pg_load
    from benchmarks.generate import cached
    from tools import hq_db

    if url:
        return summary_runs(url, n, runs)
    if hq_db.bin_dir() is None:
        return Figure(f"summary on PostgreSQL, {n:,} participants", n, [], skipped="PostgreSQL is not installed")
    folder = Path(tempfile.mkdtemp(prefix="fieldtui-bench-pg-"))
    try:
        hq_db.start(folder, quiet=True)
        url = hq_db.new_database(folder)
        began = time.perf_counter()
        pg_load.load(url, cached(n), quiet=True)
        print(f"loaded {n:,} participants into PostgreSQL in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        return summary_runs(url, n, runs)
    finally:
        hq_db.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20, help="exports to merge (0: no merge figure)")
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-csv-baseline", action="store_true",
                        help="skip the info baseline given ours' CSV technique (halves a long run)")
    parser.add_argument("--summary", action="store_true", help="the summary figure too")
    parser.add_argument("--summary-size", type=int, default=1_000_000)
    parser.add_argument("--summary-url", help="an HQ already loaded with the summary's file (nothing loaded)")
    args = parser.parse_args(argv)
    figures = fig_pg_merge(args.files, args.size, args.runs, not args.no_csv_baseline) if args.files else []
    if args.summary or args.summary_url:
        figures.append(fig_pg_summary(args.summary_size, args.runs, args.summary_url))
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
