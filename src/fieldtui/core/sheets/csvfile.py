"""CSV files: read as UTF-8 (with or without BOM), else GB18030 as Chinese Excel writes it;
written as UTF-8 with a BOM, so Excel shows Chinese.

Read as a stream: the encoding is found by decoding the file once in chunks, then rows are
parsed line by line, each line at most MAX_LINE characters, each cell MAX_CELL, each row
MAX_COLUMNS cells, at most MAX_ROWS rows (blank lines included): bounded memory and time
whatever the file holds."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from fieldtui.core.errors import StoreError
from fieldtui.core.sheets.cells import neutralise
from fieldtui.core.sheets.limits import MAX_CELL, MAX_COLUMNS, MAX_LINE, MAX_ROWS, too_many_rows
from fieldtui.i18n import _

CHUNK = 1024 * 1024


def read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """(header, iterator of (line number, cells)); a CSV error names its line."""
    encoding = _encoding(path)
    delimiter = _delimiter(path, encoding)
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed when the rows are done
    csv.field_size_limit(MAX_CELL)  # csv's own cap (131,072 by default) on a cell, quoted lines included
    reader = csv.reader(_lines(path, fh), delimiter=delimiter)
    try:
        header = next(reader)[:MAX_COLUMNS]
    except StoreError:
        fh.close()
        raise
    except StopIteration:
        fh.close()
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except csv.Error as exc:
        fh.close()
        raise StoreError(_("{path} is not a readable CSV file: {reason}").format(path=path, reason=exc)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = reader.line_num + 1
        try:
            for cells in reader:
                if line > MAX_ROWS + 1:
                    raise StoreError(too_many_rows(path))
                yield line, cells[:MAX_COLUMNS]
                line = reader.line_num + 1
        except csv.Error as exc:
            raise StoreError(_("{path}, line {line}: {reason}").format(path=path, line=line, reason=exc)) from None
        finally:
            fh.close()

    return header, rows()


def _delimiter(path: Path, encoding: str) -> str:
    """A tab when the first line holds more tabs than commas: Excel's "Text (Tab delimited)" and
    "Unicode Text" (before, their headings were read as one and the sheet refused)."""
    with open(path, encoding=encoding, newline="") as fh:
        first = fh.readline(MAX_LINE + 1)
    return "\t" if first.count("\t") > first.count(",") else ","


def _encoding(path: Path) -> str:
    """UTF-16 when the file starts with its byte-order mark (Excel's "Unicode Text"); else
    utf-8-sig if the whole file decodes as UTF-8, else gb18030 if it decodes as that."""
    with open(path, "rb") as fh:
        bom = fh.read(2)
    utf16 = ("utf-16",) if bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ()
    for encoding in (*utf16, "utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise StoreError(_("{path} is neither UTF-8 nor GB18030 text").format(path=path))


def _lines(path: Path, fh: IO[str]) -> Iterator[str]:
    """The file's lines, refusing one longer than MAX_LINE characters before it is held whole."""
    number = 0
    while line := fh.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise StoreError(_("{path}, line {line}: a line of over {n:,} characters").format(
                path=path, line=number, n=MAX_LINE))
        yield line


def write(tmp: Path, kind: str, header: list[str], rows: Iterable[tuple]) -> int:
    """Write the rows under their header; returns how many rows were written."""
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count
