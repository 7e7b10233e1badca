"""The rules of the many small rows that hang off two records: a child's attendance marks and a
volunteer's hours, read beside their session and their child or volunteer, at a merge.

The roster and the hours form apply them (models.check_attendance, check_volunteer_hours): a
mark is for a child enrolled in the session's programme at its CBO on its day; hours given at a
session are on its day, for its programme, at the volunteer's CBO. Without them here, a file
edited with the sqlite3 program (or a session moved by hand) brought marks counted for children
not enrolled that day into headquarters' attendance figures.

Marks and hours are most of a file, so each table is read in one SQL statement that selects only
the rows that may break the rule, and each of those is read by the form's own rule, which words
the refusal (a row it lets pass is let in: the SQL narrows, the rule decides). What counts
nowhere is let in as a laptop keeps it: the marks and hours of a session marked not held, or
removed (at headquarters, while a laptop marked it), and of a removed child or volunteer.

A mark travels with its session, child and person, and hours with their volunteer and session
(an export holds every row of its file): a file without them was edited, and is refused. So at
headquarters (`where`) the rows read again are only those written otherwise than the file has
them and those hanging off a record so written or that the file has otherwise than headquarters
('changed'): every other row of the file was read beside the same records in the file's own check
(the worker's, before the merge). That keeps the merge's cost to a few index lookups a file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldtui.core import models
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.exchange.hostile import Refused
from fieldtui.i18n import _

#: Per table: the columns read, and its session and parents joined whatever their state (absent:
#: NULL). `absent` is true when one the rule reads is in neither the file nor headquarters.
_FROM = {
    "attendance": (
        "SELECT m.id, m.session_id, m.enrolment_id, m.present, s.held_on, s.cbo_id AS s_cbo_id, "
        "s.programme AS s_programme, a.programme AS a_programme, a.start_date, a.end_date, p.cbo_id AS p_cbo_id, "
        "s.id IS NULL OR a.id IS NULL OR p.id IS NULL AS absent "
        "FROM attendance m LEFT JOIN sessions s ON s.id = m.session_id "
        "LEFT JOIN after_school a ON a.id = m.enrolment_id LEFT JOIN participants p ON p.id = a.participant_id "
        "WHERE m.deleted = 0"),
    "volunteer_hours": (
        "SELECT h.id, h.volunteer_id, h.activity, h.worked_on, h.hours, h.session_id, v.cbo_id AS v_cbo_id, "
        "s.held_on, s.cbo_id AS s_cbo_id, s.programme AS s_programme, "
        "v.id IS NULL OR (h.session_id IS NOT NULL AND s.id IS NULL) AS absent "
        "FROM volunteer_hours h LEFT JOIN volunteers v ON v.id = h.volunteer_id "
        "LEFT JOIN sessions s ON s.id = h.session_id WHERE h.deleted = 0"),
}
#: Per table: the rows that may break the rule: a parent absent, or all live (the session held)
#: and the rule in SQL not true (it is true for every row the form's rule lets pass).
_SUSPECT = {
    "attendance": ("s.id IS NULL OR a.id IS NULL OR p.id IS NULL OR (s.deleted = 0 AND s.held = 1 "
                   "AND a.deleted = 0 AND p.deleted = 0 AND (p.cbo_id = s.cbo_id AND a.programme = s.programme "
                   "AND a.start_date <= s.held_on AND (a.end_date IS NULL OR s.held_on <= a.end_date)) IS NOT TRUE)"),
    "volunteer_hours": ("v.id IS NULL OR (h.session_id IS NOT NULL AND s.id IS NULL) OR (v.deleted = 0 "
                        "AND s.deleted = 0 AND s.held = 1 AND (s.cbo_id = v.cbo_id AND h.worked_on = s.held_on "
                        "AND h.activity = s.programme) IS NOT TRUE)"),
}
TABLES = tuple(_FROM)


def check_beside_parents(conn: Any, table: str, where: str = "") -> None:
    """Refuse (Refused) when a live row of `table` (attendance or volunteer_hours) breaks its rule
    beside its live, held session and its parent, or names a session or parent the file does
    not hold (an export holds every row; a mark travels with its session, child and person);
    `where` narrows the rows read (SQL on the table's alias, `m` or `h`), at headquarters. The
    message names the table, the row id and the rule, never a value."""
    cur = conn.execute(f"{_FROM[table]}{f' AND {where}' if where else ''} AND ({_SUSPECT[table]}) ORDER BY 1")
    names = [d[0] for d in cur.description]
    for row in cur.fetchall():
        found = dict(zip(names, row, strict=True))
        rule = _("refers to a record that is not in the file") if found["absent"] else _broken(table, found)
        if rule is not None:
            raise Refused(_("{table} row {id} breaks a rule: {rule}").format(table=table, id=row[0], rule=rule))


def _broken(table: str, row: dict[str, Any]) -> str | None:
    """The first rule the form's own check finds broken, in its words; None if it lets it pass."""
    session = models.Session.model_construct(cbo_id=row["s_cbo_id"], programme=row["s_programme"],
                                             held_on=_date(row["held_on"]), held=True, deleted=False)
    try:
        if table == "attendance":
            mark = models.Attendance.model_construct(session_id=row["session_id"], enrolment_id=row["enrolment_id"],
                                                     present=bool(row["present"]))
            enrolment = models.AfterSchool.model_construct(
                programme=row["a_programme"], start_date=_date(row["start_date"]), end_date=_date(row["end_date"]),
                deleted=False)
            models.check_attendance(mark, session, enrolment, row["p_cbo_id"])
        else:
            hours = models.VolunteerHours.model_construct(
                volunteer_id=row["volunteer_id"], activity=row["activity"], worked_on=_date(row["worked_on"]),
                hours=row["hours"], session_id=row["session_id"])
            volunteer = models.Volunteer.model_construct(cbo_id=row["v_cbo_id"], deleted=False)
            models.check_volunteer_hours(hours, volunteer, session)
    except RecordInvalid as exc:
        return next(iter(exc.errors.values()), "")
    return None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def at_headquarters(table: str, touched: Any) -> str:
    """The rows of `table` to read after a merge (SQL on its alias): those written otherwise than
    the file has them, and those hanging off a session, child, person or volunteer so written or
    that the file has otherwise than headquarters (`touched(t)`: a subquery of those ids of table
    t). Any other row of the file was read beside the same records in the file's own check, and
    any other row here as the merge that brought it read it."""
    ids = [f"SELECT id FROM {touched(table)} w", f"SELECT id FROM {table} WHERE session_id IN {touched('sessions')}"]
    if table == "attendance":
        ids += [f"SELECT id FROM attendance WHERE enrolment_id IN {touched('after_school')}",
                "SELECT x.id FROM attendance x JOIN after_school e ON e.id = x.enrolment_id "
                f"WHERE e.participant_id IN {touched('participants')}"]
    else:
        ids.append(f"SELECT id FROM volunteer_hours WHERE volunteer_id IN {touched('volunteers')}")
    return f"{'m' if table == 'attendance' else 'h'}.id IN ({' UNION '.join(ids)})"
