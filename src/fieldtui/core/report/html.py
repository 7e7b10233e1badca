"""report.html: one self-contained page (inline CSS and SVG, no script, no URL) that prints to A4.

Plain f-strings rather than a template library: the page is a dozen small pieces, and every
value that reaches it goes through `_e` (html.escape) here, people's text (CBO names, file
names, filters) and translations alike. Layout follows the donor's published page: headline
figures, key achievements, the featured-projects table, then the sections of `sections.py`,
then where the figures came from.
"""

from __future__ import annotations

import html
from importlib import resources

from fieldtui.core import formatting as fmt
from fieldtui.core.report import figures as fig
from fieldtui.core.report import svg
from fieldtui.core.report.figures import ReportData
from fieldtui.core.report.sections import SECTIONS, Chart, TableSection, written
from fieldtui.core.report.text import _, lang

_NAME = ' class="name"'


def _e(value: object) -> str:
    return html.escape(fmt.shown(str(value)), quote=True)


def render(data: ReportData) -> str:
    """The whole page, in the report's current language (text.speaking)."""
    title = _("China Migrant Initiative")
    body = [_cover(data, title), _headline(data), _achievements(data)]
    body += [_section(s, data) for s in SECTIONS if s.when(data)]
    body.append(_provenance(data))
    style = resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-Hans" if lang() == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}: {_e(_('Donor report'))}</title>\n<style>\n{style}</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def _cover(data: ReportData, title: str) -> str:
    empty = (f'<p class="empty">{_e(_("No participants match these filters: every figure is zero."))}</p>'
             if data.summary.is_empty else "")
    if (left_out := fig.uncounted(data)) is not None:
        empty += f'<p class="empty">{_e(left_out)}</p>'
    return (f'<header class="cover"><h1>{_e(title)}</h1>'
            f'<p class="subtitle">{_e(_("Donor report"))} · {_e(fig.when(data.provenance.generated_at))}</p>'
            f'<p class="filters">{_e(fig.describe_filters(data))}</p></header>{empty}')


def _card(label: str, value: str, more: str = "") -> str:
    extra = f'<span class="more">{_e(more)}</span>' if more else ""
    return f'<div class="card"><dt>{_e(label)}</dt><dd>{_e(value)}{extra}</dd></div>'


def _headline(data: ReportData) -> str:
    s = data.summary
    placed = _("{placed} placed in jobs ({rate})").format(
        placed=fmt.number(s.trainees_placed), rate=fmt.percent(s.placement_rate, 1))
    target = _("{direct} of {target}").format(direct=fmt.number(s.direct_beneficiaries),
                                              target=fmt.number(s.target_direct))
    cards = [
        _card(_("Lives changed"), fmt.number(s.direct_beneficiaries)),
        _card(_("Indirect beneficiaries"), fmt.number(s.indirect_beneficiaries)),
        _card(_("Trainees"), fmt.number(s.trainees), placed),
        _card(_("After-school children"), fmt.number(s.after_school_children)),
        _card(_("Total investment"), fmt.usd(s.grant_usd)),
        _card(_("Average cost per life"), fmt.usd(s.cost_per_life_usd, 2)),
        _card(_("Social Impact Index"), fmt.number(s.sii_mean), _("out of 100")),
        _card(_("Progress against target"), fmt.percent(s.progress), target),
    ]
    return (f'<section id="headline"><h2>{_e(_("Headline figures"))}</h2>'
            f'<dl class="cards">{"".join(cards)}</dl></section>')


def _achievements(data: ReportData) -> str:
    items = fig.achievements(data)
    if not items:
        return ""
    # Translators: a key achievement: its title in bold, then its sentence.
    line = _e(_("{title} – {text}"))
    lis = "".join(f"<li>{line.format(title=f'<strong>{_e(title)}</strong>', text=_e(text))}</li>"
                  for title, text in items)
    heading = f'<h2>{_e(_("Key achievements"))}</h2>'
    return f'<section id="achievements">{heading}<ul class="achievements">{lis}</ul></section>'


def _section(section: TableSection, data: ReportData) -> str:
    rows = section.rows(data)
    charts = "".join(_chart(section, chart, rows) for chart in section.charts if rows)
    at = section.label_at
    head = "".join(f'<th{_NAME if i == at else ""}>{_e(_(h))}</th>' for i, h in enumerate(section.headers()))
    body = []
    for label, values, total in rows:
        cells = [f"<td>{_e(written(c.kind, v))}</td>" for c, v in zip(section.columns, values, strict=True)]
        cells.insert(at, f"<td{_NAME}>{_e(label)}</td>")
        body.append(('<tr class="total">' if total else "<tr>") + "".join(cells) + "</tr>")
    note = f'<p class="note">{_e(_(section.note))}</p>' if section.note else ""
    classes = ' class="new-page"' if section.new_page else ""
    return (f'<section id="{_e(section.key)}"{classes}><h2>{_e(_(section.title))}</h2>{charts}'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}</section>")


def _chart(section: TableSection, chart: Chart, rows: list) -> str:
    caption = f'<p class="caption">{_e(_(chart.caption))}</p>' if chart.caption else ""
    return caption + _drawing(section, chart, rows)


def _drawing(section: TableSection, chart: Chart, rows: list) -> str:
    shown = [r for r in rows if chart.with_total or not r[2]]
    labels = [r[0] for r in shown]
    title = _(chart.caption or section.title)
    if chart.style == "meters":
        value, target, progress = chart.series
        return svg.meters(title, [(label, values[progress], _("{progress} ({direct} of {target})").format(
            progress=fmt.percent(values[progress]), direct=fmt.number(values[value]),
            target=fmt.number(values[target]))) for label, values, _total in shown])
    kind = section.columns[chart.series[0]].kind
    if chart.style == "columns":
        return svg.columns(title, labels, [r[1][chart.series[0]] or 0 for r in shown],
                           lambda v: written(kind, v))
    series = [(_(section.columns[i].title), [r[1][i] for r in shown]) for i in chart.series]
    return svg.bars(title, labels, series, lambda v: written(kind, v))


def _provenance(data: ReportData) -> str:
    p = data.provenance
    source = _("{file} (last changed {when})").format(file=p.file_name, when=fig.when(p.file_modified))
    if p.merges:
        merges = "; ".join(_("{export_id} ({file}, merged {when})").format(
            export_id=m.export_id, file=m.file_name, when=m.merged_at[:16].replace("T", " ")) for m in p.merges)
    else:
        merges = _("none: every record was entered in this file")
    rows = [
        (_("Source file"), source), (_("Device"), p.device_id or fmt.DASH),
        (_("Merged exports"), merges), (_("Filters"), fig.describe_filters(data)),
        (_("Written"), _("{when} by fieldtui {version}").format(when=fig.when(p.generated_at), version=p.version)),
    ]
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    check = _("Every figure is the summary's: to check one, run")
    return (f'<footer id="provenance"><h2>{_e(_("Where these figures come from"))}</h2><dl>{items}'
            f"<dt>{_e(check)}</dt><dd><code>{_e(fig.reproduce_command(data))}</code></dd></dl></footer>")
