"""The store on real SQLite files in tmp dirs: saves, soft delete/restore, lists, migrations."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from fieldtui.core.models import (
    CBO,
    ChildRecord,
    ParticipantRecord,
    Placement,
    RecordInvalid,
    TraineeRecord,
    validate,
)
from fieldtui.core.store import SCHEMA_VERSION, NotFieldtuiFile, SchemaTooNew, Store, StoreError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def make_cbo(store: Store, name: str = "Bright Angel Fund") -> str:
    return store.save_cbo(validate(CBO, dict(name_zh="光明天使基金", name_en=name, grant_usd=105000,
                                             target_direct=200, sii=49.4))).id


def trainee(cbo_id: str, name: str = "王建国", **person) -> TraineeRecord:
    return validate(TraineeRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=name, gender="male", birth_year=1985, province="河南",
                         origin="recent_arrival", household_members=3, registered_on="2010-03-01",
                         registered_by="李老师", **person),
        training=dict(course="电工", start_date="2010-03-10", end_date="2010-06-10", status="completed")))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        yield s


def test_new_file_is_private_wal_and_versioned(tmp_path):
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.get_meta("device_id")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_save_trainee_and_read_back(store):
    cbo_id = make_cbo(store)
    saved = store.save_trainee(trainee(cbo_id))
    back = store.get_trainee(saved.training.id)
    assert back.participant.full_name == "王建国"
    assert back.training.participant_id == saved.participant.id
    trail = store.audit_trail("participants", saved.participant.id)
    assert [(a["action"], a["actor"]) for a in trail] == [("create", "tester")]


def test_edit_updates_in_place_and_audits(store):
    cbo_id = make_cbo(store)
    saved = store.save_trainee(trainee(cbo_id))
    edited = TraineeRecord.model_construct(
        participant=saved.participant.model_copy(update={"full_name": "王建军"}), training=saved.training)
    store.save_trainee(edited)
    assert store.count("trainees") == 1
    assert store.get_participant(saved.participant.id).full_name == "王建军"
    assert [a["action"] for a in store.audit_trail("participants", saved.participant.id)] == ["create", "update"]


def test_unknown_cbo_is_refused_and_nothing_written(store):
    with pytest.raises(RecordInvalid) as info:
        store.save_trainee(trainee("no-such-cbo"))
    assert info.value.errors == {"participant.cbo_id": "CBO: choose an existing CBO"}
    assert store.conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 0


def test_placement_only_for_trainee(store):
    cbo_id = make_cbo(store)
    saved = store.save_trainee(trainee(cbo_id))
    ok = validate(Placement, dict(training_id=saved.training.id, employer="公司", job_title="电工",
                                  start_date="2010-07-01", wage_cny=1800))
    assert store.save_placement(ok).id
    with pytest.raises(RecordInvalid):
        store.save_placement(ok.model_copy(update={"training_id": "nobody"}))
    assert store.count("placements") == 1


def test_delete_and_restore_cascade(store):
    cbo_id = make_cbo(store)
    saved = store.save_trainee(trainee(cbo_id))
    store.save_placement(validate(Placement, dict(training_id=saved.training.id, employer="公司", job_title="电工",
                                                  start_date="2010-07-01", wage_cny=1800)))
    store.delete("trainees", saved.training.id)
    assert store.count("trainees") == 0 and store.count("placements") == 0
    assert store.get_participant(saved.participant.id).deleted
    assert store.count("trainees", include_deleted=True) == 1  # a tombstone, not gone
    store.restore("trainees", saved.training.id)
    assert store.count("trainees") == 1 and store.count("placements") == 1
    assert not store.get_participant(saved.participant.id).deleted


def test_person_in_two_programmes_stays_when_one_is_deleted(store):
    cbo_id = make_cbo(store)
    saved = store.save_trainee(trainee(cbo_id))
    other = validate(ParticipantRecord, dict(participant=saved.participant.model_dump(),
                                             programme=dict(programme="other", start_date="2010-04-01")))
    other = store.save_participant(ParticipantRecord.model_construct(
        participant=saved.participant, programme=other.programme))
    store.delete("trainees", saved.training.id)
    assert not store.get_participant(saved.participant.id).deleted


def test_cbo_with_people_cannot_be_deleted(store):
    cbo_id = make_cbo(store)
    store.save_trainee(trainee(cbo_id))
    with pytest.raises(RecordInvalid, match="still has 1 participant;"):
        store.delete("cbos", cbo_id)


def test_keyset_pages_cover_every_row_once(store):
    cbo_id = make_cbo(store)
    for i in range(25):
        store.save_trainee(trainee(cbo_id, name=f"张{chr(0x4e00 + i)}"))
    seen, after = [], None
    while True:
        rows = store.page("trainees", limit=10, after=after)
        if not rows:
            break
        seen += [r["id"] for r in rows]
        after = (rows[-1]["_sort"], rows[-1]["id"])
    assert len(seen) == len(set(seen)) == 25
    desc = store.page("trainees", limit=25, descending=True)
    assert [r["id"] for r in desc] == list(reversed(seen))


def test_search_by_name_phone_and_id_prefix(store):
    cbo_id = make_cbo(store)
    a = store.save_trainee(trainee(cbo_id, name="王建国", phone="13812345678"))
    store.save_trainee(trainee(cbo_id, name="李丽"))
    assert [r["full_name"] for r in store.page("trainees", search="王")] == ["王建国"]
    assert [r["full_name"] for r in store.page("trainees", search="138123")] == ["王建国"]
    assert [r["full_name"] for r in store.page("trainees", search=a.training.id[:24])] == ["王建国"]
    assert store.count("trainees", search="%") == 0  # wildcards are literal


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        Store.open(tmp_path / "nope.db")


def test_non_sqlite_and_foreign_sqlite_are_refused(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello" * 100)
    with pytest.raises(NotFieldtuiFile, match="not a SQLite database"):
        Store.open(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(NotFieldtuiFile, match="another application"):
        Store.open(other)


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    Store.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer fieldtui"):
        Store.open(path)
    with pytest.raises(SchemaTooNew):
        Store.open_readonly(path)
    assert path.read_bytes() == before


def test_migration_from_first_schema_version(tmp_path):
    path = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", path)
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        child = s.get_child("a1")
        assert child.enrolment.guardian_consent is False  # column added by migration 2, default 0
        assert s.get_trainee("t1").participant.full_name == "王建国"
        s.save_cbo(s.get_cbo("c1").model_copy(update={"city": "Shanghai"}))  # audit table now exists
        assert s.audit_trail("cbos", "c1")[0]["action"] == "update"
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_readonly_open_of_old_file_changes_no_byte(tmp_path):
    path = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", path)
    before = path.read_bytes()
    with Store.open_readonly(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.count("trainees") == 1
    assert path.read_bytes() == before


def test_child_and_other_programme_round_trip(store):
    cbo_id = make_cbo(store)
    child = validate(ChildRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name="王小明", gender="male", birth_year=2002, province="Hebei",
                         origin="city_raised", registered_on="2010-03-01", registered_by="李"),
        enrolment=dict(school="明圆学校", grade=2, guardian_name="王建国", guardian_consent=True,
                       start_date="2010-03-01")))
    saved = store.save_child(child)
    assert store.get_child(saved.enrolment.id).enrolment.guardian_consent is True
    assert store.count("children") == 1


def test_a_stored_row_that_breaks_todays_rules_reads_back_and_blocks_only_what_depends_on_it(store):
    """Written before a rule was tightened (or edited outside fieldtui): reading it never raises,
    so its form opens; a placement on it is refused with a message, not a traceback."""
    saved = store.save_trainee(trainee(make_cbo(store)))
    store.conn.execute("UPDATE trainings SET start_date = 'soon', status = 'hacked'")
    read = store.get_trainee(saved.training.id)
    assert (read.training.start_date, read.training.status) == ("soon", "hacked")
    with pytest.raises(RecordInvalid) as info:
        store.save_placement(Placement(training_id=saved.training.id, employer="京东", job_title="厨师",
                                       start_date="2011-09-01", wage_cny=3000))
    assert "correct it first" in info.value.errors["training_id"]
    assert store.count("placements") == 0
