"""XLSX workbooks through openpyxl: the first sheet read lazily, rows written in write-only mode
(both stream: a million rows take bounded memory)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fieldtui.core.errors import StoreError
from fieldtui.core.sheets import zipguard
from fieldtui.core.sheets.cells import neutralise
from fieldtui.core.sheets.limits import HEADINGS_WITHIN, MAX_COLUMNS, MAX_ROWS, too_many_rows
from fieldtui.i18n import _

XLSX_MAX_ROWS = 1_048_575  # data rows per sheet (Excel's limit, less the header)


def read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Open the first sheet, once zipguard found nothing in the file beyond the limits. openpyxl
    inflates and parses the sheet lazily, while rows are read, so a damaged file can fail at any
    row: every parser error (zlib, zip, XML, openpyxl's own) becomes one line, raised before the
    import writes anything (rows are all read and validated first). Rows are read as wide as the
    header (a sheet may declare 16,384 columns) and at most MAX_ROWS of them, blank ones included
    (a sheet may jump to row 1,000,000,000)."""
    import openpyxl

    zipguard.check(path)
    try:
        with _no_size_pass():
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever the parser trips on, the file is not a workbook
        reason = " ".join(str(exc).split())[:120]  # e.g. "File is not a zip file"; one line
        raise StoreError(_("{path} is not a readable .xlsx file: {reason}").format(path=path, reason=reason)) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size can be wrong either way: read what is there
        # As wide as the widest of the rows the headings may be on: a title above them (merged
        # over A1, or narrower) made the sheet as narrow as the title, its other columns unread.
        top = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(
            max_row=HEADINGS_WITHIN + 1, max_col=MAX_COLUMNS, values_only=True)]
        if not top:
            raise StopIteration
        width = max(len(row) - next((i for i, v in enumerate(reversed(row)) if v.strip()), len(row)) for row in top)
        header = (top[0] + [""] * width)[:width]
        it = sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)
    except StopIteration:
        book.close()
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except Exception:  # noqa: BLE001
        book.close()
        raise StoreError(zipguard.damaged(path)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = 1
        try:
            while True:
                try:
                    cells = next(it)
                except StopIteration:
                    return
                except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, XML errors, KeyError...
                    raise StoreError(zipguard.damaged(path)) from None
                n += 1
                if n > MAX_ROWS + 1:
                    raise StoreError(too_many_rows(path))
                yield n, list(cells)
        finally:
            book.close()

    return header, rows()


@contextlib.contextmanager
def _no_size_pass() -> Iterator[None]:
    """openpyxl parses a whole sheet that declares no size, to look for one, before the rows are
    read (a million rows: half a minute more); the size is reset and not used here."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    saved = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = saved  # type: ignore[method-assign]


def write(tmp: Path, kind: str, header: list[str], rows: Iterable[tuple]) -> int:
    """Write the rows on a sheet named after `kind`, continued on further sheets past Excel's limit;
    returns how many rows were written."""
    import openpyxl

    count = 0
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    sheet.append(header)
    for row in rows:
        if count and count % XLSX_MAX_ROWS == 0:  # a sheet holds 1,048,576 rows: continue on the next
            sheet = book.create_sheet(f"{kind} ({count // XLSX_MAX_ROWS + 1})")
            sheet.append(header)
        sheet.append([neutralise(v) for v in row])
        count += 1
    book.save(tmp)
    return count
