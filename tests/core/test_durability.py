"""Crash durability: SIGKILL a process in the middle of a burst of saves, many times over.

A forked child opens the file through `Store.open` and saves trainees as fast as it can,
writing each id to a pipe only after `save_trainee` returned (the save is acknowledged). The
parent kills it with SIGKILL at a random moment (during opening/WAL recovery, mid-transaction,
between commit and acknowledgement...), then reopens the file and checks that
`PRAGMA integrity_check` is ok, every acknowledged save is present, and nothing is half-written
(each trainee has its person and both audit rows).

SIGKILL tests what an app crash or a closed laptop lid can do; a power cut additionally drops
the OS page cache, which is covered by `synchronous=FULL` (an fsync of the WAL at every commit,
asserted below) and cannot be simulated without a VM.
The child is forked (not spawned) so a round costs milliseconds, not an interpreter start-up.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from fieldtui.core import pinyin
from fieldtui.core.models import CBO, TraineeRecord, validate
from fieldtui.core.store import Store

FAST_KILLS = 20
SOAK_KILLS = 500


def _trainee(cbo_id: str, n: int) -> TraineeRecord:
    return validate(TraineeRecord, dict(
        participant=dict(cbo_id=cbo_id, full_name=f"测试学员{n}", gender="female", birth_year=1990,
                         province="河南", origin="recent_arrival", household_members=n % 5,
                         registered_on="2012-03-01", registered_by="李老师"),
        training=dict(course="家政", start_date="2012-03-10", status="enrolled")))


def _child_saves(path: Path, cbo_id: str, out_fd: int) -> None:
    """Runs in the forked child: save forever, acknowledging each committed id. Never returns."""
    try:
        store = Store.open(path)
        os.write(out_fd, b"open\n")
        n = 0
        while True:
            saved = store.save_trainee(_trainee(cbo_id, n))
            os.write(out_fd, f"ack {saved.training.id}\n".encode())
            n += 1
    finally:
        os._exit(1)  # never run the parent's pytest machinery in the child


def _kill_round(path: Path, cbo_id: str, delay: float) -> list[str]:
    """Fork a saver, SIGKILL it after `delay` seconds, return the ids it acknowledged."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        _child_saves(path, cbo_id, write_fd)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + delay
    while (left := deadline - time.monotonic()) > 0:  # drain the pipe so the child never blocks on it
        if select.select([read_fd], [], [], left)[0]:
            chunks.append(os.read(read_fd, 65536))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status), "the saver stopped by itself: look at its error (run one round by hand)"
    while chunk := os.read(read_fd, 65536):  # the write end is closed now: reads until EOF
        chunks.append(chunk)
    os.close(read_fd)
    lines = b"".join(chunks).decode().splitlines()
    # A line cut by the kill is not an acknowledgement; whole lines end with "\n".
    return [line[4:] for line in lines if line.startswith("ack ") and len(line) == 4 + 36]


def _check(path: Path, acked: set[str]) -> set[str]:
    """Integrity, nothing lost, nothing half-written. Returns the ids of the trainings on disk."""
    conn = sqlite3.connect(path, isolation_level=None)  # a writer connection: recovers the WAL
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = {r[0] for r in conn.execute("SELECT id FROM trainings")}
        lost = acked - ids
        assert not lost, f"{len(lost)} acknowledged saves lost"
        people = conn.execute("SELECT count(*) FROM participants").fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audit WHERE table_name IN ('participants', 'trainings')"
                              ).fetchone()[0]
        assert people == len(ids) and audits == 2 * len(ids), "a save was written half-way"
        return ids
    finally:
        conn.close()


def _run(tmp_path: Path, kills: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    path = tmp_path / "field.db"
    # What a save loads on first use (pypinyin's dictionary: 0.12 s) is loaded here, before the
    # forks: else each child spends most of a round loading it, and whether any save is
    # acknowledged depended on what the worker's earlier tests had imported.
    pinyin.keys("测试学员")
    with Store.open(path, create=True) as store:
        cbo_id = store.save_cbo(validate(CBO, dict(name_zh="光明", name_en="Bright", grant_usd=1000,
                                                   target_direct=10))).id
    acked: set[str] = set()
    unacked: set[str] = set()
    for _ in range(kills):
        # Mostly short delays (kill during open/recovery or the first saves), some longer bursts.
        delay = rng.uniform(0, 0.02) if rng.random() < 0.4 else rng.uniform(0.02, 0.15)
        acked.update(_kill_round(path, cbo_id, delay))
        on_disk = _check(path, acked)
        new_unacked = on_disk - acked - unacked
        # Only the save in flight when the kill came may be on disk without its acknowledgement.
        assert len(new_unacked) <= 1
        unacked |= new_unacked
    return {"kills": kills, "acknowledged": len(acked), "rows": len(on_disk), "lost": len(acked - on_disk),
            "committed_not_acknowledged": len(unacked)}


def test_every_writer_connection_fsyncs_each_commit(tmp_path):
    """Why a power cut loses nothing acknowledged: WAL with synchronous=FULL on the writer."""
    with Store.open(tmp_path / "f.db", create=True) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: fsync the WAL at every commit
        assert s.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_kills_during_saves_lose_no_acknowledged_save(tmp_path):
    result = _run(tmp_path, FAST_KILLS, seed=7)
    assert result["lost"] == 0
    assert result["acknowledged"] > FAST_KILLS, "too few saves acknowledged: the rounds are too short to test much"


@pytest.mark.slow
def test_soak_kills_during_saves(tmp_path, capsys):
    seed = int(os.environ.get("FIELDTUI_SOAK_SEED", "20261125"))
    result = _run(tmp_path, int(os.environ.get("FIELDTUI_SOAK_KILLS", SOAK_KILLS)), seed)
    with capsys.disabled():
        print(f"\n[durability] seed {seed}: {result['kills']} SIGKILLs during saves; "
              f"{result['acknowledged']} saves acknowledged, {result['rows']} rows on disk, "
              f"{result['lost']} acknowledged saves lost, "
              f"{result['committed_not_acknowledged']} committed but killed before acknowledging; "
              "integrity_check ok after every kill")
