"""Two merges into one headquarters file at the same time: two coordinators, or one script run
twice (real `fieldtui merge` processes).

Before: both read "not merged yet" and "no records here" before either held the file, so the
second of one export was refused with SQLite's words ("UNIQUE constraint failed"); two starting
on a new file both made its tables ("table meta already exists"); and a merge whose files were
all refused removed the file it thought it had created, with the other merge's records in it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

from fieldtui.core.store import Store
from tests.cli.test_exchange_cli import field_file

#: Long enough for both merges to start and check their file; under SQLite's busy timeout (5 s).
_HOLD = 3.0


def _merge(hq, export, env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fieldtui", "merge", str(hq), str(export), "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _both(first: subprocess.Popen, second: subprocess.Popen) -> list[tuple[int, str]]:
    return [(p.returncode, out + err) for p in (first, second) for out, err in [p.communicate(timeout=120)]]


def _summary(hq) -> dict:
    out = subprocess.run([sys.executable, "-m", "fieldtui", "summary", str(hq), "--json"], capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def _export(tmp_path, name: str, *flags: str):
    field = field_file(tmp_path / f"{name}.db")
    out = subprocess.run([sys.executable, "-m", "fieldtui", "export", str(field), str(tmp_path / f"{name}-export.db"),
                          "--plain", *flags], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return tmp_path / f"{name}-export.db"


def test_one_export_merged_twice_at_once_is_merged_once_and_neither_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDTUI_WORK_DIR", str(tmp_path / "work"))
    export = _export(tmp_path, "laptop")
    hq = tmp_path / "hq.db"
    Store.open(hq, create=True).close()
    holder = sqlite3.connect(hq, isolation_level=None)  # someone else writing: both merges wait for it
    holder.execute("BEGIN IMMEDIATE")
    first, second = _merge(hq, export, None), _merge(hq, export, None)
    time.sleep(_HOLD)
    holder.execute("ROLLBACK")
    holder.close()
    outcomes = _both(first, second)
    assert [code for code, _out in outcomes] == [0, 0], outcomes
    assert not any("UNIQUE" in out or "refused" in out for _code, out in outcomes), outcomes
    assert _summary(hq)["trainees"] == 2  # counted once
    with Store.open_readonly(hq) as s:
        assert s.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == 1


def test_a_refused_merge_beside_an_accepted_one_on_a_new_file_removes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDTUI_WORK_DIR", str(tmp_path / "work"))
    identified, pseudonymised = _export(tmp_path, "named"), _export(tmp_path, "anon", "--pseudonymise", "--key", "k")
    for round_ in range(3):  # both start on a file that does not exist yet
        hq = tmp_path / f"hq-{round_}.db"
        outcomes = _both(_merge(hq, identified, None), _merge(hq, pseudonymised, None))
        assert sorted(code for code, _out in outcomes) == [0, 2], outcomes
        assert "cannot mix pseudonymised and identified records" in "".join(out for _c, out in outcomes), outcomes
        assert "already exists" not in "".join(out for _c, out in outcomes), outcomes
        assert hq.exists(), outcomes  # the accepted merge's file stays
        assert _summary(hq)["trainees"] == 2
