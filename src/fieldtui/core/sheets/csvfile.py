"""CSV files: read as UTF-8 (with or without BOM), else GB18030 as Chinese Excel writes it;
written as UTF-8 with a BOM, so Excel shows Chinese."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from fieldtui.core.errors import StoreError
from fieldtui.core.sheets.cells import neutralise
from fieldtui.i18n import _


def read(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """(header, iterator of (line number, cells)); a CSV error names its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise StoreError(_("{path} is neither UTF-8 nor GB18030 text").format(path=path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except csv.Error as exc:
        raise StoreError(_("{path} is not a readable CSV file: {reason}").format(path=path, reason=exc)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = reader.line_num + 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise StoreError(_("{path}, line {line}: {reason}").format(path=path, line=line, reason=exc)) from None

    return header, rows()


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
