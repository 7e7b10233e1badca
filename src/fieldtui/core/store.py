"""The only module with SQL for records: schema, migrations, saves, soft deletes, lists, audit.

Design choices (and why):
- UUIDv7-style text ids: globally unique across field laptops, so headquarters can merge files
  without renumbering, and time-ordered so inserts stay near the end of the key B-tree.
- Soft delete (`deleted = 1`, a tombstone): a deletion must travel to headquarters like any edit.
- `PRAGMA user_version` + ordered migrations, each in its own transaction: files written by any
  earlier version open in this one; a newer file is refused rather than damaged.
- WAL + `synchronous=FULL`: every acknowledged save survives a crash and a power cut.
  `secure_delete=ON`: overwritten personal data is zeroed rather than left in free pages.
- One writing connection per file (the SQLite bundled with Python 3.11 has a WAL bug that needs
  two concurrent writers), explicit `BEGIN IMMEDIATE` transactions, nothing written half-way.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import operator
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.core.db import files
from fieldtui.core.db.files import create_private_file
from fieldtui.core.db.journal import IdleTruncation, JournalWatch, truncate_log
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.ids import new_id
from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import N_, _, labelled, language

if TYPE_CHECKING:
    from fieldtui.core.models import (
        CBO,
        AfterSchool,
        ChildRecord,
        OtherProgramme,
        Participant,
        ParticipantRecord,
        Placement,
        TraineeRecord,
        Training,
        check_placement_against_training,
    )

# The models (pydantic) load on first use, not at import: they are a fifth of the app's start-up
# (benchmarks/), and the first screen needs none of them. Code here says `_models.Name` at run time.
_models = lazy_module("fieldtui.core.models")

APPLICATION_ID = 0x46545549  # "FTUI" in the SQLite header: marks a fieldtui file
SQLITE_MAGIC = b"SQLite format 3\x00"

#: Tables holding records, in foreign-key order (parents first).
RECORD_TABLES = ("cbos", "participants", "trainings", "after_school", "other_programmes", "placements")

# --------------------------------------------------------------------------- schema

_STAMPS = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))"""

MIGRATIONS: list[str] = [
    # 1: the first released schema.
    f"""
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cbos (
        id TEXT PRIMARY KEY,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        city TEXT NOT NULL,
        sector TEXT NOT NULL,
        grant_usd REAL NOT NULL,
        target_direct INTEGER NOT NULL,
        sii REAL,
        programmes TEXT NOT NULL DEFAULT '[]',{_STAMPS}
    );
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        cbo_id TEXT NOT NULL REFERENCES cbos(id),
        full_name TEXT NOT NULL,
        gender TEXT NOT NULL,
        birth_year INTEGER NOT NULL,
        birth_date TEXT,
        province TEXT NOT NULL,
        origin TEXT NOT NULL,
        phone TEXT,
        household_members INTEGER NOT NULL DEFAULT 0,
        registered_on TEXT NOT NULL,
        registered_by TEXT NOT NULL,{_STAMPS}
    );
    CREATE TABLE trainings (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        course TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT,
        status TEXT NOT NULL,
        income_before_cny REAL,{_STAMPS}
    );
    CREATE TABLE after_school (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        school TEXT NOT NULL,
        grade INTEGER NOT NULL,
        guardian_name TEXT,
        programme TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT,{_STAMPS}
    );
    CREATE TABLE other_programmes (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        programme TEXT NOT NULL,
        description TEXT,
        start_date TEXT NOT NULL,
        end_date TEXT,{_STAMPS}
    );
    CREATE TABLE placements (
        id TEXT PRIMARY KEY,
        training_id TEXT NOT NULL REFERENCES trainings(id),
        employer TEXT NOT NULL,
        job_title TEXT NOT NULL,
        start_date TEXT NOT NULL,
        wage_cny REAL NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,{_STAMPS}
    );
    CREATE INDEX participants_cbo ON participants (cbo_id, deleted, household_members);
    CREATE INDEX participants_name ON participants (full_name COLLATE NOCASE);
    CREATE INDEX trainings_participant ON trainings (participant_id);
    CREATE INDEX after_school_participant ON after_school (participant_id);
    CREATE INDEX other_programmes_participant ON other_programmes (participant_id);
    CREATE INDEX placements_training ON placements (training_id);
    """,
    # 2: guardian consent (PIPL: children under 14), an audit trail, phone search, date filters.
    """
    ALTER TABLE after_school ADD COLUMN guardian_consent INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'merge', 'import')),
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL
    );
    CREATE INDEX audit_row ON audit (table_name, row_id);
    CREATE INDEX participants_phone ON participants (phone) WHERE phone IS NOT NULL;
    CREATE INDEX participants_registered ON participants (registered_on, cbo_id, deleted, household_members);
    """,
    # 3 (exchange): what headquarters has merged (see core/exchange.py for the semantics).
    # merges: one row per export merged (re-merging it is a no-op). row_versions: every version of
    # every row seen, per device (a device's history is linear, which is how "newer" is known);
    # device -> devices.seq, export -> merges.seq (0: headquarters' own edit), small on purpose.
    # row_data: the content of versions that lost to another device's (kept for review).
    # conflicts: the current unresolved conflicts, both versions as JSON.
    """
    CREATE TABLE merges (
        seq INTEGER PRIMARY KEY,
        export_id TEXT NOT NULL UNIQUE,
        checksum TEXT NOT NULL,
        device_id TEXT NOT NULL,
        merged_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        counts TEXT NOT NULL
    );
    CREATE TABLE devices (seq INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE);
    CREATE TABLE row_versions (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        device INTEGER NOT NULL,
        export INTEGER NOT NULL,
        PRIMARY KEY (tbl, row_id, updated_at, hash, device)
    ) WITHOUT ROWID;
    CREATE TABLE row_data (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, updated_at, hash)
    ) WITHOUT ROWID;
    CREATE TABLE conflicts (
        tbl TEXT NOT NULL,
        row_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        export_id TEXT NOT NULL,
        kept_updated_at TEXT NOT NULL,
        kept TEXT NOT NULL,
        other_updated_at TEXT NOT NULL,
        other TEXT NOT NULL,
        PRIMARY KEY (tbl, row_id, device_id)
    ) WITHOUT ROWID;
    """,
    # 4 (screens): drafts of unsaved forms, offered again after a crash. Personal data: they live only in
    # this file, are never audited or exported, and are deleted when the form is saved or discarded.
    """
    CREATE TABLE drafts (
        form TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id TEXT,
        data TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
    # 5: speed at 1M participants (benchmarks/): covering indexes for the summary's per-person
    # probes and enrolment->person lookups, a BINARY name index that gives lists their order, and
    # NOCASE indexes for the remaining prefix-searched columns. Each replaced index is a prefix of
    # its successor, so nothing that used it gets slower. No triggers (merged files stay inert).
    """
    DROP INDEX IF EXISTS participants_cbo;
    CREATE INDEX participants_cbo_people ON participants (cbo_id, deleted, registered_on, household_members, id);
    CREATE INDEX participants_key ON participants (id, deleted, cbo_id);
    CREATE INDEX participants_sort_name ON participants (full_name, id, phone);
    DROP INDEX IF EXISTS participants_name;
    CREATE INDEX participants_name_key ON participants (full_name COLLATE NOCASE, id, cbo_id);
    DROP INDEX IF EXISTS participants_phone;
    CREATE INDEX participants_phone_key ON participants (phone, id, cbo_id) WHERE phone IS NOT NULL;
    DROP INDEX IF EXISTS trainings_participant;
    CREATE INDEX trainings_person ON trainings (participant_id, deleted, status, id);
    DROP INDEX IF EXISTS after_school_participant;
    CREATE INDEX after_school_person ON after_school (participant_id, deleted);
    DROP INDEX IF EXISTS other_programmes_participant;
    CREATE INDEX other_programmes_person ON other_programmes (participant_id, deleted);
    DROP INDEX IF EXISTS placements_training;
    CREATE INDEX placements_live ON placements (training_id, deleted);
    CREATE INDEX after_school_guardian ON after_school (guardian_name COLLATE NOCASE);
    CREATE INDEX placements_employer ON placements (employer COLLATE NOCASE);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- errors


class NotFieldtuiFile(StoreError):
    pass


class SchemaTooNew(StoreError):
    pass


class NotFound(StoreError):
    pass


class StoreReadOnly(StoreError):
    """The file (or its folder, or the medium) cannot be written."""


class DiskFull(StoreError):
    pass


class DiskError(StoreError):
    """The operating system refused a write (medium removed, failing, over quota...)."""


class StoreBusy(StoreError):
    pass


class StoreDamaged(StoreError):
    pass


class JournalLost(StoreError):
    """The file's journal or the file itself was removed or replaced under the connection."""


_FAILURES: dict[int, tuple[type[StoreError], str]] = {
    # primary SQLite result code -> (error class, message); {outcome} says what did not happen.
    sqlite3.SQLITE_READONLY: (StoreReadOnly, N_(
        "the database {path} is read-only, so {outcome}: check the file's permissions, "
        "or copy it to a folder you can write to")),
    sqlite3.SQLITE_FULL: (DiskFull, N_("the disk is full, so {outcome}: free some space and try again")),
    sqlite3.SQLITE_IOERR: (DiskError, N_(
        "the disk could not be written (it may be full, removed or failing), so {outcome}")),
    sqlite3.SQLITE_CANTOPEN: (StoreReadOnly, N_(
        "the database {path} cannot be opened for writing (is its folder read-only or gone?), so {outcome}")),
    sqlite3.SQLITE_PERM: (StoreReadOnly, N_("permission to write {path} was denied, so {outcome}")),
    sqlite3.SQLITE_BUSY: (StoreBusy, N_(
        "the database is in use by another program, so {outcome}: close it there and try again")),
    sqlite3.SQLITE_LOCKED: (StoreBusy, N_(
        "the database is in use by another program, so {outcome}: close it there and try again")),
    sqlite3.SQLITE_CORRUPT: (StoreDamaged, N_(
        "the database {path} is damaged, so {outcome}: restore it from a backup or a recent export")),
    sqlite3.SQLITE_NOTADB: (StoreDamaged, N_(
        "the database {path} is damaged, so {outcome}: restore it from a backup or a recent export")),
}


def _code(exc: BaseException) -> int:
    """SQLite's primary result code of an error (0 when it carries none)."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def failure(exc: sqlite3.Error, path: Path | None, *, opening: bool = False, outcome: str | None = None
            ) -> StoreError:
    """A people-facing StoreError for an error SQLite reported about the file or the disk;
    `outcome` says what did not happen (default: nothing was saved / the file was not opened)."""
    if opening and _code(exc) == sqlite3.SQLITE_NOTADB:  # SQLite read the header: not a database
        return NotFieldtuiFile(_("{path} is not a SQLite database").format(path=path))
    outcome = outcome or (_("the file was not opened") if opening else _("nothing was saved"))
    cls, message = _FAILURES.get(_code(exc), (StoreError, N_("the database could not be written ({reason}), so {outcome}")))
    return cls(_(message).format(path=path or _("in memory"), outcome=outcome, reason=exc))


#: Errors about access to the file or the disk, not about what is in a file.
_ACCESS_OR_DISK = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM,
                      sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL}


def _is_file_error(exc: BaseException) -> bool:
    """SQLite errors about the file or the disk (not programming errors or broken constraints)."""
    return type(exc) in (sqlite3.OperationalError, sqlite3.DatabaseError)


# --------------------------------------------------------------------------- helpers


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def default_operator() -> str:
    try:
        return os.environ.get("FIELDTUI_OPERATOR") or getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


_PLAIN_TYPES = frozenset({str, int, float, bytes, type(None)})


def _db_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _row_for(model: Any, exclude: set[str] = frozenset()) -> dict[str, Any]:
    data = model.model_dump(exclude={"deleted", *exclude})
    return {k: _db_value(v) for k, v in data.items()}


def check_openable(path: Path) -> None:
    """Raise a StoreError unless `path` names an existing file (before connecting). Its header is
    read by SQLite, never with open(): see core/db/files.py for why plain I/O is never used."""
    files.check_path_usable(path)
    if not path.exists():
        raise StoreError(_("no such file: {path}").format(path=path))
    if path.is_dir():
        raise StoreError(_("{path} is a directory, not a database file").format(path=path))


@dataclass(frozen=True)
class ListSpec:
    """How one list screen reads its rows: a SELECT, its search and sort columns."""

    select: str
    table_alias: str
    search: tuple[str, ...]
    sorts: dict[str, str]
    cbo_column: str
    default_sort: str
    #: The FROM part with its joins in name order, for walking the list by name when the
    #: planner would otherwise scan and sort (placements: the walk starts at the person).
    name_walk_from: str | None = None


_PERSON = "p.full_name, p.gender, p.birth_year, p.phone, p.province, p.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh"
LISTS: dict[str, ListSpec] = {
    "cbos": ListSpec(
        select="SELECT c.id, c.name_zh, c.name_en, c.city, c.grant_usd, c.target_direct, c.sii, c.deleted, "
        "c.id AS cbo_id FROM cbos c",
        table_alias="c",
        search=("c.name_en", "c.name_zh", "c.city"),
        sorts={"name": "c.name_en", "name_zh": "c.name_zh", "city": "c.city", "grant": "c.grant_usd",
               "target": "c.target_direct", "sii": "COALESCE(c.sii, 0)"},
        cbo_column="c.id",
        default_sort="name",
    ),
    "trainees": ListSpec(
        select=f"SELECT t.id, t.participant_id, {_PERSON}, t.course, t.status, t.start_date, t.end_date, "
        "t.deleted FROM trainings t JOIN participants p ON p.id = t.participant_id JOIN cbos c ON c.id = p.cbo_id",
        table_alias="t",
        search=("p.full_name", "p.phone", "p.id", "t.id"),
        sorts={"name": "p.full_name", "cbo": "c.name_en", "course": "t.course", "status": "t.status",
               "start": "t.start_date", "birth_year": "p.birth_year"},
        cbo_column="p.cbo_id",
        default_sort="name",
    ),
    "children": ListSpec(
        select=f"SELECT a.id, a.participant_id, {_PERSON}, a.school, a.grade, a.guardian_name, a.programme, "
        "a.start_date, a.deleted FROM after_school a JOIN participants p ON p.id = a.participant_id "
        "JOIN cbos c ON c.id = p.cbo_id",
        table_alias="a",
        search=("p.full_name", "p.phone", "p.id", "a.id", "a.guardian_name"),
        sorts={"name": "p.full_name", "cbo": "c.name_en", "school": "a.school", "grade": "a.grade",
               "start": "a.start_date"},
        cbo_column="p.cbo_id",
        default_sort="name",
    ),
    "participants": ListSpec(
        select=f"SELECT o.id, o.participant_id, {_PERSON}, o.programme, o.description, o.start_date, "
        "o.deleted FROM other_programmes o JOIN participants p ON p.id = o.participant_id "
        "JOIN cbos c ON c.id = p.cbo_id",
        table_alias="o",
        search=("p.full_name", "p.phone", "p.id", "o.id"),
        sorts={"name": "p.full_name", "cbo": "c.name_en", "programme": "o.programme", "start": "o.start_date"},
        cbo_column="p.cbo_id",
        default_sort="name",
    ),
    "placements": ListSpec(
        select=f"SELECT pl.id, pl.training_id, t.participant_id, {_PERSON}, pl.employer, pl.job_title, "
        "pl.start_date, pl.wage_cny, pl.verified, pl.deleted FROM placements pl "
        "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
        "JOIN cbos c ON c.id = p.cbo_id",
        table_alias="pl",
        search=("p.full_name", "p.phone", "pl.employer", "pl.id", "p.id"),
        sorts={"name": "p.full_name", "cbo": "c.name_en", "employer": "pl.employer", "start": "pl.start_date",
               "wage": "pl.wage_cny"},
        cbo_column="p.cbo_id",
        default_sort="name",
        name_walk_from=" FROM participants p CROSS JOIN trainings t ON t.participant_id = p.id "
        "CROSS JOIN placements pl ON pl.training_id = t.id JOIN cbos c ON c.id = p.cbo_id",
    ),
}

#: Search columns with a NOCASE index, so `LIKE 'prefix%'` is an index range; the others
#: (ids, phone) have BINARY indexes and are searched by key range (see Store._search_matches).
_NOCASE_INDEXED = frozenset({"p.full_name", "a.guardian_name", "pl.employer"})
#: Table of each alias used in LISTS.
_ALIAS_TABLE = {"c": "cbos", "p": "participants", "t": "trainings", "a": "after_school", "o": "other_programmes",
                "pl": "placements"}
#: Above this many index matches a search walks the list in sort order instead (see _search_matches).
SEARCH_INDEX_CAP = 2000


def _like_prefix(search: str) -> str:
    """A LIKE pattern for "starts with `search`", its wildcards taken literally (ESCAPE '\\')."""
    return search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _stored(model: Any, row: dict[str, Any]) -> Any:
    """A stored row as its model. A row that breaks today's rules (saved by an older version
    before a rule was tightened, or damaged) comes back as stored, unvalidated, instead of
    raising: its form still opens and shows it, and saving validates it like any other."""
    try:
        return model.model_validate(row)
    except _models.ValidationError:
        return model.model_construct(**row)


def _programmes(text: Any) -> list[str]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):  # damaged: shown as no programmes, put right by the next save
        return []
    return value if isinstance(value, list) else []


#: List kind -> the table its row ids live in.
KIND_TABLE = {"cbos": "cbos", "trainees": "trainings", "children": "after_school",
              "participants": "other_programmes", "placements": "placements"}


# --------------------------------------------------------------------------- store


class Store:
    """One open fieldtui file. Create with `Store.open(path)`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, readonly: bool,
                 operator: str | None = None, clock: Callable[[], str] = utc_now):
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.operator = operator or default_operator()
        self.clock = clock
        self._ident: tuple[int, int] | None = None  # the file's identity while connected (db/files.py)
        self._watch: JournalWatch | None = None  # a writer's journal, set once it is open
        self._idle = IdleTruncation()

    @property
    def db(self) -> Any:
        """A sqlite_utils view of the connection, imported on first use: the import costs 6 MiB
        and 0.08 s of start-up that the app itself never needs (benchmarks/)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # ---- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike, *, create: bool = False, operator: str | None = None) -> Store:
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
                create_private_file(path)
                new = True
            elif path.stat().st_size == 0 and create:
                new = True
            else:
                check_openable(path)
        except OSError as exc:
            raise StoreError(files.describe_os_error(exc, path, _("the file was not opened"))) from None
        try:
            conn = _connect(str(path))
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
            if _is_file_error(exc):
                raise failure(exc, path, opening=True) from exc
            raise

    @classmethod
    def open_readonly(cls, path: str | os.PathLike) -> Store:
        """Open a file without changing a byte of it; an older schema is upgraded in memory."""
        path = Path(path)
        check_openable(path)
        # With no -wal/-shm beside it nobody is writing the file: `immutable` reads it without
        # creating them (a read-only USB stick, a file that must stay byte-identical).
        busy = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
        try:
            conn = _connect(f"{path.resolve().as_uri()}?mode=ro{'' if busy else '&immutable=1'}", uri=True)
        except sqlite3.Error as exc:
            raise failure(exc, path, opening=True) from exc
        store = cls(conn, path, readonly=True)
        store._ident = files.register(path)
        try:
            store._check_identity()
            if store.schema_version < SCHEMA_VERSION:
                mem = _connect(":memory:")
                conn.backup(mem)
                store.close()
                store = cls(mem, path, readonly=False)
                store.migrate()
                store.readonly = True
            else:
                conn.execute("PRAGMA query_only = ON")
            return store
        except sqlite3.DatabaseError as exc:
            store.close()
            raise NotFieldtuiFile(_("{path} cannot be read as a database: {reason}").format(path=path, reason=exc)) from None
        except BaseException:
            store.close()
            raise

    @classmethod
    def memory(cls, operator: str = "test") -> Store:
        conn = _connect(":memory:")
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
            if _code(exc) in _ACCESS_OR_DISK:  # the folder or disk, not the file
                raise failure(exc, self.path, opening=True) from exc
            if _code(exc) == sqlite3.SQLITE_NOTADB:
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
        while (current := self.schema_version) < target:
            script = MIGRATIONS[current]
            with self.transaction():
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {current + 1}")
        if not self.readonly and self.get_meta("device_id") is None:
            with self.transaction():
                self.set_meta("device_id", new_id())

    def close(self, *, checkpoint: bool = True) -> None:
        """Close the connection; a writer first empties its log if no reader is in the way (a
        program still using the file keeps it, and the last one to close removes it)."""
        if checkpoint and self._watch is not None:
            truncate_log(self.conn)
        self.conn.close()
        files.unregister(self._ident)
        self._ident = None

    def __enter__(self) -> Store:
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
        self.conn = _connect(str(self.path))
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
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original error says more; the journal undoes the rest on reopen
                raise
        except sqlite3.Error as exc:
            # A file attached by a merge must be checked before its transaction starts, so an
            # error here is about this store's own file or disk.
            if _is_file_error(exc):
                raise failure(exc, self.path) from exc
            raise
        self._idle.wrote()
        problem = self._journal_problem()
        if problem is not None:
            raise JournalLost(problem)

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ---- generic writes ------------------------------------------------------------

    def _audit(self, action: str, table: str, row_id: str, at: str) -> None:
        self.conn.execute("INSERT INTO audit (at, actor, action, table_name, row_id) VALUES (?, ?, ?, ?, ?)",
                          (at, self.operator, action, table, row_id))

    def _write(self, table: str, row: dict[str, Any], at: str) -> str:
        """Insert a new row (no id yet) or update a live one; stamps and audits it."""
        row = dict(row)
        row_id = row.pop("id", None)
        if row_id is None:
            row_id = new_id()
            cols = ["id", *row, "created_at", "updated_at", "deleted"]
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row_id, *row.values(), at, at, 0],
            )
            self._audit("create", table, row_id, at)
        else:
            sets = ", ".join(f"{c} = ?" for c in row)
            cur = self.conn.execute(
                f"UPDATE {table} SET {sets}, updated_at = ? WHERE id = ? AND deleted = 0",
                [*row.values(), at, row_id],
            )
            if cur.rowcount != 1:
                raise NotFound(_("that record no longer exists or was removed"))
            self._audit("update", table, row_id, at)
        return row_id

    def _require(self, table: str, row_id: str) -> dict[str, Any]:
        row = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise NotFound(_("that record no longer exists or was removed"))
        return dict(row)

    # ---- CBOs -------------------------------------------------------------------------

    def save_cbo(self, cbo: CBO) -> CBO:
        with self.transaction():
            at = self.clock()
            cbo_id = self._write("cbos", _row_for(cbo), at)
        return cbo.model_copy(update={"id": cbo_id})

    def get_cbo(self, cbo_id: str) -> CBO:
        row = self._require("cbos", cbo_id)
        row["programmes"] = _programmes(row["programmes"])
        return _stored(_models.CBO, row)

    def cbos(self, include_deleted: bool = False) -> list[CBO]:
        sql = "SELECT * FROM cbos" + ("" if include_deleted else " WHERE deleted = 0") + " ORDER BY name_en"
        out = []
        for row in self.conn.execute(sql):
            row = dict(row)
            row["programmes"] = _programmes(row["programmes"])
            out.append(_stored(_models.CBO, row))
        return out

    def cbo_choices(self) -> list[tuple[str, str]]:
        """(name in the current language, id) of the live CBOs, for pickers and filters: plain
        SQL rows, so a list screen's CBO filter does not load the validation models."""
        name = "name_zh" if language() == "zh" else "name_en"
        rows = self.conn.execute(f"SELECT {name}, id FROM cbos WHERE deleted = 0 ORDER BY name_en").fetchall()
        # Only text reaches here from our saves; anything else is a damaged page: left out, not shown.
        return [(r[0], r[1]) for r in rows if isinstance(r[0], str) and isinstance(r[1], str)]

    def _check_cbo(self, cbo_id: str) -> None:
        row = self.conn.execute("SELECT deleted FROM cbos WHERE id = ?", (cbo_id,)).fetchone()
        if row is None or row[0]:
            raise RecordInvalid({"participant.cbo_id": labelled(_("CBO"), _("choose an existing CBO"))})

    # ---- people with an enrolment ---------------------------------------------------

    def _save_person_with(self, person: Participant, table: str, enrolment: Any) -> tuple[str, str]:
        with self.transaction():
            self._check_cbo(person.cbo_id)
            at = self.clock()
            pid = self._write("participants", _row_for(person), at)
            row = _row_for(enrolment)
            row["participant_id"] = pid
            eid = self._write(table, row, at)
        return pid, eid

    def save_trainee(self, record: TraineeRecord) -> TraineeRecord:
        pid, tid = self._save_person_with(record.participant, "trainings", record.training)
        return _models.TraineeRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            training=record.training.model_copy(update={"id": tid, "participant_id": pid}),
        )

    def save_child(self, record: ChildRecord) -> ChildRecord:
        # PIPL: a child's guardian and consent are checked here too, even if the caller skipped validation.
        _models.validate(_models.ChildRecord, {"participant": record.participant.model_dump(),
                               "enrolment": record.enrolment.model_dump()})
        pid, eid = self._save_person_with(record.participant, "after_school", record.enrolment)
        return _models.ChildRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            enrolment=record.enrolment.model_copy(update={"id": eid, "participant_id": pid}),
        )

    def save_participant(self, record: ParticipantRecord) -> ParticipantRecord:
        pid, eid = self._save_person_with(record.participant, "other_programmes", record.programme)
        return _models.ParticipantRecord.model_construct(
            participant=record.participant.model_copy(update={"id": pid}),
            programme=record.programme.model_copy(update={"id": eid, "participant_id": pid}),
        )

    def get_participant(self, participant_id: str) -> Participant:
        return _stored(_models.Participant, self._require("participants", participant_id))

    def get_training(self, training_id: str) -> Training:
        return _stored(_models.Training, self._require("trainings", training_id))

    def get_trainee(self, training_id: str) -> TraineeRecord:
        training = self.get_training(training_id)
        return _models.TraineeRecord.model_construct(
            participant=self.get_participant(training.participant_id), training=training)

    def get_child(self, enrolment_id: str) -> ChildRecord:
        enrolment = _stored(_models.AfterSchool, self._require("after_school", enrolment_id))
        return _models.ChildRecord.model_construct(
            participant=self.get_participant(enrolment.participant_id), enrolment=enrolment)

    def get_other(self, enrolment_id: str) -> ParticipantRecord:
        programme = _stored(_models.OtherProgramme, self._require("other_programmes", enrolment_id))
        return _models.ParticipantRecord.model_construct(
            participant=self.get_participant(programme.participant_id), programme=programme)

    # ---- placements -------------------------------------------------------------------

    def save_placement(self, placement: Placement) -> Placement:
        with self.transaction():
            row = self.conn.execute("SELECT * FROM trainings WHERE id = ?", (placement.training_id,)).fetchone()
            try:
                training = _models.Training.model_validate(dict(row)) if row else None
            except _models.ValidationError:  # saved before a rule was tightened, or damaged
                raise RecordInvalid({"training_id": labelled(_("Trainee"), _(
                    "this trainee's training breaks a rule; open it under Trainees and correct it first"))}) from None
            _models.check_placement_against_training(placement, training)
            pid = self._write("placements", _row_for(placement), self.clock())
        return placement.model_copy(update={"id": pid})

    def get_placement(self, placement_id: str) -> Placement:
        return _stored(_models.Placement, self._require("placements", placement_id))

    # ---- delete / restore -------------------------------------------------------------

    def _cascade(self, table: str, row_id: str) -> list[tuple[str, str]]:
        """The rows that go (and come back) with a list row: its placements, and its person when
        this was the person's only live enrolment (so the person stops counting as a beneficiary)."""
        rows = [(table, row_id)]
        if table == "cbos":
            return rows
        if table == "placements":
            return rows
        if table == "trainings":
            rows += [("placements", r[0]) for r in self.conn.execute(
                "SELECT id FROM placements WHERE training_id = ?", (row_id,))]
        pid = self.conn.execute(f"SELECT participant_id FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]
        others = self.conn.execute(
            "SELECT (SELECT count(*) FROM trainings WHERE participant_id = :p AND deleted = 0 AND id != :e)"
            " + (SELECT count(*) FROM after_school WHERE participant_id = :p AND deleted = 0 AND id != :e)"
            " + (SELECT count(*) FROM other_programmes WHERE participant_id = :p AND deleted = 0 AND id != :e)",
            {"p": pid, "e": row_id},
        ).fetchone()[0]
        if not others:
            rows.append(("participants", pid))
        return rows

    def delete(self, kind: str, row_id: str) -> None:
        """Soft-delete a list row (a tombstone that travels to headquarters); restorable."""
        table = KIND_TABLE[kind]
        with self.transaction():
            row = self._require(table, row_id)
            if row["deleted"]:
                return
            if table == "cbos":
                live = self.conn.execute("SELECT count(*) FROM participants WHERE cbo_id = ? AND deleted = 0",
                                         (row_id,)).fetchone()[0]
                if live:
                    raise RecordInvalid({"cbo_id": _("This CBO still has {n} participants; remove or move them first")
                                         .format(n=live)})
            at = self.clock()
            for t, rid in self._cascade(table, row_id):
                cur = self.conn.execute(f"UPDATE {t} SET deleted = 1, updated_at = ? WHERE id = ? AND deleted = 0",
                                        (at, rid))
                if cur.rowcount:
                    self._audit("delete", t, rid, at)

    def restore(self, kind: str, row_id: str) -> None:
        """Undo a soft delete, bringing back what was removed with it in the same moment."""
        table = KIND_TABLE[kind]
        with self.transaction():
            row = self._require(table, row_id)
            if not row["deleted"]:
                return
            at = self.clock()
            deleted_at = row["updated_at"]
            targets = [(table, row_id)]
            if table == "trainings":
                targets += [("placements", r[0]) for r in self.conn.execute(
                    "SELECT id FROM placements WHERE training_id = ? AND deleted = 1 AND updated_at = ?",
                    (row_id, deleted_at))]
            if table != "cbos" and table != "placements":
                targets.append(("participants", row["participant_id"]))
            if table == "placements":
                training = self._require("trainings", row["training_id"])
                if training["deleted"]:
                    raise RecordInvalid({"training_id": _("Restore the trainee first")})
            for t, rid in targets:
                cur = self.conn.execute(f"UPDATE {t} SET deleted = 0, updated_at = ? WHERE id = ? AND deleted = 1",
                                        (at, rid))
                if cur.rowcount:
                    self._audit("restore", t, rid, at)

    # ---- lists --------------------------------------------------------------------------

    def _where(self, spec: ListSpec, cbo_id: str | None, include_deleted: bool) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if not include_deleted:
            where.append(f"{spec.table_alias}.deleted = 0")
        if cbo_id:
            where.append(f"{spec.cbo_column} = ?")
            params.append(cbo_id)
        return where, params

    def _search_parts(self, spec: ListSpec, search: str) -> list[tuple[str, str, list[Any]]]:
        """Search = "one of the search columns starts with the text" (case-insensitive, wildcards
        literal). One part per column: (column, condition, params), each condition answerable
        from one index: NOCASE-indexed columns by LIKE, BINARY-indexed ones (ids: lower-case hex;
        phones: digits) by a key range with LIKE kept for exactness."""
        like = _like_prefix(search)
        parts = []
        for col in spec.search:
            if col in _NOCASE_INDEXED or spec.table_alias == "c":
                parts.append((col, f"{col} LIKE ? ESCAPE '\\'", [like]))
            else:
                low = search.lower() if col.endswith(".id") else search
                parts.append((col, f"{col} >= ? AND {col} < ? AND {col} LIKE ? ESCAPE '\\'",
                              [low, low + "\U0010ffff", like]))
        return parts

    def _from(self, spec: ListSpec) -> str:
        return spec.select[spec.select.index(" FROM "):]

    def _matches(self, spec: ListSpec, parts: list[tuple[str, str, list[Any]]]) -> tuple[str, list[Any]]:
        """A subquery of the rowids matching any part (a UNION of index lookups)."""
        sql = " UNION ".join(f"SELECT {spec.table_alias}.rowid {self._from(spec)} WHERE {cond}" for _, cond, _ in parts)
        return sql, [p for _, _, ps in parts for p in ps]

    def page(self, kind: str, *, search: str = "", cbo_id: str | None = None, sort: str | None = None,
             descending: bool = False, after: tuple[Any, str] | None = None, limit: int = 200,
             include_deleted: bool = False) -> list[dict[str, Any]]:
        """One page of a list, by keyset: rows after `after` = (sort value, id) of the last row seen.

        A search is answered per column: columns with few matches (at most SEARCH_INDEX_CAP in
        their index) are looked up and sorted; a column with many is filtered while walking the
        list in sort order, which finds a page within a few thousand rows. Each arm returns one
        page and the arms are merged, so a keystroke costs about the same at 10k and 1M rows."""
        spec = LISTS[kind]
        sort_expr = spec.sorts[sort or spec.default_sort]
        key = f"{spec.table_alias}.id"
        where, params = self._where(spec, cbo_id, include_deleted)
        if after is not None:
            where.append(f"({sort_expr}, {key}) {'<' if descending else '>'} (?, ?)")
            params += list(after)
        order = "DESC" if descending else "ASC"
        search = search.strip()
        arms: list[tuple[list[str], list[Any]]] = []
        if not search:
            arms.append(([], []))
        else:
            parts = self._search_parts(spec, search)
            few, many = [], []
            for part in parts:
                col, cond, ps = part
                # Counted in the column's own table and index (no joins): a cheap estimate that
                # only picks the faster path; either path returns the same rows.
                alias = col.split(".")[0]
                found = self.conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {_ALIAS_TABLE[alias]} {alias} WHERE {cond} "
                    f"LIMIT {SEARCH_INDEX_CAP + 1})", ps).fetchone()[0]
                (many if found > SEARCH_INDEX_CAP and spec.table_alias != "c" else few).append(part)
            if few:
                sql, ps = self._matches(spec, few)
                arms.append(([f"{spec.table_alias}.rowid IN ({sql})"], ps))
            for col, cond, ps in many:
                extra = [cond]
                if col == sort_expr == "p.full_name" and not any(ch.isascii() and ch.isalpha() for ch in search):
                    # Without ASCII letters LIKE is exact, so its matches are one range of the sort.
                    extra = [f"{col} LIKE ? ESCAPE '\\'", f"{col} >= ?", f"{col} < ?"]
                    ps = [_like_prefix(search), search, search + "\U0010ffff"]
                else:
                    extra = [f"+{col} LIKE ? ESCAPE '\\'"]  # "+": a filter on the walk, not an index
                    ps = [_like_prefix(search)]
                arms.append((extra, ps))
        selects, all_params = [], []
        for extra, ps in arms:
            conds = where + extra
            hint = []
            walk = not any(c.startswith(("p.full_name >=", f"{spec.table_alias}.rowid IN")) for c in extra)
            if sort_expr == "p.full_name" and after is None and walk:
                # Always true (names are NOT NULL text), but it tells the planner to walk the name
                # index in order and stop after one page instead of sorting every row.
                hint = ["p.full_name < x''" if descending else "p.full_name >= ''"]
            conds = conds + hint
            select = spec.select
            if sort_expr == "p.full_name" and walk and spec.name_walk_from:
                select = select[:select.index(" FROM ")] + spec.name_walk_from
            selects.append(f"SELECT * FROM (SELECT {sort_expr} AS _sort, {select[len('SELECT '):]}"
                           f"{' WHERE ' + ' AND '.join(conds) if conds else ''} "
                           f"ORDER BY {sort_expr} {order}, {key} {order} LIMIT ?)")
            all_params += [*params, *ps, limit]
        if len(selects) == 1:
            sql = selects[0]
        else:
            sql = " UNION ".join(selects) + f" ORDER BY _sort {order}, id {order} LIMIT ?"
            all_params.append(limit)
        return [dict(r) for r in self.conn.execute(sql, all_params)]

    def count(self, kind: str, *, search: str = "", cbo_id: str | None = None,
              include_deleted: bool = False, limit: int | None = None) -> int:
        """Rows in a list; with `limit`, stop counting past it and return limit + 1 (a list shows
        "10,000+"), which keeps opening and searching a list flat in the size of the file."""
        spec = LISTS[kind]
        where, params = self._where(spec, cbo_id, include_deleted)
        from_part = self._from(spec)
        search = search.strip()

        def counted(conds: list[str], ps: list[Any], frm: str = from_part) -> int:
            sql = f"SELECT 1 {frm}{' WHERE ' + ' AND '.join(conds) if conds else ''}"
            if limit is not None:
                sql += f" LIMIT {int(limit) + 1}"
            return self.conn.execute(f"SELECT count(*) FROM ({sql})", ps).fetchone()[0]

        if not search:
            if limit is None and not cbo_id and spec.table_alias != "c":
                # Every row joins exactly one person and CBO (foreign keys), so count the table alone.
                return counted(where, params, f" FROM {KIND_TABLE[kind]} {spec.table_alias}")
            return counted(where, params)
        parts = self._search_parts(spec, search)
        if limit is not None:
            for _, cond, ps in parts:  # one column alone past the limit: no need for the union
                if counted([*where, cond], [*params, *ps]) > limit:
                    return limit + 1
        sql, ps = self._matches(spec, parts)
        return counted([*where, f"{spec.table_alias}.rowid IN ({sql})"], [*params, *ps])

    def trainee_choices(self, search: str = "", cbo_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Live (non-dropped) trainees for the placement form's picker."""
        rows = self.page("trainees", search=search, cbo_id=cbo_id, limit=limit)
        return [r for r in rows if r["status"] != "dropped"]

    # ---- duplicates --------------------------------------------------------------------

    def possible_duplicates(self, person: Participant, limit: int = 20) -> list[dict[str, Any]]:
        """Live people in the same CBO with the same name and birth year, or the same phone."""
        sql = (
            "SELECT p.id, p.full_name, p.birth_year, p.phone, p.registered_on FROM participants p "
            "WHERE p.deleted = 0 AND p.cbo_id = :cbo AND p.id != :id AND "
            "((p.full_name = :name AND p.birth_year = :year) OR (:phone IS NOT NULL AND p.phone = :phone)) "
            "LIMIT :limit"
        )
        return [dict(r) for r in self.conn.execute(sql, {
            "cbo": person.cbo_id, "id": person.id or "", "name": person.full_name,
            "year": person.birth_year, "phone": person.phone, "limit": limit})]

    # ---- drafts of unsaved forms (crash recovery) ------------------------------------

    def save_draft(self, form: str, kind: str, record_id: str | None, data: dict[str, Any]) -> None:
        """Keep what a form holds so far, replacing the form's previous draft."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO drafts (form, kind, record_id, data, saved_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (form) DO UPDATE SET kind = excluded.kind, record_id = excluded.record_id, "
                "data = excluded.data, saved_at = excluded.saved_at",
                (form, kind, record_id, json.dumps(data, ensure_ascii=False), self.clock()))

    def drafts(self) -> list[dict[str, Any]]:
        """Every sound draft left behind, oldest first, with `data` decoded; damaged ones (see
        `set_aside_damaged_drafts`) are skipped, never raised."""
        out = []
        for row in self._draft_rows():
            row["data"] = _draft_data(row)
            if row["data"] is not None:
                out.append(row)
        return out

    def set_aside_damaged_drafts(self) -> int:
        """Rename drafts that cannot be read (bad JSON, nesting that would exhaust the stack,
        wrong shapes: a damaged or hand-edited file) to `damaged:<form>`, so they are never
        offered nor lost; returns how many were set aside now."""
        damaged = [row["form"] for row in self._draft_rows() if _draft_data(row) is None]
        if damaged and not self.readonly:
            with self.transaction():
                for form in damaged:
                    self.conn.execute("DELETE FROM drafts WHERE form = ?", (f"damaged:{form}",))
                    self.conn.execute("UPDATE drafts SET form = 'damaged:' || form WHERE form = ?", (form,))
        return len(damaged)

    def _draft_rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT form, kind, record_id, data, saved_at FROM drafts WHERE form NOT LIKE 'damaged:%' "
            "ORDER BY saved_at")]

    def delete_draft(self, form: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM drafts WHERE form = ?", (form,))

    def enrolment_of(self, kind: str, participant_id: str) -> str | None:
        """The live list row of `kind` (trainees, children, participants) for a person, if any."""
        table = KIND_TABLE[kind]
        row = self.conn.execute(f"SELECT id FROM {table} WHERE participant_id = ? AND deleted = 0 "
                                "ORDER BY start_date DESC LIMIT 1", (participant_id,)).fetchone()
        return row[0] if row else None

    # ---- bulk (sample data, imports) -----------------------------------------------------

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert already-validated rows (with ids and stamps) in the caller's transaction."""
        if not rows:
            return
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        get = operator.itemgetter(*cols) if len(cols) > 1 else (lambda r: (r[cols[0]],))
        plain = _PLAIN_TYPES  # stored as they are: convert only the rest (dates, bools, lists)
        self.conn.executemany(sql, ([v if type(v) in plain else _db_value(v) for v in get(r)] for r in rows))

    def audit_trail(self, table: str, row_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT at, actor, action FROM audit WHERE table_name = ? AND row_id = ? ORDER BY seq", (table, row_id))]


#: Draft kinds a form can be restored into (the list kinds).
DRAFT_KINDS = frozenset(KIND_TABLE)
_DRAFT_VALUE = (str, int, float, bool, type(None))


def _draft_data(row: dict[str, Any]) -> dict[str, Any] | None:
    """A draft's decoded data if the whole row is sound, else None. JSON nested thousands deep
    raises RecursionError, not ValueError: both mean damage here."""
    try:
        data = json.loads(row["data"])
        dt.datetime.fromisoformat(row["saved_at"])
    except (TypeError, ValueError, RecursionError):
        return None
    if row["kind"] not in DRAFT_KINDS or not isinstance(row["record_id"], (str, type(None))):
        return None
    if not isinstance(data, dict):
        return None
    values, hidden = data.get("values", {}), data.get("hidden", {})
    if not isinstance(values, dict) or not isinstance(hidden, dict):
        return None
    for value in (*values.values(), *hidden.values()):
        pair = isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
        if not (pair or isinstance(value, _DRAFT_VALUE)):
            return None
    if not all(isinstance(k, str) for k in (*values, *hidden)):
        return None
    return data


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, isolation_level=None, uri=uri, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA busy_timeout = 5000")
    # 512 KiB of page cache per connection (SQLite's default is 2 MiB): the OS caches the file anyway,
    # and the app must stay small with a million records open (benchmarks/: peak RSS target).
    conn.execute("PRAGMA cache_size = -512")
    return conn


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
