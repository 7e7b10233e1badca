"""The donor report's files on sample.db: the donor's figures in both, numbers as numbers in the
workbook, a page with nothing to fetch, filters, private files, one-line errors."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core import summary
from fieldtui.core.report import figures, sections, write_report
from fieldtui.i18n import language, set_language
from tests.conftest import SAMPLE_DB
from tests.report.expected import DONOR_STRINGS, donor_rows, headline_strings, html_tables, project_rows, summary_json


def report(*args: str):
    return CliRunner().invoke(main, ["report", *args])


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    """report.html and report.xlsx of sample.db in one language, with the summary's JSON."""
    out = tmp_path_factory.mktemp(f"report-{request.param}")
    result = report(str(SAMPLE_DB), str(out), "--lang", request.param)
    set_language("en")
    assert result.exit_code == 0, result.output
    return request.param, out, summary_json(str(SAMPLE_DB))


def test_html_carries_the_donor_figures_and_rows(written):
    lang, out, figures_json = written
    page = (out / "report.html").read_text(encoding="utf-8")
    tables, text = html_tables(page)
    assert headline_strings(figures_json) == list(DONOR_STRINGS)
    headline = page[page.index('<section id="headline"'):page.index("</section>")]
    assert re.findall(r"<dd>([^<]*)", headline) == list(DONOR_STRINGS)  # the cards, in the donor's words
    rows = [tuple(r) for r in tables["projects"][1:5]]
    assert rows == donor_rows(lang) == project_rows(figures_json, lang)
    assert tables["projects"][5][:2] == ["52.70", "全部机构" if lang == "zh" else "All CBOs"]  # the total row
    placed = "4,395 人接受职业培训，73.8% 已安置就业（3,245 人）。" if lang == "zh" else \
        "4,395 trainees, 73.8% placed in jobs (3,245 people)."
    assert placed in text
    assert ("中国流动人口援助计划" in text) == (lang == "zh")


def test_html_has_nothing_to_fetch(written):
    page = (written[1] / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://", page)
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc\s*=|url\(|@import", page, re.I)
    assert page.count("<svg") >= 6  # the charts are drawn inline
    assert "@media print" in page and "@page" in page and "break-before: page" in page


def test_xlsx_numbers_formats_frozen_headers_and_charts(written):
    lang, out, figures_json = written
    book = openpyxl.load_workbook(out / "report.xlsx")
    sheet = book.worksheets[0]
    assert sheet.title == ("汇总" if lang == "zh" else "Summary")
    assert sheet.freeze_panes == "C5"
    header = [c.value for c in sheet[4]][:5]
    assert header == (["影响指数", "项目", "资助额", "受益人数", "人均成本"] if lang == "zh"
                      else ["SII", "Project", "Grant", "Lives changed", "Cost per life"])
    rows = [[c.value for c in row][:5] for row in sheet.iter_rows(min_row=5, max_row=8)]
    expected = [[c["sii"], c["name_zh"] if lang == "zh" else c["name"], c["grant_usd"], c["direct_beneficiaries"],
                 c["cost_per_life_usd"]] for c in figures_json["cbos"]]
    assert rows == expected
    assert rows[0] == [57, "中国儿童少年基金会" if lang == "zh" else "China Children and Teenagers' Fund",
                       467400, 3174, 147.26]
    assert [sheet.cell(5, i).number_format for i in (1, 3, 4, 5)] == ["0.00", '"US$"#,##0', "#,##0", '"US$"#,##0.00']
    headline = {row[1].value: row[2] for row in sheet.iter_rows(min_row=10) if row[2].value is not None}
    values = {label: (cell.value, cell.number_format) for label, cell in headline.items()}
    assert sorted(v for v, _f in values.values()) == sorted([
        8231, 20985, 4395, 3245, 0.7383, 1758, 1087406, 132.11, 52.7, 9100, 0.9045])
    assert ("0%" in {f for v, f in values.values() if v == 0.9045}) and (52.7, "0.0") in values.values()
    assert sum(len(ws._charts) for ws in book.worksheets) >= 5
    with zipfile.ZipFile(out / "report.xlsx") as z:
        assert any(name.startswith("xl/charts/chart") for name in z.namelist())
    for ws in book.worksheets:
        assert ws.freeze_panes, ws.title  # every sheet keeps its header in view
    names = [c["name_zh"] if lang == "zh" else c["name"] for c in figures_json["cbos"]]
    assert [ws.title for ws in book.worksheets][-5:-1] == [n[:31] for n in names]  # a sheet per CBO


def test_one_cbo(tmp_path):
    result = report(str(SAMPLE_DB), str(tmp_path), "--cbo", "Bright Angel Fund")
    assert result.exit_code == 0, result.output
    tables, text = html_tables((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert tables["projects"][1:] == [["49.40", "Bright Angel Fund", "US$105,000", "200", "US$525.00"]]
    assert "CBO: Bright Angel Fund" in text and "Xin Zhi Guan" not in text
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx").worksheets[0]
    assert [c.value for c in sheet[5]][:5] == [49.4, "Bright Angel Fund", 105000, 200, 525]
    assert sheet.cell(6, 2).value is None  # one CBO: no total row


def test_a_range_with_nobody_says_so(tmp_path):
    result = report(str(SAMPLE_DB), str(tmp_path), "--from", "2001-01-01", "--to", "2001-12-31")
    assert result.exit_code == 0, result.output
    _tables, text = html_tables((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "No participants match these filters" in text and "Registered from 2001-01-01 to 2001-12-31" in text


@pytest.mark.parametrize("case", ["missing db", "not a database", "out is a file", "out under a file",
                                  "unknown cbo", "bad quarter", "unwritable"])
def test_bad_input_is_one_line_and_status_2(tmp_path, monkeypatch, case):
    db, out = str(SAMPLE_DB), tmp_path / "out"
    if case == "missing db":
        db = str(tmp_path / "nothing.db")
    elif case == "not a database":
        (tmp_path / "x.db").write_text("not a database" * 20)
        db = str(tmp_path / "x.db")
    elif case == "out is a file":
        out.write_text("a file")
    elif case == "out under a file":
        (tmp_path / "file").write_text("a file")
        out = tmp_path / "file" / "out"
    elif case == "unwritable":  # root ignores permission bits, so the refusal is the OS's, simulated
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr("fieldtui.core.report.os.open", refuse)
    extra = {"unknown cbo": ["--cbo", "Nobody"], "bad quarter": ["--quarter", "2010Q5"]}.get(case, [])
    result = report(db, str(out), *extra)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldtui: error: "), result.output
    assert "Traceback" not in result.output
    if case in ("missing db", "not a database", "unknown cbo", "bad quarter"):
        assert not out.exists()  # nothing made for a command that could not run
    if case == "unwritable":
        assert "permission to write" in lines[0] and "the report was not written" in lines[0]
        assert not list(out.glob("*"))
    if case == "out under a file":
        assert "is a file, so the report was not written" in lines[0]


def test_files_are_private_whatever_the_umask_and_replaced_whole(tmp_path):
    out = tmp_path / "reports" / "2026-11-30"
    old = os.umask(0)
    try:
        write_report(SAMPLE_DB, out)
        (out / "report.html").chmod(0o644)
        write_report(SAMPLE_DB, out)  # again: replaces the files
    finally:
        os.umask(old)
    for folder in (out, out.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.xlsx"]  # no temporary left
    for name in ("report.html", "report.xlsx"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name


def test_the_database_is_not_modified(sample_copy, tmp_path):
    before = sample_copy.read_bytes()
    assert report(str(sample_copy), str(tmp_path / "out")).exit_code == 0
    assert sample_copy.read_bytes() == before
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == ["out", "sample.db"]  # no -wal, no -shm


def test_peoples_text_is_escaped_and_never_a_formula(tmp_path):
    from fieldtui.core.models import CBO
    from fieldtui.core.store import Store

    db = tmp_path / "names.db"
    with Store.open(db, create=True) as store:
        store.save_cbo(CBO(name_zh="新<希望>", name_en='<script>alert("x")</script> & Co', grant_usd=1000,
                           target_direct=10))
        store.save_cbo(CBO(name_zh="公式", name_en="=HYPERLINK(1)", grant_usd=500, target_direct=5))
    assert report(str(db), str(tmp_path / "out")).exit_code == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    book = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_report_language_leaves_the_process_language_alone(tmp_path):
    """The app writes in a worker thread while its screens keep speaking their own language."""
    set_language("en")
    done = threading.Thread(target=write_report, args=(SAMPLE_DB, tmp_path), kwargs={"lang": "zh"})
    done.start()
    done.join(60)
    assert language() == "en"
    assert "主要成果" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_section_appears_once_the_summary_has_its_figure(tmp_path, monkeypatch):
    """How a later change extends the report: a section keyed on a new Summary attribute."""
    dropout = sections.TableSection(
        "dropout", "Dropouts", "Dropouts", "Project",
        columns=(sections.Column("Dropped out", sections.PCT1, "dropout_rate"),),
        items=sections.per_cbo, total=sections.whole, charts=(sections.Chart("bars", (0,)),),
        when=sections.has("dropout_rate"))
    monkeypatch.setattr(sections, "SECTIONS", [*sections.SECTIONS, dropout])
    for module in ("html", "xlsx"):
        monkeypatch.setattr(f"fieldtui.core.report.{module}.SECTIONS", sections.SECTIONS)
    write_report(SAMPLE_DB, tmp_path / "before")
    assert 'id="dropout"' not in (tmp_path / "before" / "report.html").read_text(encoding="utf-8")
    monkeypatch.setattr(summary.CBOFigures, "dropout_rate", property(lambda c: 0.5), raising=False)
    monkeypatch.setattr(summary.Summary, "dropout_rate", property(lambda s: 0.625), raising=False)
    write_report(SAMPLE_DB, tmp_path / "after")
    tables, _text = html_tables((tmp_path / "after" / "report.html").read_text(encoding="utf-8"))
    assert tables["dropout"][1][1] == "50.0%" and tables["dropout"][-1][1] == "62.5%"
    book = openpyxl.load_workbook(tmp_path / "after" / "report.xlsx")
    assert book["Dropouts"]["B5"].value == 0.5 and book["Dropouts"]["B5"].number_format == "0.0%"
    per_cbo = book["Xin Zhi Guan"]
    assert ["Dropped out", 0.5] in [[c.value for c in row] for row in per_cbo.iter_rows()]


def test_outcomes_and_breakdowns_are_in_both_files_with_the_summarys_figures(tmp_path):
    written = tmp_path / "out"
    write_report(SAMPLE_DB, written)
    tables, _text = html_tables((written / "report.html").read_text(encoding="utf-8"))
    assert tables["retention"][-1] == ["All CBOs", "0", "655", "82.1%", "70.9%", "66.3%"]
    assert tables["income_change"][-1] == ["All CBOs", "¥1,000", "¥1,950", "+¥950"]
    assert tables["attendance"][-1] == ["All CBOs", "86.0%", "50", "393"]
    for dimension in ("sex", "age_band", "origin", "province"):
        rows = tables[f"by_{dimension}"]
        assert rows[-1][:5] == ["Total", "8,231", "4,395", "3,245", "1,758"]
        assert sum(int(r[1].replace(",", "")) for r in rows[1:-1]) == 8231  # each person in one group
    assert tables["by_sex"][1] == ["Female", "5,164", "3,366", "2,545", "820", "70.3%"]
    book = openpyxl.load_workbook(written / "report.xlsx")
    assert {"Retention", "Income change", "Attendance", "By sex", "By province of origin"} <= set(book.sheetnames)
    per_cbo = [[c.value for c in row] for row in book["Compassion for Migrant Children"].iter_rows()]
    assert ["Volunteers", 36] in per_cbo and ["Still employed at 6 months", 0.6822] in per_cbo


def test_a_file_without_outcomes_has_no_outcome_sections(tmp_path):
    from fieldtui.core.store import Store
    from tests.core.test_store import make_cbo, trainee

    with Store.open(tmp_path / "new.db", create=True) as store:
        store.save_trainee(trainee(make_cbo(store)))
    write_report(tmp_path / "new.db", tmp_path / "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="by_sex"' in page
    assert not any(f'id="{key}"' in page for key in ("retention", "income_change", "attendance"))


def test_achievements_only_state_the_summarys_figures():
    from fieldtui.core.store import Store

    with Store.open_readonly(SAMPLE_DB) as store:
        data = figures.gather(store, summary.Filters())
    found = dict(figures.achievements(data))
    assert found["Vocational training"] == "4,395 trainees, 73.8% placed in jobs (3,245 people)."
    assert found["Progress against target"] == "90% of the target reached: 8,231 of 9,100 lives."
    assert found["Jobs kept"] == "70.9% of the placed trainees checked were still employed 6 months after placement."
    assert found["Income"] == ("Median monthly income rose from ¥1,000 before training to ¥1,950 after placement "
                               "(+¥950).")
    assert found["Volunteers"] == "50 volunteers gave 393 hours."
    numbers = set(re.findall(r"[\d,.]+\d", " ".join(found.values())))
    allowed = {"8,231", "20,985", "4,395", "73.8", "3,245", "1,758", "90", "9,100", "1,087,406", "132.11", "4",
               "70.9", "6", "1,000", "1,950", "950", "50", "393"}
    assert numbers <= allowed


def test_report_core_does_not_import_textual():
    code = ("import sys, fieldtui.core.report, fieldtui.core.report.html, fieldtui.core.report.xlsx; "
            "sys.exit(1 if [m for m in sys.modules if m.split('.')[0] == 'textual'] else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_provenance_names_the_file_its_merged_exports_and_the_command_to_check(tmp_path):
    from fieldtui.core import exchange
    from fieldtui.core.models import CBO
    from fieldtui.core.store import Store

    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        store.save_cbo(CBO(name_zh="新希望", name_en="New Hope", grant_usd=1000, target_direct=10))
    exported = exchange.export(field, tmp_path / "field-export.db")
    exchange.merge(tmp_path / "hq.db", [tmp_path / "field-export.db"])
    assert report(str(tmp_path / "hq.db"), str(tmp_path / "out"), "--city", "Beijing").exit_code == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    footer = page[page.index('<footer id="provenance"'):]
    assert "hq.db" in footer and exported.export_id in footer and "field-export.db" in footer
    assert "fieldtui summary hq.db --json --city Beijing" in footer and "City: Beijing" in footer
    about = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["About"]
    assert exported.export_id in [c.value for row in about.iter_rows() for c in row]
