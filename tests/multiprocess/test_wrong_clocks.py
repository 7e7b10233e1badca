"""The real commands run under a wrong clock (libfaketime's `faketime`, as a laptop whose battery
went flat, or a headquarters computer set a year back): they say which clock is wrong and change
nothing. Before, `redate` under a clock reset to 2009 re-dated every change of the file to 2009
(32,746 in the sample), and the export, then the merge, sent people to run it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from fieldtui.core.models import CBO
from fieldtui.core.store import Store
from tests.core.test_store import trainee

from .conftest import ROOT, SAMPLE
from .test_disk_and_leftovers import one_line_error

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None and not os.environ.get("CI"),
                                reason="needs libfaketime's faketime (apt install faketime)")

RESET = "2009-01-01 12:00:00"  # a flat battery's date: before clock.NOT_BEFORE


def cli(at: str | None, *args) -> subprocess.CompletedProcess:
    clock = ["faketime", at] if at else []
    return subprocess.run([*clock, sys.executable, "-m", "fieldtui", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def field(tmp_path):
    path = tmp_path / "field.db"
    shutil.copy(SAMPLE, path)
    return path


def test_redate_under_a_clock_reset_long_ago_is_refused_and_the_file_untouched(field):
    before = sha(field)
    said = one_line_error(cli(RESET, "redate", field))
    assert "2009-01-01" in said and "clock is wrong" in said, said
    assert sha(field) == before and not list(field.parent.glob("field.db-*"))


def test_export_under_a_clock_reset_long_ago_names_the_clock_not_redate(field, tmp_path):
    said = one_line_error(cli(RESET, "export", field, tmp_path / "e.db"))
    assert "clock is wrong" in said and "redate" not in said, said
    assert not (tmp_path / "e.db").exists()


@pytest.mark.parametrize("command", ["import", "conflicts --resolve"])
def test_commands_that_write_records_refuse_a_clock_reset_long_ago_and_change_nothing(field, tmp_path, command):
    """An import's rows were refused as "in the future" one by one (--skip-invalid wrote the
    rest, stamped 2009); a conflict settled would be audited as settled in 2009, and headquarters
    cannot merge under that clock either."""
    sheet = tmp_path / "t.csv"
    assert cli(None, "export-table", field, sheet, "--kind", "trainees").returncode == 0
    args = {"import": ["import", field, "--kind", "trainees", "--skip-invalid", sheet],
            "conflicts --resolve": ["conflicts", field, "--resolve", "0190"]}[command]
    before = sha(field)
    said = one_line_error(cli(RESET, *args))
    assert "clock is wrong" in said, said
    assert sha(field) == before and not list(field.parent.glob("field.db-*"))


def test_merge_under_a_clock_reset_long_ago_stops_before_making_the_file(field, tmp_path):
    assert cli(None, "export", field, tmp_path / "e.db").returncode == 0
    said = one_line_error(cli(RESET, "merge", tmp_path / "hq.db", tmp_path / "e.db"))
    assert "clock is wrong" in said, said
    assert not list(tmp_path.glob("hq.db*"))


def test_a_headquarters_clock_behind_a_files_changes_is_named_beside_the_laptops(tmp_path):
    """Set after clock.NOT_BEFORE but months behind: the file's changes (saved today) are later
    than headquarters' date. Either clock may be the wrong one; both are named, with this
    computer's date, so nobody runs `redate` on a laptop whose clock is right and nothing else."""
    with Store.open(tmp_path / "field.db", create=True) as store:
        cbo = store.save_cbo(CBO(name_zh="新希望", name_en="New Hope", grant_usd=10000, target_direct=100,
                                 programmes=["vocational_training"]))
        store.save_trainee(trainee(cbo.id))
    assert cli(None, "export", tmp_path / "field.db", tmp_path / "e.db").returncode == 0
    said = one_line_error(cli("2025-06-01 12:00:00", "merge", tmp_path / "hq.db", tmp_path / "e.db"))
    assert "this computer's date (2025-06-01)" in said and "this computer's clock is behind" in said, said
