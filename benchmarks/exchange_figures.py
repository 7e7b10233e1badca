"""Export and merge figures, each run several times beside its baseline (issue 19), on inputs
small enough to keep `make bench` under 10 minutes: export the 100,000-person file (the 1M
file's `VACUUM INTO` alone takes 20–70 s here: `--export-size 1000000`), merge 10 exports of
500 people (`--merge-files 100 --merge-size 10000` for the issue's full case). The ratio does not
depend on the files' size here: 10 x 500 and 10 x 5,000 both 1.89x raw SQL (medians of 3, idle
2-core machine, 2026-12-02). Beyond the raw inserts a merge spends (10 x 5,000, wall clock by
phase): checking the first file, which nothing can overlap (~1.3 s of 11), the pinyin keys of its
people (~1.1 s), telling new rows from changed ones (~0.7 s), the cross-file rules and folding
twins (~0.8 s).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.baselines import raw
from benchmarks.figure import Figure, paired, timed, times
from benchmarks.generate import DATA_DIR, cache_path, generate


def fig_export(path: Path, n: int, runs: int) -> Figure:
    from fieldtui.core import exchange

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        outs = iter(range(10_000))

        def ours() -> None:
            out = Path(tmp) / f"export-{next(outs)}.db"
            exchange.export(path, out)
            out.unlink()

        def base() -> None:
            out = Path(tmp) / f"vacuum-{next(outs)}.db"
            conn = raw(path)
            conn.execute("VACUUM INTO ?", (str(out),))
            conn.close()
            out.unlink()

        ours_runs, base_runs = paired(ours, base, runs)
    return Figure(f"export (snapshot) of the {n:,}-person file", n, ours_runs, base_runs, times(1.5, "VACUUM INTO"),
                  note="exchange.export (manifest, checksum) vs VACUUM INTO of the file")


def export_files(count: int, size: int, folder: Path | None = None) -> list[Path]:
    """`count` field exports of `size` participants each, from distinct devices (cached)."""
    from fieldtui.core import exchange

    folder = folder or DATA_DIR / f"exports-{cache_path(size).stem}-x{count}"
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"device-{i:03d}.db" for i in range(count)]
    if all(f.exists() for f in files):
        return files
    start = time.perf_counter()
    for i, f in enumerate(files):
        if f.exists():
            continue
        field = folder / f"field-{i:03d}.db"
        generate(size, field, seed=1000 + i)
        exchange.export(field, f)
        field.unlink()
    print(f"built {count} exports of {size:,} participants in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return files


def raw_merge(target: Path, files: list[Path]) -> None:
    """The merge's like-for-like baseline: into a new file with the same schema and indexes, per
    file ATTACH + INSERT OR REPLACE … SELECT of each table in one transaction, with the settings
    exchange.merge gives itself (page cache, scratch in memory, a checkpoint every
    CHECKPOINT_EVERY files)."""
    from fieldtui.core import exchange
    from fieldtui.core.exchange.merge import _merge_cache_kib
    from fieldtui.core.kinds import RECORD_TABLES
    from fieldtui.core.store import Store

    Store.open(target, create=True, operator="bench").close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA cache_size = {-_merge_cache_kib()}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    for i, f in enumerate(files):
        conn.execute("ATTACH ? AS f", (str(f),))
        conn.execute("BEGIN IMMEDIATE")
        for table in RECORD_TABLES:
            cols = ", ".join(r[1] for r in conn.execute(f"PRAGMA f.table_info({table})"))
            conn.execute(f"INSERT OR REPLACE INTO main.{table} ({cols}) SELECT {cols} FROM f.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH f")
        if (i + 1) % exchange.CHECKPOINT_EVERY == 0:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    conn.close()


def fig_merge(count: int, size: int, runs: int, folder: Path | None = None) -> Figure:
    """exchange.merge into a new headquarters file vs raw_merge into another, `runs` times each,
    interleaved; every run starts from new files (a merged export is not merged twice)."""
    from fieldtui.core import exchange

    files = export_files(count, size, folder)
    ours_runs, base_runs, refused = [], [], 0
    with tempfile.TemporaryDirectory(dir=files[0].parent) as tmp:
        for i in range(runs):
            base_runs.append(timed(lambda i=i: raw_merge(Path(tmp) / f"raw-{i}.db", files)))
            start = time.perf_counter()
            report = exchange.merge(Path(tmp) / f"hq-{i}.db", files, operator="bench")
            ours_runs.append(time.perf_counter() - start)
            refused += len(report.refused)
            for leftover in Path(tmp).glob(f"*-{i}.db*"):
                leftover.unlink()
    return Figure(f"merge {count} exports of {size:,} participants", count * size, ours_runs, base_runs,
                  times(1.3, "raw SQL, same settings"), also=f"{refused} files refused" if refused else None,
                  note=f"{refused} refused; baseline: INSERT OR REPLACE … SELECT per table, same indexes, one "
                       "transaction per file, given the merge's own cache and checkpoint settings (like for like)")
