"""`fieldtui report DB OUT_DIR`: the donor report (report.html and report.xlsx) from DB's figures."""

from __future__ import annotations

import datetime as dt

import click

from fieldtui.cli import main
from fieldtui.cli.common import lang_option, read_hq, say
from fieldtui.cli.filters import filter_options


@main.command("report")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("out_dir", type=click.Path(file_okay=True, dir_okay=True))
@filter_options
@lang_option
def report_cmd(db: str, out_dir: str, cbo: str | None, city: str | None, date_from: dt.datetime | None,
               date_to: dt.datetime | None, quarter: str | None) -> None:
    """Write the donor report of DB into OUT_DIR: report.html (prints to A4) and report.xlsx (the file is not modified)."""  # noqa: E501 (a msgid)
    from fieldtui.cli.filters import parse_filters
    from fieldtui.core.report import write_report
    from fieldtui.i18n import _, language

    with read_hq(db) as store:
        filters = parse_filters(store, cbo, city, date_from, date_to, quarter)
        paths = write_report(store, out_dir, filters, lang=language())
    say(_("Wrote {html} and {xlsx}").format(html=paths.html, xlsx=paths.xlsx))
