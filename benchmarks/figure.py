"""One benchmark figure: every run of ours and of its baseline, its target, and the rules that
judge it (issue 19), so a figure that passes on a quiet run and fails on an ordinary one shows.

- A figure keeps every run (seconds, MiB or bytes), not a median alone: the table prints the
  median and the range (min–max) of ours and of the baseline.
- A ratio target is judged on the medians (median of ours / median of the baseline), and each
  run on its own pair: runs are interleaved (baseline, ours, baseline, ours…), so run i of each
  saw the same moment of a noisy machine.
- "met" only when the median meets the target AND every run is within RUN_SLACK of it (each
  run's value, or each pair's ratio): one slow run in five is allowed 20%, not more.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Every run must be within this factor of the target (the issue's rule).
RUN_SLACK = 1.2
#: At least this many runs per figure (the issue's rule); the `--runs` default.
MIN_RUNS = 5


@dataclass(frozen=True)
class Target:
    limit: float
    ratio: bool  # True: `limit` times the baseline; False: `limit` in the figure's unit
    text: str


def at_most(limit: float, text: str) -> Target:
    """An absolute target, e.g. at_most(0.05, "≤ 50 ms")."""
    return Target(limit, False, text)


def times(limit: float, of: str) -> Target:
    """A target as a ratio to the baseline measured in the same run, e.g. times(1.5, "best SQL")."""
    return Target(limit, True, f"≤ {limit:g} × {of}")


@dataclass
class Figure:
    name: str
    n: int | None
    runs: list[float]  # ours, each run (empty: not measured)
    base_runs: list[float] = field(default_factory=list)  # the baseline, paired with `runs` by index
    target: Target | None = None  # None: reported, not judged ("info")
    unit: str = "s"  # "s", "MiB" or "B"
    note: str = ""
    also: str | None = None  # another rule it breaks (a refused file, growth with N), said in words
    growth: bool = False  # a smaller N: shown for growth, the target is judged at the largest N
    skipped: str | None = None  # could not be measured (a peer that does not install): why

    @property
    def value(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.base_runs) if self.base_runs else None

    @property
    def ratio(self) -> float | None:
        value, baseline = self.value, self.baseline
        return value / baseline if value is not None and baseline else None

    @property
    def run_ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.runs, self.base_runs, strict=False) if b]

    def verdict(self) -> tuple[bool | None, str]:
        """(met?, status): None for figures reported but not judged."""
        if self.skipped:
            return None, "skipped"
        if not self.runs:
            return None, "pending"
        if self.target is None:
            return None, "info"
        if self.growth:
            return None, "growth"
        limit = self.target.limit
        median, each = (self.ratio, self.run_ratios) if self.target.ratio else (self.value, self.runs)
        problems = []
        if median is None or median > limit:
            problems.append("median")
        over = [x for x in each if x > RUN_SLACK * limit]
        if over:
            problems.append(f"{len(over)} run(s) over {RUN_SLACK:g}× the target")
        if self.also:
            problems.append(self.also)
        return (False, "MISSED: " + "; ".join(problems)) if problems else (True, "met")

    @property
    def ok(self) -> bool | None:
        return self.verdict()[0]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeated(fn: Callable[[], object], runs: int, warm: bool = False) -> list[float]:
    """`runs` timings of `fn`; `warm`: after one untimed call (see paired)."""
    if warm:
        fn()
    return [timed(fn) for _ in range(runs)]


def paired(fn: Callable[[], object], base: Callable[[], object], runs: int,
           warm: bool = False) -> tuple[list[float], list[float]]:
    """Every run of `fn` and of `base`, interleaved (base first) so each pair sees the same noise.
    `warm` (the millisecond figures): one untimed call of each first, so the first timed run is
    not the one that filled the connection's page cache; what is judged is a keystroke, a page or
    a save as people meet them after the first."""
    if warm:
        base()
        fn()
    ours, baseline = [], []
    for _ in range(runs):
        baseline.append(timed(base))
        ours.append(timed(fn))
    return ours, baseline
