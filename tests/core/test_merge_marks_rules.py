"""A child's attendance marks and a volunteer's hours keep their rules through a merge, as the
roster and the hours form keep them: a mark is for a child enrolled in the session's programme at
its CBO that day; hours given at a session are on its day, for its programme, at the volunteer's
CBO. Before, the merge checked each mark and each hours row alone, so a file edited with the
sqlite3 program brought marks counted for children who were not enrolled that day (or at
another CBO) into headquarters' attendance figures.

What counts nowhere is let in, as a laptop keeps it: marks of a session marked not held, and a
mark of a session headquarters removed while the laptop marked it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.models import Volunteer, VolunteerHours, validate
from fieldtui.core.store import Store
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_exchange import reseal
from tests.core.test_merge_rules import export, merged_in_either_order, sqlite3_cli
from tests.core.test_store import make_cbo

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None and not os.environ.get("CI"),
                                reason="needs the sqlite3 CLI")


@pytest.fixture
def sent(tmp_path):
    return laptop_and_hq(tmp_path)


def laptop_and_hq(tmp_path):
    """A laptop with a child enrolled from 2010-09-01 and marked present at a session held on
    2010-10-08, a volunteer's 2 hours at it, a second CBO's session the same day; headquarters
    has merged its first export. Returns HQ, the field file and the ids."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo, other = make_cbo(s), make_cbo(s, "Xin Zhi Guan")
        kid = child(s, cbo, "李小红", start="2010-09-01")
        held = session(s, cbo, "2010-10-08")
        s.mark(held, kid, True)
        elsewhere = session(s, other, "2010-10-08")
        student = s.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学", joined_on="2010-09-01")))
        hours = s.save_volunteer_hours(validate(VolunteerHours, dict(
            volunteer_id=student.id, activity="after_school", worked_on="2010-10-08", hours=2, session_id=held)))
    hq = tmp_path / "hq.db"
    assert not exchange.merge(hq, [export(field, tmp_path / "first.db")]).refused
    return hq, field, dict(held=held, elsewhere=elsewhere, hours=hours.id)


def _merged(tmp_path, hq, field, sql: str, name: str = "edited.db") -> exchange.MergeReport:
    out = export(field, tmp_path / name)
    sqlite3_cli(out, sql)
    reseal(out)
    return exchange.merge(hq, [out])


def _refused(tmp_path, sent, sql: str, *words: str) -> None:
    hq, field, _ids = sent
    before = hq.read_bytes()
    report = _merged(tmp_path, hq, field, sql)
    assert report.refused, "taken in"
    reason = report.files[0].reason
    for word in words:
        assert word in reason, reason
    assert hq.read_bytes() == before


def _marked(hq) -> int:
    with Store.open_readonly(hq) as ro:
        return summary.compute(ro, summary.Filters()).cbos[0].marked


def test_a_session_moved_before_its_marked_child_enrolled_is_refused(tmp_path, sent):
    """The session's row changes; its mark, the same as headquarters has it, is read again."""
    _refused(tmp_path, sent, f"UPDATE sessions SET held_on = '2010-08-20' WHERE id = '{sent[2]['held']}';",
             "attendance row", "was not enrolled in this programme")


def test_a_mark_moved_onto_another_cbos_session_is_refused(tmp_path, sent):
    _refused(tmp_path, sent, f"UPDATE attendance SET session_id = '{sent[2]['elsewhere']}';",
             "attendance row", "was not enrolled in this programme of this CBO")


def test_a_mark_on_a_session_of_another_programme_is_refused(tmp_path, sent):
    _refused(tmp_path, sent, f"UPDATE sessions SET programme = 'super_saturday' WHERE id = '{sent[2]['held']}';",
             "was not enrolled in this programme")


def test_hours_moved_off_their_sessions_day_are_refused(tmp_path, sent):
    _refused(tmp_path, sent, "UPDATE volunteer_hours SET worked_on = '2010-10-09';",
             "volunteer_hours row", "the date and activity must be the session's")


def test_hours_moved_onto_another_cbos_session_are_refused(tmp_path, sent):
    _refused(tmp_path, sent, f"UPDATE volunteer_hours SET session_id = '{sent[2]['elsewhere']}';",
             "volunteer_hours row", "held by the volunteer's CBO")


def test_a_new_file_whose_marks_break_the_rule_is_refused_before_anything_is_written(tmp_path):
    """The file's own check (no headquarters involved): a fresh headquarters file is not made."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        kid = child(s, cbo, "李小兰", start="2010-09-01")
        s.mark(session(s, cbo, "2010-10-08"), kid, False)
    out = export(field, tmp_path / "out.db")
    sqlite3_cli(out, "UPDATE after_school SET start_date = '2010-11-01', updated_at = updated_at;")
    reseal(out)
    report = exchange.merge(tmp_path / "hq.db", [out])
    assert report.refused and "was not enrolled in this programme" in report.files[0].reason
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("hq")]


def test_what_counts_nowhere_is_let_in(tmp_path, sent):
    """A session marked not held keeps its marks, moved anywhere (the roster allows it), and a
    mark of a session headquarters removed stays removed with it: neither counts."""
    hq, field, ids = sent
    with Store.open(field) as s:  # as the sessions list saves it (a hand edit with no stamp is a conflict)
        s.save_session(s.get_session(ids["held"]).model_copy(update={"held": False, "held_on": dt.date(2010, 8, 20)}))
    report = _merged(tmp_path, hq, field, "SELECT 1;")
    assert not report.refused, report.files[0].reason
    assert _marked(hq) == 0


def test_a_correct_file_merges_with_its_marks_counted(tmp_path, sent):
    hq, field, _ids = sent
    report = _merged(tmp_path, hq, field, "SELECT 1;")
    assert not report.refused, report.files[0].reason
    assert _marked(hq) == 1


def test_a_mark_made_while_headquarters_removed_its_session_is_let_in_and_counts_nowhere(tmp_path, sent):
    hq, field, ids = sent
    with Store.open(hq) as s:
        s.delete("sessions", ids["held"])
    with Store.open(field) as s:  # meanwhile the laptop marks a second child there
        s.mark(ids["held"], child(s, s.conn.execute("SELECT cbo_id FROM sessions WHERE id = ?", (ids["held"],))
                                  .fetchone()[0], "王小兰", start="2010-09-01"), False)
    report = _merged(tmp_path, hq, field, "SELECT 1;")
    assert not report.refused, report.files[0].reason
    assert _marked(hq) == 0


def test_a_mark_whose_session_is_not_in_its_file_is_refused(tmp_path, sent):
    """An export holds every row of its file: a mark travels with its session and child."""
    _refused(tmp_path, sent, "PRAGMA foreign_keys = OFF; UPDATE attendance SET session_id = 'nowhere';",
             "attendance row", "not in the file")


def _mark_id(s: Store, session_id: str, enrolment_id: str) -> str:
    return s.conn.execute("SELECT id FROM attendance WHERE session_id = ? AND enrolment_id = ? AND deleted = 0",
                          (session_id, enrolment_id)).fetchone()[0]


def _child_removed_marked_again(s_a: Store, s_b: Store, ids: dict) -> str:
    s_a.delete("children", ids["kid"])
    later = session(s_b, ids["cbo"], "2010-10-15")
    s_b.mark(later, ids["kid"], True)
    return _mark_id(s_b, later, ids["kid"])


def _session_removed_marked_again(s_a: Store, s_b: Store, ids: dict) -> str:
    s_a.delete("sessions", ids["held"])
    second = child(s_b, ids["cbo"], "王小兰", start="2010-09-01")
    s_b.mark(ids["held"], second, False)
    return _mark_id(s_b, ids["held"], second)


def _volunteer_removed_hours_logged(s_a: Store, s_b: Store, ids: dict) -> str:
    s_a.delete("volunteers", ids["volunteer"])
    return s_b.save_volunteer_hours(validate(VolunteerHours, dict(
        volunteer_id=ids["volunteer"], activity="after_school", worked_on="2010-10-08", hours=1,
        session_id=ids["held"]))).id


#: A child, a session or a volunteer removed on one copy, a mark or hours added under it on another.
MARKS_REMOVED_HERE_ADDED_THERE = [(_child_removed_marked_again, "child_removed"),
                                  (_session_removed_marked_again, "session_removed"),
                                  (_volunteer_removed_hours_logged, "volunteer_removed")]


def marks_removed_here_added_there(tmp_path, edits) -> tuple[dict, str]:
    """Two copies of one file (a child marked at a session, a volunteer); `edits` removes on a,
    adds under it on b. Returns both exports and the id of the record b added."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        kid = child(s, cbo, "李小红", start="2010-09-01")
        held = session(s, cbo, "2010-10-08")
        s.mark(held, kid, True)
        volunteer = s.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学",
                                                              joined_on="2010-09-01"))).id
    shutil.copyfile(a, b)
    with Store.open(a) as s_a, Store.open(b) as s_b:
        added = edits(s_a, s_b, dict(cbo=cbo, kid=kid, held=held, volunteer=volunteer))
    return {name: export(path, tmp_path / f"{name}-export.db") for name, path in (("a", a), ("b", b))}, added


@pytest.mark.parametrize(("edits", "why"), MARKS_REMOVED_HERE_ADDED_THERE)
def test_a_mark_or_hours_under_a_record_removed_on_another_copy_are_listed_as_counted_nowhere(tmp_path, edits, why):
    """As a job recorded for a trainee another copy removed (test_merge_rules.py): the mark or
    the hours are let in and count nowhere, in either order. Before, they were not listed either:
    `uncounted` knew only people, trainings and placements as parents; now it reads the registry."""
    files, added = marks_removed_here_added_there(tmp_path, edits)
    figures, listed = merged_in_either_order(tmp_path, files)
    # the first session's mark goes with its child or session; one added under either counts nowhere
    for order in ("ab", "ba"):
        assert _marked(tmp_path / f"hq-{order}.db") == (1 if why == "volunteer_removed" else 0)
    assert figures[0] == figures[1]
    assert listed[0] == listed[1] == [(added, why)]
