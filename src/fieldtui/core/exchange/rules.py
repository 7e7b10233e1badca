"""Rows against the models: what a form would refuse may not arrive by merge.

`check_rows` runs on the checked and upgraded copy, before anything is written; each table is
streamed in batches (ROW_BATCH: bounded memory whatever the size). Live rows are validated in
full by their table's model (`kinds.Table.model`: CBO, Participant, Training, AfterSchool,
OtherProgramme, Placement), and choices must be stored keys ("female", not "女"). An enrolment
is joined to its live person (`kinds.Table.person_column`) for the composite rules of the kind
that enrols people in it: trainee age at training start (TraineeRecord), a child's age and
guardian/consent under 14 (ChildRecord; rows last saved before the consent field existed,
CONSENT_FIELD_SINCE, are let in without it). A placement must be on a training and not
before it started; a follow-up on a placement and not recorded long before it is due (at
headquarters, one under a record removed there is let in and counts nowhere: RowCheck; in a
file alone, never).
Attendance marks and volunteer hours are read beside their session and parents set-based
(beside_parents.py: they are most of a file).
Tombstones (deleted = 1, personal fields blanked) are checked only for well-formed ids and time
stamps, as are all rows. Pseudonymised exports skip the phone format rule ("anon-…" stands for
the phone); their "anon-…" names pass the name rules.

A file with any invalid row is refused with one line naming the table, the row id and the first
rule broken, never a value from the row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldtui.core import clock, kinds, models
from fieldtui.core.clock import CLOCK_SLACK
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.exchange import beside_parents, by_value
from fieldtui.core.exchange.hostile import DAMAGED, Refused, open_checked
from fieldtui.core.models import (
    Participant,
    Placement,
    Training,
    check_followup_against_placement,
    check_placement_against_training,
    consent_of_its_time,
    validate,
)
from fieldtui.core.vocabulary import LABELS
from fieldtui.i18n import _, labelled

ROW_BATCH = 2000


def check_rows(copy: Path, pseudonymised: bool) -> None:
    """Refuse the file unless every live row passes the rules a form applies (see the docstring).

    Streams each table from the checked copy in batches of ROW_BATCH (bounded memory whatever the
    size). The message names the table, the row id and the first rule broken, never a value."""
    conn = open_checked(copy)
    conn.row_factory = sqlite3.Row
    try:
        with clock.anywhere_on_earth():  # the file's dates were today's where it was made
            _check_ids_and_stamps(conn)
            for table in kinds.TABLES:
                check_table(conn, RowCheck.of(table), pseudonymised)
                if table.name in beside_parents.TABLES:
                    beside_parents.check_beside_parents(conn, table.name)
    except sqlite3.DatabaseError:
        raise Refused(DAMAGED()) from None
    finally:
        conn.close()


_STAMP = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"


def _check_ids_and_stamps(conn: sqlite3.Connection) -> None:
    """Every row, tombstones too: an id of 1-64 safe characters, time stamps that start with a
    date, none later than tomorrow (a wrong clock), none updated before it was created."""
    limit = {"limit": (dt.datetime.now(dt.UTC) + CLOCK_SLACK).isoformat(timespec="microseconds")}
    # One pass over every table: a malformed row is named before a wrong clock (ORDER BY). The
    # ids' characters are matched in Python, as bytes: SQLite's GLOB '*[^…]*' cost ~75 ms a file.
    bad = conn.execute("SELECT tbl, malformed, stamp FROM (" + " UNION ALL ".join(
        f"SELECT '{t}' AS tbl, malformed, max(updated_at, created_at) AS stamp FROM (SELECT *, NOT ("
        f"updated_at {_STAMP} AND created_at {_STAMP}) AS malformed FROM {t}) WHERE malformed "
        "OR updated_at > :limit OR created_at > :limit OR updated_at < created_at"
        for t in kinds.RECORD_TABLES) + ") ORDER BY malformed DESC LIMIT 1", limit).fetchone()
    malformed = next((t for t in kinds.RECORD_TABLES if not _safe_ids(conn, t)), None)
    if malformed is not None or (bad is not None and bad[1]):
        raise Refused(_("rows of {table} have malformed ids or time stamps").format(table=malformed or bad[0]))
    if bad is not None and str(bad[2]) > limit["limit"]:  # a clock set ahead (`fieldtui redate`), or ours behind
        raise Refused(_("{table} has a change dated {stamp}, later than this computer's date ({today}): either "
                        "that laptop's clock was ahead (once it is right, run `fieldtui redate` on its file and "
                        "export again) or this computer's clock is behind (set it right and merge again)").format(
            table=bad[0], stamp=str(bad[2])[:10], today=dt.date.today().isoformat()))  # as its clock shows it
    if bad is not None:
        raise Refused(_("{table} has a change dated {stamp}, later than today or before it was made: the "
                        "laptop's clock is wrong; correct it, save again and export").format(
            table=bad[0], stamp=str(bad[2])[:10]))
    if conn.execute("SELECT count(*) FROM pragma_table_list WHERE name = 'field_changes'").fetchone()[0]:
        _check_history(conn, limit)


#: A batch of ids, each followed by a newline: one regex call a batch, not one an id (~15 ms a
#: file of 26,000 rows less). With as many newlines as ids (none inside an id: "a\nb" would
#: otherwise pass as two), the batch matches exactly when each of its ids does.
_SAFE_IDS = re.compile(rb"(?:[A-Za-z0-9_.:-]{1,64}\n)*")


def _safe_ids(conn: sqlite3.Connection, table: str) -> bool:
    """Every id of `table` 1-64 characters of [A-Za-z0-9_.:-] (what may go into a file name, a
    log line, a message)."""
    cur = conn.execute(f"SELECT CAST(id AS BLOB) FROM {table}")
    while batch := cur.fetchmany(ROW_BATCH * 5):
        ids = [row_id for (row_id,) in batch]
        if None in ids:
            return False
        joined = b"\n".join(ids) + b"\n"
        if joined.count(b"\n") != len(ids) or _SAFE_IDS.fullmatch(joined) is None:
            return False
    return True


def _check_history(conn: sqlite3.Connection, limit: dict[str, str]) -> None:
    """The field histories: of this file's rows and real fields, each change later than its
    base and not later than tomorrow."""
    known = " UNION ALL ".join(f"SELECT '{t}' AS tbl, id FROM {t}" for t in kinds.RECORD_TABLES)
    fields = " UNION ALL ".join(f"SELECT '{t}' AS tbl, name FROM pragma_table_info('{t}')" for t in kinds.RECORD_TABLES)
    bad = conn.execute(
        f"SELECT 1 FROM field_changes f WHERE NOT (f.stamp {_STAMP} AND f.base {_STAMP} AND f.base < f.stamp "
        "AND f.stamp <= :limit AND length(f.device) BETWEEN 1 AND 64 "
        f"AND EXISTS (SELECT 1 FROM ({known}) k WHERE k.tbl = f.tbl AND k.id = f.row_id) "
        f"AND EXISTS (SELECT 1 FROM ({fields}) c WHERE c.tbl = f.tbl AND c.name = f.field "
        "AND c.name NOT IN ('id', 'created_at', 'updated_at'))) LIMIT 1", limit).fetchone()
    if bad is not None:
        raise Refused(_("its history of changes does not match its rows (edited after export?)"))


def check_table(conn: sqlite3.Connection, check: RowCheck, pseudonymised: bool) -> None:
    """Each live row of one table; the first that breaks a rule refuses the file. Where the
    table's model allows it (by_value.py), each distinct value instead, and row by row only the
    rows holding a value it refuses."""
    if check.by_value:
        first = _check_rows(conn, check, f"SELECT * FROM ({check.select}) LIMIT 1", (), pseudonymised)
        where = by_value.refused_rows(conn, check.model, check.select, first) if first else None
        if where is None:
            return
        _check_rows(conn, check, f"SELECT * FROM ({check.select}) WHERE {where[0]}", where[1], pseudonymised)
        # By the model's independence a row there broke a rule (raised above): were it not so,
        # every row is checked below, as for any other table.
    _check_rows(conn, check, check.select, (), pseudonymised)


def _check_rows(conn: sqlite3.Connection, check: RowCheck, select: str, params: tuple[Any, ...],
                pseudonymised: bool) -> Row | None:
    """The rows of `select`, a batch at a time (ROW_BATCH); returns the first, as read."""
    cur = conn.execute(select, params)
    first = None
    while batch := cur.fetchmany(ROW_BATCH):
        first = first or dict(batch[0])
        for row in batch:
            try:
                check(dict(row), pseudonymised)
            except RecordInvalid as exc:
                raise Refused(_("{table} row {id} breaks a rule: {rule}").format(
                    table=check.table, id=row["id"], rule=next(iter(exc.errors.values()), ""))) from None
            except (ValueError, TypeError, RecursionError):  # malformed (or absurdly nested) programmes JSON
                raise Refused(_("{table} row {id} is malformed").format(table=check.table, id=row["id"])) from None
    return first


# --------------------------------------------------------------------------- one table's rules

Row = dict[str, Any]


@dataclass(frozen=True)
class RowCheck:
    """How the rows of one table are read and checked: its live rows (with what its rules read
    of other tables), what a row needs before its model reads it, the model, the rules beyond
    the model, and the composite record (and the part the enrolment fills) of its person.

    A row whose person, training or placement was removed is let in, and counts nowhere (the
    figures read only live ones; summary.uncounted lists it): one laptop removed a trainee while a
    copy of its file recorded their job, and headquarters refused whichever came second, so the
    figures hung on the order. One that is nowhere (a file edited by hand) is refused."""

    table: str
    select: str
    model: Any
    before: Callable[[Row, bool], None] | None = None
    after: Callable[[Any, Row], Any] | None = None
    composite: tuple[Any, str] | None = None
    #: at headquarters after a merge: an enrolment's person must be here (in a file alone, the
    #: person may be only at headquarters: that is checked after the merge)
    person_required: bool = False
    #: whether its rows may be checked value by value where its model allows (by_value.py: SQLite's
    #: SQL, so in a file's check; after a merge the rows rechecked are few, on either engine)
    value_wise: bool = True

    @property
    def by_value(self) -> bool:
        return (self.value_wise and self.before is None and self.after is None and self.composite is None
                and by_value.independent(self.model))

    @classmethod
    def of(cls, table: kinds.Table, let_in: LetIn | None = None) -> RowCheck:
        enrolling = next((k for k in kinds.KINDS if k.table == table.name and k.enrols_person), None)
        return cls(table.name, _live_rows(table, let_in), getattr(models, table.model), _BEFORE.get(table.name),
                   _AFTER.get(table.name), (getattr(models, enrolling.record), enrolling.part) if enrolling else None)

    def __call__(self, row: Row, pseudonymised: bool) -> None:
        if self.before is not None:
            self.before(row, pseudonymised)
        record = validate(self.model, row)
        if self.after is not None:
            record = self.after(record, row)
        if self.composite is not None and row["p_birth_year"] is not None:  # its person is live
            composite, part = self.composite
            validate(composite, {"participant": _person(row), part: record})
        elif self.composite is not None and self.person_required and not row["removed_elsewhere"]:
            raise RecordInvalid({"participant_id": labelled(_(LABELS["participant_id"]), _(
                "must be an existing person who has not been removed"))})


#: SQL true when a row (table, alias) under a removed parent (table, id expression) is let in.
LetIn = Callable[[str, str, str, str], str]


def _live_rows(table: kinds.Table, let_in: LetIn | None = None) -> str:
    """Live rows only: tombstones carry only ids and stamps (their personal fields are blanked).
    A row hanging off another (its person, training or placement) reads what its rules need of
    it while it is live, and `removed_elsewhere`: 1 when it is removed and `let_in` lets the row
    in all the same (never in a file alone; see RowCheck and after_merge.check_merged)."""
    def flag(alias: str, parent: str, fk: str) -> str:
        if let_in is None:
            return "0 AS removed_elsewhere"
        row_alias = fk.split(".")[0]
        return (f"CASE WHEN {alias}.deleted = 1 AND ({let_in(table.name, row_alias, parent, fk)}) "
                "THEN 1 ELSE 0 END AS removed_elsewhere")
    if table.name == "placements":  # its rules read its live training's start
        return (f"SELECT pl.*, CASE WHEN t.deleted = 0 THEN t.start_date END AS t_start_date, "
                f"{flag('t', 'trainings', 'pl.training_id')} FROM placements pl LEFT JOIN trainings t "
                "ON t.id = pl.training_id WHERE pl.deleted = 0")
    if table.name == "followups":  # and a check, its live placement's start
        return (f"SELECT f.*, CASE WHEN pl.deleted = 0 THEN pl.start_date END AS pl_start_date, "
                f"{flag('pl', 'placements', 'f.placement_id')} FROM followups f LEFT JOIN placements pl "
                "ON pl.id = f.placement_id WHERE f.deleted = 0")
    if table.person_column:
        live = "CASE WHEN p.deleted = 0 THEN p.{0} END AS p_{0}"
        return (f"SELECT e.*, {live.format('birth_year')}, {live.format('birth_date')}, "
                f"{live.format('registered_on')}, {flag('p', 'participants', f'e.{table.person_column}')} "
                f"FROM {table.name} e "
                f"LEFT JOIN participants p ON p.id = e.{table.person_column} WHERE e.deleted = 0")
    return f"SELECT * FROM {table.name} WHERE deleted = 0"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


_PERSON = Participant.model_construct()


def _person(row: Row) -> Participant:
    # Already validated in the participants pass; only what the composite rules read is needed
    # (a copy of a bare instance costs half of model_construct).
    return _PERSON.model_copy(update={"birth_year": row["p_birth_year"], "birth_date": _date(row["p_birth_date"]),
                                      "registered_on": _date(row["p_registered_on"])})


def _programmes_as_list(row: Row, pseudonymised: bool) -> None:
    row["programmes"] = json.loads(row["programmes"])


def _phone_stands_for(row: Row, pseudonymised: bool) -> None:
    if pseudonymised:  # "anon-…" stands for the phone: the format rule does not apply
        row["phone"] = None


def _as_the_app_leaves_it(person: Participant, row: Row) -> Participant:
    """A live person is merged into no one: the app sets `merged_into` only on the person it
    removes as the same as another (duplicates/decisions.py). Set by hand on a live one, the merge
    would move their enrolments to that other person (settle_same) and count one person fewer."""
    if row.get("merged_into") is not None:
        raise RecordInvalid({"merged_into": _("a live person merged into another person (edited outside "
                                              "fieldtui?)")})
    return _in_stored_form(person, row)


def _in_stored_form(person: Participant, row: Row) -> Participant:
    for name in ("gender", "origin", "province"):  # the models accept aliases ("女", "河南"); a file holds keys
        if getattr(person, name) != row[name]:
            raise RecordInvalid({name: labelled(_(LABELS[name]), _("is not written in its stored form"))})
    return person


def _consent_before_its_field(enrolment: Any, row: Row) -> Any:
    return consent_of_its_time(enrolment, row["updated_at"])


def _on_live_training(placement: Any, row: Row) -> Any:
    if row["t_start_date"] is None and row["removed_elsewhere"]:
        return placement  # removed meanwhile elsewhere (see RowCheck): counts nowhere
    if row["t_start_date"] is None:
        raise RecordInvalid({"training_id": labelled(_("Trainee"), _("must be an existing, non-removed trainee"))})
    start = _date(row["t_start_date"])
    if placement.start_date < start:  # the rule of check_placement_against_training
        check_placement_against_training(placement, Training.model_construct(start_date=start, deleted=False))
    return placement


def _when_due(followup: Any, row: Row) -> Any:
    """The rule of check_followup_against_placement: of a live placement, not recorded long
    before it is due (a 3-month check on the job's first day would count as a job kept)."""
    if row["pl_start_date"] is None and row["removed_elsewhere"]:
        return followup  # its job removed meanwhile elsewhere (see RowCheck): counts nowhere
    start = _date(row["pl_start_date"])
    check_followup_against_placement(followup, Placement.model_construct(start_date=start, deleted=start is None))
    return followup


#: Per table, what a row of the file needs before its model reads it.
#: Every table whose phone a pseudonymised export hashes (kinds.Table.personal: people's and
#: volunteers'; volunteers' were held to the 11-digit rule, refusing the demo file's export).
_BEFORE: dict[str, Callable[[Row, bool], None]] = {
    "cbos": _programmes_as_list, **{t.name: _phone_stands_for for t in kinds.TABLES if t.personal.get("phone") == "h"}}
#: Per table, the rules beyond its model (they may return the record as the composite reads it).
_AFTER: dict[str, Callable[[Any, Row], Any]] = {
    "participants": _as_the_app_leaves_it, "after_school": _consent_before_its_field, "placements": _on_live_training,
    "followups": _when_due}
