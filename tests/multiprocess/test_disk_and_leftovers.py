"""Full disks, killed merges, symbolic links, umask 000: one line, exit 2, nothing changed or left.

The disk is a real 1 MiB tmpfs in a private mount namespace (root and `unshare` needed, as on
these machines and in CI); copies of personal data are looked for where a person would find them."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldtui.core.store import Store
from tests.core.test_store import make_cbo

from .conftest import ROOT, SAMPLE, in_private_mount

CLI = [sys.executable, "-m", "fieldtui"]


def cli(*args, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, **kw)


def one_line_error(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """sample.db exported once (about 3 MB): bigger than the tiny disks below."""
    folder = tmp_path_factory.mktemp("exported")
    field = folder / "field.db"
    shutil.copyfile(SAMPLE, field)
    assert cli("export", field, folder / "export.db").returncode == 0
    return folder / "export.db"


def in_tiny_disk(tmp_path: Path, commands: list[list[str]], env: dict[str, str] | None = None,
                 size: str = "1m", copy_in: Path | None = None) -> list[dict]:
    """Run CLI commands with a 1 MiB tmpfs at tmp_path/mnt (`copy_in` copied onto it first);
    returns each one's code and output, and what is left on the tiny disk afterwards (`sizes`:
    each file's bytes)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir(exist_ok=True)
    script = tmp_path / "run.py"
    script.write_text(
        "import json, os, shutil, subprocess, sys\n"
        + (f"shutil.copy({str(copy_in)!r}, {str(mnt)!r})\n" if copy_in else "")
        + f"out = []\nfor cmd in {commands!r}:\n"
        f"    r = subprocess.run({CLI!r} + cmd, capture_output=True, text=True, cwd={str(ROOT)!r})\n"
        "    out.append({'code': r.returncode, 'stdout': r.stdout, 'stderr': r.stderr,\n"
        f"                'left': sorted(os.listdir({str(mnt)!r})),\n"
        f"                'sizes': {{n: os.path.getsize(os.path.join({str(mnt)!r}, n))\n"
        f"                          for n in os.listdir({str(mnt)!r})}}}})\n"
        "print(json.dumps(out))\n")
    run = in_private_mount(f"mount -t tmpfs -o size={size} tmpfs {mnt} && {sys.executable} {script}", env=env)
    return json.loads(run.stdout)


def test_export_to_a_full_disk_says_so_and_leaves_nothing(tmp_path):
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    before = field.read_bytes()
    [result] = in_tiny_disk(tmp_path, [["export", str(field), str(tmp_path / "mnt" / "out.db")]])
    line = one_line_error(subprocess.CompletedProcess([], result["code"], result["stdout"], result["stderr"]))
    assert "disk is full" in line and "export was not written" in line and "damaged" not in line
    assert result["left"] == []  # no half-written export, no temp copy on the stick
    assert field.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_table_to_a_full_disk_says_so(tmp_path, suffix):
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    [result] = in_tiny_disk(tmp_path, [["export-table", str(field), "--kind", "trainees",
                                        str(tmp_path / "mnt" / f"trainees{suffix}")]], size="64k")
    line = one_line_error(subprocess.CompletedProcess([], result["code"], result["stdout"], result["stderr"]))
    assert "disk is full" in line and "table was not written" in line
    assert result["left"] == []


def test_an_import_that_fills_the_disk_writes_nothing_and_gives_its_space_back(tmp_path):
    """A big sheet imported into a field file on a nearly full disk (a USB stick): one line,
    nothing saved, and no write-ahead log left holding the rows it could not save (their names
    and phones) or the space. (It held already; this guards it. A file whose log still held a
    committed change, e.g. an upgrade, keeps that log until the disk has room, as it must.)"""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    sheet = tmp_path / "big.csv"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["cbo", "full_name", "gender", "birth_year", "province", "origin", "phone", "household_members",
                      "registered_on", "course", "start_date", "status"])
        out.writerows(["Bright Angel Fund", f"测试{i:05d}", "male", 1990, "河南", "recent_arrival", f"139{i:08d}", 3,
                       "2011-03-01", "电工", "2011-03-01", "enrolled"] for i in range(20_000))
    on_disk = tmp_path / "mnt" / "field.db"
    imported, counted = in_tiny_disk(tmp_path, [["import", str(on_disk), "--kind", "trainees", str(sheet)],
                                                ["summary", str(on_disk), "--json"]], copy_in=field)
    line = one_line_error(subprocess.CompletedProcess([], imported["code"], imported["stdout"], imported["stderr"]))
    assert "disk is full" in line and "nothing was saved" in line
    assert imported["sizes"].get("field.db-wal", 0) == 0, imported["sizes"]
    assert json.loads(counted["stdout"])["trainees"] == 0


def test_merge_into_a_full_disk_blames_the_disk_not_the_export(tmp_path, exported):
    hq = tmp_path / "mnt" / "hq.db"
    [result] = in_tiny_disk(tmp_path, [["merge", str(hq), str(exported)]])
    out = result["stdout"] + result["stderr"]
    assert result["code"] == 2 and "Traceback" not in out
    assert "disk is full" in out and "refused" not in out, out


def test_merge_with_a_full_work_disk_blames_the_disk_not_the_export(tmp_path, exported):
    hq = tmp_path / "hq.db"
    [result] = in_tiny_disk(tmp_path, [["merge", str(hq), str(exported)]],
                            env={"FIELDTUI_WORK_DIR": str(tmp_path / "mnt" / "work")})
    out = result["stdout"] + result["stderr"]
    assert result["code"] == 2 and "Traceback" not in out
    assert "disk is full" in out and "refused" not in out, out
    assert result["left"] in ([], ["work"])
    if hq.exists():
        with sqlite3.connect(hq) as conn:
            assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 0


def test_a_killed_merge_leaves_no_copies_beside_headquarters_and_the_next_run_sweeps_them(tmp_path, exported):
    work = tmp_path / "work"
    env = {**os.environ, "FIELDTUI_WORK_DIR": str(work)}
    inputs = []
    for i in range(4):
        inputs.append(tmp_path / f"e{i}.db")
        shutil.copyfile(exported, inputs[-1])
    hq_dir = tmp_path / "hq"
    hq_dir.mkdir()
    proc = subprocess.Popen([*CLI, "merge", str(hq_dir / "hq.db"), *map(str, inputs)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(work.glob("merge-*/*.db")):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    left = list(work.glob("merge-*"))
    assert left, "the merge was killed before it copied anything"  # the situation under test
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in left)
    assert sorted(p.name for p in hq_dir.iterdir() if not p.name.startswith("hq.db")) == []
    again = cli("merge", tmp_path / "hq2.db", inputs[0], env={"FIELDTUI_WORK_DIR": str(work)})
    assert again.returncode == 0, again.stderr
    assert list(work.glob("merge-*")) == []  # swept: the killed run's copies are gone


def test_pseudonymised_export_of_an_older_file_leaves_no_identified_copy(tmp_path):
    old = tmp_path / "old.db"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "schema_v1.db", old)
    stick = tmp_path / "stick"
    stick.mkdir()
    work = tmp_path / "work"
    run = cli("export", old, stick / "out.db", "--pseudonymise", "--key", "k",
              env={"FIELDTUI_WORK_DIR": str(work)})
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in stick.iterdir()) == ["out.db"]
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("command", ["merge-input-loop", "app-dangling", "hq-dangling", "export-dangling"])
def test_symbolic_links_that_lead_nowhere_are_one_line(tmp_path, exported, command):
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "missing" / "x.db")
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    runs = {
        "merge-input-loop": lambda: cli("merge", tmp_path / "hq.db", exported, loop),
        "app-dangling": lambda: cli("summary", dangling),
        "hq-dangling": lambda: cli("merge", dangling, exported),
        "export-dangling": lambda: cli("export", field, dangling),
    }
    run = runs[command]()
    assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr, run.stderr
    if command != "merge-input-loop":
        one_line_error(run)
    else:  # the good file merged, the loop refused by name
        assert "loop.db" in run.stdout + run.stderr


@pytest.mark.parametrize("command", ["summary", "redate", "export-from", "export-to", "merge-hq", "merge-input",
                                     "import"])
def test_a_named_pipe_where_a_file_goes_is_one_line_at_once(tmp_path, exported, command):
    """A pipe (mkfifo, or a shell's <(...) for an export) is no file: before, SQLite's read or
    Python's open() of it waited for a writer that never came, and the command hung."""
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    args = {
        "summary": ["summary", pipe],
        "redate": ["redate", pipe],
        "export-from": ["export", pipe, tmp_path / "out.db"],
        "export-to": ["export", field, pipe],
        "merge-hq": ["merge", pipe, exported],
        "merge-input": ["merge", tmp_path / "hq.db", exported, pipe],
        "import": ["import", field, pipe, "--kind", "trainees"],  # it said "no such file"
    }[command]
    try:
        run = subprocess.run([*CLI, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"fieldtui {command} hung on a named pipe")
    if command == "merge-input":  # the good export merged, the pipe refused by name
        assert run.returncode == 2 and "Traceback" not in run.stdout + run.stderr, run.stderr
        assert "pipe.db: not a file" in run.stdout + run.stderr
    else:
        assert one_line_error(run).endswith("pipe.db is a pipe, a device or a socket, not a file")
    assert not (tmp_path / "out.db").exists()


def test_every_file_made_is_0600_whatever_the_umask(tmp_path, exported):
    env = {"FIELDTUI_CONFIG_DIR": str(tmp_path / "config"), "FIELDTUI_WORK_DIR": str(tmp_path / "work")}
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    script = (
        "import os, sys; os.umask(0); from fieldtui.cli import main; from fieldtui.core.settings import "
        "save_language; save_language('zh'); sys.argv = ['fieldtui'] + sys.argv[1:]; main()")
    outputs = {
        "export": [str(field), str(tmp_path / "out.db")],
        "export-table": [str(field), "--kind", "trainees", str(tmp_path / "t.xlsx")],
        "merge": [str(tmp_path / "hq.db"), str(exported)],
    }
    for command, args in outputs.items():
        run = subprocess.run([sys.executable, "-c", script, command, *args], cwd=ROOT, capture_output=True,
                             text=True, env={**os.environ, **env}, timeout=300)
        assert run.returncode == 0, run.stderr
    made = [tmp_path / "out.db", tmp_path / "t.xlsx", tmp_path / "hq.db", tmp_path / "config" / "config.toml"]
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made} == {p.name: "0o600" for p in made}


def test_a_work_folder_that_cannot_be_made_is_one_line_and_leaves_no_file(tmp_path, exported):
    """A mistyped $FIELDTUI_WORK_DIR (here under a file) or an unwritable cache folder: before, a
    traceback (exit 1), and the merge left a new empty headquarters file behind."""
    (tmp_path / "a-file").write_text("")
    env = {"FIELDTUI_WORK_DIR": str(tmp_path / "a-file" / "work")}
    for args in (["merge", tmp_path / "hq.db", exported], ["export", SAMPLE, tmp_path / "out.db"]):
        line = one_line_error(cli(*args, env=env))
        assert "the work folder" in line and "cannot be used" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_report_that_fills_the_disk_leaves_neither_file_and_no_traceback(tmp_path):
    """The page fits, the workbook does not. Before: the page was left as if written (the line
    said "the report was not written"), beside the previous report's workbook if there was one,
    and the workbook's zip writer printed a traceback ("Exception ignored in: ZipFile.__del__")."""
    field = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, field)
    [result] = in_tiny_disk(tmp_path, [["report", str(field), str(tmp_path / "mnt")]], size="64k")
    line = one_line_error(subprocess.CompletedProcess([], result["code"], result["stdout"], result["stderr"]))
    assert "disk is full" in line and "report was not written" in line, line
    assert result["left"] == [], result["left"]
