"""The app's whole-process figures (start-up, the list screen, memory) and a save, each beside a
minimal Textual app or raw SQL measured in the same run, interleaved (benchmarks/probe.py runs
each in a fresh interpreter). They run on a private copy of the largest file: the app opens
files for writing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.figure import Figure, at_most, paired, times

HERE = Path(__file__).resolve().parent


def probe(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FIELDTUI_OPERATOR="bench")
    return subprocess.run([sys.executable, "-m", "benchmarks.probe", *args], capture_output=True, text=True,
                          check=True, env=env, cwd=HERE.parent)


def ready_seconds(*args: str) -> float:
    out = probe(*args).stdout
    return float(next(line for line in out.splitlines() if line.startswith("ready ")).split()[1])


def startup_time(mode: str, *args: str) -> float:
    return ready_seconds(mode, repr(time.time()), *args)


def interleaved(ours: Callable[[], float], base: Callable[[], float], runs: int) -> tuple[list[float], list[float]]:
    """Measurements that time themselves (in another process), baseline first, as figure.paired."""
    a, b = [], []
    for _ in range(runs):
        b.append(base())
        a.append(ours())
    return a, b


def fig_startup(path: Path, runs: int) -> Figure:
    startup_time("minimal"), startup_time("app", str(path))  # warm-up: file cache, first WAL open
    ours, base = interleaved(lambda: startup_time("app", str(path)), lambda: startup_time("minimal"), max(runs, 9))
    return Figure("app start to first interactive screen", None, ours, base, times(1.2, "minimal app"),
                  note="spawn to on_ready, headless; baseline: Header + empty DataTable + Footer")


def fig_list_screen(path: Path, runs: int) -> Figure:
    """The real list screen on the started app, F3 to its first page shown, beside the bare app
    (benchmarks/bare_list.py) showing the same 100 rows, measured the same way."""
    ready_seconds("list", str(path)), ready_seconds("bare-list", str(path))  # warm-up
    ours, base = interleaved(lambda: ready_seconds("list", str(path)), lambda: ready_seconds("bare-list", str(path)),
                             runs)
    return Figure("open the trainees list screen: F3 to first page shown", None, ours, base,
                  times(1.5, "bare Textual list"),
                  note="headless, Pilot F3 then settled; ours: list queries in a thread worker, count capped at "
                  "10,000; baseline: benchmarks/bare_list.py, the same 100 rows by plain sqlite3 into a DataTable")


def minimal_rss_mib() -> float:
    out = subprocess.run([sys.executable, "-c", "import runpy, sys; sys.argv=['x','minimal','0']; "
                          "runpy.run_module('benchmarks.probe', run_name='__main__'); "
                          "from benchmarks.probe import peak_rss_kib; print(peak_rss_kib())"],
                         capture_output=True, text=True, check=True, cwd=HERE.parent).stdout
    return int(out.strip().splitlines()[-1]) / 1024


def rss_peaks_mib(path: Path) -> tuple[float, float]:
    """(peak RSS once the summary is shown, then once a form has validated): one probe gives both."""
    lines = dict(line.split() for line in probe("rss", str(path)).stdout.splitlines() if line[:1].isalpha())
    return int(lines["summary"]) / 1024, int(lines["form"]) / 1024


def fig_memory(path: Path, runs: int) -> list[Figure]:
    """Peak RSS is not a time: the probes (~50 s each at 1M, most of it the summary) run two at a
    time, which halves the wait and leaves each process's own peak as it is."""
    base = [minimal_rss_mib() for _ in range(runs)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        peaks = list(pool.map(lambda _: rss_peaks_mib(path), range(runs)))
    return [Figure("peak RSS: 1M file open, list scrolled, summary shown", None, [a for a, _ in peaks], base,
                   at_most(60, "≤ 60 MiB"), unit="MiB",
                   note="baseline: minimal Textual app; pydantic not loaded (no form opened); probes two at a time"),
            Figure("peak RSS: the same, then a trainee form validated", None, [b for _, b in peaks], base,
                   unit="MiB", note="the same process, after: the validation models (pydantic) load with a form")]


def fig_save(path: Path, n: int, runs: int) -> Figure:
    from fieldtui.core.ids import new_id
    from fieldtui.core.models import TraineeRecord, validate
    from fieldtui.core.store import Store

    store = Store.open(path, operator="bench")
    cbo = store.conn.execute("SELECT id FROM cbos LIMIT 1").fetchone()[0]
    counter = iter(range(10**6))

    def ours() -> None:
        i = next(counter)
        record = validate(TraineeRecord, {
            "participant": {"cbo_id": cbo, "full_name": f"测试{i}", "gender": "female", "birth_year": 1990,
                            "province": "Henan", "origin": "recent_arrival", "phone": f"139{i:08d}",
                            "household_members": 3, "registered_on": "2011-05-01", "registered_by": "bench"},
            "training": {"course": "家政服务", "start_date": "2011-05-02", "status": "enrolled"}})
        store.save_trainee(record)

    # The baseline writes its own copy: one writer per file, as in the app.
    base_path = path.with_name(path.name + ".baseline")
    shutil.copyfile(path, base_path)
    base_conn = sqlite3.connect(base_path, isolation_level=None)
    base_conn.execute("PRAGMA journal_mode = WAL")
    base_conn.execute("PRAGMA synchronous = FULL")

    def base() -> None:
        i = next(counter)
        pid, tid, at = new_id(), new_id(), "2011-05-01T00:00:00+00:00"
        base_conn.execute("BEGIN IMMEDIATE")
        base_conn.execute(
            "INSERT INTO participants (id, cbo_id, full_name, gender, birth_year, province, origin, phone, "
            "household_members, registered_on, registered_by, created_at, updated_at) "
            "VALUES (?, ?, ?, 'female', 1990, 'Henan', 'recent_arrival', ?, 3, '2011-05-01', 'bench', ?, ?)",
            (pid, cbo, f"基线{i}", f"137{i:08d}", at, at))
        base_conn.execute(
            "INSERT INTO trainings (id, participant_id, course, start_date, status, created_at, updated_at) "
            "VALUES (?, ?, '家政服务', '2011-05-02', 'enrolled', ?, ?)", (tid, pid, at, at))
        base_conn.execute("COMMIT")

    ours_runs, base_runs = paired(ours, base, max(runs, 15), warm=True)
    base_conn.close()
    for leftover in (base_path, Path(f"{base_path}-wal"), Path(f"{base_path}-shm")):
        leftover.unlink(missing_ok=True)
    store.close()
    return Figure("save one new trainee (validated, committed, durable)", n, ours_runs, base_runs,
                  at_most(0.010, "≤ 10 ms"), note="WAL + synchronous=FULL; baseline: two raw INSERTs, same pragmas")
