"""After-school sessions and attendance: saving sessions, marking children, and the two lists
people read: a session's roster (each enrolled child: present, absent or not marked) and each
child's attendance rate, with the children often absent.

Only held sessions count. A session not held has no marks (none can be saved for it), and the
marks of a session later set to not held stay stored but count nowhere. A child without a mark
for a held session is "not marked", never "absent". Both lists are keyset-paged by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core.errors import NotFound, RecordInvalid
from fieldtui.core.lazy import lazy_module
from fieldtui.core.records.lists import _like_prefix
from fieldtui.core.records.saves import _row_for, stored
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.core.models import Attendance, Session

_models = lazy_module("fieldtui.core.models")

#: "Often absent": at least this many marks on held sessions...
OFTEN_ABSENT_MIN_MARKS = 4
#: ...and present at fewer than this share of them.
OFTEN_ABSENT_BELOW = 0.7

#: A child's marks on held sessions: (marked, present), correlated on the enrolment `a`.
_MARKS = ("(SELECT {what} FROM attendance m JOIN sessions s ON s.id = m.session_id WHERE m.enrolment_id = a.id "
          "AND m.deleted = 0 AND s.held = 1 AND s.deleted = 0)")
MARKED, PRESENT = _MARKS.format(what="count(*)"), _MARKS.format(what="total(m.present)")
_CHILD = ("a.id, a.participant_id, a.programme, a.school, p.full_name, p.cbo_id, c.name_en AS cbo_en, "
          "c.name_zh AS cbo_zh")
_CHILD_FROM = (" FROM participants p CROSS JOIN after_school a ON a.participant_id = p.id "
               "JOIN cbos c ON c.id = p.cbo_id")


class Attendances:
    """Sessions, marks, rosters and attendance rates."""

    # ---- sessions --------------------------------------------------------------------

    def save_session(self, session: Session) -> Session:
        with self.transaction():
            row = self.conn.execute("SELECT deleted FROM cbos WHERE id = ?", (session.cbo_id,)).fetchone()
            if row is None or row[0]:
                raise RecordInvalid({"cbo_id": _("CBO") + ": " + _("choose an existing CBO")})
            self._keep_dependants("sessions", session)
            sid = self._write("sessions", _row_for(session), self.clock())
        return session.model_copy(update={"id": sid})

    def get_session(self, session_id: str) -> Session:
        return stored(_models.Session, self._require("sessions", session_id))

    # ---- marks -----------------------------------------------------------------------

    def save_attendance(self, mark: Attendance) -> Attendance:
        """Save one mark (an import, a form); a child has one live mark per session."""
        with self.transaction():
            self._check_mark(mark)
            twin = self.conn.execute(
                "SELECT id FROM attendance WHERE session_id = ? AND enrolment_id = ? AND deleted = 0 AND id != ?",
                (mark.session_id, mark.enrolment_id, mark.id or "")).fetchone()
            if twin is not None:
                raise RecordInvalid({"enrolment_id": _("Child") + ": " + _(
                    "is already marked for this session; change that mark instead")})
            mid = self._write("attendance", _row_for(mark), self.clock())
        return mark.model_copy(update={"id": mid})

    def _check_mark(self, mark: Attendance) -> None:
        session = self._parent(_models.Session, "sessions", mark.session_id, "session_id", _("Session"))
        enrolment = self._parent(_models.AfterSchool, "after_school", mark.enrolment_id, "enrolment_id", _("Child"))
        person = self.conn.execute("SELECT cbo_id FROM participants WHERE id = ? AND deleted = 0",
                                   (enrolment.participant_id if enrolment else None,)).fetchone()
        _models.check_attendance(mark, session, enrolment, person[0] if person else None)

    def mark(self, session_id: str, enrolment_id: str, present: bool | None) -> None:
        """Mark a child present (True) or absent (False) at a session, or clear the mark (None:
        "not marked"). The roster's keys call this; one transaction each."""
        with self.transaction():
            live = self.conn.execute("SELECT id, present FROM attendance WHERE session_id = ? AND enrolment_id = ? "
                                     "AND deleted = 0", (session_id, enrolment_id)).fetchall()
            at = self.clock()
            if present is None:
                for mark_id, _was in live:
                    self._set_deleted("attendance", mark_id, 1, at)
                return
            mark = _models.Attendance(session_id=session_id, enrolment_id=enrolment_id, present=present,
                                      id=live[0][0] if live else None)
            self._check_mark(mark)
            if live and bool(live[0][1]) == present:
                return
            self._write("attendance", _row_for(mark), at)

    def get_attendance(self, mark_id: str) -> Attendance:
        return stored(_models.Attendance, self._require("attendance", mark_id))

    # ---- a session's roster ---------------------------------------------------------------

    def _roster_where(self, session_id: str) -> tuple[list[str], list[Any]]:
        session = self.conn.execute("SELECT cbo_id, programme, held_on FROM sessions WHERE id = ?",
                                    (session_id,)).fetchone()
        if session is None:
            raise NotFound(_("that record no longer exists or was removed"))
        where = ["a.deleted = 0", "p.deleted = 0", "p.cbo_id = ?", "a.programme = ?", "a.start_date <= ?",
                 "(a.end_date IS NULL OR a.end_date >= ?)"]
        return where, [session["cbo_id"], session["programme"], session["held_on"], session["held_on"]]

    def roster_page(self, *, session_id: str, search: str = "", after: tuple[str, str] | None = None,
                    limit: int = 150, **_ignored: Any) -> list[dict[str, Any]]:
        """The children enrolled in the session's programme at its CBO on its date, by name, each
        with `mark`: 1 present, 0 absent, None not marked."""
        where, params = self._roster_where(session_id)
        if search.strip():
            where.append("p.full_name LIKE ? ESCAPE '\\'")
            params.append(_like_prefix(search.strip()))
        if after is not None:
            where.append("(p.full_name, a.id) > (?, ?)")
            params += list(after)
        sql = (f"SELECT p.full_name AS _sort, {_CHILD}, (SELECT m.present FROM attendance m WHERE m.session_id = ? "
               f"AND m.enrolment_id = a.id AND m.deleted = 0) AS mark{_CHILD_FROM} WHERE {' AND '.join(where)} "
               "ORDER BY p.full_name, a.id LIMIT ?")
        return [dict(r) for r in self.conn.execute(sql, [session_id, *params, limit])]

    def roster_count(self, *, session_id: str, search: str = "", limit: int | None = None, **_ignored: Any) -> int:
        where, params = self._roster_where(session_id)
        if search.strip():
            where.append("p.full_name LIKE ? ESCAPE '\\'")
            params.append(_like_prefix(search.strip()))
        cap = f" LIMIT {int(limit) + 1}" if limit is not None else ""
        return self.conn.execute(f"SELECT count(*) FROM (SELECT 1{_CHILD_FROM} WHERE {' AND '.join(where)}{cap})",
                                 params).fetchone()[0]

    def session_marks(self, session_id: str) -> tuple[int, int]:
        """(present, absent) marks of a session."""
        present, marked = self.conn.execute(
            "SELECT total(present), count(*) FROM attendance WHERE session_id = ? AND deleted = 0",
            (session_id,)).fetchone()
        return int(present), marked - int(present)

    def mark_rest_present(self, session_id: str) -> int:
        """Mark every child of the roster not marked yet as present, in one transaction; how many."""
        with self.transaction():
            rest = self.roster_unmarked(session_id)
            for enrolment_id in rest:
                self.mark(session_id, enrolment_id, True)
        return len(rest)

    def roster_unmarked(self, session_id: str) -> list[str]:
        """Enrolment ids of the roster's children not marked yet (for "mark the rest present")."""
        where, params = self._roster_where(session_id)
        return [r[0] for r in self.conn.execute(
            f"SELECT a.id{_CHILD_FROM} WHERE {' AND '.join(where)} AND NOT EXISTS (SELECT 1 FROM attendance m "
            "WHERE m.session_id = ? AND m.enrolment_id = a.id AND m.deleted = 0)", [*params, session_id])]

    # ---- each child's rate ----------------------------------------------------------------

    def _rates_where(self, cbo_id: str | None, search: str, often_absent: bool) -> tuple[list[str], list[Any]]:
        where, params = ["a.deleted = 0", "p.deleted = 0"], []
        if cbo_id:
            where.append("p.cbo_id = ?")
            params.append(cbo_id)
        if search.strip():
            where.append("p.full_name LIKE ? ESCAPE '\\'")
            params.append(_like_prefix(search.strip()))
        if often_absent:
            where.append(f"{MARKED} >= {OFTEN_ABSENT_MIN_MARKS} AND {PRESENT} < {OFTEN_ABSENT_BELOW} * {MARKED}")
        return where, params

    def attendance_rates_page(self, *, cbo_id: str | None = None, search: str = "", often_absent: bool = False,
                              after: tuple[str, str] | None = None, limit: int = 150,
                              **_ignored: Any) -> list[dict[str, Any]]:
        """Each after-school child (per enrolment, i.e. per programme) by name: marks on held
        sessions, present, absent and the rate; `often_absent` keeps the children present at fewer
        than OFTEN_ABSENT_BELOW of at least OFTEN_ABSENT_MIN_MARKS marks."""
        where, params = self._rates_where(cbo_id, search, often_absent)
        if after is not None:
            where.append("(p.full_name, a.id) > (?, ?)")
            params += list(after)
        sql = (f"SELECT p.full_name AS _sort, {_CHILD}, {MARKED} AS marked, {PRESENT} AS present{_CHILD_FROM} "
               f"WHERE {' AND '.join(where)} AND p.full_name >= '' ORDER BY p.full_name, a.id LIMIT ?")
        rows = []
        for r in self.conn.execute(sql, [*params, limit]):
            row = dict(r)
            row["present"] = int(row["present"])
            row["absent"] = row["marked"] - row["present"]
            row["rate"] = round(row["present"] / row["marked"], 4) if row["marked"] else None
            rows.append(row)
        return rows

    def attendance_rates_count(self, *, cbo_id: str | None = None, search: str = "", often_absent: bool = False,
                               limit: int | None = None, **_ignored: Any) -> int:
        where, params = self._rates_where(cbo_id, search, often_absent)
        cap = f" LIMIT {int(limit) + 1}" if limit is not None else ""
        return self.conn.execute(f"SELECT count(*) FROM (SELECT 1{_CHILD_FROM} WHERE {' AND '.join(where)}{cap})",
                                 params).fetchone()[0]
