"""An .xlsx file checked before openpyxl parses it: what it would make openpyxl hold in memory or
spend time on is bounded by its real content, whatever the file claims.

openpyxl reads the shared strings whole, builds each row of a sheet as a tree of elements, keeps
every element it does not know until the end, and pads rows to the width a sheet declares. A
1.5 MB file can hold a 1.5 GB string. So, before openpyxl opens it:

- the zip's own directory (end record) is small: at most 1 MiB, 10,000 parts;
- each part's declared size, the total, and its compression ratio are within limits (zipfile
  never inflates a part past its declared size: a lie is a CRC error, i.e. a damaged file);
- each XML part is read once, streamed, and its *segments* (a row of a sheet, a string of the
  shared strings, the whole of any other part) are bounded in bytes and in tags; the number of
  rows and strings is capped; a comment, CDATA, DOCTYPE or processing instruction (which a
  parser holds whole, and no spreadsheet program writes) is refused; so is UTF-16.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO

from fieldtui.core.errors import StoreError
from fieldtui.core.sheets.limits import MAX_ROWS
from fieldtui.i18n import _

MAX_DIRECTORY = 1024 * 1024
MAX_PARTS = 10_000
MAX_TOTAL = 1024**3  # uncompressed bytes of all parts together
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FROM (sheets are about 8)
RATIO_FROM = 1024 * 1024
MAX_STRINGS_PART = 64 * 1024 * 1024  # the shared strings are held whole by openpyxl
MAX_STRINGS = 1_000_000
MAX_OTHER_PART = 4 * 1024 * 1024  # styles, workbook, relations: parsed whole into objects
MAX_SEGMENT_BYTES = 16 * 1024 * 1024  # one row, one string, one whole other part
MAX_SEGMENT_TAGS = 20_000
MAX_GAP = 1024 * 1024  # bytes between two '<': bounds any one token the parser must hold
CHUNK = 1024 * 1024

_LEAD = b"\x00\xef\xbb\xbf\xff\xfe \t\r\n"  # BOMs, NULs (UTF-16) and white space before the first tag
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SEGMENT = {b"worksheet": re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]"),
            b"sst": re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")}


def check(path: Path) -> None:
    """Raise StoreError (one line) if the workbook at `path` is beyond what is read safely."""
    _check_directory(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:120]  # e.g. "File is not a zip file"; one line
        raise StoreError(_("{path} is not a readable .xlsx file: {reason}").format(path=path, reason=reason)) from None
    with book:
        infos = book.infolist()
        if len(infos) > MAX_PARTS:
            raise StoreError(_refusal(path, _("too many parts")))
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise StoreError(_refusal(path, _("over 1 GiB once uncompressed")))
        for info in infos:
            _check_declared(path, info)
        try:
            for info in infos:
                if not info.is_dir():
                    with book.open(info) as part:
                        _scan(path, part, info.file_size)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError, ValueError, zlib.error):
            # e.g. "Bad CRC-32": the parser's text is not shown (it can quote the damaged part)
            raise StoreError(damaged(path)) from None


def damaged(path: Path) -> str:
    return _("{path}: the spreadsheet is damaged and cannot be read").format(path=path)


def _refusal(path: Path, why: str) -> str:
    return _("{path} was refused: {why} (not a spreadsheet a person could have typed)").format(path=path, why=why)


def _check_directory(path: Path) -> None:
    """The end record's claims, read before zipfile builds an object per directory entry."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or len(tail) - at < 22:
        return  # not a zip: zipfile says so in its own words
    _sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if entries > MAX_PARTS or cd_size > MAX_DIRECTORY:
        raise StoreError(_refusal(path, _("too many parts")))


def _check_declared(path: Path, info: zipfile.ZipInfo) -> None:
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise StoreError(_refusal(path, _("a part is compressed {ratio:,} times").format(
            ratio=info.file_size // max(info.compress_size, 1))))


def _scan(path: Path, part: IO[bytes], size: int) -> None:
    """Stream one part; bound its segments (see the module docstring). A part that is not XML
    (an image) is only read through: its size is already bounded."""
    head = part.read(CHUNK)
    while head and not head.strip(_LEAD):  # a parser skips any amount of leading white space
        head = part.read(CHUNK)
    start = head.lstrip(_LEAD)
    if start.startswith(b"<") and (b"\x00" in head[:len(head) - len(start) + 2] or head[:2] in _UTF16_BOMS):
        raise StoreError(_refusal(path, _("UTF-16 text")))  # the parser would read it; this scan could not
    if not start.startswith(b"<"):  # not XML: a parser stops at its first byte; only read through
        while part.read(CHUNK):
            pass
        return
    root = _root(start)
    splitter = _SEGMENT.get(root)
    if splitter is None and size > MAX_OTHER_PART:
        raise StoreError(_refusal(path, _("a part is over 4 MiB")))
    if root == b"sst" and size > MAX_STRINGS_PART:
        raise StoreError(_refusal(path, _("its shared strings are over 64 MiB")))
    too_many = (_("over {n:,} shared strings").format(n=MAX_STRINGS) if root == b"sst"
                else _("over {n:,} rows").format(n=MAX_ROWS))
    _Segments(path, splitter, MAX_STRINGS if root == b"sst" else MAX_ROWS + 1, too_many).feed_all(head, part)


def _root(start: bytes) -> bytes:
    """The root element's local name (after an optional XML declaration)."""
    body = start[start.find(b"?>") + 2:] if start.startswith(b"<?") else start
    found = _ROOT.search(body)
    return found.group(1) if found else b""


class _Segments:
    """Counts bytes and tags per segment, and segments per part, chunk by chunk."""

    def __init__(self, path: Path, splitter: re.Pattern[bytes] | None, max_segments: int, too_many: str):
        self.path, self.splitter, self.max_segments, self.too_many = path, splitter, max_segments, too_many
        self.segments = self.bytes = self.tags = 0
        self.first = True

    def feed_all(self, head: bytes, part: IO[bytes]) -> None:
        tail, chunk = b"", head
        while chunk:
            data = tail + chunk
            cut = data.rfind(b"<")
            if cut <= 0:
                tail = data
            else:
                self._feed(data[:cut])
                tail = data[cut:]
            if len(tail) > MAX_GAP:
                raise StoreError(_refusal(self.path, _("a cell or tag over 1 MiB")))
            chunk = part.read(CHUNK)
        self._feed(tail)

    def _feed(self, seg: bytes) -> None:
        if max(map(len, seg.split(b"<"))) > MAX_GAP:
            raise StoreError(_refusal(self.path, _("a cell or tag over 1 MiB")))
        declaration = 1 if self.first and seg.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?") else 0
        self.first = False
        if seg.count(b"<!") or seg.count(b"<?") > declaration:
            raise StoreError(_refusal(self.path, _("XML a spreadsheet program does not write")))
        pos = 0
        if self.splitter is not None:
            for found in self.splitter.finditer(seg):
                self._add(seg.count(b"<", pos, found.start()), found.start() - pos)
                self.segments += 1
                if self.segments > self.max_segments:
                    raise StoreError(_refusal(self.path, self.too_many))
                self.bytes = self.tags = 0
                pos = found.start()
        self._add(seg.count(b"<", pos), len(seg) - pos)

    def _add(self, tags: int, size: int) -> None:
        self.tags += tags
        self.bytes += size
        if self.tags > MAX_SEGMENT_TAGS or self.bytes > MAX_SEGMENT_BYTES:
            raise StoreError(_refusal(self.path, _("a row or string too large to read")))
