"""Exports donors can open: a list, or the summary per CBO, as a .csv or .xlsx file.

Rows are streamed by keyset pages (rows.py) so a million take bounded memory; the file is built
in a private work folder (openpyxl's own temporary files too) and moved into place 0600."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from fieldtui.core import kinds, summary
from fieldtui.core.db import files as db_files
from fieldtui.core.db.files import create_private_file
from fieldtui.core.errors import StoreError
from fieldtui.core.sheets.formats import writer_for
from fieldtui.core.sheets.rows import iter_table, table_columns
from fieldtui.core.store import Store
from fieldtui.i18n import _

EXPORT_KINDS = (*kinds.keys(aliases=True), "summary")


def export_table(store: Store, kind: str, out: str | os.PathLike) -> int:
    """Write one list (or the summary) to .csv or .xlsx atomically, mode 0600; returns the row count."""
    if kind not in EXPORT_KINDS:
        raise StoreError(_("unknown kind {kind}: choose one of {kinds}").format(
            kind=kind, kinds=", ".join(EXPORT_KINDS)))
    kind = kind if kind == "summary" else kinds.kind(kind).key
    out = Path(out)
    write = writer_for(out)
    db_files.check_output_path(out)
    db_files.check_not_open_here(out)
    if kind == "summary":
        header, rows = _summary_rows(store)
    else:
        header, rows = table_columns(store, kind), iter_table(store, kind)
    outcome = _("the table was not written")
    try:
        with db_files.work_folder("table") as work, db_files.temp_files_in(work):
            tmp = work / f"table{out.suffix.lower()}"
            create_private_file(tmp)
            count = write(tmp, kind, header, rows)
            db_files.move_into_place(tmp, out)
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, out, outcome)) from None
    return count


def _summary_rows(store: Store) -> tuple[list[str], Iterable[tuple]]:
    """The summary per CBO, then a total row (the figures of `fieldtui summary --json`)."""
    data = summary.compute(store).to_json()
    cols = ["name", "name_zh", "city", "grant_usd", "direct_beneficiaries", "indirect_beneficiaries", "trainees",
            "trainees_completed", "trainees_placed", "placement_rate", "after_school_children",
            "other_participants", "cost_per_life_usd", "sii", "target_direct", "progress"]
    rows = [tuple(c.get(k) for k in cols) for c in data["cbos"]]
    total = {**data, "name": _("Total"), "name_zh": "合计", "city": "", "sii": data["sii_mean"]}
    rows.append(tuple(total.get(k) for k in cols))
    return cols, rows
