"""A sheet imported twice, or this month's sheet that repeats last month's rows, as coordinators
keep them: a row whose person and enrolment are in the file already, every field equal, is not
written again. Before, every such row became another person, counted again as a beneficiary (and
only noted as a "possible duplicate"). Real subprocesses, as a coordinator runs them."""

from __future__ import annotations

import json

from fieldtui.core.store import Store
from tests.cli.test_duplicates_imported import cli, sheet
from tests.core.test_store import make_cbo

MARCH = [("王小二", 1992, ""), ("赵敏", 1988, "13912345678")]


def _field(tmp_path):
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    return db


def _trainees(db) -> int:
    return json.loads(cli("summary", db, "--json").stdout)["trainees"]


def test_the_same_sheet_imported_twice_counts_each_person_once(tmp_path):
    db = _field(tmp_path)
    march = sheet(tmp_path / "march.csv", "Bright Angel Fund", MARCH)
    first = cli("import", db, march, "--kind", "trainees")
    assert first.returncode == 0 and "2 rows read, 2 written" in first.stdout, first.stdout + first.stderr
    again = cli("import", db, march, "--kind", "trainees")
    assert again.returncode == 0, again.stderr
    assert "2 rows read, 0 written" in again.stdout, again.stdout
    assert "2 rows were already in the file" in again.stdout, again.stdout
    assert "possible duplicate" not in again.stdout
    assert _trainees(db) == 2


def test_a_sheet_that_repeats_last_months_rows_adds_only_the_new_ones(tmp_path):
    db = _field(tmp_path)
    assert cli("import", db, sheet(tmp_path / "march.csv", "Bright Angel Fund", MARCH), "--kind", "trainees"
               ).returncode == 0
    april = sheet(tmp_path / "april.csv", "Bright Angel Fund", [*MARCH, ("李春花", 1990, "")])
    done = cli("import", db, april, "--kind", "trainees")
    assert "3 rows read, 1 written" in done.stdout and "2 rows were already in the file" in done.stdout, done.stdout
    assert _trainees(db) == 3


def test_a_row_that_differs_in_one_field_is_written_and_noted_as_before(tmp_path):
    """Not the same record: a person decides (the duplicates screen), as before."""
    db = _field(tmp_path)
    assert cli("import", db, sheet(tmp_path / "march.csv", "Bright Angel Fund", MARCH), "--kind", "trainees"
               ).returncode == 0
    changed = sheet(tmp_path / "new-phone.csv", "Bright Angel Fund", [("赵敏", 1988, "13900000000")])
    done = cli("import", db, changed, "--kind", "trainees")
    assert "1 rows read, 1 written" in done.stdout and "possible duplicate of 赵敏 (1988)" in done.stdout, done.stdout
    assert _trainees(db) == 3
