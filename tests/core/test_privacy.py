"""Privacy of migrants' and children's records: file modes, erased bytes, audit, logs, PIPL consent.

Each check reads what an outsider could read: file modes from the OS, raw bytes of the database
and its WAL, everything written to logs, stdout and stderr.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core import duplicates, summary
from fieldtui.core.models import (
    CBO,
    ChildRecord,
    Participant,
    RecordInvalid,
    TraineeRecord,
    validate,
)
from fieldtui.core.store import Store

OLD_NAME = "欧阳隐私测试"  # rare on purpose: its bytes cannot appear by chance
OLD_PHONE = "13912345678"


def _cbo() -> CBO:
    return validate(CBO, dict(name_zh="光明天使基金", name_en="Bright Angel Fund", grant_usd=1000, target_direct=10))


def _trainee(cbo_id: str, name: str = OLD_NAME, phone: str | None = OLD_PHONE) -> TraineeRecord:
    return validate(TraineeRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=name, gender="female", birth_year=1985, province="河南",
                         origin="recent_arrival", phone=phone, registered_on="2010-03-01", registered_by="李老师"),
        training=dict(course="电工", start_date="2010-03-10", status="enrolled")))


def _renamed(saved: TraineeRecord, name: str, phone: str | None) -> TraineeRecord:
    return TraineeRecord.model_construct(
        participant=saved.participant.model_copy(update={"full_name": name, "phone": phone}),
        training=saved.training)


def _bytes_of(path: Path) -> bytes:
    """The database and whatever lies beside it (-wal, -shm, -journal)."""
    out = b""
    for p in path.parent.glob(path.name + "*"):
        out += p.read_bytes()
    return out


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- file modes


def test_database_wal_and_shm_are_created_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o000)  # the most permissive umask: modes must not depend on it
    try:
        path = tmp_path / "field.db"
        with Store.open(path, create=True) as s:
            s.save_cbo(_cbo())
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert (_mode(path), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- erased bytes


def _forget_history(s: Store) -> None:
    """Drop the old values the History keeps on purpose (records/audit.py), so what is left to
    find is what secure_delete and the checkpoints are for: every other copy of an old value."""
    with s.transaction():
        s.conn.execute("DELETE FROM audit_changes")


def _overwrite_and_checkpoint(path: Path, secure: bool, people: int = 30) -> int:
    """Save `people` trainees, rename them all through the store; how many old names survive in bytes
    once the History's copies of them are forgotten."""
    old_names = [f"{OLD_NAME}{i:03d}" for i in range(people)]
    with Store.open(path, create=True) as s:
        if not secure:
            s.conn.execute("PRAGMA secure_delete = OFF")  # the control: what the setting prevents
        cbo_id = s.save_cbo(_cbo()).id
        saved = [s.save_trainee(_trainee(cbo_id, name, f"139{i:08d}")) for i, name in enumerate(old_names)]
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert OLD_NAME.encode() in _bytes_of(path)  # there while they are the live values
        for i, record in enumerate(saved):
            s.save_trainee(_renamed(record, "王芳" * (i % 3 + 1), None))
        first = s.history([("participants", saved[0].participant.id)])[0]
        assert ("full_name", old_names[0], "王芳") in {(c.field, c.old, c.new) for c in first.changes}
        _forget_history(s)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what SQLite does by itself as the WAL grows
        raw = _bytes_of(path)
    assert "王芳".encode() in raw
    return sum(name.encode() in raw for name in old_names) + sum(
        f"139{i:08d}".encode() in raw for i in range(people))


def test_overwritten_names_and_phones_leave_no_bytes_in_the_file(tmp_path):
    assert _overwrite_and_checkpoint(tmp_path / "field.db", secure=True) == 0


def test_the_byte_check_above_can_fail(tmp_path):
    """Without secure_delete old names survive in freed space of pages: the check has teeth."""
    assert _overwrite_and_checkpoint(tmp_path / "field.db", secure=False) > 0


def test_closing_the_store_leaves_no_wal_with_old_values(tmp_path):
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        saved = s.save_trainee(_trainee(s.save_cbo(_cbo()).id))
        s.save_trainee(_renamed(saved, "王芳", None))
        _forget_history(s)
    assert not Path(f"{path}-wal").exists()  # the last connection checkpoints and removes it
    assert OLD_NAME.encode() not in path.read_bytes()


# --------------------------------------------------------------------------- audit


def test_audit_records_who_created_changed_deleted_restored_and_when(tmp_path):
    ticks = iter(f"2024-05-0{d}T08:00:00.000000+00:00" for d in range(1, 10))
    with Store.open(tmp_path / "field.db", create=True, operator="李老师") as s:
        s.clock = lambda: next(ticks)
        cbo_id = s.save_cbo(_cbo()).id
        saved = s.save_trainee(_trainee(cbo_id))
        s.operator = "张主任"
        s.save_trainee(_renamed(saved, "王芳", None))
        s.delete("trainees", saved.training.id)
        s.restore("trainees", saved.training.id)
        person = [(a["action"], a["actor"], a["at"][:10]) for a in s.audit_trail("participants", saved.participant.id)]
        training = [a["action"] for a in s.audit_trail("trainings", saved.training.id)]
        rows = s.conn.execute("SELECT * FROM audit").fetchall()
        history = s.history([("participants", saved.participant.id)])
    assert person == [("create", "李老师", "2024-05-02"), ("update", "张主任", "2024-05-03"),
                      ("delete", "张主任", "2024-05-04"), ("restore", "张主任", "2024-05-05")]
    assert training == ["create", "delete", "restore"]  # the rename did not change the training
    # The trail says who and when; what changed (personal data) is kept apart, in audit_changes.
    flat = " ".join(str(v) for r in rows for v in tuple(r))
    assert OLD_NAME not in flat and "王芳" not in flat and OLD_PHONE not in flat
    changes = [(e.action, e.actor, {(c.field, c.old, c.new) for c in e.changes}) for e in history]
    assert changes[0] == ("restore", "张主任", {("deleted", 1, 0)})
    assert changes[1] == ("delete", "张主任", {("deleted", 0, 1)})
    assert changes[2] == ("update", "张主任", {("full_name", OLD_NAME, "王芳"), ("phone", OLD_PHONE, None)})
    assert changes[3][:2] == ("create", "李老师") and ("full_name", None, OLD_NAME) in changes[3][2]


def test_old_values_and_pins_stay_in_the_file_exports_carry_none(tmp_path):
    """The History's old values and the operators' PIN hashes are in the field file; no export
    holds a byte of them, and a pseudonymised one no byte of the current name or phone either."""
    from fieldtui.core import exchange

    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        s.add_operator("李老师", "2468")
        s.sign_in("李老师", "2468")
        saved = s.save_trainee(_trainee(s.save_cbo(_cbo()).id))
        s.save_trainee(_renamed(saved, "王芳", "13800001111"))
        pin_hash = s.conn.execute("SELECT pin_hash FROM operators").fetchone()[0]
    raw = path.read_bytes()  # closed: no connection of ours is open on it
    assert OLD_NAME.encode() in raw and OLD_PHONE.encode() in raw  # kept here, for the History
    plain, pseudo = tmp_path / "plain.db", tmp_path / "pseudo.db"
    exchange.export(path, plain)
    exchange.export(path, pseudo, pseudonymise=True, key="k" * 32)
    for out in (plain, pseudo):
        data = out.read_bytes()
        assert OLD_NAME.encode() not in data and OLD_PHONE.encode() not in data, out.name
        assert pin_hash.encode() not in data and b"audit" not in data, out.name
    assert "王芳".encode() in plain.read_bytes()
    assert "王芳".encode() not in pseudo.read_bytes() and b"13800001111" not in pseudo.read_bytes()


def test_a_refused_save_leaves_no_audit_row(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        s.save_cbo(_cbo())
        before = s.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        with pytest.raises(RecordInvalid):
            s.save_trainee(_trainee("no-such-cbo"))
        assert s.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == before


# --------------------------------------------------------------------------- logs and output


def test_saves_summary_and_cli_write_no_personal_data_anywhere(tmp_path, caplog, capfd, sample_copy):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        cbo_id = s.save_cbo(_cbo()).id
        saved = s.save_trainee(_trainee(cbo_id))
        s.save_trainee(_renamed(saved, OLD_NAME + "二", OLD_PHONE))
        duplicates.candidates(s, saved.participant.model_dump(mode="json"))
        summary.possible_duplicates(s)
        s.delete("trainees", saved.training.id)
        s.restore("trainees", saved.training.id)
        summary.compute(s).to_json()
    runner = CliRunner()
    outputs = [runner.invoke(main, ["summary", str(path)]), runner.invoke(main, ["summary", str(path), "--json"]),
               runner.invoke(main, ["summary", str(sample_copy)]),
               runner.invoke(main, ["summary", str(sample_copy), "--json"])]
    assert all(r.exit_code == 0 for r in outputs), [r.output for r in outputs]
    captured = capfd.readouterr()
    seen = "\n".join([caplog.text, captured.out, captured.err, *(r.output for r in outputs)])
    assert "Bright Angel Fund" in seen  # the output was captured at all
    assert OLD_NAME not in seen and OLD_PHONE not in seen
    conn = sqlite3.connect(sample_copy)
    names = {n for (n,) in conn.execute("SELECT full_name FROM participants")}
    phones = {p for (p,) in conn.execute("SELECT phone FROM participants WHERE phone IS NOT NULL")}
    conn.close()
    assert len(names) > 1000
    leaked = {n for n in names | phones if n in seen}
    assert not leaked, f"{len(leaked)} names or phones of sample.db in logs/output"


def test_core_has_no_print_or_logging_calls():
    """The core never writes to logs or the terminal."""
    core = Path(__file__).resolve().parents[2] / "src" / "fieldtui" / "core"
    offenders = []
    for source in core.glob("*.py"):
        for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if any(t in code for t in ("print(", "logging.", "logger.", "set_trace_callback")):
                offenders.append(f"{source.name}:{n}: {line.strip()}")
    assert not offenders, offenders


# --------------------------------------------------------------------------- children (PIPL art. 28, 31)


def _child(cbo_id: str, born: str, start: str, guardian: str | None, consent: bool) -> dict:
    return dict(
        participant=dict(cbo_id=cbo_id, full_name="王小明", gender="male", birth_year=int(born[:4]),
                         birth_date=born, province="河南", origin="city_raised", registered_on=start,
                         registered_by="李老师"),
        enrolment=dict(school="明圆学校", grade=2, guardian_name=guardian, guardian_consent=consent,
                       start_date=start))


def test_consent_threshold_is_the_fourteenth_birthday_to_the_day():
    # Born 2000-03-02: 13 on 2014-03-01, 14 on 2014-03-02.
    with pytest.raises(RecordInvalid) as info:
        validate(ChildRecord, _child("c", "2000-03-02", "2014-03-01", "王建国", False))
    assert "enrolment.guardian_consent" in info.value.errors
    with pytest.raises(RecordInvalid) as info:
        validate(ChildRecord, _child("c", "2000-03-02", "2014-03-01", None, True))
    assert "enrolment.guardian_name" in info.value.errors
    assert validate(ChildRecord, _child("c", "2000-03-02", "2014-03-02", None, False)).enrolment.guardian_name is None


def test_store_refuses_a_child_under_14_without_consent_even_if_validation_was_skipped(tmp_path):
    """A caller that built the record without validating (model_construct) cannot bypass PIPL."""
    with Store.open(tmp_path / "field.db", create=True) as s:
        cbo_id = s.save_cbo(_cbo()).id
        data = _child(cbo_id, "2005-06-01", "2012-09-01", "王建国", True)
        good = validate(ChildRecord, data)
        unconsented = ChildRecord.model_construct(
            participant=good.participant,
            enrolment=good.enrolment.model_copy(update={"guardian_consent": False, "guardian_name": None}))
        with pytest.raises(RecordInvalid) as info:
            s.save_child(unconsented)
        assert set(info.value.errors) >= {"enrolment.guardian_name"}
        assert s.count("children") == 0
        saved = s.save_child(good)
        # Editing an existing child cannot remove the consent either.
        with pytest.raises(RecordInvalid):
            s.save_child(ChildRecord.model_construct(
                participant=saved.participant,
                enrolment=saved.enrolment.model_copy(update={"guardian_consent": False})))
        assert s.get_child(saved.enrolment.id).enrolment.guardian_consent is True


def test_consent_is_stored_and_read_back(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        cbo_id = s.save_cbo(_cbo()).id
        saved = s.save_child(validate(ChildRecord, _child(cbo_id, "2005-06-01", "2012-09-01", "王建国", True)))
        back = s.get_child(saved.enrolment.id)
    assert (back.enrolment.guardian_name, back.enrolment.guardian_consent) == ("王建国", True)
    assert isinstance(back.participant, Participant) and back.participant.birth_date == dt.date(2005, 6, 1)
