"""Exports sealed to headquarters' key: a layer around the finished export file, nothing more.

- age format (X25519 recipient, ChaCha20-Poly1305 in 64 KiB chunks, through pyrage): each
  chunk is authenticated and the last one is marked, so a damaged or truncated file fails to
  decrypt instead of yielding altered rows; `age -d -i hq-identity.txt` opens the same files.
- What is sealed is a frame: one line `fieldtui-sealed-export 1 <bytes>`, the export's bytes,
  then zeros up to the next power of two (at least 1 MiB). The size of a sealed file so says
  only which power of two its export fits in: a file of 3 people and one of 2,000 are the same
  size, and the manifest's counts are inside.
- Opening writes the export into a private file in the merge's work folder (0700, removed with
  it, swept after a kill), which the checks then treat like any other file given to merge: age
  proves nothing about who sealed it (anyone with the public key can), so nothing is trusted.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from fieldtui.core.db.connect import is_age_file
from fieldtui.core.db.files import create_private_file
from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.ids import new_id
from fieldtui.i18n import _

FRAME = b"fieldtui-sealed-export 1 "
MIN_SEALED_BYTES = 1024 * 1024
_MAX_FRAME_LINE = len(FRAME) + 21


def padded_size(n: int) -> int:
    """The size a frame of `n` bytes is padded to: the next power of two, at least 1 MiB."""
    size = MIN_SEALED_BYTES
    while size < n:
        size *= 2
    return size


class _Framed:
    """The frame to seal, read in chunks: the header line, the export, then zeros."""

    def __init__(self, header: bytes, body, total: int) -> None:
        self.pending, self.body, self.left = header, body, total

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        out = self.pending[:n]
        self.pending = self.pending[n:]
        if len(out) < n and self.body is not None:
            chunk = self.body.read(n - len(out))
            out += chunk
            if not chunk:
                self.body = None
        out += bytes(n - len(out))  # the body is done: zeros
        self.left -= len(out)
        return out


def seal(plain: Path, out: Path, recipient: str) -> None:
    """Write `plain` (a finished export) sealed to `recipient` into the new private file `out`."""
    from pyrage import encrypt_io, x25519

    size = plain.stat().st_size
    header = FRAME + str(size).encode() + b"\n"
    create_private_file(out)
    with open(plain, "rb") as body, open(out, "wb") as dst:
        encrypt_io(_Framed(header, body, padded_size(len(header) + size)), dst, [x25519.Recipient.from_str(recipient)])
        dst.flush()
        os.fsync(dst.fileno())


class _Unframed:
    """Where pyrage writes what it decrypts: the header line is read, then exactly the export's
    bytes reach the file; the padding must be zeros. Errors of our own disk are kept to be
    raised as such (pyrage would turn them into its own)."""

    def __init__(self, dst) -> None:
        self.dst, self.head, self.left = dst, b"", -1
        self.error: OSError | None = None
        self.bad = False

    def write(self, data) -> int:
        data = bytes(data)
        taken = len(data)
        if self.left < 0:
            self.head += data
            if b"\n" not in self.head:
                self.bad |= len(self.head) > _MAX_FRAME_LINE
                return taken
            line, data = self.head.split(b"\n", 1)
            digits = line[len(FRAME):]
            if not line.startswith(FRAME) or not digits.isdigit() or len(digits) > 20:
                self.bad = True
                self.left = 0
                return taken
            self.left = int(digits)
        body, rest = data[:self.left], data[self.left:]
        try:
            self.dst.write(body)
        except OSError as exc:
            self.error = exc
            raise
        self.left -= len(body)
        self.bad |= rest.count(0) != len(rest)
        return taken

    def flush(self) -> None:
        self.dst.flush()


def _unseal(path: Path, out: Path, identities: Sequence[str]) -> None:
    """Decrypt `path` into `out`; Refused in one line if it cannot be, or is not a sealed export."""
    import pyrage
    from pyrage import x25519

    keys = [x25519.Identity.from_str(text) for text in identities]
    with open(path, "rb") as src, open(out, "wb") as dst:
        frame = _Unframed(dst)
        try:
            pyrage.decrypt_io(src, frame, keys)
        except Exception as exc:  # noqa: BLE001 - pyrage's DecryptError or its OSError: said in one line
            if frame.error is not None:
                raise frame.error from None  # our disk (the work folder), not the file
            if "no matching keys" in str(exc).lower():
                raise Refused(_("sealed to another headquarters key: this identity cannot open it")) from None
            raise Refused(_("sealed file is damaged or truncated (it cannot be decrypted)")) from None
        if frame.bad or frame.left != 0:
            raise Refused(_("sealed file does not hold a fieldtui export"))


@contextlib.contextmanager
def opened(path: Path, work: Path, identities: Sequence[str]) -> Iterator[Path]:
    """`path` itself if it is not sealed; else the export inside it, decrypted into a private file
    in the work folder that is removed when the block ends (success or failure)."""
    if not is_age_file(path):
        yield path
        return
    if not identities:
        raise Refused(_("sealed for headquarters: it opens only with headquarters' identity "
                        "(fieldtui merge --identity FILE, or Settings)"))
    plain = work / f"{new_id()}-unsealed.db"
    create_private_file(plain)
    try:
        _unseal(path, plain, identities)
        yield plain
    finally:
        plain.unlink(missing_ok=True)

