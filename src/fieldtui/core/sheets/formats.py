"""The spreadsheet formats, by file suffix: which reads a file to import, which writes an export.

A format is a module with `read(path) -> (header, rows)` and/or `write(tmp, kind, header, rows)
-> count` (csvfile.py, xlsxfile.py); adding one means an entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from fieldtui.core.db import files as db_files
from fieldtui.core.errors import StoreError
from fieldtui.core.sheets import csvfile, xlsxfile
from fieldtui.i18n import _

Rows = Iterator[tuple[int, list[Any]]]  # (line number, cells)
Reader = Callable[[Path], tuple[list[str], Rows]]
Writer = Callable[[Path, str, list[str], Iterable[tuple]], int]

READERS: dict[str, Reader] = {".csv": csvfile.read, ".txt": csvfile.read, ".xlsx": xlsxfile.read,
                              ".xlsm": xlsxfile.read}
WRITERS: dict[str, Writer] = {".csv": csvfile.write, ".xlsx": xlsxfile.write}
MAX_IMPORT_BYTES = 50 * 1024 * 1024


def read_rows(path: Path) -> tuple[list[str], Rows]:
    """(header, iterator of (line number, cells)) from a file a reader takes."""
    db_files.check_path_usable(path)  # a pipe is no file to read (it said "no such file")
    if not path.is_file():
        raise StoreError(_("no such file: {path}").format(path=path))
    db_files.check_not_open_here(path)  # a database: reading it with open() would drop its locks
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise StoreError(_("{path} is too large to import (over 50 MB)").format(path=path))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise StoreError(_("{path}: import reads .csv or .xlsx files").format(path=path))
    return reader(path)


def writer_for(out: Path) -> Writer:
    """The writer of `out`'s suffix; one line if there is none."""
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        raise StoreError(_("{path}: export writes .csv or .xlsx files").format(path=out))
    return writer
