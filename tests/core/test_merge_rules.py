"""Headquarters never loses an edit silently and never takes in a record that breaks a rule.

Files are copied with `cp` as people set up a second laptop (same device id), and edited with
the sqlite3 CLI as someone might edit an export by hand before sending it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.ids import new_id
from fieldtui.core.models import ChildRecord, validate
from fieldtui.core.store import Store
from tests.core.test_exchange import edit_person, reseal
from tests.core.test_store import make_cbo, trainee

# CI installs the CLI (.ci/run) and must not skip these; elsewhere a missing CLI skips them.
pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None and not os.environ.get("CI"),
                                reason="needs the sqlite3 CLI")


def child(cbo_id: str, name: str = "王小明", birth_year: int = 2002) -> ChildRecord:
    return validate(ChildRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=name, gender="male", birth_year=birth_year, province="河南",
                         origin="recent_arrival", household_members=3, registered_on="2010-03-01",
                         registered_by="李老师"),
        enrolment=dict(school="明圆学校", grade=2, guardian_name="王建国", guardian_consent=True,
                       start_date="2010-03-01")))


def sqlite3_cli(path: Path, sql: str) -> None:
    """Edit a file as a person would, with the sqlite3 command-line program."""
    subprocess.run(["sqlite3", str(path), sql], check=True, capture_output=True)


def delete_with_sqlite3(path: Path, table: str, sql: str) -> None:
    """A row of `table` deleted with the sqlite3 program (`sql`) despite fieldtui's guard (migration
    0014), dropped first as a database browser's user may: what a file from before the guard, or
    one so edited, holds when fieldtui reads it."""
    sqlite3_cli(path, f"DROP TRIGGER IF EXISTS {table}_never_deleted; {sql}")


def export(field: Path, out: Path) -> Path:
    exchange.export(field, out)
    return out


@pytest.fixture
def hq_and_field(tmp_path):
    """HQ holding a CBO with a child (8 in 2010), an adult trainee and a removed person; and
    a second laptop set up from HQ's figures (a copy of the field file, cp), exported later."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        kid = s.save_child(child(cbo))
        adult = s.save_trainee(trainee(cbo, "张大"))
        gone = s.save_trainee(trainee(cbo, "李走"))
        s.delete("trainees", gone.training.id)
    hq = tmp_path / "hq.db"
    assert not exchange.merge(hq, [export(field, tmp_path / "first.db")]).refused
    return hq, field, dict(cbo=cbo, kid=kid, adult=adult, gone=gone)


def _refused(tmp_path: Path, hq: Path, bad: Path, words: str) -> None:
    reseal(bad)
    before = hq.read_bytes()
    report = exchange.merge(hq, [bad])
    assert report.refused and words in report.files[0].reason, report.files[0].reason
    assert hq.read_bytes() == before


def _second_file(tmp_path: Path, cbo_setup) -> Path:
    """Another laptop's own file with its own child, trainee and CBO, exported."""
    other = tmp_path / "other.db"
    with Store.open(other, create=True) as s:
        cbo_setup(s)
    return export(other, tmp_path / "other-export.db")


def test_an_after_school_row_moved_onto_a_child_who_lives_only_at_hq_is_refused(tmp_path, hq_and_field):
    hq, _field, ids = hq_and_field
    out = _second_file(tmp_path, lambda s: s.save_child(child(make_cbo(s, "Other"), "赵小")))
    kid = ids["kid"].participant.id
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE after_school SET participant_id = '{kid}',"
                     " guardian_name = NULL, guardian_consent = 0;")
    _refused(tmp_path, hq, out, "Guardian")


def test_a_training_on_a_child_who_lives_only_at_hq_is_refused(tmp_path, hq_and_field):
    hq, _field, ids = hq_and_field
    out = _second_file(tmp_path, lambda s: s.save_trainee(trainee(make_cbo(s, "Other"), "钱多")))
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE trainings SET participant_id = '{ids['kid'].participant.id}';")
    _refused(tmp_path, hq, out, "at least 16")


def test_a_live_enrolment_of_a_person_removed_at_hq_is_refused(tmp_path, hq_and_field):
    hq, _field, ids = hq_and_field
    out = _second_file(tmp_path, lambda s: s.save_trainee(trainee(make_cbo(s, "Other"), "钱多")))
    gone = ids["gone"].participant.id
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE trainings SET participant_id = '{gone}';")
    _refused(tmp_path, hq, out, "existing person")


def test_a_new_enrolment_beside_a_person_removed_in_the_file_and_at_hq_alike_is_refused(tmp_path, hq_and_field):
    """The merge does not validate again a row its file's check validated beside the same person;
    a removed person is not such a neighbour (the file's check lets an enrolment of a tombstone
    pass: the person may live at HQ), so the enrolment is checked against HQ and refused."""
    hq, field, ids = hq_and_field
    out = export(field, tmp_path / "again.db")  # the removed person travels as the tombstone HQ has
    gone, adult = ids["gone"].participant.id, ids["adult"].participant.id
    sqlite3_cli(out, f"CREATE TEMP TABLE x AS SELECT * FROM trainings WHERE participant_id = '{adult}'; "
                     f"UPDATE x SET id = '{new_id()}', participant_id = '{gone}', deleted = 0; "
                     "INSERT INTO trainings SELECT * FROM x;")
    _refused(tmp_path, hq, out, "existing person")


def test_a_live_person_merged_into_another_with_sqlite3_is_refused(tmp_path, hq_and_field):
    """`merged_into` set by hand on a live person (the app sets it only on the person it removes as
    the same as another): before, headquarters took the file, moved the person's training to the
    other person and counted one person fewer than the laptop."""
    hq, field, ids = hq_and_field
    with Store.open(field) as s:
        other = s.save_trainee(trainee(ids["cbo"], "孙二")).participant.id
    adult = ids["adult"].participant.id
    sqlite3_cli(field, f"UPDATE participants SET merged_into = '{other}' WHERE id = '{adult}';")
    before = hq.read_bytes()
    report = exchange.merge(hq, [export(field, tmp_path / "edited.db")])
    reason = report.files[0].reason
    assert report.refused and "merged into another person (edited outside" in reason and adult in reason, reason
    assert hq.read_bytes() == before


def test_a_person_id_that_makes_an_hq_trainee_nine_is_refused(tmp_path, hq_and_field):
    hq, _field, ids = hq_and_field
    out = _second_file(tmp_path, lambda s: s.save_child(child(make_cbo(s, "Other"), "赵小")))
    adult = ids["adult"].participant.id
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE participants SET id = '{adult}', cbo_id = '{ids['cbo']}', "
                     f"birth_year = 2001; UPDATE after_school SET participant_id = '{adult}';"
                     f"UPDATE field_changes SET row_id = '{adult}' WHERE tbl = 'participants';")
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE cbos SET id = '{ids['cbo']}';")  # HQ's CBO, as in HQ
    _refused(tmp_path, hq, out, "at least 16")  # HQ would hold a trainee aged 9


def test_a_change_dated_9999_is_refused(tmp_path, hq_and_field):
    hq, field, ids = hq_and_field
    out = export(field, tmp_path / "late.db")
    sqlite3_cli(out, f"UPDATE participants SET full_name = '张永远', updated_at = '9999-12-31T00:00:00+00:00' "
                     f"WHERE id = '{ids['adult'].participant.id}';")
    _refused(tmp_path, hq, out, "that laptop's clock was ahead (once it is right, run `fieldtui redate`")


def test_nested_programmes_are_refused_in_one_line(tmp_path, hq_and_field):
    hq, field, ids = hq_and_field
    out = export(field, tmp_path / "nested.db")
    sqlite3_cli(out, f"UPDATE cbos SET programmes = '{'[' * 1990}{']' * 1990}' WHERE id = '{ids['cbo']}';")
    _refused(tmp_path, hq, out, "malformed")


def test_copies_made_with_cp_conflict_on_one_field_and_keep_both_edits_of_different_fields(tmp_path):
    """The usual second laptop: cp of the first one's file, so both claim one device id."""
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        one, two = (s.save_trainee(trainee(cbo, n)).training.id for n in ("张一", "张二"))
    b = tmp_path / "b.db"
    subprocess.run(["cp", str(a), str(b)], check=True)
    with Store.open(a) as s:
        edit_person(s, one, phone="13800000001")
        edit_person(s, two, phone="13900000009")
    with Store.open(b) as s:
        edit_person(s, one, phone="13800000002")
        edit_person(s, two, household_members=6)
    hq = tmp_path / "hq.db"
    report = exchange.merge(hq, [export(a, tmp_path / "ea.db"), export(b, tmp_path / "eb.db")])
    assert not report.refused
    with Store.open_readonly(hq) as s:
        (conflict,) = exchange.conflicts(s)
        assert conflict["field"] == "phone"
        assert {v["value"] for v in conflict["versions"]} == {"13800000001", "13800000002"}
        assert len({v["device"] for v in conflict["versions"]}) == 2  # a copy is another device
        phone, household = s.conn.execute("SELECT p.phone, p.household_members FROM participants p "
                                          "JOIN trainings t ON t.participant_id = p.id WHERE t.id = ?",
                                          (two,)).fetchone()
    assert (phone, household) == ("13900000009", 6)


def test_people_added_to_a_cbo_another_laptop_removed_are_listed_by_the_merge(tmp_path):
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
    b = tmp_path / "b.db"
    shutil.copyfile(a, b)
    with Store.open(a) as s:
        s.delete("cbos", cbo)
    with Store.open(b) as s:
        pid = s.save_trainee(trainee(cbo, "孙新")).participant.id
    report = exchange.merge(tmp_path / "hq.db", [export(a, tmp_path / "ea.db"), export(b, tmp_path / "eb.db")])
    assert not report.refused
    assert [(u["id"], u["why"]) for u in report.uncounted] == [(pid, "cbo_removed")]
    with Store.open_readonly(tmp_path / "hq.db") as hq:
        assert summary.compute(hq).direct_beneficiaries == 0


def _job(s: Store, training: str) -> str:
    import datetime as dt

    from fieldtui.core.models import Placement
    return s.save_placement(Placement(training_id=training, employer="某公司", job_title="保洁员",
                                      start_date=dt.date(2010, 7, 1), wage_cny=2000)).id


def _trainee_removed_job_recorded(s_a: Store, s_b: Store, ids: dict) -> str:
    s_a.delete("trainees", ids["training"])  # registered by mistake: the person goes with them
    return _job(s_b, ids["training"])


def _job_removed_followup_recorded(s_a: Store, s_b: Store, ids: dict) -> str:
    import datetime as dt

    from fieldtui.core.models import Followup
    s_a.delete("placements", ids["job"])
    return s_b.save_followup(Followup(placement_id=ids["job"], due_month=3, checked_on=dt.date(2010, 10, 1),
                                      employed=True, same_employer=True, wage_cny=2100)).id


def _person_removed_enrolled_again(s_a: Store, s_b: Store, ids: dict) -> str:
    from fieldtui.core.models import OtherProgramme
    s_a.delete("trainees", ids["training"])
    return s_b.save_enrolment_of(ids["person"], OtherProgramme(programme="low_cost_school", start_date="2010-09-01"))


#: The three ways a record is removed on one copy and added to on another, and what `uncounted` says.
REMOVED_HERE_ADDED_THERE = [(_trainee_removed_job_recorded, "training_removed"),
                            (_job_removed_followup_recorded, "placement_removed"),
                            (_person_removed_enrolled_again, "person_removed")]


def removed_here_added_there(tmp_path: Path, edits) -> tuple[dict[str, Path], str]:
    """Two copies of one file (a trainee with a job); `edits` removes on a, adds under it on b.
    Returns both exports and the id of the record b added."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a, create=True) as s:
        saved = s.save_trainee(trainee(make_cbo(s), "王五"))
        ids = {"training": saved.training.id, "person": saved.participant.id}
        ids["job"] = _job(s, ids["training"])
    shutil.copyfile(a, b)
    with Store.open(a) as s_a, Store.open(b) as s_b:
        added = edits(s_a, s_b, ids)
    return {name: export(path, tmp_path / f"{name}-export.db") for name, path in (("a", a), ("b", b))}, added


def merged_in_either_order(tmp_path: Path, files: dict[str, Path]) -> tuple[list[dict], list[list[tuple]]]:
    """Exports "a" and "b" merged into a new headquarters in each order, none refused: the
    figures (summary JSON) and what `uncounted` lists (id, why) after each order, and each
    headquarters file as hq-ab.db, hq-ba.db."""
    figures, listed = [], []
    for order in ("ab", "ba"):
        report = exchange.merge(tmp_path / f"hq-{order}.db", [files[name] for name in order])
        assert not report.refused, [f.reason for f in report.files]
        with Store.open_readonly(tmp_path / f"hq-{order}.db") as hq:
            figures.append(summary.compute(hq).to_json())
        listed.append([(u["id"], u["why"]) for u in report.uncounted])
    return figures, listed


@pytest.mark.parametrize(("edits", "why"), REMOVED_HERE_ADDED_THERE)
def test_a_record_removed_on_one_copy_and_added_to_on_another_merges_either_way(tmp_path, edits, why):
    """Laptop a removes a record (a trainee registered by mistake, a job); laptop b, a copy of the
    same file, records something under it (a job, a follow-up, another programme). Each file alone
    is sound. Before, headquarters refused whichever came second, so the figures depended on the
    order and the refused laptop could not send again. Now, as for marks on a removed session
    (beside_parents.py) and people of a removed CBO: let in, counted nowhere, listed for review."""
    files, added = removed_here_added_there(tmp_path, edits)
    figures, listed = merged_in_either_order(tmp_path, files)
    assert figures[0] == figures[1]
    assert figures[0]["direct_beneficiaries"] == (1 if why == "placement_removed" else 0)
    assert listed[0] == listed[1] == [(added, why)]


def _table(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
    finally:
        conn.close()


def edited_with_sqlite3(tmp_path: Path, copies: str) -> tuple[Path, Path]:
    """A trainee's phone changed with the sqlite3 program; the exports made before and after the
    edit (or, with "two copies", a copy's export, never edited)."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        person = s.save_trainee(trainee(make_cbo(s), "王五", phone="13800000000")).participant.id
    before = export(field, tmp_path / "before.db")
    if copies == "two copies":
        shutil.copyfile(field, tmp_path / "copy.db")
        before = export(tmp_path / "copy.db", tmp_path / "before.db")
    sqlite3_cli(field, f"UPDATE participants SET phone = '13911112222' WHERE id = '{person}';")
    return before, export(field, tmp_path / "after.db")


@pytest.mark.parametrize("copies", ["one laptop, before and after", "two copies"])
def test_a_field_edited_with_sqlite3_merges_alike_in_either_order_and_is_listed(tmp_path, copies):
    """The plain UPDATE people type (no time stamp, no history): the export made before it and the
    one made after (or a copy's, never edited) hold one version of the field with two values.
    Headquarters took whichever file came last, so a stale export arriving late undid the edit in
    silence. Now either order keeps the same value and lists both for review (found by a helper)."""
    before, after = edited_with_sqlite3(tmp_path, copies)
    merged = []
    for hq, conflict in _one_conflict_in_either_order(tmp_path, before, after):
        assert conflict["field"] == "phone"
        assert sorted(v["value"] for v in conflict["versions"]) == ["13800000000", "13911112222"]
        merged.append([_table(hq, t) for t in ("participants", "field_conflicts")])
    assert merged[0] == merged[1]


def _one_conflict_in_either_order(tmp_path: Path, before: Path, after: Path) -> list[tuple[Path, dict]]:
    """Both exports merged into two headquarters, in both orders, each accepted and left with
    one conflict: (headquarters, that conflict) for each."""
    out = []
    for name, files in (("hq1.db", [before, after]), ("hq2.db", [after, before])):
        report = exchange.merge(tmp_path / name, files)
        assert not report.refused, [f.reason for f in report.files]
        with Store.open_readonly(tmp_path / name) as hq:
            (conflict,) = exchange.conflicts(hq)
        out.append((tmp_path / name, conflict))
    return out


def test_two_people_found_one_on_a_copy_and_the_one_kept_removed_on_another_merge_either_way(tmp_path):
    """Laptop a finds two registrations the same person (the second's training moves to the one
    kept); laptop b, a copy, removes the one kept. Whichever file came second was refused ("must
    be an existing person who has not been removed": the moved training), and that laptop could
    not send again (found by a helper). A row headquarters already had is let in under a person
    a file removed, as a row of another file is: counted nowhere, listed, the same in either order."""
    from fieldtui.core import duplicates

    base = tmp_path / "base.db"
    with Store.open(base, create=True) as s:
        cbo = make_cbo(s)
        one, two = (s.save_trainee(trainee(cbo, "王建国", phone="13800000001")) for _ in range(2))
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copyfile(base, a), shutil.copyfile(base, b)
    with Store.open(a) as s:
        kept = duplicates.decide(s, one.participant.id, two.participant.id, "same")
    with Store.open(b) as s:
        s.delete("trainees", (one if kept == one.participant.id else two).training.id)
    files = {"a": export(a, tmp_path / "a-export.db"), "b": export(b, tmp_path / "b-export.db")}
    figures = []
    for order in ("ab", "ba"):
        report = exchange.merge(tmp_path / f"hq-{order}.db", [files[name] for name in order])
        assert not report.refused, [f.reason for f in report.files]
        with Store.open_readonly(tmp_path / f"hq-{order}.db") as hq:
            figures.append(summary.compute(hq).to_json())
    assert figures[0] == figures[1]


@pytest.mark.parametrize(("old", "new"), [("13800000000", None), (None, "")])
def test_a_field_blanked_with_sqlite3_and_a_stamp_that_only_starts_with_a_date_merge_alike(tmp_path, old, new):
    """The same conflict with a value emptied (NULL and "" are told apart, whatever the order)
    and a creation stamp that only starts with a date (all the file's check asks): no internal
    error, one value kept either way, both listed."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        person = s.save_trainee(trainee(make_cbo(s), "王五", phone="13800000000")).participant.id
    sqlite3_cli(field, f"UPDATE participants SET phone = {'NULL' if old is None else repr(old)}, "
                       f"created_at = created_at || 'x', updated_at = max(updated_at, created_at || 'x') "
                       f"WHERE id = '{person}';")
    before = export(field, tmp_path / "before.db")
    sqlite3_cli(field, f"UPDATE participants SET phone = {'NULL' if new is None else repr(new)} WHERE id = '{person}';")
    after = export(field, tmp_path / "after.db")
    kept = []
    for _hq, conflict in _one_conflict_in_either_order(tmp_path, before, after):
        kept.append(conflict["versions"][0]["value"])
        assert len(conflict["versions"]) == 2
    assert kept[0] == kept[1]
