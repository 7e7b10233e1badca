"""The summary filters as command-line options, for every command that reads figures.

The same options, parsing and messages as `fieldtui summary` (cli/summary.py defines its own
copy today; it can switch to `filter_options`/`parse_filters` with no change in behaviour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from fieldtui.cli.summary import DATE


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--cbo, --city, --from, --to and --quarter, passed to the command under those names."""
    for option in reversed((
        click.option("--cbo", help="Only this CBO (English or Chinese name, or id)."),
        click.option("--city", help="Only CBOs in this city."),
        click.option("--from", "date_from", type=DATE, help="Registered on or after YYYY-MM-DD."),
        click.option("--to", "date_to", type=DATE, help="Registered on or before YYYY-MM-DD."),
        click.option("--quarter", help="Only people registered in this quarter, e.g. 2010Q1 (instead of --from/--to)."),
    )):
        command = option(command)
    return command


def parse_filters(store: Any, cbo: str | None, city: str | None, date_from: dt.datetime | None,
                  date_to: dt.datetime | None, quarter: str | None) -> Any:
    """The options as `summary.Filters` (the CBO resolved in `store`), or a StoreError for people."""
    from fieldtui.core import charts, summary
    from fieldtui.core.errors import StoreError
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
    return summary.Filters(
        cbo_id=summary.resolve_cbo(store, cbo) if cbo else None,
        city=city,
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
