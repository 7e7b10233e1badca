"""Soak (`make soak`): the app saving while other programs read, write, export and close the same
file, with kill -9 of the app at random moments (mid-save included). Every acknowledged save, the
app's and the CLI's, must be in the file afterwards. Figures go to docs/reliability.md."""

from __future__ import annotations

import csv
import os
import random
import select
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, deleted_journals, other_program

ROUNDS = int(os.environ.get("FIELDTUI_SOAK_ROUNDS", "12"))
KEYS = ["f5", "f10", "f3", "f2", "f4", "escape", "ctrl+g"]
HEADER = ["cbo", "full_name", "gender", "birth_year", "province", "origin", "phone", "household_members",
          "registered_on", "course", "start_date", "end_date", "status"]


def _import_one(db, tmp_path, name: str) -> bool:
    """`fieldtui import` of one trainee while the app has the file open: a second writer."""
    path = tmp_path / f"{name}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, ["Bright Angel Fund", name, "男", "1985", "河南", "recent", "", "1",
                                           "2010-03-01", "电工", "2010-03-10", "", "enrolled"]])
    run = subprocess.run([sys.executable, "-m", "fieldtui", "import", str(db), "--kind", "trainees", str(path)],
                         cwd=ROOT, capture_output=True, timeout=120)
    return run.returncode == 0


def _replies(app, timeout: float) -> list[str]:
    out = []
    while True:
        ready, _, _ = select.select([app.proc.stdout], [], [], timeout)
        if not ready:
            return out
        line = app.proc.stdout.readline()
        if not line:
            return out
        out.append(line.decode().strip())
        timeout = 0.05


def _round(rng, app_process, db, tmp_path, n: int, figures: dict) -> set[str]:
    acked: set[str] = set()
    app = app_process(db)
    app.send("offer discard")  # a form typed when the last run was killed is offered first
    for step in range(rng.randint(2, 5)):
        app.send("press " + rng.choice(KEYS))
        kind = rng.choice(["sqlite3", "summary", "export", "import"])
        if kind == "import":
            name = f"导{n}x{step}"
            if _import_one(db, tmp_path, name):
                acked.add(name)
                figures["cli_saves"] += 1
        else:
            other_program(kind, db, tmp_path)
        figures["other_programs"] += 1
        if deleted_journals(app.pid):
            figures["deleted_journals_seen"] += 1
        name = f"存{n}x{step}"
        if rng.random() < 0.25:  # killed while saving
            app.proc.stdin.write(f"trainee {name}\n".encode())
            app.proc.stdin.flush()
            replies = _replies(app, rng.uniform(0.0, 1.5))
            app.kill9()
            replies += _replies(app, 0.2)
            if f"acked {name}" in replies:
                acked.add(name)
            figures["kills"] += 1
            return acked
        reply = app.send(f"trainee {name}")
        if reply == f"acked {name}":
            acked.add(name)
        else:
            figures.setdefault("refused", []).append(reply)
    app.kill9()
    figures["kills"] += 1
    return acked


@pytest.mark.slow
def test_soak_other_programs_and_kills(app_process, field_copy, tmp_path, capsys):
    seed = int(os.environ.get("FIELDTUI_SOAK_SEED", "20261130"))
    rng = random.Random(seed)
    figures = dict(rounds=ROUNDS, kills=0, other_programs=0, cli_saves=0, deleted_journals_seen=0)
    acked: set[str] = set()
    began = time.monotonic()
    for n in range(ROUNDS):
        acked |= _round(rng, app_process, field_copy, tmp_path, n, figures)
    conn = sqlite3.connect(field_copy)
    present = {r[0] for r in conn.execute("SELECT full_name FROM participants")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    lost = sorted(acked - present)
    with capsys.disabled():
        print(f"\n[other programs] seed {seed}: {figures['rounds']} app runs, {figures['kills']} kill -9, "
              f"{figures['other_programs']} other programs opened and closed the file "
              f"({figures['cli_saves']} of them saved through `fieldtui import`), {len(acked)} acknowledged "
              f"saves, {len(lost)} lost, {figures['deleted_journals_seen']} deleted journals seen, "
              f"integrity {integrity}, {time.monotonic() - began:.0f} s")
        for reply in figures.get("refused", []):  # not lost (never acknowledged), but said why
            print(f"  not saved: {reply}")
    assert integrity == "ok"
    assert lost == []
    assert figures["deleted_journals_seen"] == 0
