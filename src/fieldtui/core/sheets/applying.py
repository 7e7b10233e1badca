"""The loop every import shares (adding rows, or updating records by id): a spreadsheet opened
as a stream, each row turned into field values and handed to a saver, all in ONE transaction
that is rolled back if any row was bad (unless bad rows are skipped).

Time is bounded as well as memory: when nothing will be written anyway (a row is bad and bad
rows are not skipped), reading stops at the MAX_PROBLEMS-th bad row; the report says where."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldtui.core import kinds
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.sheets.cells import cell
from fieldtui.core.sheets.columns import field_of, sheet_fields
from fieldtui.core.sheets.formats import Rows, read_rows
from fieldtui.core.sheets.limits import HEADINGS_WITHIN
from fieldtui.core.sheets.report import ImportReport
from fieldtui.core.store import Store
from fieldtui.i18n import _

IMPORT_KINDS = kinds.keys(importable=True, aliases=True)
MAX_PROBLEMS = 1_000
#: saves one row's values (line number given); True if it wrote, False if nothing changed, None
#: if the row's record was stored already (adding a row imported before)
RowSaver = Callable[[dict[str, Any], int], "bool | None"]


class _Rollback(Exception):
    pass


class LineIndex:
    """Record id -> the line of this file it came from, in a temporary table (on disk, not in
    memory: a million rows would take some 180 MB as a dict); dropped by `close`."""

    def __init__(self, store: Store, name: str):
        self.conn, self.table = store.conn, f"temp.{name}"
        self.conn.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.conn.execute(f"CREATE TEMP TABLE {name} (id TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID")

    def add(self, row_id: str, line: int) -> None:
        self.conn.execute(f"INSERT OR REPLACE INTO {self.table} (id, line) VALUES (?, ?)", (row_id, line))

    def get(self, row_id: str) -> int | None:
        row = self.conn.execute(f"SELECT line FROM {self.table} WHERE id = ?", (row_id,)).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS {self.table}")


def open_sheet(kind: str, path: str | os.PathLike, extra: tuple[str, ...] = ()) -> tuple[
        kinds.Kind, ImportReport, list[str | None], Rows]:
    """The kind, an empty report, the field of each column (`extra` headings kept as they are)
    and the rows; one line if the kind is unknown or no heading is one of the kind's fields."""
    if kind not in IMPORT_KINDS:
        raise StoreError(_("unknown kind {kind}: choose one of {kinds}").format(
            kind=kind, kinds=", ".join(IMPORT_KINDS)))
    target = kinds.kind(kind)
    path = Path(path)
    header, rows = read_rows(path)
    report = ImportReport(target.key, path)
    columns = _columns(header, extra)
    for _title in range(HEADINGS_WITHIN):  # a title (and a blank line) above the headings, as offices keep sheets
        if any(c in sheet_fields(target) for c in columns):
            break
        line = next(rows, None)
        if line is None:
            break
        header = ["" if v is None else str(v) for v in line[1]]
        columns = _columns(header, extra)
    if not any(c in sheet_fields(target) for c in columns):
        raise StoreError(_("{path}: no known column headings for {kind} (e.g. full_name / 姓名)").format(
            path=path, kind=target.key))
    _one_column_a_field(path, header, columns)
    report.ignored_columns = [_plain(h) for h, c in zip(header, columns, strict=True) if c is None and _plain(h)]
    return target, report, columns, rows


def _one_column_a_field(path: Path, header: list[str], columns: list[str | None]) -> None:
    """Two headings naming one field (电话 and 手机): the later would replace the earlier row by
    row, an empty cell too, without a word; one line instead, naming both."""
    first: dict[str, str] = {}
    for heading, field in zip(header, columns, strict=True):
        if field is None:
            continue
        if field in first:
            raise StoreError(_("{path}: the columns {a} and {b} both hold {field}: keep one").format(
                path=path, a=_plain(first[field]), b=_plain(heading), field=field))
        first[field] = heading


def _columns(header: list[str], extra: tuple[str, ...]) -> list[str | None]:
    """The field each heading names (`extra` headings kept as they are), None for the rest."""
    return [_plain(h).casefold() if _plain(h).casefold() in extra else field_of(h) for h in header]


def _plain(heading: object) -> str:
    return str(heading).replace("\ufeff", "").strip()


def apply_rows(store: Store, report: ImportReport, columns: list[str | None], rows: Rows, save: RowSaver,
               skip_invalid: bool = False) -> ImportReport:
    """Each non-blank row's values to `save`, in one transaction (see the module docstring)."""
    try:
        with store.transaction():
            for line, cells in rows:
                values = {c: cell(v) for c, v in zip(columns, cells, strict=False) if c is not None}
                if not any(v not in (None, "") for v in values.values()):
                    continue  # blank line
                report.rows += 1
                try:
                    wrote = save(values, line)
                except RecordInvalid as exc:
                    report.error(line, str(exc))
                    if report.error_count >= MAX_PROBLEMS and not skip_invalid:
                        report.stopped_at = line
                        break
                    continue
                if wrote:
                    report.written += 1
                elif wrote is None:
                    report.already_stored += 1
                else:
                    report.unchanged += 1
            if report.error_count and not skip_invalid:
                raise _Rollback
    except _Rollback:
        report.written = 0
    return report
