"""Errors every layer shares, in a module without pydantic, so screens can catch them without
loading the validation models."""

from __future__ import annotations

from fieldtui.i18n import _


class RecordInvalid(ValueError):
    """A record broke one or more rules. `errors` maps field path -> a message for people."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def damaged_file_message() -> str:
    """What people read when their own file turns out damaged while reading it (CLI and app).
    SQLite's own text is never shown instead: it can quote the damaged data, a person's name."""
    return _("the database file is damaged and cannot be read: restore it from a backup or a recent export")


class StoreError(Exception):
    """A problem with a file, a folder or the disk, phrased for people (one line, no traceback)."""
