"""Summary screen for coordinators: the donor's figures, per CBO, with filters and charts.

Every figure comes from `core.summary.compute` (the same module as `fieldtui summary`); the charts
from the aggregates beside it. They run in a thread worker on its own read-only connection, so the
UI never waits on SQL (tui/workers.py: the rule every screen follows).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Select, Static

from fieldtui.core import charts, summary
from fieldtui.core import formatting as fmt
from fieldtui.core.store import Store, StoreError
from fieldtui.i18n import _, language
from fieldtui.tui import STYLES
from fieldtui.tui.screens.donor_report import DonorReportScreen
from fieldtui.tui.screens.help import FIGURE_NOTES
from fieldtui.tui.widgets.charts import BarChart, ColumnChart, Meters
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.outcomes import OutcomesPanel
from fieldtui.tui.widgets.tables import measure_rows_now
from fieldtui.tui.workers import deliver, reading

CUSTOM = "custom"
#: The headline figures, in order (F1 explains each: screens/help.py).
FIGURES = ("direct", "indirect", "trainees", "placed", "after-school", "others", "grants", "cost", "sii", "progress")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Figures:
    """What one load returns: the summary plus the charts' aggregates, for the same filters."""

    result: summary.Summary
    registrations: list[charts.PeriodCount]
    income: list[charts.IncomeWage]
    choices: tuple = ((), (), ())  # what the filters offer, as `summary.choices` returns it


def load_figures(store: Store, filters: summary.Filters) -> Figures:
    return Figures(
        choices=charts.choices(store),
        result=summary.compute(store, filters),
        registrations=charts.registrations(store, filters, by="quarter"),
        income=charts.income_vs_wage(store, filters),
    )


def quarter_label(period: str) -> str:
    """'2010Q1' -> '2010 Q1' for people."""
    return f"{period[:4]} {period[4:]}"


def short_quarter(period: str) -> str:
    """'2010Q1' -> '10Q1' where columns are narrow."""
    return period[2:]


class SummaryScreen(DonorReportScreen):
    """The initiative's figures from `core.summary`, the same module the CLI uses."""

    HELP_NOTES = FIGURE_NOTES

    CSS_PATH = [STYLES / "summary.tcss"]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back"), id="summary.back"),
        Binding("ctrl+r", "reload", _("Reload"), id="summary.reload"),
        Binding("f9", "write_report", _("Write donor report…"), id="summary.report"),
        Binding("pagedown", "scroll_body(1)", _("Scroll"), show=False),
        Binding("pageup", "scroll_body(-1)", _("Scroll"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # The breakpoint class Textual gives the screen at its first Resize (by its own rule),
        # given now, before any widget is styled: given then, it restyled every widget again.
        now = self._get_breakpoint_classes(self.app.size.width, self.HORIZONTAL_BREAKPOINTS)
        for _at, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(name in now, name, update=False)
        self._seen_changes: int | None = None
        self._choices: tuple | None = None
        #: (writer's total_changes, summary.duplicate_pair_cbos) of the last pass over the file
        self._pairs: tuple[int | None, list[tuple[str, str]] | None] | None = None
        self.figures: Figures | None = None
        """The figures on screen (None until the first load finishes)."""

    # ---- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="summary-filters"):
            yield Select([], prompt=_("All CBOs"), id="filter-cbo", compact=True)
            yield Select([], prompt=_("All cities"), id="filter-city", compact=True)
            yield Select([], prompt=_("All time"), id="filter-period", compact=True)
            yield Input(placeholder=_("from YYYY-MM-DD"), max_length=10, id="filter-from", compact=True)
            yield Input(placeholder=_("to YYYY-MM-DD"), max_length=10, id="filter-to", compact=True)
        yield Static(id="filter-message", markup=False)  # quotes what was typed
        with VerticalScroll(id="summary-body", can_focus=True):
            yield Static(fmt.no_data_note(), id="summary-note")
            yield Static(id="review-note", markup=False)
            yield Static(id="uncounted-note", markup=False)
            with Grid(id="figures"):
                for key in FIGURES:
                    yield Static(id=f"fig-{key}", classes="figure")
            yield Static(id="cost-note", markup=False)
            with Vertical(classes="section"):
                yield Static(_("Featured projects"), classes="section-title")
                yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
            with Grid(classes="pair"):
                with Vertical(classes="section"):
                    yield Static(_("Progress towards target"), classes="section-title")
                    yield Meters(fmt=fmt.number, id="progress-meters")
                with Vertical(classes="section"):
                    yield Static(_("Lives changed per CBO"), classes="section-title")
                    yield BarChart(fmt=fmt.number, id="chart-beneficiaries")
            with Grid(classes="pair"):
                with Vertical(classes="section"):
                    yield Static(_("Registrations per quarter"), classes="section-title")
                    yield ColumnChart(rows=6, fmt=fmt.number, short=short_quarter, id="chart-registrations")
                with Vertical(classes="section"):
                    yield Static(_("Income before training vs wage after placement (¥/month)"),
                                 classes="section-title")
                    yield BarChart(fmt=fmt.cny, id="chart-income")
            yield OutcomesPanel(id="outcomes")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Summary")

    def on_screen_resume(self) -> None:
        """First show, or back from another screen: reload only if the app's writer changed data."""
        changes = self.app.store.conn.total_changes
        if changes != self._seen_changes:
            self._seen_changes = changes
            self.reload()

    def action_reload(self) -> None:
        self._pairs = None  # asked for: count the possible duplicates again too
        self.reload()

    def action_scroll_body(self, pages: int) -> None:
        """PageDown/PageUp scroll the figures from wherever the focus is (at 80x24 most of them
        are below the first screen)."""
        body = self.query_one("#summary-body", VerticalScroll)
        body.scroll_page_down() if pages > 0 else body.scroll_page_up()

    async def refresh_language(self) -> None:
        """F12: relabel everything and recompute (figures are only loaded on resume, not on mount)."""
        self.title = _("Summary")
        self._choices = None  # the selects are composed anew, empty
        await self.recompose()
        self.reload()

    # ---- filters -------------------------------------------------------------------

    def _apply_choices(self, choices: tuple) -> None:
        """Fill the CBO, city and quarter selects (read by the worker with the figures)."""
        if choices == self._choices:
            return
        self._choices = choices
        cbos, cities, quarters = choices
        zh = language() == "zh"
        with self.prevent(Select.Changed):
            self._reset_select("#filter-cbo", [(zh_name if zh else name, cbo_id) for cbo_id, name, zh_name in cbos])
            self._reset_select("#filter-city", [(city, city) for city in cities])
            self._reset_select("#filter-period",
                               [(quarter_label(q), q) for q in quarters] + [(_("Custom dates"), CUSTOM)])

    def _reset_select(self, selector: str, options: list[tuple[str, str]]) -> None:
        select = self.query_one(selector, Select)
        keep = select.value
        select.set_options([(Text(label), value) for label, value in options])  # CBO names are data, not markup
        if keep in {value for _label, value in options}:
            select.value = keep

    def _stale(self, hidden: bool = False) -> None:
        """The figures on screen no longer match the filters: dimmed and marked, or hidden when
        the filters cannot have figures at all (To before From)."""
        body = self.query_one("#summary-body")
        body.add_class("-stale")
        body.set_class(hidden, "-hidden")

    def _message(self, text: str = "") -> None:
        message = self.query_one("#filter-message", Static)
        message.update(text)
        message.set_class(bool(text), "-shown")

    def current_filters(self) -> summary.Filters | None:
        """The filters on screen, or None (with a message shown) when a date is not valid."""
        dates: dict[str, dt.date | None] = {}
        for key, label in (("from", _("From")), ("to", _("To"))):
            text = self.query_one(f"#filter-{key}", Input).value.strip()
            if not text:
                dates[key] = None
                continue
            try:
                if not _DATE.fullmatch(text):
                    raise ValueError
                dates[key] = dt.date.fromisoformat(text)
            except ValueError:
                self._message(_("{field}: {text} is not a date; write YYYY-MM-DD, e.g. 2010-01-31").format(
                    field=label, text=text) + " " + _("(the figures below are for the filters before)"))
                self._stale()
                return None
        if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
            self._message(_("To ({to}) is before From ({start}): no figures for that range").format(
                to=dates["to"].isoformat(), start=dates["from"].isoformat()))
            self._stale(hidden=True)
            return None
        self._message()
        cbo = self.query_one("#filter-cbo", Select).value
        city = self.query_one("#filter-city", Select).value
        return summary.Filters(
            cbo_id=cbo if isinstance(cbo, str) else None,
            city=city if isinstance(city, str) else None,
            date_from=dates["from"],
            date_to=dates["to"],
        )

    @on(Select.Changed, "#filter-cbo, #filter-city")
    def _cbo_or_city_changed(self) -> None:
        self.reload()

    @on(Select.Changed, "#filter-period")
    def _period_changed(self, event: Select.Changed) -> None:
        if event.value == CUSTOM:
            self.query_one("#filter-from", Input).focus()
            return
        first, last = (charts.quarter_range(event.value) if isinstance(event.value, str) else (None, None))
        with self.prevent(Input.Changed):
            self.query_one("#filter-from", Input).value = first.isoformat() if first else ""
            self.query_one("#filter-to", Input).value = last.isoformat() if last else ""
        self.reload()

    @on(Input.Changed, "#filter-from, #filter-to")
    def _date_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        period = self.query_one("#filter-period", Select)
        no_dates = not any(self.query_one(f"#filter-{key}", Input).value.strip() for key in ("from", "to"))
        with self.prevent(Select.Changed):
            if no_dates:
                period.clear()  # back to "All time"
            elif period.value != CUSTOM:
                period.value = CUSTOM
        if text and len(text) < 10:
            self._message()  # still typing
            return
        self.reload()

    @on(Input.Submitted, "#filter-from, #filter-to")
    def _date_submitted(self) -> None:
        self.reload()

    # ---- loading -------------------------------------------------------------------

    def reload(self) -> None:
        """Recompute for the filters on screen, off the UI thread."""
        filters = self.current_filters()
        if filters is None:
            return
        self.query_one("#summary-body").loading = True
        pairs = self._pairs if self._pairs and self._pairs[0] == self._seen_changes else None
        self._compute(filters, pairs)

    @work(thread=True, exclusive=True, group="summary")
    def _compute(self, filters: summary.Filters, pairs: tuple | None) -> None:
        """The figures, then the possible duplicates (a pass over the whole file, done again
        only when the data changed: a new filter reuses the last pass's pairs)."""
        try:
            with reading(self.app) as store:
                figures = load_figures(store, filters)
                deliver(self.app, self._loaded, figures)
                if pairs is None:
                    pairs = (self._seen_changes, summary.duplicate_pair_cbos(store))
                deliver(self.app, self._counted, summary.possible_duplicates(store, filters, pairs[1]), pairs)
        except (StoreError, sqlite3.Error) as exc:
            deliver(self.app, self._failed, str(exc))

    def _failed(self, reason: str) -> None:
        self.query_one("#summary-body").loading = False
        self._message(_("Could not compute the figures: {reason}").format(reason=reason))

    def _loaded(self, figures: Figures) -> None:
        self.figures = figures
        self.query_one("#summary-body").remove_class("-stale", "-hidden")
        self._apply_choices(figures.choices)
        self._show(figures)
        self.query_one("#summary-body").loading = False

    def _counted(self, count: int | None, pairs: tuple) -> None:
        self._pairs = pairs
        if self.figures is not None:
            self.figures.result.possible_duplicates = count  # as `fieldtui summary` has it
        note = self.query_one("#review-note", Static)
        note.update(fmt.to_review(count) if count else "")
        note.display = bool(count)

    def on_resize(self) -> None:
        if self.figures is not None:
            self._fill_projects(self.figures.result)

    # ---- showing -------------------------------------------------------------------

    def _cbo_name(self, name: str, name_zh: str) -> str:
        return fmt.cbo_name(name_zh, name)

    def _show(self, figures: Figures) -> None:
        r = figures.result
        self.query_one("#summary-note").set_class(r.is_empty, "-shown")
        placed = f"{fmt.number(r.trainees_placed)} ({fmt.percent(r.placement_rate)})"
        progress = f"{fmt.percent(r.progress)} ({fmt.number(r.direct_beneficiaries)} / {fmt.number(r.target_direct)})"
        for key, value, label in (
            ("direct", fmt.number(r.direct_beneficiaries), _("Lives changed (direct)")),
            ("indirect", fmt.number(r.indirect_beneficiaries), _("Indirect beneficiaries")),
            ("trainees", fmt.number(r.trainees), _("Trainees")),
            ("placed", placed, _("Placed in jobs (rate)")),
            ("after-school", fmt.number(r.after_school_children), _("After-school children")),
            ("others", fmt.number(r.other_participants), _("Other programmes")),
            ("grants", fmt.usd(r.grant_usd), _("Grants")),
            ("cost", fmt.usd(r.cost_per_life_usd, 2), _("Cost per life") + (" *" if r.cost_per_life_note else "")),
            ("sii", fmt.sii(r.sii_mean), _("SII (mean)")),
            ("progress", progress, _("Progress to target")),
        ):
            self.query_one(f"#fig-{key}", Static).update(f"[b]{value}[/b]\n[dim]{label}[/dim]")
        note = self.query_one("#cost-note", Static)
        note.update(f"* {r.cost_per_life_note}" if r.cost_per_life_note else "")
        note.display = bool(r.cost_per_life_note)
        note = self.query_one("#uncounted-note", Static)
        note.update(fmt.counted_nowhere(r.uncounted) if r.uncounted else "")
        note.display = bool(r.uncounted)
        self._fill_projects(r)
        rows = [(self._cbo_name(c.name, c.name_zh), c.direct_beneficiaries, c.target_direct, False) for c in r.cbos]
        if len(r.cbos) > 1:
            rows.append((_("All CBOs"), r.direct_beneficiaries, r.target_direct, True))
        self.query_one("#progress-meters", Meters).set_data(rows)
        self.query_one("#chart-beneficiaries", BarChart).set_data(
            [self._cbo_name(c.name, c.name_zh) for c in r.cbos] if not r.is_empty else [],
            [(_("Direct"), [c.direct_beneficiaries for c in r.cbos]),
             (_("Indirect"), [c.indirect_beneficiaries for c in r.cbos])],
        )
        self.query_one("#chart-registrations", ColumnChart).set_data(
            [p.period for p in figures.registrations], [p.registrations for p in figures.registrations])
        income = figures.income
        self.query_one("#chart-income", BarChart).set_data(
            [self._cbo_name(i.name, i.name_zh) for i in income],
            [(_("Income before training"), [i.income_before_cny for i in income]),
             (_("Wage after placement"), [i.wage_cny for i in income])],
        )
        self.query_one(OutcomesPanel).show(r)

    def _fill_projects(self, r: summary.Summary) -> None:
        """The donor's 'Featured projects' table; the project column takes the width left over."""
        table = self.query_one("#projects", DataTable)
        cells = [(fmt.sii(c.sii), self._cbo_name(c.name, c.name_zh), fmt.usd(c.grant_usd),
                  fmt.number(c.direct_beneficiaries), fmt.usd(c.cost_per_life_usd, 2)) for c in r.cbos]
        headers = (_("SII"), _("Project"), _("Grant"), _("Lives changed"), _("Cost per life"))
        # Every width is set here, from the data, so the table never depends on when DataTable
        # gets round to measuring (it measures lazily, on idle).
        widths = [max([cell_len(h)] + [cell_len(row[i]) for row in cells]) for i, h in enumerate(headers)]
        others = sum(widths) - widths[1] + 2 * len(headers)  # the other columns and the cells' padding
        widths[1] = min(widths[1], max(10, self.size.width - 4 - others - 1))  # body padding, scrollbar
        table.clear(columns=True)
        for i, (key, header) in enumerate(zip(("sii", "project", "grant", "lives", "cost"), headers, strict=True)):
            # Text, not str: a str label is parsed as Rich markup (and loads Rich's emoji table)
            table.add_column(Text(header, justify="left" if i == 1 else "right"), key=key, width=widths[i])
        for c, row in zip(r.cbos, cells, strict=True):
            table.add_row(*(Text(v, justify="right") if i != 1 else Text(v, overflow="ellipsis", no_wrap=True)
                            for i, v in enumerate(row)), key=c.id)
        measure_rows_now(table)  # row heights and scroll size now, not on the table's next idle
