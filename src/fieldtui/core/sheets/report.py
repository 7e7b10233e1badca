"""What an import did, for people: rows read and written, and the problems by line, the first
MAX_REPORTED of each kind kept and the rest only counted (a million bad rows print 50 lines and
one count, not a report the size of the file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fieldtui.core.sheets.limits import MAX_REPORTED


@dataclass
class RowProblem:
    line: int
    message: str


@dataclass
class ImportReport:
    kind: str
    path: Path
    rows: int = 0
    written: int = 0
    unchanged: int = 0  # --update: rows identical to the stored record (nothing written)
    already_stored: int = 0  # adding: rows whose record is stored already, every field equal (not written)
    #: --update: fields edited in the app after the sheet was written and in the sheet as well
    #: (the sheet's value was saved); the app's edits the sheet did not touch are kept, uncounted
    edited_on_both_sides: int = 0
    errors: list[RowProblem] = field(default_factory=list)  # the first MAX_REPORTED
    duplicates: list[RowProblem] = field(default_factory=list)  # the first MAX_REPORTED
    error_count: int = 0
    duplicate_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    #: --update of a kind that is not a person's enrolment (placements): the person's columns it
    #: shows, read but not corrected there (a person is corrected in their enrolment's sheet)
    person_columns: list[str] = field(default_factory=list)
    stopped_at: int | None = None  # the line reading stopped at, after too many bad rows

    @property
    def ok(self) -> bool:
        return not self.error_count

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowProblem(line, message))

    def duplicate(self, line: int, message: str) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < MAX_REPORTED:
            self.duplicates.append(RowProblem(line, message))
