"""How a file given to merge is read and refused: as hostile, from a private copy, in one line.

Every step that reads such a file (check, rules, upgrade) opens the private copy the check made
with `open_checked`: immutable and read-only, trusted_schema=OFF (the file's own SQL never runs),
cell size checks on, no memory mapping. A file that will not be merged raises `Refused` with one
line. Damage is reported as one fixed line (`DAMAGED`): SQLite's own text can span lines, be
invalid UTF-8, or quote the damaged content (a person's name).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fieldtui.core.db.connect import WRITE_FAILURES, code, failure, text
from fieldtui.core.errors import StoreError
from fieldtui.i18n import _


class Refused(StoreError):
    """A file that will not be merged, with the one-line reason."""


def DAMAGED() -> str:
    """The one reason given for any damage SQLite finds: its own text can span lines, be undecodable
    or quote the damaged content (a person's name), so it is never shown."""
    return _("file is damaged (integrity check failed)")


def open_checked(path: Path) -> sqlite3.Connection:
    """A read-only connection to a private copy of a file to merge, distrusting its content."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, isolation_level=None)
    conn.text_factory = text
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    conn.execute("PRAGMA query_only = ON")
    return conn


def scratch_failure(exc: sqlite3.Error, workdir: Path, otherwise: Exception) -> Exception:
    """An error while writing a private copy is the disk's (full, failing: the merge stops with
    one line), unless SQLite blames the content (`otherwise`: the file is refused)."""
    if code(exc) in WRITE_FAILURES:
        return failure(exc, workdir, outcome=_("the merge stopped"))
    return otherwise
