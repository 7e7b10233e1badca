"""Attendance (sessions not held count nowhere, "not marked" is not "absent") and volunteers (never
beneficiaries), on real files."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core import summary
from fieldtui.core.models import ChildRecord, RecordInvalid, Session, Volunteer, VolunteerHours, validate
from fieldtui.core.records.attendance import OFTEN_ABSENT_MIN_MARKS
from fieldtui.core.store import Store
from tests.core.test_store import make_cbo


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        yield s


def child(store: Store, cbo_id: str, name: str, programme: str = "after_school", start: str = "2010-09-01") -> str:
    return store.save_child(validate(ChildRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=name, gender="female", birth_year=2001, province="安徽",
                         origin="recent_arrival", household_members=2, registered_on=start, registered_by="李老师"),
        enrolment=dict(school="明圆学校", grade=3, guardian_name="张父", guardian_consent=True, programme=programme,
                       start_date=start)))).enrolment.id


def session(store: Store, cbo_id: str, day: str, held: bool = True, programme: str = "after_school") -> str:
    return store.save_session(validate(Session, dict(cbo_id=cbo_id, programme=programme, held_on=day,
                                                     held=held))).id


def figures(store: Store, **filters) -> summary.Summary:
    with Store.open_readonly(store.path) as ro:
        return summary.compute(ro, summary.Filters(**filters))


def test_attendance_counts_held_sessions_only_and_not_marked_is_not_absent(store):
    cbo = make_cbo(store)
    a, b, c = (child(store, cbo, name) for name in ("小红", "小明", "小刚"))
    held = session(store, cbo, "2011-03-02")
    store.mark(held, a, True)
    store.mark(held, b, False)  # c: not marked
    later = session(store, cbo, "2011-03-09")
    store.mark(later, a, True)
    store.mark(later, b, True)
    store.mark(later, c, True)
    closed = session(store, cbo, "2011-03-16")
    store.mark(closed, a, False)
    store.mark(closed, b, False)
    store.save_session(store.get_session(closed).model_copy(update={"held": False}))  # it did not happen after all
    with pytest.raises(RecordInvalid, match="was not held"):
        store.mark(closed, c, False)
    s = figures(store)
    assert (s.cbos[0].marked, s.cbos[0].present, s.attendance_rate) == (5, 4, 0.8)
    roster = {r["full_name"]: r["mark"] for r in store.roster_page(session_id=held)}
    assert roster == {"小红": 1, "小明": 0, "小刚": None}
    assert store.roster_unmarked(held) == [c]
    rates = {r["full_name"]: (r["marked"], r["present"], r["absent"], r["rate"])
             for r in store.attendance_rates_page()}
    assert rates == {"小红": (2, 2, 0, 1.0), "小明": (2, 1, 1, 0.5), "小刚": (1, 1, 0, 1.0)}
    store.mark(held, b, None)  # the mark cleared: not marked again
    assert {r["full_name"]: r["mark"] for r in store.roster_page(session_id=held)}["小明"] is None
    assert figures(store).attendance_rate == 1.0


def test_the_roster_is_the_children_enrolled_in_the_programme_that_day(store):
    cbo, other = make_cbo(store), make_cbo(store, "Xin Zhi Guan")
    child(store, cbo, "早来", start="2010-09-01")
    child(store, cbo, "晚来", start="2011-04-01")
    child(store, cbo, "周六", programme="super_saturday")
    child(store, other, "别处")
    day = session(store, cbo, "2011-03-02")
    assert [r["full_name"] for r in store.roster_page(session_id=day)] == ["早来"]
    assert store.roster_count(session_id=day) == 1
    late = child(store, cbo, "后到", start="2011-05-01")
    with pytest.raises(RecordInvalid, match="not enrolled"):
        store.mark(day, late, True)


def test_children_often_absent(store):
    cbo = make_cbo(store)
    rarely, mostly, new = child(store, cbo, "常缺"), child(store, cbo, "常来"), child(store, cbo, "新来")
    for week in range(OFTEN_ABSENT_MIN_MARKS + 1):
        day = session(store, cbo, (dt.date(2011, 3, 2) + dt.timedelta(days=7 * week)).isoformat())
        store.mark(day, rarely, week == 0)
        store.mark(day, mostly, week != 0)
        if week == 0:
            store.mark(day, new, False)  # absent once, but too few marks to say "often"
    assert [r["full_name"] for r in store.attendance_rates_page(often_absent=True)] == ["常缺"]
    assert store.attendance_rates_count(often_absent=True) == 1
    assert store.attendance_rates_count() == 3


def test_volunteers_are_not_beneficiaries_and_their_hours_add_up_per_cbo(store):
    cbo, other = make_cbo(store), make_cbo(store, "Xin Zhi Guan")
    child(store, cbo, "小红")
    before = figures(store)
    student = store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学", joined_on="2010-09-01",
                                                            affiliation="北京师范大学", phone="13912345678")))
    store.save_volunteer(validate(Volunteer, dict(cbo_id=other, full_name="社区阿姨", joined_on="2011-01-05")))
    day = session(store, cbo, "2011-03-02")
    store.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=student.id, activity="after_school",
                                                             worked_on="2011-03-02", hours=2.5, session_id=day)))
    store.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=student.id, activity="training",
                                                             worked_on="2011-03-05", hours="3")))
    with pytest.raises(RecordInvalid, match="date and activity"):
        store.save_volunteer_hours(validate(VolunteerHours, dict(
            volunteer_id=student.id, activity="after_school", worked_on="2011-03-03", hours=2, session_id=day)))
    with pytest.raises(RecordInvalid, match="quarter hours"):
        validate(VolunteerHours, dict(volunteer_id=student.id, activity="other", worked_on="2011-03-03", hours=1.1))
    after = figures(store)
    assert (after.direct_beneficiaries, after.indirect_beneficiaries) == (before.direct_beneficiaries,
                                                                          before.indirect_beneficiaries) == (1, 2)
    assert (after.volunteers, after.volunteer_hours) == (2, 5.5)
    assert {c.name: (c.volunteers, c.volunteer_hours) for c in after.cbos} == {
        "Bright Angel Fund": (1, 5.5), "Xin Zhi Guan": (1, 0.0)}
    assert figures(store, date_from=dt.date(2011, 1, 1)).volunteers == 1  # joined in the range
    store.delete("volunteers", student.id)  # their hours go with them
    assert figures(store).volunteer_hours == 0


def _volunteer_with_hours(store: Store) -> tuple[str, str, str]:
    """A volunteer who gave 2.5 hours at a session on 2011-03-02 and 3 on their own on 2011-04-05;
    returns the CBO, the volunteer and the session."""
    cbo = make_cbo(store)
    student = store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学", joined_on="2010-09-01")))
    day = session(store, cbo, "2011-03-02")
    store.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=student.id, activity="after_school",
                                                             worked_on="2011-03-02", hours=2.5, session_id=day)))
    store.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=student.id, activity="training",
                                                             worked_on="2011-04-05", hours=3)))
    return cbo, student.id, day


def test_hours_given_at_a_session_go_and_come_back_with_it(store):
    """F8 on a session took its marks and left its volunteers' hours live, counted, and refused at
    their next save ("must be a session held by the volunteer's CBO"). They go with it now, as
    its marks do, and F9 brings both back; hours given at no session stay."""
    _cbo, _student, day = _volunteer_with_hours(store)
    assert figures(store).volunteer_hours == 5.5
    store.delete("sessions", day)
    assert figures(store).volunteer_hours == 3
    assert store.conn.execute("SELECT count(*) FROM volunteer_hours WHERE deleted = 0").fetchone()[0] == 1
    store.restore("sessions", day)
    assert figures(store).volunteer_hours == 5.5


def test_the_hours_of_a_date_range_are_the_hours_given_in_it(store):
    """A quarter's volunteer hours were every hour ever logged by the volunteers who joined in it
    (a donor report for 2011Q1 stated hours given in April); they are the hours given in the
    range, whoever gave them. Volunteers are still those who joined in the range, as people are
    those registered in it."""
    _volunteer_with_hours(store)
    q1 = figures(store, date_from=dt.date(2011, 1, 1), date_to=dt.date(2011, 3, 31))
    assert (q1.volunteers, q1.volunteer_hours) == (0, 2.5)
    assert figures(store, date_from=dt.date(2011, 4, 1)).volunteer_hours == 3
    assert figures(store, date_to=dt.date(2010, 12, 31)).volunteer_hours == 0
    assert figures(store).volunteer_hours == 5.5
