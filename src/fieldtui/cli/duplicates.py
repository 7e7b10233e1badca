"""`fieldtui duplicates DB`: likely pairs of records of one person, with a score and the evidence.

Only what a person needs to tell two records apart is printed: names, birth years, CBOs and the
evidence as words ('same phone', never the phone). The file is not modified; decisions are
taken in the app's review screen.
"""

from __future__ import annotations

import click

from fieldtui.cli import main
from fieldtui.cli.common import json_text, lang_option, read_hq


def _min_score(text: str | None) -> int:
    from fieldtui.core.duplicates import PAIR_MIN
    from fieldtui.core.store import StoreError
    from fieldtui.i18n import _

    if text is None:
        return PAIR_MIN
    if not text.strip().isdigit() or not 0 <= int(text) <= 100:
        raise StoreError(_("--min-score must be a whole number from 0 to 100"))
    return int(text)


@main.command("duplicates")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON instead of a table.")
@click.option("--min-score", "min_score", metavar="S", help="Only pairs scoring at least S (0-100; default 70).")
@lang_option
def duplicates_cmd(db: str, as_json: bool, min_score: str | None) -> None:
    """List likely duplicates in DB (every CBO): pairs with a score and the evidence."""
    from fieldtui.core import duplicates

    threshold = _min_score(min_score)
    with read_hq(db) as store:
        found = sorted(duplicates.pairs(store, threshold), key=lambda p: (-p.score, p.a.id, p.b.id))
    if as_json:
        click.echo(json_text({"pairs": [_pair_json(p) for p in found], "count": len(found)}))
        return
    _print_table(found)


def _person_json(c) -> dict:
    return {"id": c.id, "name": c.full_name, "birth_year": c.birth_year, "cbo": c.cbo_en, "cbo_zh": c.cbo_zh}


def _pair_json(p) -> dict:
    return {"score": p.score, "a": _person_json(p.a), "b": _person_json(p.b), "evidence": p.evidence.as_dict()}


def _print_table(found: list) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from fieldtui.core import formatting as fmt
    from fieldtui.i18n import _

    if not found:
        click.echo(_("No likely duplicates."))
        return
    zh = fmt.language() == "zh"
    table = Table(title=_("Likely duplicates ({n})").format(n=fmt.number(len(found))))
    for label in (_("Score"), _("Person"), _("Person"), _("Evidence")):
        table.add_column(label)
    for p in found:
        who = [Text(f"{fmt.shown(c.full_name)} · {c.birth_year or fmt.DASH} · "
                    f"{fmt.shown((c.cbo_zh if zh and c.cbo_zh else c.cbo_en) or '')}\n{c.id}") for c in (p.a, p.b)]
        table.add_row(str(p.score), *who, "; ".join(p.evidence.lines()) if not zh else "；".join(p.evidence.lines()))
    Console(highlight=False).print(table)
