"""Bulk import of the spreadsheets CBOs keep: every row validated, all saved or none.

Headers in English (field names or labels) or Chinese (columns.py); every row validated by the
composite models and saved through the store in ONE transaction. Any bad row means nothing is
written (unless `skip_invalid`), and the report names each bad row by its line number. Possible
duplicates (in the file and against stored people) are flagged, not refused: a person decides.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.core import kinds, models
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.models import validate
from fieldtui.core.sheets.cells import cell
from fieldtui.core.sheets.columns import PERSON_FIELDS, field_of, record_fields, sheet_fields
from fieldtui.core.sheets.formats import read_rows
from fieldtui.core.store import Store
from fieldtui.i18n import _

IMPORT_KINDS = kinds.keys(importable=True, aliases=True)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
    errors: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def import_table(store: Store, kind: str, path: str | os.PathLike, skip_invalid: bool = False) -> ImportReport:
    """Validate every row of a spreadsheet and save them in one transaction (see module docstring)."""
    if kind not in IMPORT_KINDS:
        raise StoreError(_("unknown kind {kind}: choose one of {kinds}").format(
            kind=kind, kinds=", ".join(IMPORT_KINDS)))
    target = kinds.kind(kind)
    path = Path(path)
    header, rows = read_rows(path)
    report = ImportReport(target.key, path)
    columns = _columns(header, report)
    if not any(c in sheet_fields(target) for c in columns):
        raise StoreError(_("{path}: no known column headings for {kind} (e.g. full_name / 姓名)").format(
            path=path, kind=target.key))
    saver = _RowSaver(store, target, report)
    try:
        with store.transaction():
            for line, cells in rows:
                values = {c: cell(v) for c, v in zip(columns, cells, strict=False) if c is not None}
                if not any(v not in (None, "") for v in values.values()):
                    continue  # blank line
                report.rows += 1
                try:
                    saver.save(values, line)
                except RecordInvalid as exc:
                    report.errors.append(RowProblem(line, "; ".join(exc.errors.values())))
                    continue
                report.written += 1
            if report.errors and not skip_invalid:
                raise _Rollback
    except _Rollback:
        report.written = 0
    return report


def _columns(header: list[str], report: ImportReport) -> list[str | None]:
    """The field each column holds (None: not one we know, noted in the report as ignored)."""
    columns: list[str | None] = []
    for h in header:
        name = field_of(h)
        columns.append(name)
        if name is None and str(h).strip():
            report.ignored_columns.append(str(h).strip())
    return columns


class _RowSaver:
    """Saves the rows of one import: the kind's record built from a row, its CBO found by id or
    name, possible duplicates noted (against stored people and earlier lines of the file)."""

    def __init__(self, store: Store, kind: kinds.Kind, report: ImportReport):
        self.store, self.kind, self.report = store, kind, report
        self.fields = record_fields(kind)
        self.cbos = _cbo_lookup(store)
        self.written_people: dict[str, int] = {}  # person id -> line of this file

    def save(self, values: dict[str, Any], line: int) -> None:
        save = getattr(self.store, self.kind.saver)  # the kind's own save (kinds.Kind.saver)
        if not self.kind.enrols_person:  # a placement, follow-up, session, mark, volunteer, hours
            save(validate(getattr(models, self.kind.model), self._with_cbo(self._own(values), "cbo_id")))
            return
        record = validate(getattr(models, self.kind.record),
                          {"participant": self._person(values), self.kind.part: self._own(values)})
        self._note_duplicates(record.participant, line)
        saved = save(record)
        self.written_people[saved.participant.id] = line

    def _own(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: values.get(k) for k in self.fields if k in values}

    def _person(self, values: dict[str, Any]) -> dict[str, Any]:
        """The person's fields, their CBO found as `_with_cbo` says."""
        person = self._with_cbo({k: values.get(k) for k in PERSON_FIELDS if k in values}, "participant.cbo_id")
        person.setdefault("registered_by", self.store.operator)
        return person

    def _with_cbo(self, row: dict[str, Any], where: str) -> dict[str, Any]:
        """`row` with its CBO named by id or either name (a file with one CBO need not name it);
        rows of kinds without a CBO of their own are left as they are."""
        if "cbo_id" not in self.fields and where == "cbo_id":
            return row
        cbo_text = str(row.get("cbo_id") or "").strip()
        if cbo_text:
            if cbo_text.casefold() not in self.cbos:
                shown = " ".join(_CONTROL.sub(" ", cbo_text).split())[:80]  # one line, whatever the cell holds
                raise RecordInvalid({where: _("CBO") + ": " + _("no CBO called {name}").format(name=shown)})
            row["cbo_id"] = self.cbos[cbo_text.casefold()]
        elif len(set(self.cbos.values())) == 1:
            row["cbo_id"] = next(iter(self.cbos.values()))
        return row

    def _note_duplicates(self, person: Any, line: int) -> None:
        for dup in self.store.possible_duplicates(person):
            where = (_("line {line} of this file").format(line=self.written_people[dup["id"]])
                     if dup["id"] in self.written_people
                     else _("already registered on {date}").format(date=dup["registered_on"]))
            self.report.duplicates.append(RowProblem(line, _("possible duplicate of {name} ({year}), {where}").format(
                name=dup["full_name"], year=dup["birth_year"], where=where)))


def _cbo_lookup(store: Store) -> dict[str, str]:
    """Casefolded CBO id, English and Chinese name -> id."""
    out: dict[str, str] = {}
    for cbo in store.cbos():
        for key in (cbo.id, cbo.name_en, cbo.name_zh):
            out[str(key).strip().casefold()] = cbo.id  # type: ignore[arg-type]
    return out
