"""The benchmark table: printed (rich) and written as markdown (benchmarks/results.md, README)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
from pathlib import Path

from benchmarks.figure import RUN_SLACK, Figure

HEADERS = ["figure", "N", "runs", "ours", "ours range", "baseline", "baseline range", "ratio (worst run)",
           "target", "status", "note"]


def _scale(values: list[float], unit: str) -> tuple[float, str, str]:
    """(divisor, unit shown, format) for values shown together."""
    if unit == "MiB":
        return 1, " MiB", "{:.1f}"
    if unit == "B":
        return 1, " B", "{:,.0f}"
    return (0.001, " ms", "{:.1f}") if max(values) < 1 else (1, " s", "{:.2f}")


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    div, shown, form = _scale([value], unit)
    return form.format(value / div) + shown


def fmt_range(values: list[float], unit: str) -> str:
    if len(values) < 2:
        return ""
    div, shown, form = _scale(values, unit)
    return f"{form.format(min(values) / div)}–{form.format(max(values) / div)}{shown}"


def fmt_ratio(f: Figure) -> str:
    if f.ratio is None:
        return "–"
    each = f.run_ratios
    return f"{f.ratio:.2f}× ({max(each):.2f}×)" if len(each) > 1 else f"{f.ratio:.2f}×"


def rows_of(figures: list[Figure]) -> list[list[str]]:
    rows = []
    for f in figures:
        status = f.verdict()[1]
        note = f"{f.skipped}. {f.note}".strip() if f.skipped else f.note
        target = f.target.text if f.target else "(info)"
        rows.append([f.name, f"{f.n:,}" if f.n else "", str(len(f.runs)) if f.runs else "",
                     fmt_value(f.value, f.unit), fmt_range(f.runs, f.unit),
                     fmt_value(f.baseline, f.unit), fmt_range(f.base_runs, f.unit), fmt_ratio(f),
                     target, status, note])
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def markdown(figures: list[Figure], took: float, spent: list[str] = ()) -> str:
    lines = ["# Benchmark results", "",
             f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; `make bench` took {took:.0f} s"
             + (f" ({'; '.join(spent)})." if spent else "."),
             "Each figure: the median and range (min–max) of its runs, ours and the baseline measured in the same "
             "run, interleaved; the ratio of the medians, and in brackets the worst run's own ratio. \"met\": the "
             f"median meets the target and every run is within {RUN_SLACK:g}× of it. The millisecond figures (a "
             "list, a search, the due list, a save) call ours and the baseline once, untimed, before their runs.", "",
             "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in r) + " |" for r in rows_of(figures)]
    return "\n".join(lines) + "\n"


def print_table(figures: list[Figure]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="fieldtui benchmarks")
    for h in HEADERS:
        table.add_column(h, overflow="fold")
    for row in rows_of(figures):
        status = row[9]
        style = "red" if status.startswith("MISSED") else ("dim" if status in ("pending", "skipped") else None)
        table.add_row(*row, style=style)
    Console(width=240).print(table)
