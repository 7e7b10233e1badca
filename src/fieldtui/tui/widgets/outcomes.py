"""The summary screen's outcomes: what happened after the programmes (job retention, income,
attendance, volunteers) and every count broken down by sex, age band, origin and province.

Labels, order and formats come from core/summary/lines.py, which the CLI table and the donor
report read too, so the three never name or format a figure differently.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from fieldtui.core.summary import DIMENSIONS, Summary
from fieldtui.core.summary.lines import BREAKDOWN_COLUMNS, DIMENSION_TITLES, OUTCOMES, breakdown_rows, outcome_lines
from fieldtui.i18n import _, language
from fieldtui.tui.widgets.tables import measure_rows_now


class OutcomesPanel(Vertical):
    """Outcome figures in a grid, then one table of the breakdowns (a title row per dimension)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="section"):
            yield Static(_("Outcomes"), classes="section-title")
            with Grid(id="outcome-figures"):
                for _label, attr, _kind in OUTCOMES:
                    yield Static(id=f"out-{attr}", classes="figure")
        with Vertical(classes="section"):
            yield Static(_("Who was reached: each breakdown sums to the totals"), classes="section-title")
            yield DataTable(id="breakdowns", cursor_type="row", zebra_stripes=True)

    def show(self, result: Summary) -> None:
        for (label, value), (_label, attr, _kind) in zip(outcome_lines(result, _), OUTCOMES, strict=True):
            self.query_one(f"#out-{attr}", Static).update(f"[b]{value}[/b]\n[dim]{label}[/dim]")
        table = self.query_one("#breakdowns", DataTable)
        table.clear(columns=True)
        table.add_column(Text(""), key="group")  # Text: a str is parsed as Rich markup
        for header, attr, _kind in BREAKDOWN_COLUMNS:
            table.add_column(Text(_(header), justify="right"), key=attr)
        zh = language() == "zh"
        for dimension in DIMENSIONS:
            rows = breakdown_rows(result, dimension, _, zh)
            if not rows:
                continue
            table.add_row(Text(_(DIMENSION_TITLES[dimension]), style="bold"), *([Text("")] * len(BREAKDOWN_COLUMNS)),
                          key=dimension)
            for group, values in rows:  # a province is data: Text, never markup
                table.add_row(Text("  " + group), *(Text(v, justify="right") for v in values),
                              key=f"{dimension}:{group}")
        measure_rows_now(table)
