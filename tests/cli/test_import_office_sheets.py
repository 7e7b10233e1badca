"""Sheets as offices keep them: a title above the headings ("2012年3月培训学员名单", then a blank
line). Before, the import read the title as the headings and refused the whole sheet ("no known
column headings"); now the headings are found within the first rows, and a row's problem is still
named by its line in the sheet. Real subprocesses, as a coordinator runs them."""

from __future__ import annotations

import csv

from fieldtui.core.store import Store
from tests.cli.test_duplicates_imported import HEADER, cli
from tests.core.test_store import make_cbo

ROW = ["Bright Angel Fund", "赵敏", "female", "1988", "Henan", "recent_arrival", "", "3", "2012-03-01", "厨师",
       "2012-03-05", "enrolled"]


def test_a_title_above_the_headings_is_skipped(tmp_path):
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    path = tmp_path / "march.csv"
    bad = [*ROW[:3], "1888", *ROW[4:]]  # line 5: born 1888
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["2012年3月培训学员名单"], [], HEADER, ROW, bad])
    refused = cli("import", db, path, "--kind", "trainees")
    assert refused.returncode == 2 and "5" in refused.stdout and "no known column" not in refused.stderr, (
        refused.stdout + refused.stderr)
    imported = cli("import", db, path, "--kind", "trainees", "--skip-invalid")
    assert imported.returncode == 0 and "1 written" in imported.stdout, imported.stdout + imported.stderr
    with Store.open_readonly(db) as store:
        assert [r["full_name"] for r in store.page("trainees")] == ["赵敏"]
