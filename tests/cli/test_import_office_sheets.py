"""Sheets as offices keep them: a title above the headings ("2012年3月培训学员名单", then a blank
line). Before, the import read the title as the headings and refused the whole sheet ("no known
column headings"); now the headings are found within the first rows, and a row's problem is still
named by its line in the sheet. Real subprocesses, as a coordinator runs them."""

from __future__ import annotations

import csv

import pytest

from fieldtui.core.store import Store
from tests.cli.test_duplicates_imported import HEADER, cli
from tests.core.test_merge_rules import sqlite3_cli
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


@pytest.mark.parametrize("title", [
    ["2012年3月培训学员名单"],  # merged across the headings, as Excel centres a title
    ["2012年3月培训学员名单", *[None] * 5, "制表：李老师"],  # narrower than the headings
])
def test_an_xlsx_title_narrower_than_its_headings_keeps_every_column(tmp_path, title):
    """An .xlsx was read only as wide as its first row: with the title merged over A1, every row
    lacked all but its first column (each refused); with a title narrower than the headings, the
    columns beyond it (phone, household members) were dropped without a word, the household
    counting no indirect beneficiaries."""
    import openpyxl

    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    path = tmp_path / "march.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (title, HEADER, [*ROW[:6], "13812345678", "4", *ROW[8:]]):
        sheet.append(row)
    if len(title) == 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    book.save(path)
    imported = cli("import", db, path, "--kind", "trainees")
    assert imported.returncode == 0 and "1 written" in imported.stdout, imported.stdout + imported.stderr
    with Store.open_readonly(db) as store:
        person = store.conn.execute("SELECT phone, household_members FROM participants").fetchall()
    assert [tuple(r) for r in person] == [("13812345678", 4)]


def test_a_name_corrected_with_sqlite3_is_found_by_the_next_import(tmp_path):
    """Someone corrects a name with the sqlite3 program ("赵民" to "赵敏"); that drops the person's
    search and duplicate keys (migration 0013's trigger), which only the app made again, at its
    start. An import before the app was opened then missed them: the same person, registered again
    at another CBO from a sheet, raised no "possible duplicate" and counted twice."""
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
        make_cbo(s, "Xin Zhi Guan")
    first = tmp_path / "first.csv"
    with open(first, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, [ROW[0], "赵民", *ROW[2:]]])
    assert cli("import", db, first, "--kind", "trainees").returncode == 0
    sqlite3_cli(db, "UPDATE participants SET full_name = '赵敏' WHERE full_name = '赵民'")
    second = tmp_path / "second.csv"
    with open(second, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, ["Xin Zhi Guan", *ROW[1:]]])
    imported = cli("import", db, second, "--kind", "trainees")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "possible duplicate of 赵敏 (1988), registered at Bright Angel Fund" in " ".join(imported.stdout.split()), (
        imported.stdout)


def test_two_columns_for_one_field_refuse_the_sheet_naming_both(tmp_path):
    """电话 and 手机 both mean phone: the later column replaced the earlier row by row, an empty
    cell too, so a person was written without the phone the sheet held."""
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    before = db.read_bytes()
    path = tmp_path / "two-phones.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([[*HEADER, "手机"], [*ROW[:6], "13812345678", *ROW[7:], ""]])
    result = cli("import", db, path, "--kind", "trainees")
    assert result.returncode == 2 and result.stderr.strip().splitlines() == [
        f"fieldtui: error: {path}: the columns phone and 手机 both hold phone: keep one"], result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_excels_tab_delimited_text_is_read(tmp_path, encoding):
    """Excel's "Text (Tab delimited)" (GBK on a Chinese Windows) and "Unicode Text" (UTF-16):
    before, "no known column headings" for the first (its headings read as one) and "neither
    UTF-8 nor GB18030" for the second."""
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    path = tmp_path / "march.txt"
    path.write_bytes("".join("\t".join(r) + "\r\n" for r in (HEADER, ROW)).encode(encoding))
    imported = cli("import", db, path, "--kind", "trainees")
    assert imported.returncode == 0 and "1 written" in imported.stdout, imported.stdout + imported.stderr
    with Store.open_readonly(db) as store:
        assert [r["full_name"] for r in store.page("trainees")] == ["赵敏"]
