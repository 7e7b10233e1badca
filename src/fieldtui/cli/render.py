"""Rich renderings of core results for the terminal (CLI); no Textual here."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fieldtui.core import formatting as fmt
from fieldtui.core.summary import DIMENSIONS, Summary
from fieldtui.core.summary.lines import BREAKDOWN_COLUMNS, DIMENSION_TITLES, breakdown_rows, outcome_lines
from fieldtui.i18n import _, language


def summary_table(result: Summary) -> Group:
    """Headline figures, then the donor's 'Featured projects' table, per CBO."""
    head = Table(title=_("China Migrant Initiative: summary"), show_header=False, box=None, pad_edge=False)
    # Long labels and CJK names (no spaces to wrap at) fold onto a second line, never cut with "…".
    head.add_column(style="bold", overflow="fold")
    head.add_column(justify="right")
    rows = [
        (_("Direct beneficiaries (lives changed)"), fmt.people(result.direct_beneficiaries)),
        (_("Indirect beneficiaries"), fmt.people(result.indirect_beneficiaries)),
        (_("Trainees"), fmt.people(result.trainees)),
        (_("Trainees placed in jobs"),
         fmt.with_note(fmt.people(result.trainees_placed), fmt.percent(result.placement_rate))),
        (_("After-school children"), fmt.people(result.after_school_children)),
        (_("Other programmes"), fmt.people(result.other_participants)),
        (_("Grants"), fmt.usd(result.grant_usd)),
        (_("Average cost per life"), fmt.usd(result.cost_per_life_usd, 2)),
        (_("Social Impact Index (mean)"), fmt.sii(result.sii_mean)),
        (_("Progress towards target"),
         fmt.with_note(f"{fmt.number(result.direct_beneficiaries)} / {fmt.people(result.target_direct)}",
                       fmt.percent(result.progress))),
    ]
    for label, value in rows:
        head.add_row(label, value)

    projects = Table(title=_("Featured projects"))
    projects.add_column(_("SII"), justify="right")
    projects.add_column(_("Project"), ratio=1, overflow="fold")
    projects.add_column(_("Grant"), justify="right", no_wrap=True)
    projects.add_column(_("Lives changed"), justify="right")
    projects.add_column(_("Cost per life"), justify="right", no_wrap=True)
    people = Table(title=_("Beneficiaries by CBO"))
    people.add_column(_("Project"), ratio=1, overflow="fold")
    for label in (_("Indirect"), _("Trainees"), _("Placed"), _("After-school"), _("Progress")):
        people.add_column(label, justify="right", no_wrap=True)
    for c in result.cbos:
        name = Text(fmt.cbo_name(c.name_zh, c.name))  # CBO names are data (never markup)
        projects.add_row(fmt.sii(c.sii), name, fmt.usd(c.grant_usd), fmt.number(c.direct_beneficiaries),
                         fmt.usd(c.cost_per_life_usd, 2))
        people.add_row(name, fmt.number(c.indirect_beneficiaries), fmt.number(c.trainees),
                       fmt.number(c.trainees_placed), fmt.number(c.after_school_children), fmt.percent(c.progress))
    parts = [head, projects, people, *outcome_tables(result)]
    if result.cost_per_life_note:
        parts.append(Text(result.cost_per_life_note, style="dim"))
    if result.is_empty:
        parts.append(Text(fmt.no_data_note(), style="yellow"))
    if result.uncounted:
        parts.append(Text(fmt.counted_nowhere(result.uncounted), style="yellow"))
    if result.possible_duplicates:
        parts.append(Text(fmt.to_review(result.possible_duplicates), style="yellow"))
    return Group(*parts)


def outcome_tables(result: Summary) -> list[Table]:
    """What happened after the programmes, then each breakdown (each sums to the totals above)."""
    outcomes = Table(title=_("Outcomes"), show_header=False, box=None, pad_edge=False)
    outcomes.add_column(style="bold", overflow="fold")
    outcomes.add_column(justify="right")
    for label, value in outcome_lines(result, _):
        outcomes.add_row(label, value)
    tables = [outcomes]
    for dimension in DIMENSIONS:
        rows = breakdown_rows(result, dimension, _, language() == "zh")
        if not rows:
            continue
        table = Table(title=_(DIMENSION_TITLES[dimension]))
        table.add_column("", ratio=1, overflow="fold")
        for header, _attr, _kind in BREAKDOWN_COLUMNS:
            table.add_column(_(header), justify="right", overflow="fold")
        for group, values in rows:
            table.add_row(Text(group), *values)  # a province is data (never markup)
        tables.append(table)
    return tables
