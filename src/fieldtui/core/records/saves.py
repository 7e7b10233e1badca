"""Writing records: validated models in, stamped and audited rows out; soft delete and restore.

- Every create, update, removal and restore is audited with who, when, and each field it
  changed with its old and new values (records/audit.py): a record's History.

- UUIDv7-style text ids (core/ids.py): unique across field laptops, so headquarters merges files
  without renumbering, and time-ordered so inserts stay near the end of the key B-tree.
- Soft delete (`deleted = 1`, a tombstone): a deletion must travel to headquarters like any
  edit. Removing a person's last enrolment removes the person too (they stop counting).
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from typing import TYPE_CHECKING, Any

from fieldtui.core import kinds, pinyin
from fieldtui.core.errors import NotFound, RecordInvalid
from fieldtui.core.ids import new_id
from fieldtui.core.lazy import lazy_module
from fieldtui.core.records import history
from fieldtui.core.records.audit import Audit
from fieldtui.i18n import _, labelled, language

if TYPE_CHECKING:
    from fieldtui.core.models import (
        CBO,
        ChildRecord,
        Participant,
        ParticipantRecord,
        Placement,
        TraineeRecord,
        Training,
    )

# The models (pydantic) load on first use, not at import: they are a fifth of the app's start-up
# (benchmarks/), and the first screen needs none of them. Code here says `_models.Name` at run time.
_models = lazy_module("fieldtui.core.models")

_PLAIN_TYPES = frozenset({str, int, float, bytes, type(None)})


def _db_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _row_for(model: Any, exclude: set[str] = frozenset()) -> dict[str, Any]:
    data = model.model_dump(exclude={"deleted", *exclude})
    return {k: _db_value(v) for k, v in data.items()}


def stored(model: Any, row: dict[str, Any]) -> Any:
    """A stored row as its model. A row that breaks today's rules (saved by an older version
    before a rule was tightened, or damaged) comes back as stored, unvalidated, instead of
    raising: its form still opens and shows it, and saving validates it like any other."""
    try:
        return model.model_validate(row)
    except _models.ValidationError:
        return model.model_construct(**row)


def _programmes(text: Any) -> list[str]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):  # damaged: shown as none, put right by the next save
        return []
    return value if isinstance(value, list) else []


class Saves(Audit):
    """Saves, reads by id, removal and restore of every kind of record."""

    # ---- generic writes ------------------------------------------------------------

    def _write(self, table: str, row: dict[str, Any], at: str) -> str:
        """Insert a new row (no id yet) or update a live one; stamps and audits it."""
        row = dict(row)
        row_id = row.pop("id", None)
        if row_id is None:
            row_id = new_id()
            cols = ["id", *row, "created_at", "updated_at", "deleted"]
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row_id, *row.values(), at, at, 0],
            )
            self._audit("create", table, row_id, at,
                        {c: (None, v) for c, v in row.items() if v is not None and c not in history.NOT_CONTENT})
        else:
            stored = self.conn.execute(f"SELECT * FROM {table} WHERE id = ? AND deleted = 0", (row_id,)).fetchone()
            if stored is None:
                raise NotFound(_("that record no longer exists or was removed"))
            old = dict(stored)
            at = history.later_than(at, old["updated_at"], old["created_at"])
            changed = history.note_changes(self.conn, table, old, row, at, self.device_id)
            if not changed:
                return row_id  # nothing changed: no new version, no audit
            sets = ", ".join(f"{c} = ?" for c in row)
            self.conn.execute(f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ?", [*row.values(), at, row_id])
            self._audit("update", table, row_id, at, {f: (old[f], row[f]) for f in changed})
        return row_id

    def _parent(self, model: Any, table: str, row_id: str | None, field: str, label: str) -> Any:
        """The stored row a new record hangs off, as its model (None if there is none); a row that
        breaks today's rules is refused in words: it must be corrected in its own form first."""
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone() if row_id else None
        try:
            return model.model_validate(dict(row)) if row else None
        except _models.ValidationError:  # saved before a rule was tightened, or damaged
            raise RecordInvalid({field: labelled(label, _(
                "breaks a rule in its own record; open that record and correct it first"))}) from None

    def _set_deleted(self, table: str, row_id: str, deleted: int, at: str) -> bool:
        """Remove (1) or restore (0) one row, as a new version of its `deleted` field."""
        stored = self.conn.execute(f"SELECT * FROM {table} WHERE id = ? AND deleted = ?",
                                   (row_id, 1 - deleted)).fetchone()
        if stored is None:
            return False
        at = history.later_than(at, stored["updated_at"], stored["created_at"])
        history.note_changes(self.conn, table, dict(stored), {"deleted": deleted}, at, self.device_id)
        self.conn.execute(f"UPDATE {table} SET deleted = ?, updated_at = ? WHERE id = ?", (deleted, at, row_id))
        self._audit("delete" if deleted else "restore", table, row_id, at, {"deleted": (1 - deleted, deleted)})
        return True

    def _require(self, table: str, row_id: str) -> dict[str, Any]:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise NotFound(_("that record no longer exists or was removed"))
        return dict(row)

    # ---- CBOs -------------------------------------------------------------------------

    def save_cbo(self, cbo: CBO) -> CBO:
        with self.transaction():
            at = self.clock()
            cbo_id = self._write("cbos", _row_for(cbo), at)
        return cbo.model_copy(update={"id": cbo_id})

    def get_cbo(self, cbo_id: str) -> CBO:
        row = self._require("cbos", cbo_id)
        row["programmes"] = _programmes(row["programmes"])
        return stored(_models.CBO, row)

    def cbos(self, include_deleted: bool = False) -> list[CBO]:
        sql = "SELECT * FROM cbos" + ("" if include_deleted else " WHERE deleted = 0") + " ORDER BY name_en"
        out = []
        for row in self.conn.execute(sql):
            row = dict(row)
            row["programmes"] = _programmes(row["programmes"])
            out.append(stored(_models.CBO, row))
        return out

    def cbo_choices(self) -> list[tuple[str, str]]:
        """(name in the current language, id) of the live CBOs, for pickers and filters: plain
        SQL rows, so a list screen's CBO filter does not load the validation models."""
        name = "name_zh" if language() == "zh" else "name_en"
        rows = self.conn.execute(f"SELECT {name}, id FROM cbos WHERE deleted = 0 ORDER BY name_en").fetchall()
        # Only text reaches here from our saves; anything else is a damaged page: left out, not shown.
        return [(r[0], r[1]) for r in rows if isinstance(r[0], str) and isinstance(r[1], str)]

    def cbo_names(self) -> list[tuple[str, str, str]]:
        """(name in the current language, id, name in the other) of the live CBOs: a form's CBO
        choice finds a CBO by either name."""
        zh = language() == "zh"
        rows = self.conn.execute("SELECT name_zh, name_en, id FROM cbos WHERE deleted = 0 ORDER BY name_en").fetchall()
        return [(r[0], r[2], r[1]) if zh else (r[1], r[2], r[0]) for r in rows
                if all(isinstance(v, str) for v in r)]

    def _check_cbo(self, cbo_id: str) -> None:
        row = self.conn.execute("SELECT deleted FROM cbos WHERE id = ?", (cbo_id,)).fetchone()
        if row is None or row[0]:
            raise RecordInvalid({"participant.cbo_id": labelled(_("CBO"), _("choose an existing CBO"))})

    # ---- people with an enrolment ---------------------------------------------------

    def _save_person_with(self, person: Participant, table: str, enrolment: Any) -> tuple[str, str]:
        with self.transaction():
            self._check_cbo(person.cbo_id)
            self._keep_dependants(table, enrolment, person.cbo_id)
            self._keep_other_enrolments(person, enrolment.id)
            at = self.clock()
            pid = self._write("participants", _row_for(person), at)
            pinyin.refresh_keys(self.conn, "?", (pid,))
            row = _row_for(enrolment)
            row["participant_id"] = pid
            eid = self._write(table, row, at)
        return pid, eid

    def save_trainee(self, record: TraineeRecord) -> TraineeRecord:
        pid, tid = self._save_person_with(record.participant, "trainings", record.training)
        return _models.TraineeRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            training=record.training.model_copy(update={"id": tid, "participant_id": pid}),
        )

    def save_child(self, record: ChildRecord) -> ChildRecord:
        # PIPL: a child's guardian and consent are checked here too, even if the caller skipped validation.
        _models.validate(_models.ChildRecord, {"participant": record.participant.model_dump(),
                               "enrolment": record.enrolment.model_dump()})
        pid, eid = self._save_person_with(record.participant, "after_school", record.enrolment)
        return _models.ChildRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            enrolment=record.enrolment.model_copy(update={"id": eid, "participant_id": pid}),
        )

    def save_participant(self, record: ParticipantRecord) -> ParticipantRecord:
        pid, eid = self._save_person_with(record.participant, "other_programmes", record.programme)
        return _models.ParticipantRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            programme=record.programme.model_copy(update={"id": eid, "participant_id": pid}),
        )

    def save_enrolment_of(self, participant_id: str, enrolment: Any) -> str:
        """Enrol an existing, live person in another programme (no second person is made): the
        enrolment's table comes from the registry, and the composite rules (a trainee's age, a
        child's guardian and consent) are checked with the stored person. Returns its id."""
        kind = next(k for k in kinds.KINDS if k.enrols_person and k.model == type(enrolment).__name__)
        with self.transaction():
            person = stored(_models.Participant, self._require("participants", participant_id))
            if person.deleted:
                raise NotFound(_("that record no longer exists or was removed"))
            _models.validate(getattr(_models, kind.record), {
                "participant": person.model_dump(), kind.part: enrolment.model_dump()})
            row = _row_for(enrolment)
            row["participant_id"] = participant_id
            return self._write(kind.table, row, self.clock())

    def stored_as(self, kind: str, record: Any, limit: int = 10) -> list[str]:
        """The ids of live records of `kind` holding `record` exactly (who registered a person
        aside), as an import builds it, oldest first: a row of a sheet imported twice, or repeated
        from last month's, is not saved again (sheets/importing.py), where it would count as
        another beneficiary, job or mark."""
        k = kinds.kind(kind)
        if not k.enrols_person:
            row = _row_for(record, exclude={"id"})
            return [r[0] for r in self.conn.execute(
                f"SELECT id FROM {k.table} WHERE deleted = 0 AND {' AND '.join(f'{c} IS ?' for c in row)} "
                f"ORDER BY id LIMIT {int(limit)}", tuple(row.values()))]
        person = _row_for(record.participant, exclude={"id", "registered_by"})
        enrolment = _row_for(getattr(record, k.part), exclude={"id", "participant_id"})
        # By the name's index (`+` keeps the planner off the others: a day's registrations at
        # one CBO share most of them), then the person's few enrolments.
        same = [f"+p.{c} IS ?" for c in person] + [f"e.{c} IS ?" for c in enrolment]
        return [r[0] for r in self.conn.execute(
            f"SELECT e.id FROM participants p JOIN {k.table} e ON e.participant_id = p.id AND e.deleted = 0 "
            f"WHERE p.full_name = ? AND p.deleted = 0 AND {' AND '.join(same)} ORDER BY e.id LIMIT {int(limit)}",
            (person["full_name"], *person.values(), *enrolment.values()))]

    def get_participant(self, participant_id: str) -> Participant:
        return stored(_models.Participant, self._require("participants", participant_id))

    def get_training(self, training_id: str) -> Training:
        return stored(_models.Training, self._require("trainings", training_id))

    def get_trainee(self, training_id: str) -> TraineeRecord:
        training = self.get_training(training_id)
        return _models.TraineeRecord.model_construct(
            participant=self.get_participant(training.participant_id), training=training)

    def get_child(self, enrolment_id: str) -> ChildRecord:
        enrolment = stored(_models.AfterSchool, self._require("after_school", enrolment_id))
        return _models.ChildRecord.model_construct(
            participant=self.get_participant(enrolment.participant_id), enrolment=enrolment)

    def get_other(self, enrolment_id: str) -> ParticipantRecord:
        programme = stored(_models.OtherProgramme, self._require("other_programmes", enrolment_id))
        return _models.ParticipantRecord.model_construct(
            participant=self.get_participant(programme.participant_id), programme=programme)

    # ---- placements -------------------------------------------------------------------

    def save_placement(self, placement: Placement) -> Placement:
        with self.transaction():
            row = self.conn.execute("SELECT * FROM trainings WHERE id = ?", (placement.training_id,)).fetchone()
            try:
                training = _models.Training.model_validate(dict(row)) if row else None
            except _models.ValidationError:  # saved before a rule was tightened, or damaged
                raise RecordInvalid({"training_id": labelled(_("Trainee"), _(
                    "this trainee's training breaks a rule; open it under Trainees and correct it first"))}) from None
            _models.check_placement_against_training(placement, training)
            self._keep_dependants("placements", placement)
            pid = self._write("placements", _row_for(placement), self.clock())
        return placement.model_copy(update={"id": pid})

    def get_placement(self, placement_id: str) -> Placement:
        return stored(_models.Placement, self._require("placements", placement_id))

    # ---- delete / restore -------------------------------------------------------------

    def _cascade(self, table: str, row_id: str) -> list[tuple[str, str]]:
        """The rows that go (and come back) with a list row: what hangs off it (kinds.Table.cascade:
        a training's placements and their follow-ups, a session's attendance...), and its person
        when this was the person's only live enrolment (so the person stops counting)."""
        rows = [(table, row_id), *self._hanging_off(table, row_id)]
        column = kinds.TABLE[table].person_column
        if column is None:
            return rows
        pid = self.conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]
        others = self.conn.execute(
            "SELECT (SELECT count(*) FROM trainings WHERE participant_id = :p AND deleted = 0 AND id != :e)"
            " + (SELECT count(*) FROM after_school WHERE participant_id = :p AND deleted = 0 AND id != :e)"
            " + (SELECT count(*) FROM other_programmes WHERE participant_id = :p AND deleted = 0 AND id != :e)",
            {"p": pid, "e": row_id},
        ).fetchone()[0]
        if not others:
            rows.append(("participants", pid))
        return rows

    def _hanging_off(self, table: str, row_id: str, removed_at: str | None = None) -> list[tuple[str, str]]:
        """Rows of the tables that cascade from `table` naming this row, and theirs in turn; with
        `removed_at`, only those removed in that same moment (what a restore brings back)."""
        out: list[tuple[str, str]] = []
        for child, column in kinds.TABLE[table].cascade:
            sql, params = f"SELECT id FROM {child} WHERE {column} = ?", [row_id]
            if removed_at is not None:
                sql += " AND deleted = 1 AND updated_at = ?"
                params.append(removed_at)
            for (child_id,) in self.conn.execute(sql, params).fetchall():
                out += [(child, child_id), *self._hanging_off(child, child_id, removed_at)]
        return out

    def delete(self, kind: str, row_id: str) -> None:
        """Soft-delete a list row (a tombstone that travels to headquarters); restorable."""
        table = kinds.kind(kind).table
        with self.transaction():
            row = self._require(table, row_id)
            if row["deleted"]:
                return
            if table == "cbos":
                live = self.conn.execute("SELECT count(*) FROM participants WHERE cbo_id = ? AND deleted = 0",
                                         (row_id,)).fetchone()[0]
                if live:
                    said = (_("This CBO still has 1 participant; remove or move them first") if live == 1 else
                            _("This CBO still has {n} participants; remove or move them first"))
                    raise RecordInvalid({"cbo_id": said.format(n=f"{live:,}")})
            at = self.clock()
            for t, rid in self._cascade(table, row_id):
                self._set_deleted(t, rid, 1, at)

    def restore(self, kind: str, row_id: str) -> None:
        """Undo a soft delete, bringing back what was removed with it in the same moment."""
        table = kinds.kind(kind).table
        with self.transaction():
            row = self._require(table, row_id)
            if not row["deleted"]:
                return
            for column, parent, message in kinds.TABLE[table].parents:
                if row[column] is None:  # hours given at no session
                    continue
                found = self.conn.execute(f"SELECT deleted FROM {parent} WHERE id = ?", (row[column],)).fetchone()
                if found is None or found[0]:
                    raise RecordInvalid({column: _(message)})
            at = self.clock()
            targets = [(table, row_id), *self._hanging_off(table, row_id, row["updated_at"])]
            column = kinds.TABLE[table].person_column
            if column is not None:
                targets.append(("participants", row[column]))
            for t, rid in targets:
                self._set_deleted(t, rid, 0, at)

    # ---- bulk (sample data, imports) -----------------------------------------------------

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert already-validated rows (with ids and stamps) in the caller's transaction."""
        if not rows:
            return
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        get = operator.itemgetter(*cols) if len(cols) > 1 else (lambda r: (r[cols[0]],))
        plain = _PLAIN_TYPES  # stored as they are: convert only the rest (dates, bools, lists)
        self.conn.executemany(sql, ([v if type(v) in plain else _db_value(v) for v in get(r)] for r in rows))
        if table == "participants":  # their pinyin keys (core/pinyin.py), in the same transaction
            pinyin.refresh_keys(self.conn, "SELECT value FROM json_each(?)", (json.dumps([r["id"] for r in rows]),))

