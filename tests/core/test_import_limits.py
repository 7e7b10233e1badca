"""The import's bounds, file by file, in-process: each refusal one line, nothing written."""

from __future__ import annotations

import os

import pytest

from fieldtui.core import sheets
from fieldtui.core.sheets import zipguard
from fieldtui.core.store import StoreError
from tests.core.test_tabular import BAD_AGE, EN_HEADER, store, write_csv  # noqa: F401  (fixture)
from tests.hostile import sheets as hostile


def _refused(store, path, words):  # noqa: F811
    with pytest.raises(StoreError) as exc:
        sheets.import_table(store, "trainees", path)
    assert words in str(exc.value) and "\n" not in str(exc.value)
    assert store.count("trainees") == 0


def test_a_highly_compressed_part_is_refused_before_it_is_inflated(store, tmp_path):  # noqa: F811
    _refused(store, hostile.shared_string_bomb(tmp_path / "b.xlsx", size=40_000_000), "compressed")


def test_xml_a_spreadsheet_program_never_writes_is_refused(store, tmp_path):  # noqa: F811
    comment = iter([hostile.header_row(), b"<!-- " + b"<x " * 1000 + b"-->"])
    _refused(store, hostile.workbook(tmp_path / "c.xlsx", comment), "does not write")


def test_a_row_of_too_many_cells_is_refused(store, tmp_path):  # noqa: F811
    wide = iter([hostile.header_row(), b'<row r="2">' + b"<c/>" * 30_000 + b"</row>"])
    _refused(store, hostile.workbook(tmp_path / "w.xlsx", wide), "too large")


def test_white_space_before_a_sheet_does_not_hide_it_from_the_checks(store, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(zipguard, "MAX_RATIO", 10**9)  # the spaces compress well: the ratio alone would catch it
    wide = iter([hostile.header_row(), b'<row r="2">' + b"<c/>" * 30_000 + b"</row>"])
    path = hostile.workbook(tmp_path / "w.xlsx", wide, lead=b" " * (3 << 20))
    _refused(store, path, "too large")


def test_utf16_parts_are_refused(store, tmp_path):  # noqa: F811
    path = hostile.workbook(tmp_path / "u.xlsx", iter([hostile.header_row()]), lead=b"\xff\xfe")
    _refused(store, path, "UTF-16")


def test_a_cell_over_a_mebibyte_is_refused(store, tmp_path):  # noqa: F811
    big = iter([hostile.header_row(), b'<row r="2"><c t="inlineStr"><is><t>' + os.urandom(1 << 20).hex().encode()
                + b"</t></is></c></row>"])
    _refused(store, hostile.workbook(tmp_path / "g.xlsx", big), "over 1 MiB")


def test_a_sheet_that_jumps_past_the_row_cap_is_refused(store, tmp_path, monkeypatch):  # noqa: F811
    jump = iter([hostile.header_row(), b'<row r="50000000"><c t="inlineStr"><is><t>x</t></is></c></row>'])
    _refused(store, hostile.workbook(tmp_path / "j.xlsx", jump), "over 1,000,000 rows")


def test_too_many_rows_in_a_sheet_are_refused_by_the_guard(store, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(zipguard, "MAX_ROWS", 100)
    _refused(store, hostile.one_cell_rows(tmp_path / "r.xlsx", 200), "rows")


def test_a_csv_line_over_the_cap_is_refused(store, tmp_path):  # noqa: F811
    path = tmp_path / "l.csv"
    path.write_text("full_name,phone\n" + "," * (1024 * 1024 + 10) + "\n", encoding="utf-8")
    _refused(store, path, "line 2")


def test_a_csv_cell_over_the_cap_is_refused(store, tmp_path):  # noqa: F811
    path = tmp_path / "q.csv"
    path.write_text('full_name,phone\n"' + "a\n" * 20_000 + '",1\n', encoding="utf-8")
    _refused(store, path, "field larger than field limit")


def test_the_report_keeps_fifty_problems_and_counts_the_rest(store, tmp_path):  # noqa: F811
    report = sheets.import_table(store, "trainees", write_csv(tmp_path / "m.csv", EN_HEADER, [BAD_AGE] * 70))
    assert report.error_count == 70 and len(report.errors) == 50 and report.written == 0
