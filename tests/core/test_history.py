"""Each field's versions are recorded with the version they were made on, and copies share them."""

from __future__ import annotations

import shutil

from fieldtui.core import exchange
from fieldtui.core.records import history
from fieldtui.core.store import Store
from tests.core.test_store import make_cbo, trainee


def _changes(store: Store, row_id: str) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in store.conn.execute(
        "SELECT field, stamp, base FROM field_changes WHERE row_id = ? ORDER BY stamp, field", (row_id,))]


def _edit_phone(store: Store, pid: str, phone: str) -> None:
    record = store.get_trainee(store.enrolment_of("trainees", pid))
    person = record.participant.model_copy(update={"phone": phone})
    store.save_trainee(record.model_copy(update={"participant": person}))


def test_each_change_of_a_field_is_made_on_the_one_before(tmp_path):
    times = iter(f"2026-01-0{i}T00:00:00.000000+00:00" for i in range(1, 10))
    with Store.open(tmp_path / "f.db", create=True) as store:
        store.clock = lambda: next(times)
        pid = store.save_trainee(trainee(make_cbo(store))).participant.id
        created = store.conn.execute("SELECT created_at FROM participants WHERE id = ?", (pid,)).fetchone()[0]
        assert _changes(store, pid) == []  # nothing changed since it was created
        _edit_phone(store, pid, "13812345678")
        _edit_phone(store, pid, "13912345678")
        first, second = [s for _f, s, _b in _changes(store, pid)]
        assert _changes(store, pid) == [("phone", first, created), ("phone", second, first)]
        assert history.heads(store.conn, "participants", pid, "phone", created) == [second]
        assert history.heads(store.conn, "participants", pid, "gender", created) == [created]
        store.delete("trainees", store.enrolment_of("trainees", pid))
        assert ("deleted", "2026-01-05T00:00:00.000000+00:00", created) in _changes(store, pid)


def test_two_copies_of_a_file_edited_apart_make_their_changes_on_the_same_version(tmp_path):
    with Store.open(tmp_path / "a.db", create=True) as store:
        pid = store.save_trainee(trainee(make_cbo(store))).participant.id
        created = store.conn.execute("SELECT created_at FROM participants WHERE id = ?", (pid,)).fetchone()[0]
    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    for name, phone in (("a.db", "13812345678"), ("b.db", "13912345678")):
        with Store.open(tmp_path / name) as store:
            _edit_phone(store, pid, phone)
            [(field, _stamp, base)] = _changes(store, pid)
            assert (field, base) == ("phone", created)  # side by side: the same base, whatever the device id


def test_a_file_edited_while_the_laptops_clock_had_fallen_back_still_merges(tmp_path):
    # The clock fell back to 2010 (a flat battery) for one edit, then was put right and the
    # person edited again. Before: the edit was stamped 2010, before the version it was made on,
    # and headquarters refused the file forever ("history does not match its rows").
    field = tmp_path / "f.db"
    with Store.open(field, create=True) as store:
        pid = store.save_trainee(trainee(make_cbo(store))).participant.id
    with Store.open(field) as store:
        store.clock = lambda: "2010-01-01T00:00:05.000000+00:00"
        _edit_phone(store, pid, "13812345678")
        [(_field, stamp, base)] = _changes(store, pid)
        assert stamp > base  # made after the version it was made on, whatever the clock said
    with Store.open(field) as store:
        _edit_phone(store, pid, "13912345678")
    exchange.export(field, tmp_path / "e.db")
    (result,) = exchange.merge(tmp_path / "hq.db", [tmp_path / "e.db"]).files
    assert result.accepted, result.reason
    with Store.open_readonly(tmp_path / "hq.db") as hq:
        assert hq.conn.execute("SELECT phone FROM participants WHERE id = ?", (pid,)).fetchone()[0] == "13912345678"
