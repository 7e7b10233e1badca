"""Editing a record that others hang off keeps their rules: a placement's start moved past a check
already recorded, a training's start moved past its placement, a session unheld or moved off the
days its marked children were enrolled. Before, the edit was saved, and headquarters then refused
the laptop's every export (the check's rule broken), so none of its later records arrived."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core import exchange
from fieldtui.core.models import OtherProgramme, RecordInvalid, Volunteer, VolunteerHours, validate
from fieldtui.core.schedule import due_on
from fieldtui.core.store import Store
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_followups import check, placed
from tests.core.test_store import make_cbo


@pytest.fixture
def field(tmp_path):
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        yield s


def _still_merges(store: Store, tmp_path) -> None:
    """What a coordinator does next: export and send it; headquarters takes the file."""
    out = tmp_path / "export.db"
    exchange.export(store.path, out)
    report = exchange.merge(tmp_path / "hq.db", [out])
    assert not report.refused, report.files[0].reason


def _with(record, part: str, **changes):
    """A person's record with its enrolment edited, as the form saves it."""
    return record.model_copy(update={part: getattr(record, part).model_copy(update=changes)})


def _refused(save, *words: str) -> str:
    with pytest.raises(RecordInvalid) as exc:
        save()
    message = " ".join(exc.value.errors.values())
    for word in words:
        assert word in message, message
    return message


def test_a_placements_start_moved_past_a_check_already_recorded_is_refused(field, tmp_path):
    cbo = make_cbo(field)
    job = placed(field, cbo, "王一", "2010-06-10", 1800)
    check(field, job, 3, True)  # recorded on 2010-09-10, its due day
    later = job.model_copy(update={"start_date": dt.date(2011, 1, 3)})  # the 3-month check would be due in April
    _refused(lambda: field.save_placement(later), "2010-09-10", "3")
    assert field.get_placement(job.id).start_date == dt.date(2010, 6, 10)
    field.save_placement(job.model_copy(update={"start_date": dt.date(2010, 6, 20)}))  # a few days: still fits
    _still_merges(field, tmp_path)


def test_a_trainings_start_moved_past_its_placement_is_refused_and_dropping_after_placement_is_not(field, tmp_path):
    cbo = make_cbo(field)
    job = placed(field, cbo, "王二", "2010-04-01", 1800)
    record = field.get_trainee(job.training_id)
    late = _with(record, "training", start_date=dt.date(2010, 5, 1))
    _refused(lambda: field.save_trainee(late), "2010-04-01")
    assert field.get_trainee(job.training_id).training.start_date == record.training.start_date
    field.save_trainee(_with(record, "training", status="dropped"))  # left the course for the job
    _still_merges(field, tmp_path)


def test_a_session_moved_off_its_childrens_days_is_refused_and_one_not_held_keeps_its_marks(field, tmp_path):
    cbo = make_cbo(field)
    kid = child(field, cbo, "李小红", start="2010-09-01")
    sid = session(field, cbo, "2010-10-08")
    field.mark(sid, kid, True)
    held = field.get_session(sid)
    early = held.model_copy(update={"held_on": dt.date(2010, 8, 20)})  # before the child enrolled
    _refused(lambda: field.save_session(early), "this session", ": 1")
    _refused(lambda: field.save_session(held.model_copy(update={"programme": "super_saturday"})), ": 1")
    moved = field.save_session(held.model_copy(update={"held_on": dt.date(2010, 10, 9)}))  # a day off: still enrolled
    assert field.get_session(sid).held_on == moved.held_on
    field.save_session(moved.model_copy(update={"held": False}))  # it did not happen after all: marks count nowhere
    assert field.conn.execute("SELECT count(*) FROM attendance WHERE deleted = 0").fetchone()[0] == 1
    _refused(lambda: field.save_session(moved.model_copy(update={"held_on": dt.date(2010, 8, 20)})), ": 1")
    _still_merges(field, tmp_path)


def test_a_childs_enrolment_moved_past_a_marked_session_is_refused(field, tmp_path):
    cbo = make_cbo(field)
    kid = child(field, cbo, "李小兰", start="2010-09-01")
    field.mark(session(field, cbo, "2010-09-10"), kid, False)
    record = field.get_child(kid)
    later = _with(record, "enrolment", start_date=dt.date(2010, 9, 15))
    _refused(lambda: field.save_child(later), "2010-09-10")
    _still_merges(field, tmp_path)


def test_checks_due_from_the_stored_start_are_unaffected_by_an_edit_elsewhere(field, tmp_path):
    """An edit of a placement's other fields (the wage) is not held up by its checks."""
    cbo = make_cbo(field)
    job = placed(field, cbo, "王三", "2010-06-10", 1800)
    check(field, job, 3, True, on=due_on(job.start_date, 3).isoformat())
    field.save_placement(job.model_copy(update={"wage_cny": 2100}))
    _still_merges(field, tmp_path)


def test_a_session_moved_from_its_volunteers_day_and_a_child_moved_to_another_cbo_are_refused(field, tmp_path):
    cbo, other = make_cbo(field), make_cbo(field, "Xin Zhi Guan")
    sid = session(field, cbo, "2011-03-02")
    student = field.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学", joined_on="2010-09-01")))
    field.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=student.id, activity="after_school",
                                                             worked_on="2011-03-02", hours=2, session_id=sid)))
    moved = field.get_session(sid).model_copy(update={"held_on": dt.date(2011, 3, 3)})
    _refused(lambda: field.save_session(moved), "2011-03-02")
    kid = child(field, cbo, "李小兰", start="2010-09-01")
    field.mark(sid, kid, True)
    record = field.get_child(kid)
    elsewhere = record.model_copy(update={"participant": record.participant.model_copy(update={"cbo_id": other})})
    _refused(lambda: field.save_child(elsewhere), "2011-03-02")
    assert field.get_participant(record.participant.id).cbo_id == cbo
    _still_merges(field, tmp_path)


def test_a_birth_year_corrected_in_another_programmes_form_that_breaks_the_child_enrolment_is_refused(field, tmp_path):
    """A person is an after-school child (born 2001) and a pupil of a low-cost school; the birth
    year is "corrected" to 1990 in the school's form. Before, it was saved, the child's enrolment
    then broke the age rule, and headquarters refused every later export of the laptop."""
    cbo = make_cbo(field)
    kid = child(field, cbo, "李小红", start="2010-09-01")
    pid = field.get_child(kid).participant.id
    school = field.save_enrolment_of(pid, validate(OtherProgramme, dict(programme="low_cost_school",
                                                                        start_date="2010-09-01")))
    record = field.get_other(school)
    typo = _with(record, "participant", birth_year=1990)
    _refused(lambda: field.save_participant(typo), "2010-09-01", "3–17")
    assert field.get_participant(pid).birth_year == 2001
    field.save_participant(_with(record, "participant", birth_year=2002))  # still a child: fine
    field.save_participant(_with(field.get_other(school), "participant", phone="13912345678"))  # no birth change
    _still_merges(field, tmp_path)


def test_a_childs_cbo_changed_in_another_programmes_form_is_refused_while_marks_stand(field, tmp_path):
    """The same child is a pupil of a low-cost school; their CBO is changed in the school's form.
    Before, it was saved, and the child's marks at the first CBO's sessions then counted a child
    of another CBO (the child's own form refused the same change)."""
    cbo, other = make_cbo(field), make_cbo(field, "Xin Zhi Guan")
    kid = child(field, cbo, "李小红", start="2010-09-01")
    sid = session(field, cbo, "2010-09-10")
    field.mark(sid, kid, True)
    pid = field.get_child(kid).participant.id
    school = field.save_enrolment_of(pid, validate(OtherProgramme, dict(programme="low_cost_school",
                                                                        start_date="2010-09-01")))
    moved = _with(field.get_other(school), "participant", cbo_id=other)
    _refused(lambda: field.save_participant(moved), "2010-09-10")
    assert field.get_participant(pid).cbo_id == cbo
    field.save_participant(_with(field.get_other(school), "participant", phone="13912345678"))  # no move: fine
    _still_merges(field, tmp_path)
    field.mark(sid, kid, None)  # the mark cleared on the roster: now the move is fine
    field.save_participant(_with(field.get_other(school), "participant", cbo_id=other))
    assert field.get_participant(pid).cbo_id == other
