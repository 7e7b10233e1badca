"""Connecting to a fieldtui file, and SQLite's errors in words people can act on.

Every connection the store makes goes through `connect()` (the same pragmas everywhere); every
SQLite error about a file or the disk becomes one `StoreError` line through `failure()`. A file
is recognised through SQLite (`PRAGMA application_id`), never by reading it with `open()`:
core/db/files.py says why.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fieldtui.core.db import files
from fieldtui.core.errors import (
    DiskError,
    DiskFull,
    NotFieldtuiFile,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
)
from fieldtui.i18n import N_, _

APPLICATION_ID = 0x46545549  # "FTUI" in the SQLite header: marks a fieldtui file
SQLITE_MAGIC = b"SQLite format 3\x00"


def text(value: bytes) -> str:
    """A text value as read from a file: bytes that are not UTF-8 (pasted with the sqlite3 program,
    written by another tool) become U+FFFD, so the record still opens and can be corrected,
    instead of every read of that row failing as if the whole file were damaged."""
    return value.decode("utf-8", "replace")


def connect(target: str, uri: bool = False) -> sqlite3.Connection:
    """A connection with fieldtui's pragmas: foreign keys on, the file's own SQL distrusted."""
    conn = sqlite3.connect(target, isolation_level=None, uri=uri, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.text_factory = text
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA busy_timeout = 5000")
    # 512 KiB of page cache per connection (SQLite's default is 2 MiB): the OS caches the file anyway,
    # and the app must stay small with a million records open (benchmarks/: peak RSS target).
    conn.execute("PRAGMA cache_size = -512")
    return conn


def check_openable(path: Path) -> None:
    """Raise a StoreError unless `path` names an existing file (before connecting). Its header is
    read by SQLite, never with open(): see core/db/files.py for why plain I/O is never used."""
    files.check_path_usable(path)
    if not path.exists():
        raise StoreError(_("no such file: {path}").format(path=path))
    if path.is_dir():
        raise StoreError(_("{path} is a directory, not a database file").format(path=path))


_FAILURES: dict[int, tuple[type[StoreError], str]] = {
    # primary SQLite result code -> (error class, message); {outcome} says what did not happen.
    sqlite3.SQLITE_READONLY: (StoreReadOnly, N_(
        "the database {path} is read-only, so {outcome}: check the file's permissions, "
        "or copy it to a folder you can write to")),
    sqlite3.SQLITE_FULL: (DiskFull, N_("the disk is full, so {outcome}: free some space and try again")),
    sqlite3.SQLITE_IOERR: (DiskError, N_(
        "the disk could not be written (it may be full, removed or failing), so {outcome}")),
    sqlite3.SQLITE_CANTOPEN: (StoreReadOnly, N_(
        "the database {path} cannot be opened for writing (is its folder read-only or gone?), so {outcome}")),
    sqlite3.SQLITE_PERM: (StoreReadOnly, N_("permission to write {path} was denied, so {outcome}")),
    sqlite3.SQLITE_BUSY: (StoreBusy, N_(
        "the database is in use by another program, so {outcome}: close it there and try again")),
    sqlite3.SQLITE_LOCKED: (StoreBusy, N_(
        "the database is in use by another program, so {outcome}: close it there and try again")),
    sqlite3.SQLITE_CORRUPT: (StoreDamaged, N_(
        "the database {path} is damaged, so {outcome}: restore it from a backup or a recent export")),
    sqlite3.SQLITE_NOTADB: (StoreDamaged, N_(
        "the database {path} is damaged, so {outcome}: restore it from a backup or a recent export")),
}

#: Errors about access to the file or the disk, not about what is in a file.
ACCESS_OR_DISK = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
                            sqlite3.SQLITE_PERM, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL})
#: Errors about the disk we write to (a full or failing medium, a folder we cannot write).
WRITE_FAILURES = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN,
                            sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM})


def code(exc: BaseException) -> int:
    """SQLite's primary result code of an error (0 when it carries none)."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


#: How an age file starts: an export sealed to headquarters' key (exchange/sealed.py).
AGE_MAGIC = b"age-encryption.org/v1\n"


def is_age_file(path: str | os.PathLike) -> bool:
    """True if `path` starts like an age file. Read with open(): only for a file that is not a
    database this process has open (a sealed export, or one SQLite has just called no database).
    Never for a pipe or a device: opening one waits for a writer (the checks refuse them)."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False  # the checks say why it cannot be read


def failure(exc: sqlite3.Error, path: Path | None, *, opening: bool = False, outcome: str | None = None
            ) -> StoreError:
    """A people-facing StoreError for an error SQLite reported about the file or the disk;
    `outcome` says what did not happen (default: nothing was saved / the file was not opened)."""
    if opening and code(exc) == sqlite3.SQLITE_NOTADB:  # SQLite read the header: not a database
        if path is not None and is_age_file(path):
            return NotFieldtuiFile(_(
                "{path} is an export sealed to headquarters' key, not a file to work in: merge it at "
                "headquarters (fieldtui merge --identity hq-identity.txt HQ.db {path})").format(path=path))
        return NotFieldtuiFile(_("{path} is not a SQLite database").format(path=path))
    outcome = outcome or (_("the file was not opened") if opening else _("nothing was saved"))
    cls, message = _FAILURES.get(code(exc), (StoreError, N_(
        "the database could not be written ({reason}), so {outcome}")))
    return cls(_(message).format(path=path or _("in memory"), outcome=outcome, reason=exc))


def is_file_error(exc: BaseException) -> bool:
    """SQLite errors about the file or the disk (not programming errors or broken constraints)."""
    return type(exc) in (sqlite3.OperationalError, sqlite3.DatabaseError)
