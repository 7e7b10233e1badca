"""Bulk import of the spreadsheets CBOs keep: every row validated, all saved or none.

Headers in English (field names or labels) or Chinese (columns.py); every row validated by the
composite models and saved through the store in ONE transaction. Any bad row means nothing is
written (unless `skip_invalid`), and the report names each bad row by its line number. A row
whose record is stored already, every field equal (for people: the person and the enrolment), is
not written again: a sheet imported twice must not count its people, jobs or hours twice.
Possible duplicates (in the file and against stored people) are flagged, not refused: a person
decides.
"""

from __future__ import annotations

import os
import re
from typing import Any

from fieldtui.core import duplicates, kinds, models
from fieldtui.core import formatting as fmt
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.models import validate
from fieldtui.core.sheets.applying import LineIndex, apply_rows, open_sheet
from fieldtui.core.sheets.columns import PERSON_FIELDS, record_fields
from fieldtui.core.sheets.report import ImportReport
from fieldtui.core.store import Store
from fieldtui.i18n import _

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def import_table(store: Store, kind: str, path: str | os.PathLike, skip_invalid: bool = False) -> ImportReport:
    """Validate every row of a spreadsheet and save them in one transaction (see module docstring)."""
    target, report, columns, rows = open_sheet(kind, path, extra=("id",))
    saver = _RowSaver(store, target, report)
    try:
        return apply_rows(store, report, columns, rows, saver.save, skip_invalid)
    finally:
        saver.written_people.close()
        saver.written_rows.close()


class _RowSaver:
    """Saves the rows of one import: the kind's record built from a row, its CBO found by id or
    name, possible duplicates noted (against stored people and earlier lines of the file)."""

    def __init__(self, store: Store, kind: kinds.Kind, report: ImportReport):
        self.store, self.kind, self.report = store, kind, report
        self.fields = record_fields(kind)
        self.cbos = cbo_lookup(store)
        self.written_people = LineIndex(store, "import_people")  # person id -> line of this file
        self.written_rows = LineIndex(store, "import_rows")  # the same, of records without a person
        self._keyed = False

    def save(self, values: dict[str, Any], line: int) -> bool | None:
        save = getattr(self.store, self.kind.saver)  # the kind's own save (kinds.Kind.saver)
        row_id = str(values.pop("id", None) or "").strip()
        if not self.kind.enrols_person:  # a placement, follow-up, session, mark, volunteer, hours
            record = validate(getattr(models, self.kind.model), self._with_cbo(self._own(values), "cbo_id"))
            if self._stored_before(record):
                return None
            self._not_a_correction(row_id)
            self.written_rows.add(save(record).id, line)
            return True
        record = validate(getattr(models, self.kind.record),
                          {"participant": self._person(values), self.kind.part: self._own(values)})
        if self._stored_before(record):
            return None
        self._not_a_correction(row_id)
        self._key_people()
        self._note_duplicates(record.participant, line)
        saved = save(record)
        self.written_people.add(saved.participant.id, line)
        return True

    def _not_a_correction(self, row_id: str) -> None:
        """A changed row whose id is a record of this file (export-table's sheet, corrected, then
        imported without --update): written as new, every corrected person was counted twice. An
        id from another laptop's file, or of a record removed here, names nothing live: the row is
        new here, as without an id."""
        if row_id and self.store.conn.execute(f"SELECT 1 FROM {self.kind.table} WHERE id = ? AND deleted = 0",
                                              (row_id,)).fetchone():
            raise RecordInvalid({"id": _("id: a record already in this file, changed in the sheet: corrections "
                                         "go through import --update")})

    def _stored_before(self, record: Any) -> bool:
        """Whether the row's record is stored already, every field equal (the same sheet imported
        again, last month's rows repeated, a person listed twice). Where equal rows may be two
        records (two sessions, two stints of hours on a day: `kinds.Table.repeats_are_distinct`),
        only a record stored before this import counts: the sheet's own repeats are written."""
        found = self.store.stored_as(self.kind.key, record)
        if kinds.TABLE[self.kind.table].repeats_are_distinct:
            found = [i for i in found if self.written_rows.get(i) is None]
        return bool(found)

    def _key_people(self) -> None:
        """Once, before the first duplicate check: keys for the people who have none (a name,
        birth year or phone changed with another program drops them; the app keys them at its
        start, and an import may come first), in the import's transaction (Store.keys_for_reading,
        as the duplicates pass asks). Two counts otherwise."""
        if not self._keyed:
            self._keyed = True
            self.store.keys_for_reading()

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
        if str(row.get("cbo_id") or "").strip():
            row["cbo_id"] = cbo_id_of(row["cbo_id"], self.cbos, where)
        elif len({i for ids in self.cbos.values() for i in ids}) == 1:
            row["cbo_id"] = next(iter(self.cbos.values()))[0]
        return row

    def _note_duplicates(self, person: Any, line: int) -> None:
        """People already in the file (any CBO, typo-tolerant: core/duplicates) or earlier in
        this sheet who may be this one, as the form would show them; the row is still saved."""
        for dup in duplicates.candidates(self.store, person.model_dump(mode="json")):
            earlier = self.written_people.get(dup.id)
            where = (_("line {line} of this file").format(line=earlier) if earlier is not None
                     else _("registered at {cbo}").format(cbo=fmt.cbo_name(dup.cbo_zh, dup.cbo_en)))
            self.report.duplicate(line, _("possible duplicate of {name} ({year}), {where}: {why}").format(
                name=dup.full_name, year=dup.birth_year, where=where, why=_(", ").join(dup.evidence.lines())))


def cbo_lookup(store: Store) -> dict[str, tuple[str, ...]]:
    """Casefolded CBO id, English and Chinese name -> the ids of the CBOs it names (nothing stops
    two laptops from each setting up a CBO under one name: two ids)."""
    out: dict[str, tuple[str, ...]] = {}
    for cbo in store.cbos():
        for key in {str(k).strip().casefold() for k in (cbo.id, cbo.name_en, cbo.name_zh)}:
            out[key] = (*out.get(key, ()), cbo.id)  # type: ignore[arg-type]
    return out


def cbo_id_of(text: Any, cbos: dict[str, tuple[str, ...]], where: str = "participant.cbo_id",
              current: str | None = None) -> str:
    """The id of the CBO a cell names by id or either name; one line if none is called that, or
    if several are and none of them is `current` (the record's own: an unedited sheet keeps it)."""
    text = str(text).strip()
    shown = " ".join(_CONTROL.sub(" ", text).split())[:80]  # one line, whatever the cell holds
    ids = cbos.get(text.casefold(), ())
    if not ids:
        raise RecordInvalid({where: _("CBO") + ": " + _("no CBO called {name}").format(name=shown)})
    if len(ids) > 1 and current not in ids:  # before, one of them at random: people moved between CBOs
        raise RecordInvalid({where: _("CBO") + ": " + _("{n} CBOs are called {name}: write the CBO's id or its other "
                                                        "name").format(n=len(ids), name=shown)})
    return current if len(ids) > 1 else ids[0]
