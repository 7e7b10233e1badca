"""Errors every layer shares, in a module without pydantic or SQLite, so screens and the CLI can
catch them without loading the validation models. Every message is one line a person can act on."""

from __future__ import annotations

from fieldtui.i18n import _, joined


class RecordInvalid(ValueError):
    """A record broke one or more rules. `errors` maps field path -> a message for people."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(joined(list(errors.values())))


def damaged_file_message() -> str:
    """What people read when their own file turns out damaged while reading it (CLI and app).
    SQLite's own text is never shown instead: it can quote the damaged data, a person's name."""
    return _("the database file is damaged and cannot be read: restore it from a backup or a recent export")


class StoreError(Exception):
    """A problem with a file, a folder or the disk, phrased for people (one line, no traceback)."""


class NotFieldtuiFile(StoreError):
    """Not a SQLite database, or another application's, or damaged beyond reading its header."""


class SchemaTooNew(StoreError):
    """Written by a newer fieldtui: refused untouched."""


class NotFound(StoreError):
    """The record is gone (removed, or never existed)."""


class StoreReadOnly(StoreError):
    """The file (or its folder, or the medium) cannot be written."""


class DiskFull(StoreError):
    pass


class DiskError(StoreError):
    """The operating system refused a write (medium removed, failing, over quota...)."""


class StoreBusy(StoreError):
    """Another program holds the write lock."""


class StoreDamaged(StoreError):
    pass


class JournalLost(StoreError):
    """The file's journal or the file itself was removed or replaced under the connection."""

