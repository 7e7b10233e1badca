"""The store's foundation: opening a file (or refusing it in one line), its schema version,
transactions, and the write-ahead log under the one writing connection.

Design choices (and why):
- `PRAGMA user_version` + frozen migrations (core/db/migrations), each in its own transaction:
  files written by any earlier version open in this one; a newer file is refused untouched.
  Read-only opens upgrade an older file in memory and change no byte of it.
- WAL + `synchronous=FULL`: every acknowledged save survives a crash and a power cut;
  `secure_delete=ON`: overwritten personal data is zeroed rather than left in free pages.
- One writing connection per file (the SQLite bundled with Python 3.11 has a WAL bug that needs
  two concurrent writers), explicit `BEGIN IMMEDIATE` transactions, nothing written half-way;
  before and after each, the journal is checked to be the one other programs read (db/journal.py).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from fieldtui.core import clock, pinyin
from fieldtui.core.db import files, migrations
from fieldtui.core.db.connect import (
    ACCESS_OR_DISK,
    APPLICATION_ID,
    check_openable,
    code,
    connect,
    failure,
    is_file_error,
)
from fieldtui.core.db.files import create_private_file
from fieldtui.core.db.journal import IdleTruncation, JournalWatch, truncate_log
from fieldtui.core.db.migrations import SCHEMA_VERSION
from fieldtui.core.errors import JournalLost, NotFieldtuiFile, SchemaTooNew, StoreError
from fieldtui.core.ids import new_id
from fieldtui.i18n import _


def _location(ident: tuple[int, int] | None) -> str | None:
    """Where this file is, as a short hash of the machine's id and the file's (device, inode):
    enough to tell a copy from the original, without keeping the machine's id in the file."""
    if ident is None:
        return None
    try:
        machine = Path("/etc/machine-id").read_text().strip()
    except OSError:
        import platform

        machine = platform.node()
    return hashlib.sha256(f"{machine}:{ident[0]}:{ident[1]}".encode()).hexdigest()[:16]


def default_operator() -> str:
    """Who works when nobody said: $FIELDTUI_OPERATOR, the `operator` setting, the OS user."""
    from fieldtui.core.settings import setting

    try:
        return os.environ.get("FIELDTUI_OPERATOR") or setting("operator") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


class StoreBase:
    """One open fieldtui file. Create with `Store.open(path)`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, readonly: bool,
                 operator: str | None = None, clock: Callable[[], str] = clock.utc_now):
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.operator = operator or default_operator()
        self.clock = clock
        self._ident: tuple[int, int] | None = None  # the file's identity while connected (db/files.py)
        self._watch: JournalWatch | None = None  # a writer's journal, set once it is open
        self._idle = IdleTruncation()
        self._pending_meta: dict[str, str] = {}  # written with the first real write (_own_device_id)

    # ---- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False, operator: str | None = None) -> Self:
        """Open a fieldtui file for writing, upgrading an older schema; create it if asked."""
        path = Path(path)
        files.check_path_usable(path)
        new = False
        try:
            if not path.exists():
                if not create:
                    raise StoreError(_("no such file: {path}").format(path=path))
                if not path.parent.exists():
                    raise StoreError(_("folder does not exist: {path}").format(path=path.parent))
                files.check_not_a_journal(path)
                create_private_file(path)
                new = True
            elif path.stat().st_size == 0 and create:
                files.check_not_a_journal(path)  # an empty log of the file beside it, left as it is
                new = True
            else:
                check_openable(path)
        except OSError as exc:
            raise StoreError(files.describe_os_error(exc, path, _("the file was not opened"))) from None
        try:
            conn = connect(str(path))
        except sqlite3.Error as exc:
            raise failure(exc, path, opening=True) from exc
        store = cls(conn, path, readonly=False, operator=operator)
        store._ident = files.register(path)
        try:
            if new:
                store._initialise()
            else:
                store._check_identity()
            store._configure_writer()
            store.migrate()
            store._watch = JournalWatch(store.conn)
            return store
        except BaseException as exc:
            store.close(checkpoint=False)
            if is_file_error(exc):
                raise failure(exc, path, opening=True) from exc
            raise

    @classmethod
    def open_readonly(cls, path: str | os.PathLike) -> Self:
        """Open a file without changing a byte of it; an older schema is upgraded in memory."""
        path = Path(path)
        check_openable(path)
        # With no -wal/-shm beside it nobody is writing the file: `immutable` reads it without
        # creating them (a read-only USB stick, a file that must stay byte-identical).
        busy = files.log_beside(path)
        try:
            conn = connect(f"{path.resolve().as_uri()}?mode=ro{'' if busy else '&immutable=1'}", uri=True)
        except sqlite3.Error as exc:
            raise failure(exc, path, opening=True) from exc
        store = cls(conn, path, readonly=True)
        store._ident = files.register(path)
        try:
            store._check_identity()
            if store.schema_version < SCHEMA_VERSION:
                mem = connect(":memory:")
                conn.backup(mem)
                store.close()
                store = cls(mem, path, readonly=False)
                store.migrate()
                store.readonly = True
            else:
                conn.execute("PRAGMA query_only = ON")
                pinyin.register(conn)  # lists read names in pinyin order (volunteers: kinds.ListSpec.name_keys)
            return store
        except sqlite3.DatabaseError as exc:
            store.close()
            raise NotFieldtuiFile(_("{path} cannot be read as a database: {reason}").format(
                path=path, reason=exc)) from None
        except BaseException:
            store.close()
            raise

    @classmethod
    def memory(cls, operator: str = "test") -> Self:
        conn = connect(":memory:")
        store = cls(conn, None, readonly=False, operator=operator)
        store._initialise()
        store.migrate()
        return store

    def _initialise(self) -> None:
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _check_identity(self) -> None:
        """Is this a fieldtui file this version can read? Asked of SQLite, which reads the header."""
        try:
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            version = self.schema_version
            empty = self.conn.execute("PRAGMA page_count").fetchone()[0] == 0
        except sqlite3.DatabaseError as exc:
            if code(exc) in ACCESS_OR_DISK:  # the folder or disk, not the file
                raise failure(exc, self.path, opening=True) from exc
            if code(exc) == sqlite3.SQLITE_NOTADB:
                raise failure(exc, self.path, opening=True) from None
            raise NotFieldtuiFile(_("{path} cannot be read as a database: {reason}").format(
                path=self.path, reason=exc)) from None
        if empty:
            raise NotFieldtuiFile(_("{path} is not a SQLite database").format(path=self.path))
        if app_id != APPLICATION_ID:
            raise NotFieldtuiFile(_("{path} is a SQLite database of another application, not a fieldtui file").format(
                path=self.path))
        if version < 0:  # a damaged header (found by fuzzing): no migration path from there
            raise NotFieldtuiFile(_("{path} is damaged: its schema version is invalid").format(path=self.path))
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(_(
                "{path} was written by a newer fieldtui (schema {found}, this version reads up to {known}); "
                "please update fieldtui").format(path=self.path, found=version, known=SCHEMA_VERSION))
        self._check_no_foreign_sql()
        self._check_not_an_export()

    def _check_not_an_export(self) -> None:
        """An export (exchange/export.py: the record tables and a `manifest`, none of the tables
        the app keeps beside them) is for headquarters to merge. Opened to work in, the app
        stopped on a missing table, and `summary` and `merge EXPORT FILE` (the arguments
        swapped) called it damaged. Refused before a byte is written: it still merges."""
        tables = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('manifest', 'audit')")}
        if tables == {"manifest"}:  # a table of the user's own called manifest beside the audit: not an export
            raise NotFieldtuiFile(_(
                "{path} is an export for headquarters, not a file to work in: merge it into the headquarters "
                "file (fieldtui merge HQ.db {path}); to change its records, open the file it was exported from"
            ).format(path=self.path))

    def _check_no_foreign_sql(self) -> None:
        """fieldtui makes no view, and no trigger but those of its migrations (the pinyin keys'
        upkeep, 0013; records never deleted or renumbered, 0014). A trigger added with the
        sqlite3 program would run inside fieldtui's own transactions (a save could wipe a table);
        a view named like one of fieldtui's tables would answer its reads. Either is refused
        before anything is read or written, as is one of our triggers' names with another body.
        Views and tables of the user's own, under other names, are left alone."""
        found = self.conn.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view')").fetchall()
        ours = migrations.table_names() if any(kind == "view" for kind, _name, _sql in found) else frozenset()
        for kind, name, sql in found:
            if kind == "trigger" and (name, " ".join(str(sql).split())) in migrations.our_triggers():
                continue
            if kind == "trigger" or name in ours:
                raise StoreError(_(
                    "{path} holds a {kind} named {name} that fieldtui did not make (added outside "
                    "fieldtui); open a backup, or remove it with the sqlite3 program").format(
                    path=self.path, kind=_("trigger") if kind == "trigger" else _("view"), name=name))

    def _configure_writer(self) -> None:
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(_("cannot use write-ahead logging on {path}").format(path=self.path))
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA secure_delete = ON")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the migrations this file has not seen, each in its own transaction."""
        migrations.apply(self.conn, self.schema_version, target, self.transaction)
        if not self.readonly:
            if target == SCHEMA_VERSION:  # a dropped trigger of ours made again (migrations 0014)
                migrations.restore_triggers(self.conn, self.transaction)
            self._own_device_id()

    def _own_device_id(self) -> None:
        """Give the file a device id, and a new one when it is a copy (another machine or file
        than where it was last written): two laptops set up from one file are then two devices
        in every conflict listing. Nothing in the merge depends on it (records/history.py). A
        copy is renamed with its first change (`device_id`), never by opening or reading it (a
        refused merge, a summary, an unedited import: the file stays byte-identical)."""
        where = _location(self._ident)
        if self.get_meta("device_id") is None:
            with self.transaction():
                self.set_meta("device_id", new_id())
                if where is not None:
                    self.set_meta("location", where)
            return
        known = self.get_meta("location")
        if where is not None and known != where:
            # A copy, or a file from before locations were kept (which may be a copy too): a new
            # device, named after the one it came from.
            self._pending_meta = {"location": where, "copied_from": self.get_meta("device_id") or "",
                                  "device_id": new_id()}

    def close(self, *, checkpoint: bool = True) -> None:
        """Close the connection; a writer first empties its log if no reader is in the way (a
        program still using the file keeps it, and the last one to close removes it)."""
        if checkpoint and self._watch is not None:
            truncate_log(self.conn)
        self.conn.close()
        files.unregister(self._ident)
        self._ident = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the journal under the writer ---------------------------------------------------

    def _reopen(self) -> None:
        """A fresh connection after the -wal/-shm were deleted or replaced under this one.

        Nothing was written into the deleted log since the last check (every write is checked
        first), and whatever was written before it went was checkpointed by the program that
        removed it, so closing the old connection loses nothing."""
        self.close(checkpoint=False)
        self.conn = connect(str(self.path))
        self._ident = files.register(self.path)
        self._check_identity()
        self._configure_writer()
        self._watch = JournalWatch(self.conn)

    def set_journal_mode(self, mode: str) -> None:
        """Change the journal mode (a throw-away build turns it OFF, a file to commit wants DELETE);
        only a write-ahead log is watched (`_journal_problem`)."""
        self.conn.execute(f"PRAGMA journal_mode = {mode}")
        self._watch = JournalWatch(self.conn) if mode.lower() == "wal" else None

    def _journal_problem(self) -> str | None:
        """None if this writer's files are the ones it opened; else why a save cannot be trusted."""
        if self._watch is None:
            return None
        state = self._watch.state()
        if state == "ok":
            return None
        if state == "file":
            return _("the database {path} was moved, replaced or deleted by another program while "
                     "fieldtui had it open, so nothing was saved: close fieldtui and open the file again").format(
                path=self.path)
        return _("another program removed this file's journal while it was open, so this save may not "
                 "have been kept: check the record, and close other programs using {path}").format(path=self.path)

    def _begin(self) -> None:
        """BEGIN IMMEDIATE on files that are still ours (reconnecting once if the journal went)."""
        self.conn.execute("BEGIN IMMEDIATE")
        if self._journal_problem() is None:
            return
        self.conn.execute("ROLLBACK")
        attached = self.conn.execute(
            "SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp')").fetchone()[0]
        if self._watch is not None and self._watch.state() == "journal" and not attached:
            self._reopen()
            self.conn.execute("BEGIN IMMEDIATE")
            if self._journal_problem() is None:
                return
            self.conn.execute("ROLLBACK")
        raise JournalLost(self._journal_problem() or "")

    def truncate_log_if_idle(self) -> bool:
        """Empty the write-ahead log once the app has been idle a moment (see core/db/journal.py).
        Returns True if it was emptied now."""
        if self._watch is None or self.conn.in_transaction or not self._idle.due(self._watch):
            return False
        if self._journal_problem() is not None:
            return False
        return truncate_log(self.conn)

    # ---- transactions and meta -----------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

        A file or disk failure (read-only, disk full, I/O error, busy, damaged) becomes a StoreError
        subclass with a message for people; the file keeps its state before the transaction. A
        save is acknowledged only if the files it went into are still the ones other programs
        read (JournalLost otherwise, see core/db/journal.py)."""
        if self.conn.in_transaction:  # nested: the outer transaction decides
            yield self.conn
            return
        try:
            self._begin()
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself after some errors (disk full, I/O error).
                if self.conn.in_transaction:  # a failed ROLLBACK: the original error says more, and
                    with contextlib.suppress(sqlite3.Error):  # the journal undoes the rest on reopen
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            # A file attached by a merge must be checked before its transaction starts, so an
            # error here is about this store's own file or disk.
            if is_file_error(exc):
                raise failure(exc, self.path) from exc
            raise
        self._idle.wrote()
        if self._pending_meta and self.get_meta("device_id") == self._pending_meta["device_id"]:
            self._pending_meta = {}  # renamed (see device_id), and committed
        problem = self._journal_problem()
        if problem is not None:
            raise JournalLost(problem)

    @property
    def device_id(self) -> str:
        """This file's id, named in the versions of what is changed here (records/history.py).
        A copy takes its new id here, inside the transaction of its first change (a transaction
        that changes nothing, an unedited import, leaves the file as it was)."""
        if self._pending_meta and self.conn.in_transaction:
            for key, value in self._pending_meta.items():
                self.set_meta(key, value)
        return self.get_meta("device_id") or "unknown"

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

