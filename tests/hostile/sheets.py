"""Hostile spreadsheets built in a test's tmp dir: XML written straight into a zip by streaming
writes, so a 1.5 GB shared string costs a 1.5 MB file and seconds, not 1.5 GB of memory."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/sharedStrings.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
          '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')


def workbook(path: Path, sheet_rows: Iterator[bytes], strings: Iterable[bytes] = (), lead: bytes = b"") -> Path:
    """An .xlsx whose first sheet's <sheetData> is `sheet_rows` and whose shared-string table's
    <sst> holds `strings` (both raw XML pieces, streamed into the zip); `lead` goes before the
    sheet's first tag (its XML declaration is left out then)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>'.encode())
            for piece in strings:
                out.write(piece)
            out.write(b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(lead + (b"" if lead else b'<?xml version="1.0" encoding="UTF-8"?>'))
            out.write(f'<worksheet {NS}><sheetData>'.encode())
            for piece in sheet_rows:
                out.write(piece)
            out.write(b"</sheetData></worksheet>")
    return path


def header_row() -> bytes:
    return b'<row r="1"><c r="A1" t="inlineStr"><is><t>full_name</t></is></c></row>'


def shared_string_bomb(path: Path, size: int = 1_500_000_000) -> Path:
    """One shared string of `size` bytes, used by the sheet's one cell."""
    def strings() -> Iterator[bytes]:
        yield b"<si><t>"
        block = b"A" * (16 * 1024 * 1024)
        for _ in range(size // len(block)):
            yield block
        yield b"A" * (size % len(block)) + b"</t></si>"

    cell = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return workbook(path, iter([header_row(), cell]), strings())


def one_cell_rows(path: Path, n: int = 1_000_000) -> Path:
    """A header and `n` rows of one cell (a name with nothing else: every row invalid)."""
    def rows() -> Iterator[bytes]:
        yield header_row()
        batch = []
        for r in range(2, n + 2):
            batch.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r))
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)

    return workbook(path, rows())


def invalid_csv(path: Path, size: int = 49 * 1024 * 1024) -> Path:
    """A CSV of trainee rows that each break a rule (a birth year in the future), ~`size` bytes."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["full_name", "gender", "birth_year", "phone", "course", "start_date"])
        row = ["王建国", "male", "2999", "13800138000", "cooking", "2009-03-01"]
        while fh.tell() < size:
            for _ in range(10_000):
                w.writerow(row)
    return path
