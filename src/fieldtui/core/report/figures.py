"""What a report shows, gathered once: the `Summary`, the chart aggregates, and where they came from.

Every number in report.html and report.xlsx is read from this `ReportData`, which holds only what
`core.summary` returned (compute, registrations, income_vs_wage), so the report, the summary
screen and `fieldtui summary --json` cannot disagree. Nothing here adds, averages or divides
figures; key achievements are sentences around figures the summary already has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from importlib import metadata

from fieldtui.core import charts, summary
from fieldtui.core import formatting as fmt
from fieldtui.core.report.text import N_, _, cbo_name, lang, plural
from fieldtui.core.store import Store


@dataclasses.dataclass(frozen=True)
class Merge:
    """One export merged into the file (headquarters' files): the id a field export carries."""

    export_id: str
    file_name: str
    merged_at: str


@dataclasses.dataclass(frozen=True)
class Provenance:
    """Enough to trace a figure back: which file, which merges, which filters, when, which fieldtui."""

    file_name: str
    file_modified: dt.datetime | None
    device_id: str | None
    merges: list[Merge]
    filters: summary.Filters
    generated_at: dt.datetime
    version: str


@dataclasses.dataclass(frozen=True)
class ReportData:
    summary: summary.Summary
    registrations: list[charts.PeriodCount]
    income: list[charts.IncomeWage]
    provenance: Provenance


def gather(store: Store, filters: summary.Filters, now: dt.datetime | None = None) -> ReportData:
    """The figures for `filters` and their provenance, read from `store` (opened read-only)."""
    return ReportData(
        summary=summary.compute(store, filters),
        registrations=charts.registrations(store, filters, by="quarter"),
        income=charts.income_vs_wage(store, filters),
        provenance=_provenance(store, filters, now or dt.datetime.now(dt.UTC)),
    )


def _provenance(store: Store, filters: summary.Filters, now: dt.datetime) -> Provenance:
    path = store.path
    modified = None
    if path is not None and path.exists():
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    try:  # `merges` exists from schema 3 on; a read-only open upgrades older files in memory
        merges = [Merge(*(str(v) for v in row)) for row in store.conn.execute(
            "SELECT export_id, file_name, merged_at FROM merges ORDER BY seq")]
    except sqlite3.OperationalError:
        merges = []
    try:
        version = metadata.version("fieldtui")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return Provenance(file_name=path.name if path else ":memory:", file_modified=modified,
                      device_id=store.get_meta("device_id"), merges=merges, filters=filters,
                      generated_at=now, version=version)


# --------------------------------------------------------------------------- words


def when(moment: dt.datetime | None) -> str:
    """"30 November 2026 12:03 UTC" / "2026年11月30日 12:03 UTC"."""
    if moment is None:
        return fmt.DASH
    moment = moment.astimezone(dt.UTC)
    return f"{fmt.long_date(moment.date(), lang())} {moment:%H:%M} UTC"


def describe_filters(data: ReportData) -> str:
    """The filters in words, e.g. "CBO: Xin Zhi Guan; registered 2010-01-01 to 2010-03-31"."""
    f = data.provenance.filters
    if not f.active:
        return _("All CBOs, all cities, all dates")
    parts = []
    if f.cbo_id:
        names = [cbo_name(c.name, c.name_zh) for c in data.summary.cbos if c.id == f.cbo_id]
        parts.append(_("CBO: {name}").format(name=fmt.shown(names[0] if names else f.cbo_id)))
    if f.city:
        parts.append(_("City: {city}").format(city=fmt.shown(f.city)))
    if f.date_from or f.date_to:
        parts.append(_("Registered from {start} to {end}").format(
            start=fmt.date(f.date_from) if f.date_from else "…", end=fmt.date(f.date_to) if f.date_to else "…"))
    return _("; ").join(parts)


def reproduce_command(data: ReportData) -> str:
    """The `fieldtui summary` command that prints these figures as JSON (for checking a figure)."""
    f = data.provenance.filters
    words = ["fieldtui", "summary", _quoted(data.provenance.file_name), "--json"]
    for option, value in (("--cbo", f.cbo_id), ("--city", f.city),
                          ("--from", f.date_from and f.date_from.isoformat()),
                          ("--to", f.date_to and f.date_to.isoformat())):
        if value:
            words += [option, _quoted(value)]
    return " ".join(words)


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(fmt.shown(text))


def uncounted(data: ReportData) -> str | None:
    """Registered people the figures leave out, said on the page's cover and the workbook's
    summary: a donor must not read 8,031 where the file holds 8,231 without being told why."""
    people = data.summary.uncounted
    if not people:
        return None
    # Translators: in the donor report, when registered people are left out of its figures.
    return plural(people, N_("1 registered person is counted nowhere in these figures: their record is under review."),
                  N_("{n} registered people are counted nowhere in these figures: their records are under review.")
                  ).format(n=fmt.number(people))


def achievements(data: ReportData) -> list[tuple[str, str]]:
    """Key achievements as (title, sentence), only for figures the summary has and that are not zero."""
    s = data.summary
    found: list[tuple[str, str]] = []
    if s.direct_beneficiaries:
        found.append((_("People reached"), plural(
            s.direct_beneficiaries,
            N_("{direct} person benefited directly and {indirect} indirectly (members of their households)."),
            N_("{direct} people benefited directly and {indirect} indirectly (members of their households)."),
        ).format(direct=fmt.number(s.direct_beneficiaries), indirect=fmt.number(s.indirect_beneficiaries))))
    if s.trainees and s.placement_rate is not None:
        found.append((_("Vocational training"), plural(
            s.trainees, N_("{trainees} trainee, {rate} placed in a job ({placed})."),
            N_("{trainees} trainees, {rate} placed in jobs ({placed} people)."),
        ).format(trainees=fmt.number(s.trainees), rate=fmt.percent(s.placement_rate, 1),
                 placed=fmt.number(s.trainees_placed))))
    if s.after_school_children:
        found.append((_("After-school programmes"), plural(
            s.after_school_children, N_("{children} child took part in after-school programmes."),
            N_("{children} children took part in after-school programmes."),
        ).format(children=fmt.number(s.after_school_children))))
    found += _outcome_achievements(s)
    if s.progress is not None:
        found.append((_("Progress against target"), _(
            "{progress} of the target reached: {direct} of {target} lives."
        ).format(progress=fmt.percent(s.progress), direct=fmt.number(s.direct_beneficiaries),
                 target=fmt.number(s.target_direct))))
    if s.cbos and s.cost_per_life_usd is not None:
        found.append((_("Investment"), plural(
            len(s.cbos), N_("{grant} invested through {n} CBO: {cost} per life changed."),
            N_("{grant} invested through {n} CBOs: {cost} per life changed."),
        ).format(grant=fmt.usd(s.grant_usd), n=fmt.number(len(s.cbos)), cost=fmt.usd(s.cost_per_life_usd, 2))))
    return found


def _outcome_achievements(s: summary.Summary) -> list[tuple[str, str]]:
    """Did lives change: jobs kept, income, volunteers (only figures the file has)."""
    found = []
    if s.retention_6m is not None:
        found.append((_("Jobs kept"), _("{rate} of the placed trainees checked were still employed 6 months "
                                        "after placement.").format(rate=fmt.percent(s.retention_6m, 1))))
    if s.income_change_cny is not None:
        found.append((_("Income"), _("Median monthly income rose from {before} before training to {after} "
                                     "after placement ({change}).").format(
            before=fmt.cny(s.median_income_before_cny), after=fmt.cny(s.median_wage_after_cny),
            change=fmt.signed_cny(s.income_change_cny))))
    if s.volunteers:
        found.append((_("Volunteers"), plural(
            s.volunteers, N_("{n} volunteer gave {hours} hours."), N_("{n} volunteers gave {hours} hours."),
        ).format(n=fmt.number(s.volunteers), hours=fmt.hours(s.volunteer_hours))))
    return found
