"""`fieldtui export | merge | import | export-table`: moving records between files and spreadsheets."""

from __future__ import annotations

import sys

import click

from fieldtui.cli import main
from fieldtui.cli.common import EXIT_USAGE, lang_option, operator_option, read_hq, say
from fieldtui.core import kinds

IMPORT_KINDS = kinds.keys(importable=True, aliases=True)
EXPORT_KINDS = (*kinds.keys(aliases=True), "summary")


@main.command("export")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--pseudonymise", is_flag=True,
              help="Replace names, phones and guardians by a keyed hash; keep only birth years.")
@click.option("--key", help="Secret for the keyed hash (default: $FIELDTUI_PSEUDONYM_KEY, else one kept in DB).")
@click.option("--to", "to", metavar="FILE_OR_TEXT",
              help="Seal the export to this headquarters public key (default: the key in the settings).")
@click.option("--plain", is_flag=True, help="Do not seal the export, even if a headquarters key is set.")
@operator_option
@lang_option
def export_cmd(db: str, out: str, pseudonymise: bool, key: str | None, to: str | None, plain: bool,
               operator: str | None) -> None:
    """Write a snapshot of DB to OUT for headquarters (safe while the app has DB open)."""
    from fieldtui.core import exchange
    from fieldtui.core.exchange import keys
    from fieldtui.i18n import _

    recipient = keys.export_recipient(to, plain)
    result = exchange.export(db, out, pseudonymise=pseudonymise, key=key, recipient=recipient, operator=operator)
    total = sum(result.counts.values())
    if result.sealed:
        said = (_("Exported 1 row to {path} (export {id}), sealed to headquarters' key.") if total == 1
                else _("Exported {n} rows to {path} (export {id}), sealed to headquarters' key."))
    else:
        said = (_("Exported 1 row to {path} (export {id}).") if total == 1
                else _("Exported {n} rows to {path} (export {id})."))
    say(said.format(n=f"{total:,}", path=result.path, id=result.export_id))


@main.command("redate")
@click.argument("db", type=click.Path(dir_okay=False))
@operator_option
@lang_option
def redate_cmd(db: str, operator: str | None) -> None:
    """Date now the changes DB holds dated later than tomorrow (a clock that was set ahead):
    headquarters refuses them. Run it once this computer's clock is right."""
    from fieldtui.core import clock
    from fieldtui.core.store import Store
    from fieldtui.i18n import _

    clock.refuse_a_wrong_clock()  # before opening the file: opening it writes (its log mode)
    with Store.open(db, operator=operator) as store:
        n, latest = store.redate_future()
    if not n:
        click.echo(_("Nothing to re-date: no change is dated later than tomorrow by this computer's clock."))
        return
    click.echo(_("Re-dated {n} changes dated up to {date} to now, in their order: the file can be exported.").format(
        n=f"{n:,}", date=str(latest)[:10]))


@main.command("merge")
@click.argument("hq", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--identity", metavar="FILE", type=click.Path(dir_okay=False),
              help="Headquarters' identity file, to open sealed exports (default: the one in the settings).")
@operator_option
@lang_option
def merge_cmd(hq: str, files: tuple[str, ...], identity: str | None, operator: str | None) -> None:
    """Merge field exports FILES into HQ (created if missing); exit 2 if any file was refused."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from fieldtui.cli.reports import merge_report
    from fieldtui.core import exchange
    from fieldtui.core.exchange import keys
    from fieldtui.core.pg import is_url
    from fieldtui.i18n import _

    identities = keys.merge_identities(identity)  # a bad identity file: one line, before HQ is opened
    err = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=len(files) < 2) as bar:
        task = bar.add_task(_("Merging"), total=len(files))
        merge = exchange.merge
        if is_url(hq):  # headquarters on PostgreSQL (core/pg/)
            from fieldtui.core.pg.merge import merge
        report = merge(hq, list(files), operator=operator, identities=identities,
                       progress=lambda stage, done, total: bar.update(task, completed=done))
    Console().print(merge_report(report))
    if report.refused:
        for f in report.refused:
            say(_("fieldtui: error: refused {path}: {reason}").format(path=f.path, reason=f.reason), err=True)
        sys.exit(EXIT_USAGE)


@main.command("import")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(IMPORT_KINDS), help="What the spreadsheet holds.")
@click.option("--skip-invalid", is_flag=True, help="Write the good rows even if some are bad.")
@click.option("--update", "update", metavar="FILE", type=click.Path(dir_okay=False),
              help="Correct the records listed by export-table (its id column), edited: all rows or none.")
@operator_option
@lang_option
def import_cmd(db: str, file: str | None, kind: str, skip_invalid: bool, update: str | None,
               operator: str | None) -> None:
    """Add the rows of a spreadsheet (.csv or .xlsx) to DB; nothing is written if a row is bad."""
    from rich.console import Console

    from fieldtui.cli.common import fail
    from fieldtui.cli.reports import import_report
    from fieldtui.core import clock, sheets
    from fieldtui.core.store import Store
    from fieldtui.i18n import _

    if (file is None) == (update is None):
        fail(_("give either FILE (new records) or --update FILE (corrections), not both"))
    if update and skip_invalid:
        fail(_("--update writes all rows or none: --skip-invalid does not apply"))
    clock.refuse_a_wrong_clock()  # its dates would be checked, and its records stamped, by that clock
    with Store.open(db, operator=operator) as store:
        if update:
            report = sheets.update_table(store, kind, update)
        else:
            report = sheets.import_table(store, kind, file, skip_invalid=skip_invalid)
    Console().print(import_report(report))
    if report.error_count and not skip_invalid:
        bad = report.error_count
        if update:
            said = _("fieldtui: error: {n} bad rows; nothing was written")
        elif bad == 1:
            said = _("fieldtui: error: 1 bad row; nothing was written (fix it, or use --skip-invalid)")
        else:
            said = _("fieldtui: error: {n} bad rows; nothing was written (fix them, or use --skip-invalid)")
        click.echo(said.format(n=f"{bad:,}"), err=True)
        sys.exit(EXIT_USAGE)


@main.command("export-table")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(EXPORT_KINDS), help="Which list, or the summary.")
@lang_option
def export_table_cmd(db: str, out: str, kind: str) -> None:
    """Write a list of DB (or its summary) to OUT.csv or OUT.xlsx for a spreadsheet."""
    from fieldtui.core import sheets
    from fieldtui.i18n import _

    with read_hq(db) as store:
        n = sheets.export_table(store, kind, out)
    said = _("Wrote 1 row to {path}.") if n == 1 else _("Wrote {n} rows to {path}.")
    say(said.format(n=f"{n:,}", path=out))


@main.command("conflicts")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--resolve", "resolve", metavar="ID", help="Settle the conflicts of the record whose id starts so.")
@click.option("--field", "field", metavar="FIELD", help="With --resolve: only this field.")
@click.option("--take", "take", metavar="N", help="With --resolve: the version numbered N as listed "
              "(default: the one shown now).")
@operator_option
@lang_option
def conflicts_cmd(db: str, resolve: str | None, field: str | None, take: str | None, operator: str | None) -> None:
    """List fields changed two ways on different devices, every value with where and when it was
    made; or settle one record's (--resolve ID [--field F] [--take N])."""
    from rich.console import Console

    from fieldtui.cli.reports import conflicts_report, uncounted_report
    from fieldtui.core import clock, exchange, summary
    from fieldtui.core.pg import is_url
    from fieldtui.core.store import Store
    from fieldtui.i18n import _

    if resolve:
        clock.refuse_a_wrong_clock()  # as a merge is: its audit line would be dated by that clock
        opener = Store.open
        if is_url(db):  # headquarters on PostgreSQL: the same settlement (core/pg/writing.py)
            from fieldtui.core.pg.writing import opened_for_writing as opener
        with opener(db, operator=operator) as store:
            n = exchange.resolve_conflict(store, resolve, field, take)
        click.echo(_("Conflicts settled for {id}: {n}.").format(n=n, id=resolve))
        return
    if field or take:
        raise click.UsageError(_("--field and --take go with --resolve ID"))
    with read_hq(db) as store:
        rows = exchange.conflicts(store)
        uncounted = summary.uncounted(store)  # for review too, as the app's Conflicts screen lists them
    console = Console(highlight=False)
    if uncounted:
        console.print(uncounted_report(uncounted))
    if not rows:
        click.echo(_("No conflicts."))
        return
    console.print(conflicts_report(rows, exchange.short_ids(rows)))
