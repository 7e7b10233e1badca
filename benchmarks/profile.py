"""Profile one benchmark path with pyinstrument (the `bench` extra): `make profile FIGURE=... N=...`.

    python -m benchmarks.profile summary|summary-filtered|list|search|save [N]

Prints the call tree of the figure's work on the generated file of N participants. SQLite time
shows up as `execute`/`fetchall`: then read the query plan (EXPLAIN QUERY PLAN) rather than Python.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from benchmarks import app_figures, run
from benchmarks.baselines import QUARTER
from benchmarks.generate import cached
from fieldtui.core import summary
from fieldtui.core.store import Store


def main(figure: str, n: int) -> None:
    path = cached(n)
    profiler = Profiler(interval=0.0005)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        work = Path(tmp) / "work.db"
        shutil.copyfile(path, work)
        store = Store.open(work, operator="bench")
        cbo = store.conn.execute("SELECT id FROM cbos ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
        work_for = {
            "summary": lambda: summary.compute(store),
            "summary-filtered": lambda: summary.compute(store, summary.Filters(
                cbo_id=cbo, date_from=QUARTER[0], date_to=QUARTER[1])),
            "list": lambda: (store.page("trainees", limit=100), store.count("trainees", limit=10_000)),
            "search": lambda: [(store.page("trainees", search=k, limit=100),
                                store.count("trainees", search=k, limit=10_000)) for k in run.SEARCH_KEYS],
            "save": lambda: app_figures.fig_save(work, n, 5),
        }
        with profiler:
            work_for[figure]()
        store.close()
    profiler.print()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "summary", int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
