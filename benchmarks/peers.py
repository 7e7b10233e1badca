"""Peers in the same run (issue 19): VisiData, and Harlequin where it installs, opening the same
file's participants table, beside fieldtui opening its trainees list; each started in a
pseudo-terminal as a person starts it (benchmarks/terminal.py), 120 x 40, interleaved run by run,
with an empty home folder (no one's settings).

- Time: from spawn until the first rows are drawn, i.e. until the name on one of the first rows
  the program shows appears in its output. fieldtui: `fieldtui DB`, F3 as soon as its home
  screen is drawn (start-up included). VisiData: `vd DB +0:participants::`, which opens the
  table directly and draws the first rows while it goes on loading the rest in a thread; so it
  is also timed until every row is loaded (its status line shows the full count), which its
  sort, filter and search wait for. Harlequin: its SQL editor, `select * from participants`
  typed as soon as the editor is drawn (once it shows the text: keys sent earlier are lost),
  Ctrl+J, until the results grid shows the rows; it fetches the whole result first.
- Peak RSS: the process's VmHWM at that moment.

The whole-table figures (VisiData every row loaded, Harlequin) take ~40 s a run at 1M, so
`make bench` runs them on the 100,000-person file; `--only peers` runs everything at 1M.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bare_list import first_page
from benchmarks.figure import Figure
from benchmarks.terminal import Terminal

TIMEOUT = 180.0
_BIN = Path(sys.executable).parent
#: Where `make bench` installs Harlequin, in a virtualenv of its own (Makefile: PEERS_VENV).
_PEERS_BIN = Path(__file__).resolve().parent / ".peers" / "bin"
QUERY = "select * from participants"
#: name: (command, why it may be missing)
PEERS = {"VisiData": ("vd", "the bench extra installs it: make .venv/.installed-bench"),
         "Harlequin": ("harlequin", "make bench installs it in benchmarks/.peers; it could not here")}


def _program(name: str) -> str | None:
    found = next((folder / name for folder in (_BIN, _PEERS_BIN) if (folder / name).exists()), None)
    return str(found) if found is not None else shutil.which(name)


def _env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "TMPDIR")}
    return {**keep, "HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"), "FIELDTUI_OPERATOR": "bench"}


def _one(db: Path, sql: str) -> list:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()


def _first_names(db: Path) -> list[str]:
    """Names on the first rows of `select * from participants` (rowid order), as the peers show them."""
    return _one(db, "SELECT full_name FROM participants ORDER BY rowid LIMIT 3")


def fieldtui_list(db: Path, home: Path) -> tuple[float, float]:
    """(seconds from spawn to the trainees list's first rows, peak RSS MiB then)."""
    names = [row[1] for row in first_page(db)[:3]]
    argv = [sys.executable, "-m", "fieldtui", str(db), "--lang", "en"]
    with Terminal(argv, _env(home)) as term:
        term.wait_for(["Trainees"], TIMEOUT)  # the home screen's menu
        since = term.mark()
        term.press("f3")
        return term.wait_for(names, TIMEOUT, since), term.peak_rss_mib()


def visidata(db: Path, home: Path, loaded: bool = False) -> tuple[float, float]:
    """(seconds to the first rows drawn, or with `loaded` to every row loaded; peak RSS then)."""
    argv = [_program("vd") or "vd", str(db), "+0:participants::"]
    with Terminal(argv, _env(home)) as term:
        if not loaded:
            return term.wait_for(_first_names(db), TIMEOUT), term.peak_rss_mib()
        rows = _one(db, "SELECT count(*) FROM participants")[0]
        return term.wait_for([f" {rows} rows"], TIMEOUT), term.peak_rss_mib()


def harlequin(db: Path, home: Path) -> tuple[float, float]:
    """(seconds from spawn to the query's first rows shown, peak RSS then)."""
    argv = [_program("harlequin") or "harlequin", "-a", "sqlite", str(db)]
    with Terminal(argv, _env(home)) as term:
        term.wait_for(["Query Editor"], TIMEOUT)
        for _ in range(20):  # the editor takes keys a moment after it is drawn
            since = term.mark()
            term.press(QUERY)
            try:
                term.wait_for(["participants"], 1.0, since)  # its last word: the editor colours the rest
                break
            except TimeoutError:
                term.press("ctrl+a")  # whatever part arrived is selected, and replaced by the next try
                time.sleep(0.1)
        since = term.mark()
        term.press("ctrl+j")
        return term.wait_for(_first_names(db), TIMEOUT, since), term.peak_rss_mib()


def _measure(plan: dict[str, Callable[[], tuple[float, float]]], runs: int,
             why_not: dict[str, str | None]) -> dict[str, list[tuple[float, float]]]:
    """Each measure `runs` times, interleaved; a peer that fails is skipped with its reason."""
    got: dict[str, list[tuple[float, float]]] = {label: [] for label in plan}
    for _ in range(runs):
        for label, measure in plan.items():
            peer = label.split()[0]
            if why_not.get(peer) is None:
                try:
                    got[label].append(measure())
                except (TimeoutError, RuntimeError, OSError) as exc:
                    why_not[peer] = f"could not be run: {exc}"
    return got


def figures(db: Path, n: int, runs: int, whole: tuple[Path, int] | None = None) -> list[Figure]:
    """The peers on `db` (n people); the whole-table figures on `whole` = (file, its n), default `db`."""
    whole_db, whole_n = whole or (db, n)
    why_not = {name: None if _program(cmd) else f"`{cmd}` not installed ({why})" for name, (cmd, why) in PEERS.items()}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        plan = {"fieldtui": lambda: fieldtui_list(db, home), "VisiData": lambda: visidata(db, home),
                "VisiData loaded": lambda: visidata(whole_db, home, loaded=True),
                "Harlequin": lambda: harlequin(whole_db, home)}
        got = _measure(plan, runs, why_not)
    out = [Figure("fieldtui in a terminal: spawn, F3, trainees list's first rows drawn", n,
                  [t for t, _ in got["fieldtui"]], note="pty 120x40, start-up included; peers are compared with it"),
           Figure("fieldtui in a terminal: peak RSS at that screen", n, [m for _, m in got["fieldtui"]], unit="MiB")]
    rows = (("VisiData", "VisiData", n, "fieldtui", "first screen of the participants table",
             "vd DB +0:participants::"),
            ("VisiData loaded", "VisiData", whole_n, "fieldtui", "every row loaded (its sort/filter wait for it)",
             "the same, until its status line shows every row"),
            ("Harlequin", "Harlequin", whole_n, "fieldtui", "participants' rows shown",
             f"harlequin -a sqlite DB, `{QUERY}`, Ctrl+J"))
    for label, peer, size, ours_label, what, how in rows:
        theirs = got[label] if why_not[peer] is None else []
        ours = got[ours_label] if theirs else []
        skipped = None if theirs else why_not[peer] or "not measured"
        out.append(Figure(f"peer {peer}: {what}, vs fieldtui's list", size, [t for t, _ in ours],
                          [t for t, _ in theirs], skipped=skipped,
                          note=f"baseline: {peer} ({how}); ours: fieldtui's list on the {n:,}-person file (flat "
                          "in N); ratio < 1: fieldtui is faster"))
        out.append(Figure(f"peer {peer}: peak RSS then, vs fieldtui's list", size, [m for _, m in ours],
                          [m for _, m in theirs], unit="MiB", skipped=skipped, note=f"baseline: {peer}"))
    return out
