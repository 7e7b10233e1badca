"""Rich renderings of merge and import reports, shared by the CLI and the TUI (no Textual here)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds, summary, vocabulary
from fieldtui.core.exchange import MergeReport
from fieldtui.core.sheets import ImportReport
from fieldtui.i18n import _


def merge_report(report: MergeReport) -> Group:
    """Files accepted/refused (with the reason), then rows inserted/updated/deleted/conflicting per table."""
    files = Table(title=_("Files"))
    files.add_column(_("File"))
    files.add_column(_("Result"))
    files.add_column(_("Rows changed"), justify="right")
    for f in report.files:
        if not f.accepted:
            result = Text(fmt.shown(_("refused: {reason}").format(reason=f.reason)), style="bold red")
        elif f.already_merged:
            result = Text(_("already merged: nothing to do"), style="dim")
        else:
            result = Text(_("merged"), style="green")
        changed = f.total("inserted") + f.total("updated") + f.total("deleted") if f.accepted else 0
        files.add_row(Text(f.name), result, fmt.number(changed))  # Text: never markup
    rows = Table(title=_("Rows"))
    rows.add_column(_("Table"))
    for label in (_("Inserted"), _("Updated"), _("Deleted"), _("Conflicts"), _("Unchanged")):
        rows.add_column(label, justify="right")
    for table, c in report.totals().items():
        label = _(kinds.TABLE[table].label) if table in kinds.TABLE else table
        rows.add_row(label, fmt.number(c.inserted), fmt.number(c.updated),
                     fmt.number(c.deleted), Text(fmt.number(c.conflicts), style="bold yellow" if c.conflicts else ""),
                     fmt.number(c.unchanged))
    parts: list = [files, rows]
    conflicts = sum(c.conflicts for c in report.totals().values())
    if conflicts:
        said = (_("1 record has a field changed two ways on different devices: every value is kept for "
                  "review (fieldtui conflicts); the newest is shown meanwhile.") if conflicts == 1 else
                _("{n} records have a field changed two ways on different devices: every value is "
                  "kept for review (fieldtui conflicts); the newest is shown meanwhile."))
        parts.append(Text(said.format(n=fmt.number(conflicts)), style="yellow"))
    if report.uncounted:
        parts.append(uncounted_report(report.uncounted))
    return Group(*parts)


#: How many people a report names before it gives a count of the rest.
SHOWN = 50


def uncounted_report(people: list[dict]) -> Group:
    """Live people and records the figures no longer count, and why, so someone corrects them."""
    table = Table(title=_("Not counted ({n}): please review").format(n=fmt.number(len(people))))
    for label in (_("Person"), _("CBO"), _("Why")):
        table.add_column(label)
    table.add_column(_("Id"), no_wrap=True, min_width=36)  # whole: it is what finds the record
    for p in people[:SHOWN]:
        cbo = fmt.cbo_name(p["cbo_zh"], p["cbo_en"])
        table.add_row(Text(fmt.shown(p["full_name"] or "")), Text(fmt.shown(cbo)),
                      _(summary.UNCOUNTED_WHY[p["why"]]), p["id"])
    parts: list = [table]
    if len(people) > SHOWN:
        parts.append(Text(_("… and {n} more.").format(n=fmt.number(len(people) - SHOWN))))
    return Group(*parts)


def conflicts_report(conflicts: list[dict], ids: dict[str, str]) -> Group:
    """Each conflict: the record (an id prefix `--resolve` takes), person and CBO, the field, and
    every version numbered (1 is the one shown meanwhile) with its value, device and time."""
    parts: list = []
    for c in conflicts:
        cbo = fmt.cbo_name(c["cbo_zh"], c["cbo_en"])
        who = " · ".join(fmt.shown(str(x)) for x in (c["person"], cbo) if x)
        table_label = _(kinds.TABLE[c["tbl"]].label) if c["tbl"] in kinds.TABLE else c["tbl"]
        head = Text(f"{ids[c['row_id']]}  {table_label}  {who}  ", style="bold")
        head.append(_(vocabulary.label(c["field"])), style="bold yellow")
        rows = Table(show_header=False, box=None, padding=(0, 1))
        for n, v in enumerate(c["versions"], start=1):
            value = fmt.DASH if v["value"] is None else fmt.shown(str(v["value"]))
            mark = _("(shown now)") if v["kept"] else ""
            rows.add_row(str(n), Text(value), Text(fmt.device(str(v["device"]))),
                         v["stamp"][:19].replace("T", " "), mark)
        parts += [head, rows]
    return Group(*parts)


def import_report(report: ImportReport) -> Group:
    """How many rows were read and written, each bad row by line, each possible duplicate (the
    first 50 of each, then how many more)."""
    parts: list = [Text(_("{path}: {rows} rows read, {written} written.").format(
        path=fmt.shown(report.path.name), rows=fmt.number(report.rows), written=fmt.number(report.written)))]
    if report.unchanged:
        parts.append(Text(_("{n} rows were unchanged (nothing written for them).").format(
            n=fmt.number(report.unchanged))))
    if report.already_stored:
        parts.append(Text(_("{n} rows were already in the file, every field the same: not written again.").format(
            n=fmt.number(report.already_stored))))
    if report.edited_on_both_sides:
        n = report.edited_on_both_sides
        parts.append(Text((_("1 field edited both in the app and in the sheet since it was written: the sheet's "
                             "value was saved (the app's is in the record's History).") if n == 1 else
                           _("{n} fields edited both in the app and in the sheet since it was written: the sheet's "
                             "values were saved (the app's are in the records' History).")).format(n=fmt.number(n))))
    for title, heading, shown, count in (
            (_("Rows with problems"), _("Problem"), report.errors, report.error_count),
            (_("Possible duplicates (please check)"), _("Note"), report.duplicates, report.duplicate_count)):
        if shown:
            table = Table(title=title)
            table.add_column(_("Line"), justify="right")
            table.add_column(heading)
            for p in shown:
                table.add_row(str(p.line), Text(p.message))
            parts.append(table)
        if count > len(shown):
            parts.append(Text(_("and {n} more").format(n=fmt.number(count - len(shown)))))
    if report.stopped_at is not None:
        parts.append(Text(_("Checking stopped at line {line} after {n} rows with problems: nothing was written; "
                            "fix these and import again.").format(line=report.stopped_at,
                                                                   n=fmt.number(report.error_count)), style="yellow"))
    if report.ignored_columns:
        cols = [" ".join(c.split())[:40] for c in report.ignored_columns[:20]]
        more = len(report.ignored_columns) - len(cols)
        parts.append(Text(_("Columns not recognised (ignored): {cols}").format(
            cols=", ".join(cols) + (f", … (+{more})" if more else "")), style="dim"))
    if report.person_columns:  # before, listed as "not recognised": an edit there looked applied
        parts.append(Text(_("Not corrected from this sheet: {cols} (they are the person's: correct them in the "
                            "trainees, children or others sheet)").format(cols=", ".join(report.person_columns)),
                          style="yellow"))
    return Group(*parts)
