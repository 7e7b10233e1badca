"""Every kind of record, the outcomes' too, travels from a laptop to headquarters: export, then
merge, on real files (the exchange reads its tables from the kind registry)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fieldtui.core import exchange, summary
from fieldtui.core.models import Followup, OtherProgramme, Placement, Volunteer, VolunteerHours, validate
from fieldtui.core.store import RECORD_TABLES, Store
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_exchange import clone
from tests.core.test_store import make_cbo, trainee


def rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in RECORD_TABLES}
    finally:
        conn.close()


def figures(path: Path) -> dict:
    with Store.open_readonly(path) as ro:
        out = summary.compute(ro).to_json()
    return out


def fill(store: Store) -> dict[str, str]:
    """One record of each kind; returns the ids a second laptop edits."""
    cbo = make_cbo(store)
    saved = store.save_trainee(trainee(cbo))
    placement = store.save_placement(validate(Placement, dict(
        training_id=saved.training.id, employer="海底捞", job_title="服务员", start_date="2010-06-01", wage_cny=1800)))
    followup = store.save_followup(validate(Followup, dict(
        placement_id=placement.id, due_month=3, checked_on="2010-09-02", employed=True, same_employer=True,
        wage_cny=2000)))
    kid, other_kid = child(store, cbo, "小红"), child(store, cbo, "小明")
    day = session(store, cbo, "2011-03-02")
    session(store, cbo, "2011-03-09", held=False)
    store.mark(day, kid, True)
    store.mark(day, other_kid, False)
    volunteer = store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name="陈同学", joined_on="2010-09-01")))
    store.save_volunteer_hours(validate(VolunteerHours, dict(
        volunteer_id=volunteer.id, activity="after_school", worked_on="2011-03-02", hours=2.5, session_id=day)))
    store.save_enrolment_of(saved.participant.id, validate(OtherProgramme, dict(programme="other",
                                                                                   start_date="2010-04-01")))
    return {"followup": followup.id, "session": day, "kid": other_kid, "volunteer": volunteer.id}


def test_every_kind_survives_export_and_merge(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        fill(s)
    assert all(rows(field).values()), "every record table has a row to carry"
    export = tmp_path / "field-export.db"
    exchange.export(field, export)
    report = exchange.merge(tmp_path / "hq.db", [export])
    assert report.files[0].accepted, report.files[0].reason
    assert rows(tmp_path / "hq.db") == rows(field)
    hq, laptop = figures(tmp_path / "hq.db"), figures(field)
    for figures_of in (hq, laptop):
        figures_of.pop("filters", None)
    assert hq == laptop
    assert (hq["volunteers"], hq["volunteer_hours"], hq["attendance_rate"], hq["retention_3m"]) == (1, 2.5, 0.5, 1.0)


def test_edits_of_outcomes_on_two_laptops_both_arrive(tmp_path):
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        ids = fill(s)
    b = clone(a, tmp_path / "b.db")
    with Store.open(a) as s:  # a: the follow-up said "employed"; it was not
        f = s.get_followup(ids["followup"])
        s.save_followup(f.model_copy(update={"employed": False, "same_employer": False, "wage_cny": None,
                                             "reason": "quit"}))
    with Store.open(b) as s:  # b: the absent child was there after all; the volunteer leaves
        s.mark(ids["session"], ids["kid"], True)
        s.delete("volunteers", ids["volunteer"])
    ea, eb = tmp_path / "a-export.db", tmp_path / "b-export.db"
    exchange.export(a, ea)
    exchange.export(b, eb)
    report = exchange.merge(tmp_path / "hq.db", [ea, eb])
    assert all(f.accepted for f in report.files)
    hq = figures(tmp_path / "hq.db")
    assert (hq["retention_3m"], hq["attendance_rate"], hq["volunteers"], hq["volunteer_hours"]) == (0.0, 1.0, 0, 0)
