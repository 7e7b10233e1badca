"""XLSX workbooks through openpyxl: the first sheet read lazily, rows written in write-only mode
(both stream: a million rows take bounded memory)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fieldtui.core.errors import StoreError
from fieldtui.core.sheets.cells import neutralise
from fieldtui.i18n import _

XLSX_MAX_ROWS = 1_048_575  # data rows per sheet (Excel's limit, less the header)


def read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Open the first sheet. openpyxl inflates and parses the sheet lazily, while rows are read, so
    a damaged file can fail at any row: every parser error (zlib, zip, XML, openpyxl's own) becomes
    one line, raised before the import writes anything (rows are all read and validated first)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever the parser trips on, the file is not a workbook
        reason = " ".join(str(exc).split())[:120]  # e.g. "File is not a zip file"; one line
        raise StoreError(_("{path} is not a readable .xlsx file: {reason}").format(path=path, reason=reason)) from None
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = ["" if v is None else str(v) for v in next(it)]
    except StopIteration:
        book.close()
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except Exception:  # noqa: BLE001
        book.close()
        raise StoreError(_damaged(path)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = 1
        try:
            while True:
                try:
                    cells = next(it)
                except StopIteration:
                    return
                except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, XML errors, KeyError...
                    raise StoreError(_damaged(path)) from None
                n += 1
                yield n, list(cells)
        finally:
            book.close()

    return header, rows()


def _damaged(path: Path) -> str:
    # The parser's own text is not shown: it can span lines or quote the damaged cells.
    return _("{path}: the spreadsheet is damaged and cannot be read").format(path=path)


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
