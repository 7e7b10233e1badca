"""Spreadsheet import (CSV/XLSX, English/Chinese headers, all-or-nothing) and streaming export."""

from __future__ import annotations

import csv
import os
import stat

import openpyxl
import pytest

from fieldtui.core import sheets
from fieldtui.core.sheets import xlsxfile
from fieldtui.core.store import Store, StoreError
from tests.core.test_store import make_cbo, trainee

GOOD_1 = ["Bright Angel Fund", "王建国", "男", "1985", "河南", "recent", "13812345678", "3", "2010-03-01", "电工",
          "2010-03-10", "2010-06-10", "completed"]
BAD_AGE = ["光明天使基金", "小孩", "女", "2008", "河南", "recent", "", "0", "2010-03-01", "电工", "2010-03-10", "", "enrolled"]
GOOD_2 = ["Bright Angel Fund", "李梅", "f", "1990", "Sichuan", "city", "", "1", "2010-03-01", "家政", "2010-03-10", "",
          "enrolled"]
BAD_PHONE = ["Bright Angel Fund", "赵六", "male", "1980", "河北", "recent", "12345", "0", "2010-03-01", "电工",
             "2010-03-10", "", "enrolled"]
ZH_HEADER = ["机构", "姓名", "性别", "出生年份", "户籍省份", "来源", "电话", "受益家庭成员", "登记日期", "课程", "开始日期",
             "结束日期", "状态"]
EN_HEADER = ["cbo", "full_name", "gender", "birth_year", "province", "origin", "phone", "household_members",
             "registered_on", "course", "start_date", "end_date", "status"]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        make_cbo(s)
        yield s


def write_csv(path, header, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 6 else v for v in r])
    book.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_mixed_rows_report_each_bad_line_and_write_nothing(store, tmp_path, fmt):
    rows = [GOOD_1, BAD_AGE, GOOD_2, BAD_PHONE]
    path = (write_csv(tmp_path / "in.csv", ZH_HEADER, rows) if fmt == "csv"
            else write_xlsx(tmp_path / "in.xlsx", ZH_HEADER, rows))
    report = sheets.import_table(store, "trainees", path)
    assert not report.ok
    assert [e.line for e in report.errors] == [3, 5]
    assert "at least 16" in report.errors[0].message
    assert "Phone" in report.errors[1].message
    assert report.written == 0
    assert store.count("trainees") == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_skip_invalid_writes_only_the_good_rows(store, tmp_path, fmt):
    rows = [GOOD_1, BAD_AGE, GOOD_2, BAD_PHONE]
    path = (write_csv(tmp_path / "in.csv", EN_HEADER, rows) if fmt == "csv"
            else write_xlsx(tmp_path / "in.xlsx", EN_HEADER, rows))
    report = sheets.import_table(store, "trainees", path, skip_invalid=True)
    assert report.written == 2 and len(report.errors) == 2
    names = sorted(r["full_name"] for r in store.page("trainees"))
    assert names == ["李梅", "王建国"]


def test_gb18030_csv_from_chinese_excel(store, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", ZH_HEADER, [GOOD_1], encoding="gb18030")
    report = sheets.import_table(store, "trainees", path)
    assert report.ok and report.written == 1
    assert store.page("trainees")[0]["full_name"] == "王建国"


def test_duplicates_in_file_and_in_store_are_flagged(store, tmp_path):
    store.save_trainee(trainee(store.cbos()[0].id, "王建国"))
    other_household = [*GOOD_2[:7], "2", *GOOD_2[8:]]  # one field apart: maybe the same person
    path = write_csv(tmp_path / "in.csv", EN_HEADER, [GOOD_2, other_household, GOOD_2])
    report = sheets.import_table(store, "trainees", path)
    assert report.ok and report.written == 2 and report.already_stored == 1  # line 4 repeats line 2
    assert [d.line for d in report.duplicates] == [3]
    assert "line 2 of this file" in report.duplicates[0].message
    path = write_csv(tmp_path / "in2.csv", EN_HEADER, [GOOD_1])
    report = sheets.import_table(store, "trainees", path)
    assert len(report.duplicates) == 1 and "registered at Bright Angel Fund" in report.duplicates[0].message


def test_unknown_headings_are_refused(store, tmp_path):
    path = write_csv(tmp_path / "in.csv", ["foo", "bar"], [["1", "2"]])
    with pytest.raises(StoreError, match="no known column"):
        sheets.import_table(store, "trainees", path)


def test_exported_csv_has_bom_and_neutralised_formulas(store, tmp_path):
    cbo = store.cbos()[0].id
    store.save_trainee(trainee(cbo, "=HYPERLINK(\"http://x\")"))
    store.save_trainee(trainee(cbo, "@SUM(A1)"))
    out = tmp_path / "out.csv"
    assert sheets.export_table(store, "trainees", out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert ",=" not in text and ",@" not in text
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_export_round_trips_through_import(store, tmp_path):
    cbo = store.cbos()[0].id
    for i in range(5):
        store.save_trainee(trainee(cbo, f"学员{i}"))
    out = tmp_path / "out.xlsx"
    assert sheets.export_table(store, "trainees", out) == 5
    with Store.open(tmp_path / "other.db", create=True) as other:
        make_cbo(other)
        report = sheets.import_table(other, "trainees", out)
        assert report.ok, report.errors
        assert other.count("trainees") == 5


def test_export_streams_in_pages(store, tmp_path):
    cbo = store.cbos()[0].id
    for i in range(7):
        store.save_trainee(trainee(cbo, f"学员{i}"))
    rows = list(sheets.iter_table(store, "trainees", batch=2))
    assert len(rows) == 7 and len({r[0] for r in rows}) == 7


def test_summary_as_csv_and_xlsx(store, tmp_path):
    store.save_trainee(trainee(store.cbos()[0].id))
    sheets.export_table(store, "summary", tmp_path / "s.csv")
    rows = list(csv.reader(open(tmp_path / "s.csv", encoding="utf-8-sig")))
    assert rows[0][0] == "name" and rows[-1][0] == "Total" and rows[-1][4] == "1"
    sheets.export_table(store, "summary", tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert sheet.cell(row=3, column=1).value == "Total"


def test_children_and_placements_import(store, tmp_path):
    header = ["机构", "姓名", "性别", "出生年份", "户籍省份", "来源", "登记日期", "学校", "年级", "监护人", "监护人同意",
              "开始日期"]
    path = write_csv(tmp_path / "kids.csv", header, [
        ["光明天使基金", "王小明", "男", "2003", "河南", "城市长大", "2010-03-01", "明圆学校", "2", "王建国", "是", "2010-03-01"],
        ["光明天使基金", "王小红", "女", "2003", "河南", "城市长大", "2010-03-01", "明圆学校", "2", "", "否", "2010-03-01"],
    ])
    report = sheets.import_table(store, "children", path)
    assert [e.line for e in report.errors] == [3] and "Guardian" in report.errors[0].message
    assert store.count("children") == 0
    tid = store.save_trainee(trainee(store.cbos()[0].id)).training.id
    path = write_csv(tmp_path / "jobs.csv", ["training_id", "employer", "job_title", "start_date", "wage_cny"], [
        [tid, "按摩店", "按摩师", "2010-07-01", "1800"],
        ["no-such-trainee", "按摩店", "按摩师", "2010-07-01", "1800"],
    ])
    report = sheets.import_table(store, "placements", path, skip_invalid=True)
    assert report.written == 1 and [e.line for e in report.errors] == [3]
    assert store.count("placements") == 1


@pytest.mark.parametrize("kind", ["others", "participants"])
def test_other_programme_participants_import(store, tmp_path, kind):
    path = write_csv(tmp_path / "others.csv", ["机构", "姓名", "性别", "出生年份", "户籍省份", "来源", "登记日期", "项目",
                                                "开始日期"],
                     [["光明天使基金", "王五", "男", "1980", "河南", "recent", "2010-03-01", "other", "2010-03-02"]])
    report = sheets.import_table(store, kind, path)
    assert report.ok and report.written == 1, report.errors
    assert store.count("others") == 1


def test_xlsx_export_continues_on_a_new_sheet_past_the_row_limit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxfile, "XLSX_MAX_ROWS", 2)
    cbo = store.cbos()[0].id
    for i in range(5):
        store.save_trainee(trainee(cbo, f"学员{i}"))
    sheets.export_table(store, "trainees", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["trainees", "trainees (2)", "trainees (3)"]
    assert sum(sheet.max_row - 1 for sheet in book.worksheets) == 5


def test_a_damaged_xlsx_is_refused_with_one_line_and_nothing_written(store, tmp_path):
    """openpyxl inflates the sheet while rows are read: damage past the header fails mid-import."""
    import zipfile

    path = write_xlsx(tmp_path / "in.xlsx", ZH_HEADER, [GOOD_1, GOOD_2] * 300)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle: middle + 64] = b"\xff" * 64  # the deflate stream breaks half-way through the rows
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as exc:
        sheets.import_table(store, "trainees", path)
    assert "the spreadsheet is damaged" in str(exc.value) and "\n" not in str(exc.value)
    assert store.count("trainees") == 0


def test_an_unknown_cbo_with_a_line_break_is_reported_on_one_line(store, tmp_path):
    """Found by the soak fuzz: the reason quoted the cell as it was, line break included."""
    path = write_csv(tmp_path / "in.csv", EN_HEADER, [["Nowhere\r\nFund", *GOOD_1[1:]]])
    report = sheets.import_table(store, "trainees", path)
    (problem,) = report.errors
    assert "no CBO called Nowhere Fund" in problem.message and "\n" not in problem.message
    assert store.count("trainees") == 0
