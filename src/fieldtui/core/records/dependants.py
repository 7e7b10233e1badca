"""An edit keeps the rules of what hangs off the record: the rules a form applies to a job's
checks, a trainee's placements, a held session's attendance marks and volunteer hours, and a
child's marks (with the child's CBO), read again against the edited record before it is saved.

Without this, moving a placement's start past a check already recorded, or a training's start
past its placement, was saved and left a stored record that
breaks its rule: headquarters (exchange/rules.py) then refused that laptop's every export, so none
of its later records arrived. A session moved off the days its marked children were enrolled (or
a child's enrolment moved off its marked sessions) left marks counted for a child not enrolled
that day. Now the edit is refused, in words that say which record stands in the way; no name is
quoted (the message may reach a terminal). A session marked not held keeps its marks: they count
nowhere, by design.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fieldtui.core import kinds
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import _

_models = lazy_module("fieldtui.core.models")


class Dependants:
    """Mixed into Store: `_keep_dependants`, called by the saves of records others hang off."""

    conn: Any

    def _keep_dependants(self, table: str, record: Any, cbo_id: str | None = None) -> None:
        """Refuse (RecordInvalid) the edit of `record`, a row of `table` about to be saved (with
        its person's CBO `cbo_id`, saved with it), when a live row hanging off it would break a
        rule against it. A new record has nothing hanging off it yet. The message belongs to no
        one field: a form shows it as a notice."""
        check = _CHECKS.get(table)
        if check is None or not record.id:
            return
        broken = check(self, record, cbo_id)
        if broken is not None:
            raise RecordInvalid({"dependants": broken})

    def _keep_other_enrolments(self, person: Any, saving: str | None) -> None:
        """Refuse (RecordInvalid) the edit of a stored person that would break the rules of
        another of their live enrolments than the one saved with it (`saving`): a birth year or
        date against a trainee's age at training start or a child's age, guardian and consent; a
        CBO against a child's attendance marks at the first CBO's sessions. The form shows the
        person with one enrolment; the others were saved under their own rules."""
        if not person.id:
            return
        stored = self.conn.execute("SELECT birth_year, birth_date, cbo_id FROM participants WHERE id = ?",
                                   (person.id,)).fetchone()
        if stored is None:
            return
        born = str(person.birth_date) if person.birth_date else None  # a date, or text as stored
        if (stored[0], stored[1]) != (person.birth_year, born):
            self._keep_ages_of_enrolments(person, saving)
        if stored[2] != person.cbo_id:
            for enrolment in self._live(_models.AfterSchool, "after_school", "participant_id", person.id):
                broken = _marks_of_child(self, enrolment, person.cbo_id) if enrolment.id != saving else None
                if broken is not None:
                    raise RecordInvalid({"dependants": broken})

    def _keep_ages_of_enrolments(self, person: Any, saving: str | None) -> None:
        """The age rules of the person's other live enrolments, against their new birth year."""
        for kind in (k for k in kinds.KINDS if k.enrols_person):
            for row in self.conn.execute(f"SELECT * FROM {kind.table} WHERE participant_id = ? AND deleted = 0 "
                                         "AND id != ? ORDER BY id", (person.id, saving or "")).fetchall():
                enrolment = _valid(getattr(_models, kind.model), dict(row))
                if enrolment is None:  # breaks a rule on its own (see _live)
                    continue
                if kind.part == "enrolment":  # a child's, saved before the consent field: as the merge reads it
                    enrolment = _models.consent_of_its_time(enrolment, row["updated_at"])
                try:
                    _models.validate(getattr(_models, kind.record), {"participant": person, kind.part: enrolment})
                except RecordInvalid as exc:
                    raise RecordInvalid({"dependants": _(
                        "Their {kind} enrolment starting {date} would no longer fit ({rule}); correct the birth "
                        "year there, or that enrolment first").format(
                        kind=_(kind.singular), date=enrolment.start_date.isoformat(),
                        rule=next(iter(exc.errors.values()), ""))}) from None

    def _live(self, model: Any, table: str, column: str, row_id: str) -> Iterator[Any]:
        """The live rows of `table` whose `column` names `row_id`, as `model`. A row that breaks a
        rule on its own (saved before a rule was tightened, or damaged) is left out: this edit
        did not break it, and its own form says what to correct."""
        for row in self.conn.execute(f"SELECT * FROM {table} WHERE {column} = ? AND deleted = 0 ORDER BY id",
                                     (row_id,)).fetchall():
            found = _valid(model, dict(row))
            if found is not None:
                yield found

    def _one(self, model: Any, table: str, row_id: str | None) -> Any:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone() if row_id else None
        return _valid(model, dict(row)) if row else None


def _valid(model: Any, row: dict[str, Any]) -> Any:
    try:
        return model.model_validate(row)
    except _models.ValidationError:
        return None


def _first_broken(rule: Callable[[], None]) -> str | None:
    try:
        rule()
    except RecordInvalid as exc:
        return next(iter(exc.errors.values()), "")
    return None


def _checks_of_placement(store: Dependants, placement: Any, _cbo: str | None) -> str | None:
    for check in store._live(_models.Followup, "followups", "placement_id", placement.id):
        rule = _first_broken(lambda c=check: _models.check_followup_against_placement(c, placement))
        if rule is not None:
            return _("The {months}-month check recorded on {date} would no longer fit ({rule}); change that "
                     "check first").format(months=check.due_month, date=check.checked_on.isoformat(), rule=rule)
    return None


def _placements_of_training(store: Dependants, training: Any, _cbo: str | None) -> str | None:
    """Its placements' start, no earlier than the training's (the rule headquarters applies).
    A trainee marked dropped after being placed stays so: many leave the course for the job."""
    for placement in store._live(_models.Placement, "placements", "training_id", training.id):
        if placement.start_date >= training.start_date:
            continue
        rule = _first_broken(lambda p=placement: _models.check_placement_against_training(p, training))
        if rule is not None:
            return _("The job placement starting {date} would no longer fit ({rule}); change or remove that "
                     "placement first").format(date=placement.start_date.isoformat(), rule=rule)
    return None


def _broken_marks(store: Dependants, column: str, row_id: str, session: Any = None, enrolment: Any = None,
                  cbo_id: str | None = None) -> tuple[int, Any, str]:
    """The live marks hanging off a session (`session` given) or a child's enrolment
    (`enrolment`, its person's CBO `cbo_id`) that would break their rule: how many, the first
    one's session and rule."""
    broken, first, first_rule = 0, None, ""
    for mark in store._live(_models.Attendance, "attendance", column, row_id):
        held = session or store._one(_models.Session, "sessions", mark.session_id)
        child = enrolment or store._one(_models.AfterSchool, "after_school", mark.enrolment_id)
        if held is None or child is None:  # its own record breaks a rule (see _live)
            continue
        cbo = (cbo_id,) if cbo_id else store.conn.execute(
            "SELECT cbo_id FROM participants WHERE id = ? AND deleted = 0", (child.participant_id,)).fetchone()
        rule = _first_broken(lambda m=mark, s=held, e=child, c=cbo: _models.check_attendance(m, s, e, c and c[0]))
        if rule is not None:
            broken += 1
            first, first_rule = first or held, first_rule or rule
    return broken, first, first_rule


def _marks_of_session(store: Dependants, session: Any, _cbo: str | None) -> str | None:
    """Its marks and its volunteers' hours. A session marked not held keeps both: its marks then
    count nowhere (models/outcomes.py), so "it did not happen after all" needs no clearing first,
    and ticking Held again brings them back."""
    if not session.held:
        return None
    n, _first, rule = _broken_marks(store, "session_id", session.id, session=session)
    if n:
        return _("Attendance marks at this session that would no longer fit: {n} ({rule}); clear them on its "
                 "roster first").format(n=n, rule=rule)
    for hours in store._live(_models.VolunteerHours, "volunteer_hours", "session_id", session.id):
        volunteer = store._one(_models.Volunteer, "volunteers", hours.volunteer_id)
        rule = _first_broken(lambda h=hours, v=volunteer: _models.check_volunteer_hours(h, v, session))
        if volunteer is not None and rule is not None:
            return _("The volunteer hours of {date} given at this session would no longer fit ({rule}); change "
                     "them first").format(date=hours.worked_on.isoformat(), rule=rule)
    return None


def _marks_of_child(store: Dependants, enrolment: Any, cbo_id: str | None) -> str | None:
    n, first, rule = _broken_marks(store, "enrolment_id", enrolment.id, enrolment=enrolment, cbo_id=cbo_id)
    return _("Attendance marks of this child that would no longer fit: {n}, the first at the session of {date} "
             "({rule}); clear them on that session's roster first").format(
        n=n, date=first.held_on.isoformat(), rule=rule) if n else None


#: Per table, what hangs off one of its rows and would break a rule against the edited row.
_CHECKS: dict[str, Callable[[Dependants, Any, str | None], str | None]] = {
    "placements": _checks_of_placement,
    "trainings": _placements_of_training,
    "sessions": _marks_of_session,
    "after_school": _marks_of_child,
}
