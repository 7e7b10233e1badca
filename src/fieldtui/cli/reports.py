"""Rich renderings of merge and import reports, shared by the CLI and the TUI (no Textual here)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds
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
            result = Text(_("refused: {reason}").format(reason=f.reason), style="bold red")
        elif f.already_merged:
            result = Text(_("already merged: nothing to do"), style="dim")
        else:
            result = Text(_("merged"), style="green")
        changed = f.total("inserted") + f.total("updated") + f.total("deleted") if f.accepted else 0
        files.add_row(Text(f.path.name), result, fmt.number(changed))  # Text: data is never markup
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
        parts.append(Text(_("{n} rows were changed on two devices: both versions are kept in the conflicts table "
                            "for review; the newer one is shown.").format(n=fmt.number(conflicts)), style="yellow"))
    return Group(*parts)


def import_report(report: ImportReport) -> Group:
    """How many rows were read and written, each bad row by line, each possible duplicate."""
    parts: list = [Text(_("{path}: {rows} rows read, {written} written.").format(
        path=report.path.name, rows=fmt.number(report.rows), written=fmt.number(report.written)))]
    if report.errors:
        bad = Table(title=_("Rows with problems"))
        bad.add_column(_("Line"), justify="right")
        bad.add_column(_("Problem"))
        for e in report.errors:
            bad.add_row(str(e.line), Text(e.message))
        parts.append(bad)
    if report.duplicates:
        dups = Table(title=_("Possible duplicates (please check)"))
        dups.add_column(_("Line"), justify="right")
        dups.add_column(_("Note"))
        for d in report.duplicates:
            dups.add_row(str(d.line), Text(d.message))
        parts.append(dups)
    if report.ignored_columns:
        parts.append(Text(_("Columns not recognised (ignored): {cols}").format(cols=", ".join(report.ignored_columns)),
                          style="dim"))
    return Group(*parts)
