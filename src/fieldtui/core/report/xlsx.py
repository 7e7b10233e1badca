"""report.xlsx: the same figures as report.html, as numbers a coordinator can work with.

Sheets: Summary (the donor's featured-projects table, then the headline figures and key
achievements, with a chart), one sheet per section of `sections.py` (a table and native charts),
one sheet per CBO, and About (where the figures come from). Numbers are numbers with formats
(US$, %, thousands), headers are frozen, text cells are stored as text (a CBO called "=1+1"
stays a name, never a formula).

openpyxl rather than xlsxwriter: openpyxl is already fieldtui's XLSX library (import and export),
its bar charts are native Excel charts, and the tests read the file back with it; xlsxwriter
would be a second library for the same format that cannot read what it writes.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fieldtui.core import formatting as fmt
from fieldtui.core.report import figures as fig
from fieldtui.core.report.figures import ReportData
from fieldtui.core.report.sections import (
    CNY,
    COUNT,
    PCT,
    PCT1,
    SECTIONS,
    SII,
    USD,
    USD2,
    Chart,
    Column,
    TableSection,
    per_cbo,
    written,
)
from fieldtui.core.report.text import _, cbo_name

FORMATS = {COUNT: "#,##0", USD: '"US$"#,##0', USD2: '"US$"#,##0.00', PCT: "0%", PCT1: "0.0%",
           SII: "0.00", CNY: '"¥"#,##0', "score": "0.0",  # score: the SII mean as the donor writes it
           fmt.CNY_CHANGE: '+"¥"#,##0;-"¥"#,##0;"¥"0', fmt.HOURS: "#,##0.00"}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
HEADER_ROW = 4  # rows 1-3: title, filters, blank


def text(cell: Cell, value: Any, font: Font | None = None) -> Cell:
    """A text cell that stays text: control characters drawn as U+FFFD, never read as a formula."""
    cell.value = fmt.shown(str(value))
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def number(cell: Cell, value: Any, kind: str) -> Cell:
    cell.value = value
    if value is not None:
        cell.number_format = FORMATS.get(kind, "General")
    return cell


def write(data: ReportData, out: IO[bytes]) -> None:
    """The workbook for `data`, in the report's current language, saved to `out`."""
    book = Workbook()
    names = SheetNames()
    summary_sheet = book.active
    summary_sheet.title = names.add(_("Summary"))
    _summary_sheet(summary_sheet, data)
    for section in SECTIONS:
        if section.key != "projects" and section.when(data):
            sheet = book.create_sheet(names.add(_(section.sheet)))
            _heading(sheet, _(section.title), data)
            _table(sheet, section, data, HEADER_ROW)
    for cbo in data.summary.cbos:
        _cbo_sheet(book.create_sheet(names.add(cbo_name(cbo.name, cbo.name_zh))), cbo, data)
    _about_sheet(book.create_sheet(names.add(_("About"))), data)
    for sheet in book.worksheets:  # printed, a sheet is one page wide (its charts beside the table)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(out)


class SheetNames:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def add(self, wanted: str) -> str:
        base = "".join("_" if ch in '[]:*?/\\' else ch for ch in fmt.shown(wanted)).strip("' ") or "_"
        name, n = base[:31], 1
        while name.casefold() in self.taken:
            n += 1
            suffix = f" ({n})"
            name = base[:31 - len(suffix)] + suffix
        self.taken.add(name.casefold())
        return name


def _heading(ws: Worksheet, title: str, data: ReportData) -> None:
    text(ws.cell(1, 1), title, TITLE)
    text(ws.cell(2, 1), fig.describe_filters(data))


def _table(ws: Worksheet, section: TableSection, data: ReportData, top: int) -> int:
    """The section's table with its header at row `top`, frozen, and its charts; returns its last row."""
    rows = section.rows(data)
    at = section.label_at
    for i, title in enumerate(section.headers(), start=1):
        text(ws.cell(top, i), _(title), BOLD).fill = HEAD_FILL
    for r, (label, values, total) in enumerate(rows, start=top + 1):
        cells: list[Any] = list(zip(section.columns, values, strict=True))
        cells.insert(at, label)
        for i, cell in enumerate(cells, start=1):
            if isinstance(cell, str):
                text(ws.cell(r, i), cell, BOLD if total else None)
            else:
                number(ws.cell(r, i), cell[1], cell[0].kind).font = BOLD if total else Font()
    ws.freeze_panes = ws.cell(top + 1, at + 2)
    _widths(ws, section, rows)
    last = top + len(rows)
    plotted = last - (1 if rows and rows[-1][2] else 0)  # the total row is not a bar
    for n, chart in enumerate(section.charts if rows else ()):
        ws.add_chart(_chart(ws, section, chart, top, last if chart.with_total else plotted),
                     f"{get_column_letter(len(section.columns) + 3)}{top + n * 18}")
    if section.note:
        text(ws.cell(last + 2, 1), _(section.note))
    return last


def _widths(ws: Worksheet, section: TableSection, rows: list) -> None:
    """Columns wide enough for their header and every value as Excel shows it (no "###")."""
    at = section.label_at
    for i, title in enumerate(section.headers()):
        if i == at:
            cells = [r[0] for r in rows]
        else:
            column = section.columns[i - (i > at)]
            cells = [written(column.kind, r[1][i - (i > at)]) for r in rows]
        width = max(_chars(s) for s in [_(title), *cells]) + 3
        ws.column_dimensions[get_column_letter(i + 1)].width = max(10, min(width, 48))


def _chars(text: str) -> int:
    """Width in Excel's units (about one Latin character; a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _chart(ws: Worksheet, section: TableSection, chart: Chart, top: int, last: int) -> BarChart:
    """A native bar chart of the chart's columns (meters: the progress column)."""
    at = section.label_at
    series = (chart.series[2],) if chart.style == "meters" else chart.series
    bar = BarChart()
    bar.type = "col" if chart.style == "columns" else "bar"
    bar.title = _(chart.caption or section.title)
    bar.height, bar.width = 8, 16
    for i in series:
        col = i + 1 + (1 if i >= at else 0)
        bar.add_data(Reference(ws, min_col=col, min_row=top, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=at + 1, min_row=top + 1, max_row=last))
    bar.y_axis.number_format = FORMATS[section.columns[series[0]].kind]
    bar.y_axis.majorGridlines = None
    bar.y_axis.scaling.min = 0  # bars measured from zero, as in the page's charts
    if bar.type == "bar":
        bar.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
    bar.x_axis.delete = bar.y_axis.delete = False  # openpyxl 3.1 hides axes unless told
    if len(series) == 1:
        bar.legend = None
    return bar


def _summary_sheet(ws: Worksheet, data: ReportData) -> None:
    """Laid out like the donor's page: the featured-projects table, then headline figures and achievements."""
    projects = next(s for s in SECTIONS if s.key == "projects")
    _heading(ws, _("China Migrant Initiative") + ": " + _("Donor report"), data)
    row = _table(ws, projects, data, HEADER_ROW) + 4
    text(ws.cell(row, 2), _("Headline figures"), BOLD)
    s = data.summary
    for label, value, kind in (
        (_("Lives changed"), s.direct_beneficiaries, COUNT),
        (_("Indirect beneficiaries"), s.indirect_beneficiaries, COUNT),
        (_("Trainees"), s.trainees, COUNT), (_("Placed"), s.trainees_placed, COUNT),
        (_("Placement rate"), s.placement_rate, PCT1),
        (_("After-school children"), s.after_school_children, COUNT),
        (_("Total investment"), s.grant_usd, USD), (_("Average cost per life"), s.cost_per_life_usd, USD2),
        (_("Social Impact Index"), s.sii_mean, "score"), (_("Target"), s.target_direct, COUNT),
        (_("Progress against target"), s.progress, PCT),
    ):
        row += 1
        text(ws.cell(row, 2), label)
        number(ws.cell(row, 3), value, kind)
    if (left_out := fig.uncounted(data)) is not None:
        row += 1
        text(ws.cell(row, 2), left_out)
    row += 2
    text(ws.cell(row, 2), _("Key achievements"), BOLD)
    for title, sentence in fig.achievements(data):
        row += 1
        text(ws.cell(row, 2), _("{title} – {text}").format(title=title, text=sentence))


def _cbo_sheet(ws: Worksheet, cbo: Any, data: ReportData) -> None:
    """Every per-CBO figure of every section shown, one per row (new per-CBO sections add rows)."""
    _heading(ws, cbo_name(cbo.name, cbo.name_zh), data)
    for i, title in enumerate((_("Figure"), _("Value")), start=1):
        text(ws.cell(HEADER_ROW, i), title, BOLD).fill = HEAD_FILL
    seen: dict[str, Column] = {}
    for section in SECTIONS:
        if section.items is per_cbo and section.when(data):
            seen.update({c.attr: c for c in section.columns if c.attr not in seen})
    row = HEADER_ROW
    for label, value in ((_("English name"), cbo.name), (_("Chinese name"), cbo.name_zh), (_("City"), cbo.city)):
        row += 1
        text(ws.cell(row, 1), label)
        text(ws.cell(row, 2), value)
    for column in seen.values():
        row += 1
        text(ws.cell(row, 1), _(column.title))
        number(ws.cell(row, 2), getattr(cbo, column.attr), column.kind)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 40


def _about_sheet(ws: Worksheet, data: ReportData) -> None:
    p = data.provenance
    text(ws.cell(1, 1), _("Where these figures come from"), TITLE)
    rows = [(_("Source file"), p.file_name), (_("Last changed"), fig.when(p.file_modified)),
            (_("Device"), p.device_id or fmt.DASH), (_("Filters"), fig.describe_filters(data)),
            (_("Written"), _("{when} by fieldtui {version}").format(when=fig.when(p.generated_at), version=p.version)),
            (_("Every figure is the summary's: to check one, run"), fig.reproduce_command(data))]
    for r, (label, value) in enumerate(rows, start=3):
        text(ws.cell(r, 1), label, BOLD)
        text(ws.cell(r, 2), value)
    top = len(rows) + 4
    for i, title in enumerate((_("Merged exports"), _("File"), _("Merged at")), start=1):
        text(ws.cell(top, i), title, BOLD).fill = HEAD_FILL
    for r, merge in enumerate(p.merges, start=top + 1):
        for i, value in enumerate((merge.export_id, merge.file_name, merge.merged_at), start=1):
            text(ws.cell(r, i), value)
    if not p.merges:
        text(ws.cell(top + 1, 1), _("none: every record was entered in this file"))
    ws.freeze_panes = ws.cell(top + 1, 1)
    for col, width in zip("ABC", (40, 60, 24), strict=True):
        ws.column_dimensions[col].width = width
