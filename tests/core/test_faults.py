"""Saves that cannot be written: a read-only file or folder, a full disk, a failing disk.

Each fault must raise a StoreError subclass with a one-line message a person understands, and
leave the database exactly as it was (same records, integrity ok); after the fault is cleared the
same store saves again. Faults are real, not mocked: a read-only file (chmod, and `chattr +i`
when running as root, since root ignores permissions), a real full filesystem (a 1 MiB tmpfs in
a private mount namespace, when `unshare` is allowed) and SQLite's own page limit
(`PRAGMA max_page_count`, which fails exactly like a full disk and runs everywhere).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from fieldtui.core.models import CBO, TraineeRecord, validate
from fieldtui.core.store import DiskError, DiskFull, Store, StoreBusy, StoreError, StoreReadOnly
from tests.multiprocess.conftest import in_private_mount


def _cbo() -> CBO:
    return validate(CBO, dict(name_zh="光明", name_en="Bright", grant_usd=1000, target_direct=10))


def _trainee(cbo_id: str, name: str = "王建国") -> TraineeRecord:
    return validate(TraineeRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=name, gender="male", birth_year=1985, province="河南",
                         origin="recent_arrival", registered_on="2010-03-01", registered_by="李老师"),
        training=dict(course="电工", start_date="2010-03-10", status="enrolled")))


def _content(path: Path) -> list[str]:
    """Every row of the file as SQL text (a logical snapshot, independent of WAL/checkpoint state)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return list(conn.iterdump())
    finally:
        conn.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text
    return text


@contextmanager
def _immutable(*paths: Path):
    """Make files/folders unwritable even for root (`chattr +i`); skip where that is not possible."""
    if os.geteuid() != 0:
        yield
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", *map(str, paths)],
                                                     capture_output=True).returncode:
        pytest.skip("running as root and chattr +i is not available: cannot make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.fixture
def filled(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        cbo_id = s.save_cbo(_cbo()).id
        s.save_trainee(_trainee(cbo_id))
    return path, cbo_id


def test_save_to_a_read_only_file_is_refused_with_a_message(filled):
    path, cbo_id = filled
    before = _content(path)
    raw = path.read_bytes()
    path.chmod(0o444)
    try:
        with _immutable(path):
            with Store.open(path) as s:  # reading a read-only file is fine...
                with pytest.raises(StoreReadOnly) as info:  # ...saving is not
                    s.save_trainee(_trainee(cbo_id, "李娜"))
                assert s.count("trainees") == 1
                msg = _one_line(info.value)
                assert "read-only" in msg and "nothing was saved" in msg and str(path) in msg
                # The store stays usable for reading after the failure.
                assert s.page("trainees")[0]["full_name"] == "王建国"
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == raw
    assert _content(path) == before


def test_read_only_folder_without_wal_refuses_to_open_with_a_message(filled, tmp_path):
    """A WAL file needs its -wal/-shm beside it: a cleanly closed file in a read-only folder."""
    path, _ = filled
    assert not Path(f"{path}-wal").exists()  # closed cleanly: nothing beside it
    raw = path.read_bytes()
    folder = path.parent
    folder.chmod(0o555)
    try:
        with _immutable(folder):
            try:
                with Store.open(path) as s:
                    with pytest.raises(StoreError) as info:
                        s.save_trainee(_trainee(s.cbos()[0].id, "李娜"))
            except StoreError as exc:
                info = pytest.ExceptionInfo.from_exception(exc)
            assert isinstance(info.value, (StoreReadOnly, DiskError)), info.value
            _one_line(info.value)
    finally:
        folder.chmod(0o755)
    assert path.read_bytes() == raw


def test_wal_that_cannot_be_written_mid_session_is_a_clear_error(filled):
    """The medium turns read-only under an open store: SQLite reports an I/O error and rolls back."""
    path, cbo_id = filled
    if os.geteuid() != 0:
        pytest.skip("needs root (chattr +i) to make an already-open file unwritable")
    with Store.open(path) as s:
        s.save_trainee(_trainee(cbo_id, "张伟"))
        before = _content(path)
        with _immutable(Path(f"{path}-wal"), path):
            with pytest.raises(StoreError) as info:
                s.save_trainee(_trainee(cbo_id, "李娜"))
            assert isinstance(info.value, (DiskError, StoreReadOnly))
            assert "nothing was saved" in _one_line(info.value)
            assert not s.conn.in_transaction
        assert _content(path) == before
        # Once writable again, the same open store saves.
        s.save_trainee(_trainee(cbo_id, "李娜"))
        assert s.count("trainees") == 3


def test_full_database_page_limit_is_reported_as_a_full_disk(filled):
    """`max_page_count` makes SQLite fail with SQLITE_FULL exactly where a full disk would."""
    path, cbo_id = filled
    with Store.open(path) as s:
        before = _content(path)
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages}")
        saved = 0
        with pytest.raises(DiskFull) as info:
            for n in range(10_000):
                s.save_trainee(_trainee(cbo_id, f"学员{n}" + "长" * 50))
                saved += 1
        msg = _one_line(info.value)
        assert msg.startswith("the disk is full, so nothing was saved")
        assert not s.conn.in_transaction
        assert s.count("trainees") == 1 + saved  # the failed save left nothing behind
        after_fail = _content(path)
        # Free space again: the same store saves.
        s.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
        s.save_trainee(_trainee(cbo_id, "李娜"))
    assert len(after_fail) >= len(before)
    with Store.open(path) as s:
        assert s.count("trainees") == 2 + saved
        assert [r[0] for r in s.conn.execute("PRAGMA integrity_check")] == ["ok"]


_FILL_DISK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from fieldtui.core.models import CBO, TraineeRecord, validate
    from fieldtui.core.store import Store, StoreError

    path = Path(sys.argv[1])
    store = Store.open(path, create=True)
    cbo_id = store.save_cbo(validate(CBO, {cbo!r})).id
    acked = 0
    try:
        while True:
            record = {trainee!r}
            record["participant"]["cbo_id"] = cbo_id
            store.save_trainee(validate(TraineeRecord, record))
            acked += 1
    except StoreError as exc:
        print(type(exc).__name__, acked, str(exc), sep="|")
    store.close()
""")


def test_real_full_disk_on_a_tiny_tmpfs(tmp_path):
    """A real ENOSPC: fill a 1 MiB tmpfs (private mount namespace; skipped where not allowed)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = tmp_path / "fill.py"
    cbo = _cbo().model_dump(mode="json")
    trainee = _trainee("x", "学员" + "长" * 50).model_dump(mode="json")
    script.write_text(_FILL_DISK.format(cbo=cbo, trainee=trainee))
    db = mnt / "field.db"
    shell = (f"mount -t tmpfs -o size=1m tmpfs {mnt} && {sys.executable} {script} {db} && "
             f"{sys.executable} -c \"import sqlite3; c = sqlite3.connect('{db}'); "
             "print(c.execute('PRAGMA integrity_check').fetchone()[0], "
             "c.execute('SELECT count(*) FROM trainings').fetchone()[0], sep='|')\"")
    run = in_private_mount(shell, timeout=120)
    assert "Traceback" not in run.stdout + run.stderr
    failure_line, check_line = run.stdout.strip().splitlines()
    kind, acked, message = failure_line.split("|")
    assert kind in ("DiskFull", "DiskError"), failure_line
    assert "nothing was saved" in message
    integrity, rows = check_line.split("|")
    assert integrity == "ok"
    assert int(rows) == int(acked) > 0  # every acknowledged save is there, the failed one is not


def test_a_second_writer_holding_the_lock_is_a_clear_busy_error(filled):
    path, cbo_id = filled
    with Store.open(path) as s:
        s.conn.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            before = _content(path)
            with pytest.raises(StoreBusy) as info:
                s.save_trainee(_trainee(cbo_id, "李娜"))
            assert "in use by another program" in _one_line(info.value)
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert _content(path) == before
        s.save_trainee(_trainee(cbo_id, "李娜"))



def test_damaged_page_in_own_file_gives_a_message_not_a_traceback(filled):
    """A page of the trainings table overwritten with garbage (a bad sector, a torn copy)."""
    path, cbo_id = filled
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'trainings'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)
    try:
        with Store.open(path) as s:
            s.save_trainee(_trainee(cbo_id, "李娜"))
            s.page("trainees")
    except StoreError as exc:
        assert "damaged" in _one_line(exc) or "cannot be read" in str(exc)
    else:
        pytest.fail("a damaged table page went unnoticed")


def test_fault_messages_speak_the_chosen_language(filled):
    from fieldtui.i18n import set_language

    path, cbo_id = filled
    set_language("zh")
    with Store.open(path) as s:
        s.conn.execute(f"PRAGMA max_page_count = {s.conn.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(DiskFull) as info:
            for n in range(10_000):
                s.save_trainee(_trainee(cbo_id, f"学员{n}" + "长" * 50))
    assert _one_line(info.value).startswith("磁盘已满，因此没有保存任何内容")
