"""Issue 15's figures: registration candidates for one person, and the whole-file pass of
likely pairs, at 1M people; each beside a plain-sqlite3 baseline measured in the same run.

    python -m benchmarks.duplicates [--n 1000000] [--runs 5] [--probes 200]

(`make bench` runs the candidates at 1M; the pass, which has no target and takes ~160 s a run
at 1M, only with `--dup-size N`; `--only duplicates` or this module runs both at 1M.) A probe is a
stored person typed again with a birth-year typo and no phone (the issue's first case), from
another CBO: each run is the median time of one `candidates` call over the probes. The pass
is `list(pairs(store))` against the GROUP BY of every blocking key with plain sqlite3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from benchmarks.generate import cached

#: The same index lookups `candidates` makes, hand-written (no scoring, no objects).
BASE_HITS = (
    "SELECT p.id, p.full_name, p.birth_year, p.phone, p.province, p.cbo_id FROM ("
    "SELECT participant_id AS id FROM participant_keys WHERE pinyin = :pinyin AND birth_year BETWEEN :lo AND :hi "
    "UNION SELECT participant_id FROM participant_keys WHERE bag = :bag AND birth_year BETWEEN :lo AND :hi "
    "UNION SELECT participant_id FROM participant_keys WHERE initials = :initials AND birth_year BETWEEN :lo AND :hi"
    ") h JOIN participants p ON p.id = h.id WHERE p.deleted = 0")


def probes(conn, count: int) -> list[dict]:
    """`count` stored people spread over the file, typed again: birth year + 1, no phone."""
    total = conn.execute("SELECT max(rowid) FROM participants").fetchone()[0]
    step = max(1, total // count)
    rows = conn.execute("SELECT full_name, birth_year, province, cbo_id FROM participants "
                        "WHERE rowid % ? = 0 AND deleted = 0 LIMIT ?", (step, count)).fetchall()
    return [{"full_name": r[0], "birth_year": r[1] + 1, "phone": None, "province": r[2], "cbo_id": r[3]}
            for r in rows]


def per_call(fn, items: list) -> float:
    """Median seconds of one call over `items`."""
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fig_candidates(path: Path, n: int, runs: int, count: int):
    from benchmarks.baselines import raw
    from benchmarks.figure import Figure, at_most
    from fieldtui.core import duplicates, pinyin
    from fieldtui.core.store import Store

    with Store.open_readonly(path) as store:
        conn = raw(path)
        items = probes(conn, count)

        def base(fields: dict) -> None:
            _, full, initials = pinyin.keys(fields["full_name"])
            y = fields["birth_year"]
            conn.execute(BASE_HITS, {"pinyin": full, "bag": pinyin.bag(fields["full_name"]), "initials": initials,
                                     "lo": y - 2, "hi": y + 2}).fetchall()

        per_call(lambda f: duplicates.candidates(store, f), items)  # warm-up: pages into the cache
        ours, baseline, found = [], [], 0
        for _ in range(runs):
            baseline.append(per_call(base, items))
            ours.append(per_call(lambda f: duplicates.candidates(store, f), items))
        found = sum(1 for f in items if duplicates.candidates(store, f, limit=1))
        conn.close()
    return Figure("duplicates: registration candidates for one person", n, ours, baseline, at_most(0.02, "≤ 20 ms"),
                  note=f"each run: the median over {len(items)} people typed "
                  f"again (birth year + 1, no phone); {found} of them found; baseline: the same index "
                  "lookups hand-written with plain sqlite3")


def fig_pass(path: Path, n: int, runs: int):
    from benchmarks.baselines import raw
    from benchmarks.figure import Figure
    from fieldtui.core import duplicates
    from fieldtui.core.duplicates.finding import KEYS
    from fieldtui.core.store import Store

    ours, baseline, count = [], [], 0
    with Store.open_readonly(path) as store:
        conn = raw(path)
        for _ in range(runs):
            start = time.perf_counter()
            for _key, sql in KEYS:
                conn.execute(sql).fetchall()
            baseline.append(time.perf_counter() - start)
            start = time.perf_counter()
            count = sum(1 for _ in duplicates.pairs(store))
            ours.append(time.perf_counter() - start)
        conn.close()
    return Figure("duplicates: whole-file pass of likely pairs", n, ours, baseline,
                  note=f"linear in N, no target; {count:,} pairs at the default min score; baseline: GROUP BY … "
                  f"HAVING count(*) > 1 of the {len(KEYS)} blocking keys with plain sqlite3")


def figures(path: Path, n: int, runs: int, count: int = 200) -> list:
    return [fig_candidates(path, n, runs, count), fig_pass(path, n, runs)]


def main(argv: list[str] | None = None) -> int:
    from benchmarks.report import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args(argv)
    print_table(figures(cached(args.n), args.n, args.runs, args.probes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
