"""The report's table sections, in order: one list that both report.html and report.xlsx render.

A section is a table (rows of figures the summary returned, an optional total row taken from the
summary's own totals) plus optional charts of some of its columns. HTML draws it as a heading,
inline SVG charts and a table; XLSX as a sheet with formatted numbers and native charts (the
"projects" section is the Summary sheet's donor table). Headline figures, key achievements and
provenance frame these sections (html.py, xlsx.py).

Extending: when `Summary` gains a figure, append a `TableSection` whose columns name the new
attributes and whose `when` says when a file has them; sections whose figures a file does not
have are left out of both files, so a report never shows a blank. The outcome sections (job
retention, income change, attendance and volunteers, the four breakdowns) name their figures as
core/summary/lines.py does, which the summary screen and the CLI read too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from fieldtui.core import formatting as fmt
from fieldtui.core.report.figures import ReportData
from fieldtui.core.report.text import N_, _, cbo_name, lang
from fieldtui.core.summary import DIMENSIONS
from fieldtui.core.summary.lines import BREAKDOWN_COLUMNS, DIMENSION_TITLES, group_label

# Kinds of value: how each is written in HTML and formatted in Excel (core.formatting).
COUNT, USD, USD2, PCT, PCT1, SII, CNY = fmt.COUNT, fmt.USD, fmt.USD2, fmt.PCT, fmt.PCT1, fmt.SII, fmt.CNY
CNY_CHANGE, HOURS = fmt.CNY_CHANGE, fmt.HOURS
written = fmt.figure


@dataclasses.dataclass(frozen=True)
class Column:
    title: str  # msgid (N_), translated when drawn
    kind: str
    attr: str  # attribute of each row's item
    total_attr: str | None = None  # attribute of the total (the Summary) when named differently


@dataclasses.dataclass(frozen=True)
class Chart:
    style: str  # "bars" (horizontal, grouped), "columns" (a time series), "meters" (value vs target)
    series: tuple[int, ...]  # indexes into the section's columns (meters: value, target, progress)
    with_total: bool = False  # include the total row (meters: "All CBOs")
    caption: str | None = None  # msgid above the chart when the section's title does not say it


Item = tuple[str, Any]  # (row label, object holding the columns' attributes)


@dataclasses.dataclass(frozen=True)
class TableSection:
    key: str
    title: str  # msgid: heading in HTML, title row in XLSX
    sheet: str  # msgid: the sheet's name (short; Excel allows 31 characters)
    label: str  # msgid: header of the row-label column
    columns: tuple[Column, ...]
    items: Callable[[ReportData], list[Item]]
    total: Callable[[ReportData], Any] | None = None
    charts: tuple[Chart, ...] = ()
    note: str | None = None  # msgid shown under the table
    new_page: bool = False  # printed from the top of a page
    label_at: int = 0  # position of the row-label column among the columns (the donor puts SII first)
    total_label: str = N_("All CBOs")  # msgid of the total row
    when: Callable[[ReportData], bool] = lambda data: True

    def headers(self) -> list[str]:
        """Column titles (msgids) in display order, the row label's included."""
        titles = [c.title for c in self.columns]
        return [*titles[:self.label_at], self.label, *titles[self.label_at:]]

    def rows(self, data: ReportData) -> list[tuple[str, list[Any], bool]]:
        """(label, values, is_total) for each row, the total (the summary's own figures) last."""
        out = [(label, [getattr(item, c.attr) for c in self.columns], False) for label, item in self.items(data)]
        if self.total is not None and len(out) > 1:
            whole = self.total(data)
            out.append((_(self.total_label), [getattr(whole, c.total_attr or c.attr) for c in self.columns], True))
        return out


def per_cbo(data: ReportData) -> list[Item]:
    return [(cbo_name(c.name, c.name_zh), c) for c in data.summary.cbos]


def whole(data: ReportData) -> Any:
    return data.summary


def has(attr: str) -> Callable[[ReportData], bool]:
    """A section shown only once `Summary` has `attr` (figures added by a later change)."""
    return lambda data: hasattr(data.summary, attr)


def _followed_up(data: ReportData) -> bool:
    s = data.summary
    return s.outcomes.reached_3m + s.followups_due + s.followups_overdue > 0


def _breakdown(dimension: str) -> TableSection:
    """People of each group of one dimension; the total row is the summary's own (they sum to it)."""
    return TableSection(
        f"by_{dimension}", DIMENSION_TITLES[dimension], DIMENSION_TITLES[dimension], N_("Group"),
        columns=tuple(Column(title, kind, attr) for title, attr, kind in BREAKDOWN_COLUMNS),
        items=lambda d: [(group_label(dimension, key, _, lang() == "zh"), group)
                         for key, group in d.summary.breakdown(dimension)],
        total=whole, total_label=N_("Total"), charts=(Chart("bars", (0,)),),
        when=lambda d: bool(d.summary.breakdown(dimension)))


SECTIONS: list[TableSection] = [
    TableSection(
        "projects", N_("Featured projects"), N_("Summary"), N_("Project"),
        columns=(Column(N_("SII"), SII, "sii", "sii_mean"), Column(N_("Grant"), USD, "grant_usd"),
                 Column(N_("Lives changed"), COUNT, "direct_beneficiaries"),
                 Column(N_("Cost per life"), USD2, "cost_per_life_usd")),
        items=per_cbo, total=whole, charts=(Chart("bars", (2,), caption=N_("Lives changed per CBO")),), label_at=1,
        new_page=True,  # the headline and the achievements (with the outcomes) fill the first page
        note=N_("The Social Impact Index (SII) reflects the relative social impact of a project, "
                "from 20 (lowest) to 100 (highest); the total row gives the mean.")),
    TableSection(
        "beneficiaries", N_("Beneficiaries by CBO"), N_("Beneficiaries"), N_("Project"),
        columns=(Column(N_("Direct"), COUNT, "direct_beneficiaries"),
                 Column(N_("Indirect"), COUNT, "indirect_beneficiaries"),
                 Column(N_("Target"), COUNT, "target_direct"), Column(N_("Progress"), PCT, "progress")),
        items=per_cbo, total=whole, new_page=True,
        charts=(Chart("bars", (0, 1)),
                Chart("meters", (0, 2, 3), with_total=True, caption=N_("Progress towards target")))),
    TableSection(
        "training", N_("Trainees and job placements"), N_("Trainees"), N_("Project"),
        columns=(Column(N_("Trainees"), COUNT, "trainees"), Column(N_("Completed"), COUNT, "trainees_completed"),
                 Column(N_("Placed"), COUNT, "trainees_placed"),
                 Column(N_("Placement rate"), PCT1, "placement_rate")),
        items=per_cbo, total=whole, charts=(Chart("bars", (0, 2)),), new_page=True,
        when=lambda d: d.summary.trainees > 0),
    TableSection(
        "income", N_("Income before training vs wage after placement (¥/month)"), N_("Income"), N_("Project"),
        columns=(Column(N_("Placed"), COUNT, "placed"),
                 Column(N_("Income before training"), CNY, "income_before_cny"),
                 Column(N_("Wage after placement"), CNY, "wage_cny")),
        items=lambda d: [(cbo_name(i.name, i.name_zh), i) for i in d.income], charts=(Chart("bars", (1, 2)),),
        note=N_("Means over the placed trainees of each CBO."), when=lambda d: bool(d.income)),
    TableSection(
        "after_school", N_("After-school and other programmes"), N_("After-school"), N_("Project"),
        columns=(Column(N_("After-school children"), COUNT, "after_school_children"),
                 Column(N_("Other participants"), COUNT, "other_participants")),
        items=per_cbo, total=whole, charts=(Chart("bars", (0, 1)),), new_page=True,
        when=lambda d: d.summary.after_school_children + d.summary.other_participants > 0),
    TableSection(
        "registrations", N_("Registrations per quarter"), N_("Registrations"), N_("Quarter"),
        columns=(Column(N_("Registrations"), COUNT, "registrations"),),
        items=lambda d: [(f"{p.period[:4]} {p.period[4:]}", p) for p in d.registrations],
        charts=(Chart("columns", (0,)),), when=lambda d: bool(d.registrations)),
    TableSection(
        "retention", N_("Job retention after placement"), N_("Retention"), N_("Project"),
        columns=(Column(N_("Job follow-ups due"), COUNT, "followups_due"),
                 Column(N_("Job follow-ups overdue"), COUNT, "followups_overdue"),
                 Column(N_("Still employed at 3 months"), PCT1, "retention_3m"),
                 Column(N_("Still employed at 6 months"), PCT1, "retention_6m"),
                 Column(N_("Still employed at 12 months"), PCT1, "retention_12m")),
        items=per_cbo, total=whole, charts=(Chart("bars", (2, 3, 4)),), new_page=True, when=_followed_up,
        note=N_("Of the placements whose check has come due: a check not yet recorded counts as not employed "
                "(the due and overdue columns say how many are not known yet).")),
    TableSection(
        "income_change", N_("Monthly income before training and wage after placement (medians, ¥)"),
        N_("Income change"), N_("Project"),
        columns=(Column(N_("Median monthly income before training"), CNY, "median_income_before_cny"),
                 Column(N_("Median wage after placement"), CNY, "median_wage_after_cny"),
                 Column(N_("Change in monthly income"), CNY_CHANGE, "income_change_cny")),
        items=per_cbo, total=whole, charts=(Chart("bars", (0, 1)),),
        note=N_("Each placed trainee once (their latest placement); the total's medians are taken over "
                "all of them, not from the CBOs' medians."),
        when=lambda d: d.summary.median_wage_after_cny is not None),
    TableSection(
        "attendance", N_("Attendance and volunteers"), N_("Attendance"), N_("Project"),
        columns=(Column(N_("Attendance (held sessions)"), PCT1, "attendance_rate"),
                 Column(N_("Volunteers"), COUNT, "volunteers"),
                 Column(N_("Volunteer hours"), HOURS, "volunteer_hours")),
        items=per_cbo, total=whole, charts=(Chart("bars", (2,)),),
        note=N_("Sessions that were not held count nowhere, and a child not marked is neither present nor "
                "absent. Volunteers give their time: they are never counted among the beneficiaries."),
        when=lambda d: d.summary.outcomes.marked + d.summary.volunteers > 0),
    *(_breakdown(dimension) for dimension in DIMENSIONS),
]
