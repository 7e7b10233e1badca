"""`fieldtui summary DB`: the initiative's figures as a rich table or the JSON contract."""

from __future__ import annotations

import datetime as dt

import click

from fieldtui.cli import main
from fieldtui.cli.common import json_text, lang_option, read_hq

DATE = click.DateTime(formats=["%Y-%m-%d"])


@main.command("summary")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract instead of a table.")
@click.option("--cbo", help="Only this CBO (English or Chinese name, or id).")
@click.option("--city", help="Only CBOs in this city.")
@click.option("--from", "date_from", type=DATE, help="Registered on or after YYYY-MM-DD.")
@click.option("--to", "date_to", type=DATE, help="Registered on or before YYYY-MM-DD.")
@click.option("--quarter", help="Only people registered in this quarter, e.g. 2010Q1 (instead of --from/--to).")
@lang_option
def summary_cmd(db: str, as_json: bool, cbo: str | None, city: str | None,
                date_from: dt.datetime | None, date_to: dt.datetime | None, quarter: str | None) -> None:
    """Print the summary figures of DB (the file is not modified)."""
    from fieldtui.core import charts, summary
    from fieldtui.core.store import StoreError
    from fieldtui.i18n import _

    if quarter:
        if date_from or date_to:
            raise StoreError(_("--quarter cannot be combined with --from or --to"))
        try:
            first, last = charts.quarter_range(quarter)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        date_from, date_to = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time())
    if date_from and date_to and date_to < date_from:
        raise StoreError(_("--to must be on or after --from"))
    with read_hq(db) as store:
        filters = summary.Filters(
            cbo_id=summary.resolve_cbo(store, cbo) if cbo else None,
            city=city,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
        )
        result = summary.compute(store, filters, duplicates_too=True)
    if as_json:
        click.echo(json_text(result.to_json()))
        return
    from rich.console import Console

    from fieldtui.cli.render import summary_table

    Console().print(summary_table(result))
    if result.possible_duplicates is None:
        from fieldtui.core import formatting as fmt

        click.echo(_("Possible duplicates are not counted for files of more than {n} people: "
                     "`fieldtui duplicates` lists them.").format(n=fmt.number(summary.COUNT_DUPLICATES_UP_TO)))

