"""Export and headquarters merge on real SQLite files: counts, idempotence, order, refusals."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.exchange import schema, worker
from fieldtui.core.ids import new_id
from fieldtui.core.models import Placement
from fieldtui.core.store import RECORD_TABLES, SCHEMA_VERSION, Store
from tests.core.test_store import make_cbo, trainee

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def clone(src: Path, dest: Path) -> Path:
    """A second laptop set up from a copy of the first one's file (with its own device id)."""
    shutil.copyfile(src, dest)
    os.chmod(dest, 0o600)
    with Store.open(dest) as s, s.transaction():
        s.set_meta("device_id", new_id())
    return dest


def edit_person(store: Store, training_id: str, **changes) -> None:
    """Edit a trainee's person as the form does (person and training saved together)."""
    rec = store.get_trainee(training_id)
    store.save_trainee(rec.model_copy(update={"participant": rec.participant.model_copy(update=changes)}))


def table_contents(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in RECORD_TABLES}
        out["conflicts"] = conn.execute("SELECT * FROM field_conflicts ORDER BY tbl, row_id, field, stamp").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def two_fields(tmp_path):
    """Field files A and B from one start, then edited independently; returns their exports."""
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        base = [s.save_trainee(trainee(cbo, name)) for name in ("张一", "张二", "张三")]
    b = clone(a, tmp_path / "b.db")
    with Store.open(a) as s:
        edit_person(s, base[0].training.id, full_name="张一一")
        s.delete("trainees", base[1].training.id)
        edit_person(s, base[2].training.id, phone="13800000001")
        s.save_trainee(trainee(cbo, "李四"))
    with Store.open(b) as s:
        edit_person(s, base[2].training.id, phone="13800000002")
        s.save_trainee(trainee(cbo, "王五"))
        s.save_trainee(trainee(cbo, "王六"))
    ea, eb = tmp_path / "a-export.db", tmp_path / "b-export.db"
    exchange.export(a, ea)
    exchange.export(b, eb)
    return a, b, ea, eb, base


def test_a_files_conflicts_are_those_of_its_own_rows(tmp_path, two_fields):
    """A conflict already at headquarters is not counted again for a later file without that row."""
    _a, _b, ea, eb, _base = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    other = tmp_path / "c.db"
    with Store.open(other, create=True) as s:
        s.save_trainee(trainee(make_cbo(s), "赵七"))
    exchange.export(other, tmp_path / "c-export.db")
    (third,) = exchange.merge(hq, [tmp_path / "c-export.db"]).files
    assert third.tables["participants"].inserted == 1
    assert third.tables["participants"].conflicts == 0  # 张三's phone is still in conflict, not its row


def test_export_is_private_and_described_by_its_manifest(tmp_path, two_fields):
    a, _b, ea, _eb, _ = two_fields
    assert stat.S_IMODE(os.stat(ea).st_mode) == 0o600
    conn = sqlite3.connect(ea)
    manifest = dict(conn.execute("SELECT key, value FROM manifest"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # no audit, no drafts, no merge state; the fields' histories (stamps only) and the decisions
    # about duplicates travel
    assert tables == {*RECORD_TABLES, "field_changes", "duplicate_decisions", "meta", "manifest"}
    assert manifest["schema_version"] == str(SCHEMA_VERSION)
    with Store.open_readonly(a) as s:
        assert manifest["device_id"] == s.get_meta("device_id")
    assert '"participants": 4' in manifest["counts"]
    assert manifest["checksum"] == exchange.content_checksum(conn)
    # the deleted person travels as a tombstone without their name
    tombstones = conn.execute("SELECT full_name, phone FROM participants WHERE deleted = 1").fetchall()
    assert tombstones == [("(removed)", None)]
    conn.close()
    assert not list(tmp_path.glob(".*.tmp"))


def test_two_fields_merge_with_right_counts_and_one_conflict(tmp_path, two_fields):
    _a, _b, ea, eb, base = two_fields
    hq = tmp_path / "hq.db"
    report = exchange.merge(hq, [ea, eb])
    assert [f.accepted for f in report.files] == [True, True]
    first, second = report.files
    assert first.tables["participants"].inserted == 4 and first.tables["cbos"].inserted == 1
    assert second.tables["participants"].inserted == 2  # 王五, 王六
    assert second.tables["participants"].conflicts == 1  # 张三's phone changed on both sides
    # B edited 张三 last, so B's version is kept (and A's is in conflicts); A's other edits are newer
    assert second.tables["participants"].updated == 1
    assert second.tables["participants"].unchanged == 2
    with Store.open_readonly(hq) as s:
        assert s.count("trainees") == 6 - 1 + 0  # 3 base + 李四 + 王五 + 王六, minus 张二 deleted
        assert s.get_participant(base[0].participant.id).full_name == "张一一"
        assert s.get_participant(base[1].participant.id).deleted
        rows = exchange.conflicts(s)
    [conflict] = rows
    assert (conflict["tbl"], conflict["field"]) == ("participants", "phone")
    assert [v["value"] for v in conflict["versions"]] == ["13800000002", "13800000001"]  # B's (newest) kept


def test_remerge_is_a_no_op(tmp_path, two_fields):
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    before = table_contents(hq)
    report = exchange.merge(hq, [eb, ea])
    assert all(f.accepted and f.already_merged for f in report.files)
    assert table_contents(hq) == before


def test_order_does_not_matter(tmp_path, two_fields):
    a, _b, ea, eb, _ = two_fields
    # a later export of A (one more edit) makes three files; every order must give the same file
    with Store.open(a) as s:
        s.save_trainee(trainee(s.cbos()[0].id, "赵七"))
    ea2 = tmp_path / "a-export-2.db"
    exchange.export(a, ea2)
    results = []
    for i, order in enumerate(itertools.permutations([ea, eb, ea2])):
        hq = tmp_path / f"hq{i}.db"
        exchange.merge(hq, list(order))
        results.append(table_contents(hq))
    assert all(r == results[0] for r in results)
    assert len({c[:3] for c in results[0]["conflicts"]}) == 1  # one field, both values kept


def test_deletion_is_not_undone_by_an_older_file(tmp_path):
    field = tmp_path / "f.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        rec = s.save_trainee(trainee(cbo))
    old = tmp_path / "old.db"
    exchange.export(field, old)
    with Store.open(field) as s:
        s.delete("trainees", rec.training.id)
    new = tmp_path / "new.db"
    exchange.export(field, new)
    for order in ([old, new], [new, old]):
        hq = tmp_path / f"hq-{order[0].stem}.db"
        exchange.merge(hq, order)
        with Store.open_readonly(hq) as s:
            assert s.get_participant(rec.participant.id).deleted
            assert s.count("trainees") == 0
            assert exchange.conflicts(s) == []


def test_hq_summary_is_the_sum_of_field_summaries(tmp_path):
    exports, figures = [], []
    for n, name in enumerate(("Alpha", "Beta")):
        path = tmp_path / f"f{n}.db"
        with Store.open(path, create=True) as s:
            cbo = make_cbo(s, name)
            for i in range(3 + n):
                s.save_trainee(trainee(cbo, f"学员{n}{i}"))
            figures.append(summary.compute(s).to_json())
        exports.append(exchange.export(path, tmp_path / f"e{n}.db").path)
    exchange.merge(tmp_path / "hq.db", exports)
    with Store.open_readonly(tmp_path / "hq.db") as s:
        total = summary.compute(s).to_json()
    for key in ("direct_beneficiaries", "indirect_beneficiaries", "trainees", "trainees_completed"):
        assert total[key] == sum(f[key] for f in figures)


def _hq_with_one_merge(tmp_path, two_fields) -> Path:
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [two_fields[2]])
    return hq


def _assert_refused(tmp_path, hq: Path, bad: Path, words: str) -> None:
    before = hq.read_bytes()
    report = exchange.merge(hq, [bad])
    (result,) = report.files
    assert not result.accepted
    assert words in result.reason, result.reason
    assert "\n" not in result.reason
    assert hq.read_bytes() == before
    assert not list(hq.parent.glob(".fieldtui-merge-*"))


def test_truncated_file_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "truncated.db"
    data = two_fields[3].read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    _assert_refused(tmp_path, hq, bad, "truncated")


def test_sparse_export_is_refused_without_writing_its_size(tmp_path, two_fields):
    """An export made 4 GiB by a hole (a few KB on disk) is refused before it is copied."""
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "sparse.db"
    shutil.copyfile(two_fields[3], bad)
    with open(bad, "r+b") as fh:
        fh.truncate(4 * 1024**3)
    assert bad.stat().st_blocks * 512 < 1024**2  # really sparse on this file system
    _assert_refused(tmp_path, hq, bad, "sparse")


def test_bytes_after_the_last_page_are_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "padded.db"
    data = two_fields[3].read_bytes()
    bad.write_bytes(data + bytes(len(data)))
    _assert_refused(tmp_path, hq, bad, "after its last page")


def test_non_sqlite_file_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "notes.db"
    bad.write_text("these are not the records you are looking for" * 10)
    _assert_refused(tmp_path, hq, bad, "not a SQLite database")


def test_other_apps_database_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "other.db"
    conn = sqlite3.connect(bad)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "another application")


def test_future_schema_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "future.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    _assert_refused(tmp_path, hq, bad, "newer fieldtui")


def test_tampered_manifest_count_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "tampered.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE manifest SET value = replace(value, '\"participants\": 5', '\"participants\": 4') "
                 "WHERE key = 'counts'")
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "manifest says 4 rows in participants")


def test_edited_content_is_refused_by_checksum(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "edited.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE participants SET household_members = 30")
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "checksum")


def test_the_checksum_is_each_row_as_decoded_text_even_where_a_text_is_not_utf8(tmp_path, two_fields):
    """The checksum is read in batches of bytes; it must stay the row-by-row definition that every
    export so far was sealed with (text decoded as the app reads it: not UTF-8 -> U+FFFD), also for
    a name pasted with the sqlite3 program as bytes that are not UTF-8 (in the middle of a batch)."""
    field = tmp_path / "odd.db"
    shutil.copyfile(two_fields[3], field)
    conn = sqlite3.connect(field)
    conn.execute("UPDATE participants SET full_name = CAST(x'e5bca0ff41e4' AS TEXT) WHERE rowid = 2")
    conn.commit()
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    expected = hashlib.sha256()
    for table in schema.exchanged(conn):
        cols = schema.columns(conn, table)
        expected.update(f"#{table}\n".encode())
        order = schema._ORDER.get(table, "id")
        for (row,) in conn.execute(f"SELECT {schema.json_array(cols)} FROM {table} ORDER BY {order}"):
            expected.update(row.encode() + b"\n")
    assert schema.content_checksum(conn) == expected.hexdigest()
    assert "\ufffd" in conn.execute("SELECT full_name FROM participants WHERE rowid = 2").fetchone()[0]
    conn.close()


@pytest.mark.parametrize("ddl", [
    "CREATE TRIGGER evil AFTER INSERT ON cbos BEGIN DELETE FROM participants; END",
    "CREATE VIEW evil AS SELECT * FROM participants",
    "CREATE TABLE drafts (id TEXT)",
])
def test_extra_trigger_view_or_table_is_refused(tmp_path, two_fields, ddl):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "evil.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute(ddl)
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "unexpected")


def test_a_field_file_that_is_not_an_export_is_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    _assert_refused(tmp_path, hq, two_fields[1], "not an export")


def test_older_schema_export_is_upgraded_and_merged(tmp_path):
    v1 = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", v1)
    # a v1 export: the v1 file pruned to the export schema, with a manifest
    conn = sqlite3.connect(v1, isolation_level=None)
    schema.prune_to_export_schema(conn)
    conn.execute(exchange.MANIFEST_DDL)
    counts = schema.counts(conn)
    manifest = {"format": "1", "export_id": "v1-export", "device_id": "v1-device", "schema_version": "1",
                "counts": __import__("json").dumps(counts), "checksum": exchange.content_checksum(conn),
                "pseudonymised": "0", "cbos": "[]", "created_at": "2010-06-01"}
    conn.executemany("INSERT INTO manifest VALUES (?, ?)", manifest.items())
    conn.execute("VACUUM")
    conn.close()
    report = exchange.merge(tmp_path / "hq.db", [v1])
    assert report.files[0].accepted, report.files[0].reason
    with Store.open_readonly(tmp_path / "hq.db") as s:
        assert s.get_participant("p1").full_name == "王建国"
        assert s.conn.execute("SELECT guardian_consent FROM after_school").fetchone()[0] == 0


def test_export_while_a_writer_has_the_file_open(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as writer:  # the app holds the file
        cbo = make_cbo(writer)
        writer.save_trainee(trainee(cbo))
        with writer.transaction():  # mid-transaction, uncommitted work is not in the snapshot
            writer.conn.execute("UPDATE participants SET household_members = 9")
            result = exchange.export(field, tmp_path / "out.db")
        writer.save_trainee(trainee(cbo, "后来的人"))
    assert result.counts["participants"] == 1
    conn = sqlite3.connect(tmp_path / "out.db")
    assert conn.execute("SELECT household_members FROM participants").fetchall() == [(3,)]
    conn.close()


def test_pseudonymised_export_holds_no_personal_data(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        s.save_trainee(trainee(cbo, "欧阳娜娜", phone="13912345678", birth_date="1985-04-03"))
        gone = s.save_trainee(trainee(cbo, "司马懿", phone="13711112222"))
        s.delete("trainees", gone.training.id)
    out = tmp_path / "anon.db"
    exchange.export(field, out, pseudonymise=True, key="k")
    raw = out.read_bytes()
    for secret in ("欧阳娜娜", "司马懿", "13912345678", "13711112222", "1985-04-03"):
        assert secret.encode() not in raw
    conn = sqlite3.connect(out)
    names = [r[0] for r in conn.execute("SELECT full_name FROM participants WHERE deleted = 0")]
    assert names[0].startswith("anon-")
    assert conn.execute("SELECT birth_year FROM participants WHERE deleted = 0").fetchone()[0] == 1985
    conn.close()
    again = tmp_path / "anon2.db"
    exchange.export(field, again, pseudonymise=True, key="k")
    conn = sqlite3.connect(again)
    assert [r[0] for r in conn.execute("SELECT full_name FROM participants WHERE deleted = 0")] == names
    conn.close()
    # pseudonymised and identified records never meet in one file
    exchange.merge(tmp_path / "hq.db", [out])
    clear = tmp_path / "clear.db"
    exchange.export(field, clear)
    report = exchange.merge(tmp_path / "hq.db", [clear])
    assert not report.files[0].accepted and "pseudonymised" in report.files[0].reason


def test_hq_local_edit_and_unchanged_resend_do_not_conflict(tmp_path):
    field = tmp_path / "f.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        rec = s.save_trainee(trainee(cbo))
        s.save_trainee(rec)  # a second version on the device
    e1 = tmp_path / "e1.db"
    exchange.export(field, e1)
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [e1])
    with Store.open(hq) as s:  # headquarters corrects the household size
        edit_person(s, rec.training.id, household_members=4)
    e2 = tmp_path / "e2.db"
    exchange.export(field, e2)  # the device has not changed the row: no conflict
    exchange.merge(hq, [e2])
    with Store.open_readonly(hq) as s:
        assert exchange.conflicts(s) == []
        assert s.get_participant(rec.participant.id).household_members == 4
    with Store.open(field) as s:  # now the device changes it too: a conflict
        edit_person(s, rec.training.id, household_members=5)
    e3 = tmp_path / "e3.db"
    exchange.export(field, e3)
    report = exchange.merge(hq, [e3])
    assert report.files[0].tables["participants"].conflicts == 1


def reseal(path: Path) -> None:
    """Recompute counts and checksum after editing: the checksum detects damage, it is no signature."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE manifest SET value = ? WHERE key = 'counts'", (json.dumps(schema.counts(conn)),))
    conn.execute("UPDATE manifest SET value = ? WHERE key = 'checksum'", (exchange.content_checksum(conn),))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("edit, words", [
    ("UPDATE participants SET cbo_id = 'nowhere'", "neither in the file nor here (cbos)"),  # a CBO not there
    ("UPDATE cbos SET grant_usd = 'lots'", "wrong type"),
    ("UPDATE participants SET deleted = 2", "do not fit"),
    ("UPDATE participants SET full_name = printf('%.5000c', 'x')", "implausibly long"),
])
def test_resealed_hostile_content_is_refused_and_nothing_written(tmp_path, two_fields, edit, words):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "resealed.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(edit)
    conn.commit()
    conn.close()
    reseal(bad)
    _assert_refused(tmp_path, hq, bad, words)


def test_export_replaces_an_old_export_but_never_another_file(tmp_path, two_fields):
    a, b, ea, _eb, _ = two_fields
    exchange.export(a, ea)  # a fresh export over last week's: fine
    before = b.read_bytes()
    with pytest.raises(exchange.StoreError, match="not a fieldtui export"):
        exchange.export(a, b)  # b is a working file
    assert b.read_bytes() == before


def test_unreadable_and_missing_files_are_refused(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    _assert_refused(tmp_path, hq, tmp_path / "nowhere.db", "no such file")
    _assert_refused(tmp_path, hq, tmp_path, "not a file")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    _assert_refused(tmp_path, hq, empty, "not a SQLite database")
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.db"
        shutil.copyfile(two_fields[3], locked)
        os.chmod(locked, 0)
        _assert_refused(tmp_path, hq, locked, "cannot be read")


def test_a_resolved_conflict_stays_resolved(tmp_path, two_fields):
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    with Store.open(hq) as s:
        (conflict,) = exchange.conflicts(s)
        with pytest.raises(exchange.StoreError, match="no conflict"):
            exchange.resolve_conflict(s, "no-such-row")
        assert exchange.resolve_conflict(s, conflict["row_id"]) == 1
        assert exchange.conflicts(s) == []
        # headquarters corrects the phone by hand after review
        p = s.get_participant(conflict["row_id"])
        t = s.conn.execute("SELECT id FROM trainings WHERE participant_id = ?", (p.id,)).fetchone()[0]
        rec = s.get_trainee(t)
        s.save_trainee(rec.model_copy(update={"participant": p.model_copy(update={"phone": "13800000003"})}))
    report = exchange.merge(hq, [ea, eb])  # already merged: nothing
    assert all(f.already_merged for f in report.files)
    for path in (ea, eb):  # re-sent under new export ids: the reviewed pair does not come back
        again = tmp_path / f"again-{path.name}"
        shutil.copyfile(path, again)
        conn = sqlite3.connect(again)
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'export_id'", (new_id(),))
        conn.commit()
        conn.close()
        assert exchange.merge(hq, [again]).files[0].accepted
    with Store.open_readonly(hq) as s:
        assert exchange.conflicts(s) == []
        assert s.get_participant(conflict["row_id"]).phone == "13800000003"


# --------------------------------------------------------------------------- rows against the models


def _reseal_edit(tmp_path, src: Path, *edits: str) -> Path:
    bad = tmp_path / "resealed.db"
    shutil.copyfile(src, bad)
    conn = sqlite3.connect(bad)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for edit in edits:
        conn.execute(edit)
    conn.commit()
    conn.close()
    reseal(bad)
    return bad


def test_a_rule_broken_in_a_resealed_file_is_named_without_the_value(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    conn = sqlite3.connect(two_fields[3])
    pid = conn.execute("SELECT id FROM participants WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    bad = _reseal_edit(tmp_path, two_fields[3],
                       f"UPDATE participants SET full_name = '秘密' || char(1) WHERE id = '{pid}'")
    _assert_refused(tmp_path, hq, bad, f"participants row {pid} breaks a rule: Full name:")
    assert "秘密" not in exchange.merge(hq, [bad]).files[0].reason


def test_a_nul_byte_cannot_hide_the_length_of_a_value(tmp_path, two_fields):
    """SQLite's length() of text stops at a NUL: 10 MB behind one were let in."""
    hq = _hq_with_one_merge(tmp_path, two_fields)
    conn = sqlite3.connect(two_fields[3])
    pid = conn.execute("SELECT id FROM participants WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    for n, tail in enumerate(("''", "hex(zeroblob(5000000))")):
        bad = _reseal_edit(tmp_path, two_fields[3], f"UPDATE participants SET full_name = '秘密' || char(0) || {tail} "
                           f"WHERE id = '{pid}'")
        bad = bad.rename(tmp_path / f"nul-{n}.db")
        _assert_refused(tmp_path, hq, bad, f"participants row {pid} holds")  # named, never its value


@pytest.mark.parametrize("edit, words", [
    ("UPDATE participants SET birth_year = 2000", "trainees must be at least 16"),  # composite: age at start
    ("UPDATE participants SET gender = 'F'", "Gender: is not written in its stored form"),  # an alias, not a key
    ("UPDATE trainings SET status = 'graduated'", "trainings row"),
    ("UPDATE trainings SET id = 'x y' WHERE rowid = 1", "malformed ids"),
    # a newline inside an id (the ids are matched a batch at a time, joined by newlines)
    ("UPDATE trainings SET id = 'x' || char(10) || 'y' WHERE rowid = 1", "malformed ids"),
    ("UPDATE trainings SET updated_at = '2999-01-01T00:00:00+00:00'", "trainings has a change dated 2999-01-01"),
    # a malformed row is named before a wrong clock, whichever table comes first
    ("UPDATE participants SET updated_at = '2999-01-01T00:00:00+00:00'; "
     "UPDATE trainings SET id = 'x y' WHERE rowid = 1", "rows of trainings have malformed ids"),
])
def test_resealed_rows_are_checked_by_the_models(tmp_path, two_fields, edit, words):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = _reseal_edit(tmp_path, two_fields[3], "PRAGMA foreign_keys = OFF", *edit.split("; "))
    _assert_refused(tmp_path, hq, bad, words)


def test_placement_before_its_training_started_is_refused(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        t = s.save_trainee(trainee(cbo, "张一"))
        s.save_placement(Placement(training_id=t.training.id, employer="电力公司", job_title="电工",
                                   start_date=t.training.start_date, wage_cny=2500))
    out = tmp_path / "e.db"
    exchange.export(field, out)
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [])
    bad = _reseal_edit(tmp_path, out, "UPDATE placements SET start_date = '1995-01-01'")
    _assert_refused(tmp_path, hq, bad, "cannot be before the training started")


def test_tombstones_and_pseudonymised_rows_pass_the_model_checks(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        s.save_trainee(trainee(cbo, "欧阳娜娜", phone="13912345678", birth_date="1985-04-03"))
        gone = s.save_trainee(trainee(cbo, "司马懿", phone="13711112222"))
        s.delete("trainees", gone.training.id)  # its person becomes a tombstone "(removed)"
    for pseudo in (False, True):
        out = tmp_path / f"e{pseudo}.db"
        exchange.export(field, out, pseudonymise=pseudo, key="k")
        report = exchange.merge(tmp_path / f"hq{pseudo}.db", [out])
        assert not report.refused, report.files[0].reason
        assert report.files[0].total("inserted") == 5


def test_a_blob_is_refused_before_the_merge_reads_rows_as_json(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "blob.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE trainings SET course = x'00ff'")  # the checksum cannot hold it: the old seal stays
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "wrong type")


def test_a_damaged_page_is_refused_with_one_fixed_line(tmp_path, two_fields):
    hq = _hq_with_one_merge(tmp_path, two_fields)
    data = bytearray(two_fields[3].read_bytes())
    page = 4096 if len(data) > 8192 else 1024
    data[page + 8: page + 200] = b"\xff\xfe\n" * 64  # garbage, newlines and invalid UTF-8 in a b-tree page
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(data))
    _assert_refused(tmp_path, hq, bad, "damaged")


def test_a_blob_in_the_files_own_schema_is_refused_with_one_line(tmp_path, two_fields):
    """Found by the soak fuzz: damaged bytes can make a sqlite_master value a BLOB (bytes do not sort with str)."""
    hq = _hq_with_one_merge(tmp_path, two_fields)
    bad = tmp_path / "schema-blob.db"
    shutil.copyfile(two_fields[3], bad)
    conn = sqlite3.connect(bad)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET type = CAST(type AS BLOB) WHERE name = 'cbos'")
    conn.commit()
    conn.close()
    _assert_refused(tmp_path, hq, bad, "unexpected")


def test_a_utf16_header_is_refused_before_attaching(tmp_path, two_fields):
    """Found by the soak fuzz: a flipped encoding byte once passed the checks and made ATTACH fail
    inside the merge; now the header check refuses any text encoding but UTF-8."""
    hq = _hq_with_one_merge(tmp_path, two_fields)
    data = bytearray(two_fields[3].read_bytes())
    data[56:60] = (2).to_bytes(4, "big")  # UTF-16le
    bad = tmp_path / "utf16.db"
    bad.write_bytes(bytes(data))
    _assert_refused(tmp_path, hq, bad, "not a fieldtui export")


# --------------------------------------------------------------------------- pipelined checks


def _hq_state(hq: Path) -> tuple[bytes, bytes]:
    wal = Path(f"{hq}-wal")
    return hq.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture
def pipelined(monkeypatch):
    """Merges check files in the worker process whatever their size; counts the checks made here."""
    monkeypatch.setattr(worker, "PIPELINE_MIN_BYTES", 0)
    here: list[Path] = []
    check_here = worker._check_outcome

    def counted(path, *rest):
        here.append(path)
        return check_here(path, *rest)

    monkeypatch.setattr(worker, "_check_outcome", counted)
    return here


def test_pipelined_merge_refuses_a_bad_file_in_the_middle_and_merges_the_rest(tmp_path, two_fields, pipelined):
    _a, _b, ea, eb, _ = two_fields
    bad = _reseal_edit(tmp_path, eb, "UPDATE participants SET birth_year = 2000")  # trainees under 16
    expected_hq = tmp_path / "expected.db"
    exchange.merge(expected_hq, [ea, eb])
    alone = exchange.merge(tmp_path / "alone.db", [bad]).files[0].reason
    pipelined.clear()

    hq = tmp_path / "hq.db"
    states: dict[int, tuple[bytes, bytes]] = {}
    report = exchange.merge(hq, [ea, bad, eb], progress=lambda stage, done, total: states.setdefault(
        done, _hq_state(hq)))
    assert [f.accepted for f in report.files] == [True, False, True]
    assert report.files[1].reason == alone and "trainees must be at least 16" in alone
    assert states[1] == states[2]  # the refused file left headquarters byte-identical
    assert pipelined == [ea]  # the first file is checked here, the others in the worker
    assert table_contents(hq) == table_contents(expected_hq)
    assert not list(tmp_path.glob(".fieldtui-merge-*"))


def test_pipelined_merge_in_any_order_gives_the_same_file(tmp_path, two_fields, pipelined):
    _a, _b, ea, eb, _ = two_fields
    results = []
    for i, order in enumerate(([ea, eb, ea], [eb, ea, eb])):
        hq = tmp_path / f"hq{i}.db"
        report = exchange.merge(hq, order)
        assert [f.accepted for f in report.files] == [True, True, True]
        assert report.files[2].already_merged
        results.append(table_contents(hq))
    assert results[0] == results[1] and len({c[:3] for c in results[0]["conflicts"]}) == 1
    assert len(pipelined) == 2  # one file of each merge checked here


def test_a_worker_that_dies_is_replaced_by_checking_here(tmp_path, two_fields, pipelined, monkeypatch):
    _a, _b, ea, eb, _ = two_fields
    submit = worker._CheckWorker.submit

    def submit_and_die(self, *args):
        submit(self, *args)
        self.proc.kill()

    monkeypatch.setattr(worker._CheckWorker, "submit", submit_and_die)
    hq = tmp_path / "hq.db"
    report = exchange.merge(hq, [ea, eb])
    assert [f.accepted for f in report.files] == [True, True]
    assert pipelined == [ea, eb]
    expected = tmp_path / "expected.db"
    monkeypatch.setattr(worker, "PIPELINE_MIN_BYTES", 1 << 62)
    exchange.merge(expected, [ea, eb])
    assert table_contents(hq) == table_contents(expected)


def test_the_worker_refuses_in_the_callers_language(tmp_path, two_fields, pipelined):
    from fieldtui.i18n import set_language

    _a, _b, ea, eb, _ = two_fields
    bad = _reseal_edit(tmp_path, eb, "UPDATE participants SET birth_year = 2000")
    set_language("zh")
    alone = exchange.merge(tmp_path / "alone.db", [bad]).files[0].reason
    report = exchange.merge(tmp_path / "hq.db", [ea, bad])
    assert report.files[1].reason == alone
    assert pipelined[-1] == ea  # bad was checked by the worker
    assert "16" in alone and "trainees" not in alone  # in Chinese


def test_merge_settings_are_the_stores_own_again_after_a_merge(tmp_path, two_fields):
    _a, _b, ea, eb, _ = two_fields
    pragmas = ("cache_size", "temp_store", "wal_autocheckpoint")
    with Store.open(tmp_path / "hq.db", create=True) as hq:
        before = {p: hq.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas}
        exchange.merge_into(hq, [ea, eb])
        assert {p: hq.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas} == before
        busy, log, copied = hq.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, log) == (0, copied)  # the log was already copied into the file


def test_every_merged_file_is_committed_whatever_the_checkpoints(tmp_path, two_fields):
    """What a crash between two files leaves (the file and its log) holds every file merged so far."""
    a, _b, ea, eb, _ = two_fields
    with Store.open(a) as s:
        s.save_trainee(trainee(s.cbos()[0].id, "赵七"))
    ea2 = exchange.export(a, tmp_path / "a-export-2.db").path
    hq = tmp_path / "hq.db"
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()

    def snapshot(stage, done, total):
        for suffix in ("", "-wal"):
            if Path(f"{hq}{suffix}").exists():
                shutil.copyfile(f"{hq}{suffix}", snapshots / f"{done}.db{suffix}")

    exchange.merge(hq, [ea, eb, ea2], progress=snapshot)
    for done in (1, 2, 3):
        with Store.open(snapshots / f"{done}.db") as s:
            assert s.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == done


def test_a_name_or_phone_chosen_in_review_moves_the_person_in_lists_and_search(tmp_path, monkeypatch):
    """The person's list keys (pinyin order, pinyin/initials/phone search) follow the value a
    reviewer takes, not the one kept meanwhile."""
    from fieldtui.core.records import lists

    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        base = s.save_trainee(trainee(cbo, "丁一", phone="13800000000"))
    b = clone(a, tmp_path / "b.db")
    with Store.open(a) as s:
        edit_person(s, base.training.id, full_name="严格", phone="13911111111")
    with Store.open(b) as s:
        edit_person(s, base.training.id, full_name="万里", phone="13722222222")
    ea, eb = tmp_path / "a-export.db", tmp_path / "b-export.db"
    exchange.export(a, ea)
    exchange.export(b, eb)
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    monkeypatch.setattr(lists, "SEARCH_INDEX_CAP", 0)  # every search column walks the list
    with Store.open(hq) as s:
        found = {c["field"]: c for c in exchange.conflicts(s)}
        assert set(found) == {"full_name", "phone"}
        other = {f: c["versions"][1]["value"] for f, c in found.items()}  # not the one kept meanwhile
        for field in found:
            exchange.resolve_conflict(s, found[field]["row_id"], field, take="2")
        initials = {"严格": "yg", "万里": "wl"}[other["full_name"]]
        assert [r["full_name"] for r in s.page("trainees", search=initials)] == [other["full_name"]]
        assert [r["full_name"] for r in s.page("trainees", search=other["phone"][:3])] == [other["full_name"]]
        stale = s.conn.execute("SELECT count(*) FROM participants p JOIN participant_keys k ON k.participant_id "
                               "= p.id WHERE k.name IS NOT p.full_name OR k.phone IS NOT p.phone").fetchone()[0]
        assert stale == 0


def test_a_correction_undone_on_the_laptop_gives_headquarters_its_later_stamp_in_any_order(tmp_path):
    """A phone corrected, then put back: the row's content is what headquarters has ('same'), its
    last save later. Headquarters takes the later stamp whichever export comes first, so the
    files merged in any order are the same file."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        saved = s.save_trainee(trainee(make_cbo(s), "张一"))
    first = exchange.export(field, tmp_path / "first.db").path
    with Store.open(field) as s:
        phone = s.get_participant(saved.participant.id).phone
        edit_person(s, saved.training.id, phone="13911112222")
        edit_person(s, saved.training.id, phone=phone)
        last_save = s.conn.execute("SELECT updated_at FROM participants WHERE id = ?",
                                   (saved.participant.id,)).fetchone()[0]
    second = exchange.export(field, tmp_path / "second.db").path
    stamps = []
    for n, order in enumerate(([first, second], [second, first])):
        exchange.merge(tmp_path / f"hq{n}.db", order)
        with Store.open_readonly(tmp_path / f"hq{n}.db") as s:
            stamps.append(s.conn.execute("SELECT updated_at FROM participants WHERE id = ?",
                                         (saved.participant.id,)).fetchone()[0])
    assert stamps == [last_save, last_save]
