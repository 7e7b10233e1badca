"""The write-ahead log under a writing connection: still ours before a save, emptied when idle.

A save is acknowledged only if it landed where other programs read. If the `-wal`/`-shm` files
were deleted or replaced under the connection (another program closed its connection believing
it was the last, a backup tool, a person), SQLite goes on writing into the deleted files: other
programs never see those saves and a crash loses them. `JournalWatch` notes the (device, inode)
of the database and its journal files once the connection has them open, and compares them
before and after every write transaction (three stat calls, against an fsync per commit).

A write-ahead log also keeps old page images (an old phone, a removed name) until a checkpoint
resets it: `truncate_when_idle` copies the log into the file and truncates it, so edited or
removed personal data leaves the `-wal` within seconds of the app going idle, not only at close.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time

from fieldtui.core.db.files import identity

#: Seconds without a write before the log is checkpointed and truncated.
IDLE_SECONDS = 2.0


def database_file(conn: sqlite3.Connection) -> str | None:
    """The file SQLite opened for `main` (symbolic links resolved, as SQLite names its journal)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


class JournalWatch:
    """What the files of one writing connection were when it opened them; `state()` compares."""

    def __init__(self, conn: sqlite3.Connection):
        self.file = database_file(conn)
        self.expected = self._now()

    def _now(self) -> tuple[tuple[int, int] | None, ...]:
        if self.file is None:
            return ()
        return tuple(identity(self.file + suffix) for suffix in ("", "-wal", "-shm"))

    def state(self) -> str:
        """'ok'; 'journal' if the -wal/-shm went or were replaced; 'file' if the database did."""
        if self.file is None:
            return "ok"
        now = self._now()
        if now[0] != self.expected[0]:
            return "file"
        if None in self.expected[1:]:  # not created yet when we looked (a brand-new file)
            self.expected = now
            return "ok" if None not in now[1:] else "journal"
        return "ok" if now[1:] == self.expected[1:] else "journal"

    def log_bytes(self) -> int:
        try:
            return os.stat(self.file + "-wal").st_size if self.file else 0
        except OSError:
            return 0


def truncate_log(conn: sqlite3.Connection) -> bool:
    """Checkpoint the whole log into the file and truncate it, without waiting for readers.

    Returns True when the log is empty afterwards. Another program in the middle of a read makes
    it return False at once (busy_timeout 0 for the call): the caller tries again later."""
    before = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    except sqlite3.Error:
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {int(before)}")


class IdleTruncation:
    """Decides when a writer's log is due for `truncate_log`: written, then idle a while."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self.last_write: float | None = None

    def wrote(self) -> None:
        self.last_write = time.monotonic()

    def due(self, watch: JournalWatch) -> bool:
        if self.last_write is not None and time.monotonic() - self.last_write < self.idle_seconds:
            return False
        # Another program's writes (an import beside the app) count too: any log left is emptied.
        return watch.log_bytes() > 0
