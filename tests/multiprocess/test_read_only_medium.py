"""A field file on a read-only medium (a write-protected SD card or USB stick, a share mounted
read-only at headquarters), exported as it is.

The app leaves its files in WAL mode. Reading one needs SQLite's shared-memory file beside it,
which cannot be made on a read-only medium: the export failed, and its message blamed the
export's own folder ("cannot be opened for writing (is its folder read-only or gone?)"), which
was writable. The file is exported now, and merges. Real processes, in a private mount namespace
(root and unshare, as tests/multiprocess/test_disk_and_leftovers.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from fieldtui.core.store import Store
from tests.cli.test_exchange_cli import field_file
from tests.multiprocess.conftest import ROOT, in_private_mount

CLI = [sys.executable, "-m", "fieldtui"]


def on_read_only_medium(tmp_path, field, commands: list[list[str]]) -> list[dict]:
    """Copy `field` onto a tmpfs at tmp_path/ro mounted read-only, run each CLI command
    ("{ro}" in an argument: that folder); returns each one's code, stdout and stderr."""
    ro = tmp_path / "ro"
    ro.mkdir()
    script = tmp_path / "run.py"
    script.write_text(
        "import json, subprocess\nout = []\n"
        f"for cmd in {[[a.replace('{ro}', str(ro)) for a in c] for c in commands]!r}:\n"
        f"    r = subprocess.run({CLI!r} + cmd, capture_output=True, text=True, cwd={str(ROOT)!r})\n"
        "    out.append({'code': r.returncode, 'stdout': r.stdout, 'stderr': r.stderr})\n"
        "print(json.dumps(out))\n")
    run = in_private_mount(f"mount -t tmpfs -o size=16m tmpfs {ro} && cp {field} {ro}/ && mount -o remount,ro {ro} "
                           f"&& {sys.executable} {script}")
    return json.loads(run.stdout)


def test_a_field_file_on_a_read_only_medium_is_exported_and_merges(tmp_path):
    field = field_file(tmp_path / "field.db")  # closed by the app's store: WAL mode, no log beside it
    out, hq = tmp_path / "out.db", tmp_path / "hq.db"
    exported, summary, table, pairs = on_read_only_medium(tmp_path, field, [
        ["export", "{ro}/field.db", str(out)], ["summary", "{ro}/field.db", "--json"],
        ["export-table", "{ro}/field.db", "--kind", "trainees", str(tmp_path / "trainees.csv")],
        ["duplicates", "{ro}/field.db", "--json"]])
    assert exported["code"] == 0, exported["stdout"] + exported["stderr"]
    assert summary["code"] == 0 and json.loads(summary["stdout"])["trainees"] == 2
    assert table["code"] == 0 and "李梅" in (tmp_path / "trainees.csv").read_text(encoding="utf-8-sig")
    assert pairs["code"] == 0 and json.loads(pairs["stdout"])["count"] == 0
    merged = subprocess.run([*CLI, "merge", str(hq), str(out)], capture_output=True, text=True, cwd=ROOT)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    with Store.open_readonly(hq) as s:
        assert s.count("trainees") == 2
