"""Bulk corrections (`fieldtui import --update`), as CommCare's bulk case update: the sheet that
`export-table` wrote, edited in a spreadsheet, updates the records its `id` column names.

Each row is the stored record with the file's cells laid over it, validated by the same model
and saved by the same store method as the record's form, so field history and audit are
written as for any edit (and travel to headquarters in the next export). One transaction: any
bad row (an unknown id, a removed record, another kind's id, an id twice, a broken rule) and
nothing is written. A row equal to the stored record is not saved (no audit, no new version).

A sheet is often corrected for days while staff go on editing in the app. Its `saved_at` column
(the record's last save when the sheet was written) tells those edits apart: a field the app
changed since then keeps the app's value where the sheet still holds the value it was written
with, and takes the sheet's where the sheet changed it too (counted in the report). A sheet
without the column (written before it existed) is laid over the record whole, as before.
"""

from __future__ import annotations

import os
import re
from typing import Any

from fieldtui.core import kinds, models
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.sheets.applying import LineIndex, apply_rows, open_sheet
from fieldtui.core.sheets.columns import PERSON_FIELDS, record_fields
from fieldtui.core.sheets.importing import cbo_id_of, cbo_lookup
from fieldtui.core.sheets.report import ImportReport
from fieldtui.core.store import Store
from fieldtui.i18n import _

_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def update_table(store: Store, kind: str, path: str | os.PathLike) -> ImportReport:
    """Update the records a sheet names by id (see the module docstring)."""
    if kinds.kind(kind).getter is None:  # before the sheet is read: a session's sheet said KeyError
        raise StoreError(_("--update corrects {kinds}; {kind} are added by import without --update").format(
            kinds=", ".join(k.key for k in kinds.KINDS if k.getter), kind=kind))
    target, report, columns, rows = open_sheet(kind, path, extra=("id", "participant_id", "saved_at"))
    if "id" not in columns:
        raise StoreError(_("{path}: no id column: --update takes a file written by export-table").format(
            path=report.path))
    if not target.enrols_person:  # a placement's sheet shows the person; it is edited under trainees
        shown = [c for c in columns if c in PERSON_FIELDS and c not in record_fields(target)]
        report.person_columns = ["cbo" if c == "cbo_id" else c for c in shown]
    updater = _RowUpdater(store, target, report)
    try:
        return apply_rows(store, report, columns, rows, updater.save)
    finally:
        updater.seen.close()


class _RowUpdater:
    def __init__(self, store: Store, kind: kinds.Kind, report: ImportReport):
        self.store, self.kind, self.report = store, kind, report
        self.fields = record_fields(kind)
        self.cbos = cbo_lookup(store)
        self.seen = LineIndex(store, "update_lines")  # record id -> its line in this file

    def save(self, values: dict[str, Any], line: int) -> bool:
        row_id = str(values.pop("id", None) or "").strip()
        saved_at = str(values.pop("saved_at", None) or "").strip()
        self._check_id(row_id, line)
        stored = getattr(self.store, self.kind.getter or "")(row_id)
        before = stored.model_dump(mode="json", warnings=False)
        model = getattr(models, self.kind.record if self.kind.enrols_person else self.kind.model)
        if not self.kind.enrols_person:
            record = models.validate(model, {**before, **{k: v for k, v in values.items() if k in self.fields}})
        else:
            record = models.validate(model, self._composite(before, values))
        if _STAMP.match(saved_at):  # (a spreadsheet program that rewrote it as its own date: as without it)
            record = self._keep_later_edits(model, record, before, row_id, saved_at)
        if record.model_dump(mode="json") == before:
            return False
        getattr(self.store, self.kind.saver)(record)  # the kind's own save (kinds.Kind.saver)
        return True

    def _keep_later_edits(self, model: Any, record: Any, before: dict[str, Any], row_id: str, saved_at: str) -> Any:
        """The record as the sheet gives it, but each field saved in the app after `saved_at` that
        the sheet still holds as it was then keeps the app's value (see the module docstring)."""
        later = self.store.values_before(self.store.record_rows(self.kind.key, row_id), saved_at)
        if not later:
            return record
        data = record.model_dump(mode="json")
        for (table, field), then in later.items():
            part = (("participant" if table == "participants" else self.kind.part)
                    if self.kind.enrols_person else None)
            sheet, stored = (data[part], before[part]) if part else (data, before)
            if field not in sheet:
                continue
            if _same(sheet[field], then):  # untouched in the sheet: the app's later edit stands
                sheet[field] = stored[field]
            elif not _same(sheet[field], stored[field]):
                self.report.edited_on_both_sides += 1
        return models.validate(model, data)

    def _composite(self, before: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        person, own = dict(before["participant"]), dict(before[self.kind.part])
        given = values.pop("participant_id", None)
        if given not in (None, "") and str(given).strip() != person["id"]:
            raise RecordInvalid({"participant_id": _("participant_id does not match this record: ids cannot be "
                                                     "changed")})
        if values.get("cbo_id") not in (None, ""):
            values["cbo_id"] = cbo_id_of(values["cbo_id"], self.cbos, current=person["cbo_id"])
        person.update({k: v for k, v in values.items() if k in PERSON_FIELDS})
        own.update({k: v for k, v in values.items() if k in self.fields})
        return {"participant": person, self.kind.part: own}

    def _check_id(self, row_id: str, line: int) -> None:
        """One line for an id that is missing, unknown, removed, another kind's, or given twice."""
        if not row_id:
            raise RecordInvalid({"id": _("no id: --update changes records export-table listed")})
        shown = row_id[:40]
        row = self.store.conn.execute(f"SELECT deleted FROM {self.kind.table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            other = _kind_holding(self.store, row_id)
            if other is None:
                raise RecordInvalid({"id": _("no {kind} has the id {id}").format(kind=_(self.kind.singular), id=shown)})
            raise RecordInvalid({"id": _("{id} is the id of a record in {other}, not in {kind}").format(
                id=shown, other=other, kind=_(self.kind.title))})
        if row[0]:
            raise RecordInvalid({"id": _("the {kind} {id} was removed: restore it in the app first").format(
                kind=_(self.kind.singular), id=shown)})
        seen = self.seen.get(row_id)
        if seen is not None:
            raise RecordInvalid({"id": _("the same record as line {line}: one row per record").format(line=seen)})
        self.seen.add(row_id, line)


def _same(a: Any, b: Any) -> bool:
    """A value as a record dumps it (JSON) and as the audit kept it (stored): True and 1, 2000.0
    and 2000 are one value."""
    a, b = (int(v) if isinstance(v, bool) else v for v in (a, b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def _kind_holding(store: Store, row_id: str) -> str | None:
    """The list (or "People": a person's own id) whose table holds `row_id`, if any."""
    found = store.find_record(row_id)
    lists = [("participants", kinds.TABLE["participants"].label), *((k.table, k.title) for k in kinds.KINDS)]
    return next((_(title) for table, title in lists if found and table == found[0]), None)
