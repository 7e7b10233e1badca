"""Moving records between files: field export (snapshot + manifest) and headquarters merge.

Export
- A consistent snapshot even while the app writes: the output file ATTACHes the field file
  read-only and copies every record table inside ONE read transaction (WAL snapshot isolation).
- Only the record tables travel (plus `meta` with the device id, and the `manifest`): no audit,
  no drafts, no merge bookkeeping, no triggers, views or secondary indexes.
- Tombstones travel as tombstones with their personal fields blanked (name "(removed)", phone,
  birth date, guardian, description NULL): a deletion must reach headquarters, the deleted
  person's data need not. `pseudonymise=True` also replaces names, phones and guardian names by
  a keyed hash ("anon-" + HMAC-SHA256, 16 hex digits), drops birth dates (keeps the birth year)
  and free-text descriptions; the original values never enter the output file. The key comes
  from `key`, else $FIELDTUI_PSEUDONYM_KEY, else one generated once and kept in the file's meta
  (so one device's exports hash a person the same way; share the key to link devices).
- Written to a 0600 temp file in the target folder, VACUUMed, fsynced, then `os.replace`d; an
  existing file is replaced only if it is itself an export.

Merge (headquarters)
- Each file is checked on a private copy opened immutable/read-only with trusted_schema=OFF
  before anything is written: SQLite header and size, quick_check, application id, schema
  version, the exact schema expected for that version (any extra table, trigger or view is
  refused), manifest counts and checksum, value types and lengths. A bad file is refused with
  one line. Older versions are upgraded by our migrations on the checked copy. The checksum
  detects damage, not forgery: foreign keys and CHECKs are enforced on the way in, and a
  violation refuses the whole file. Pseudonymised and identified exports never mix in one file.
- Damage is reported as one fixed line ("file is damaged (integrity check failed)"): SQLite's
  own text can span lines, be invalid UTF-8, or quote the damaged content (a person's name).
  Until quick_check passes, the check connection reads text as bytes. Values of the wrong
  storage class (a BLOB anywhere, text in a number column) are refused before anything hashes
  them, and `fieldtui_hash` itself never raises (an exception there would abort the merge).
- Rows against the models (`check_rows`, on the checked and upgraded copy, before anything is
  written): what a form would refuse may not arrive by merge. Tables are streamed in batches.
  Live rows are validated in full by CBO / Participant / Training / AfterSchool /
  OtherProgramme / Placement, choices must be stored keys ("female", not "女"), and the
  composite rules are applied by joining each enrolment to its live person: trainee age at
  training start (TraineeRecord), a child's age and guardian/consent under 14 (ChildRecord;
  rows last saved before the consent field existed, CONSENT_FIELD_SINCE, are let in without
  it), a placement only on a live training and not before it started. Tombstones (deleted = 1,
  personal fields blanked) are checked only for well-formed ids and time stamps, as are all
  rows. Pseudonymised exports skip the phone format rule ("anon-…" stands for the phone); their
  "anon-…" names pass the name rules. A file with any invalid row is refused with one line
  naming the table, the row id and the first rule broken, never a value from the row.
- Versions. A version of a row is (updated_at, hash of its other columns). Every version seen
  is recorded per device in `row_versions`. A device's history is linear, so version Y
  descends from X when one device has had both and Y is later; and every version descends from
  the row's creation version (updated_at = created_at: ids are created once). Headquarters' own
  edits count as a device (its history: the merged version it edited, then its edit).
- The row kept is the greatest version seen (updated_at, then hash: last writer wins with a
  deterministic tie-break). So a deletion is never undone by an older file, re-merging changes
  nothing, and any order of files gives the same rows.
- CONFLICT ("changed on both sides"): some device's latest version of the row has other
  content than the kept one (updated_at aside) and neither descends from the other (no device
  has had both). Each such pair is one row of `conflicts` (both versions as JSON, the device
  and the export that brought the other version). Conflicts are recomputed for every row a
  file touches, so the table is a function of the set of versions merged: the same in any
  order. The newer version is kept meanwhile; a person reviews the conflict, corrects the row
  if needed and marks it resolved (`resolve_conflict`: headquarters has now had both versions,
  so the same pair never conflicts again, whatever is merged later).
- Checking overlaps merging: given two cores and enough bytes (PIPELINE_MIN_BYTES), a worker
  process checks file i+1 while file i merges (checking is Python, merging mostly SQLite). A file
  is merged only once its check has finished, from the private copy that check made and read,
  so the outcome is that of checking and merging each file in turn. The check also hashes each
  row's version into a side file (`_row_versions_file`): the merge runs no Python per row.
- One transaction per file, set-based SQL (INSERT ... SELECT / UPDATE ... FROM) per table,
  every step driven from the file's rows (CROSS JOIN fixes the order: without statistics the
  planner may otherwise scan the whole headquarters table once per file, quadratic overall).
  Each commit is synced; while merging, the connection has a larger page cache and checkpoints
  every second file (MERGE_CACHE_KIB, CHECKPOINT_EVERY), then gets the store's settings back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import hmac
import json
import os
import pickle
import re
import secrets
import shutil
import sqlite3
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fieldtui.core import kinds, pinyin
from fieldtui.core.clock import utc_now
from fieldtui.core.db import files as db_files
from fieldtui.core.db import migrations
from fieldtui.core.db.connect import APPLICATION_ID, SQLITE_MAGIC, failure
from fieldtui.core.db.connect import code as _code
from fieldtui.core.db.files import create_private_file
from fieldtui.core.db.migrations import SCHEMA_VERSION
from fieldtui.core.errors import StoreError, damaged_file_message
from fieldtui.core.ids import new_id
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.models import (
    CBO,
    LABELS,
    AfterSchool,
    ChildRecord,
    OtherProgramme,
    Participant,
    Placement,
    RecordInvalid,
    TraineeRecord,
    Training,
    check_placement_against_training,
    validate,
)
from fieldtui.core.store import Store
from fieldtui.i18n import _, labelled, language, set_language

EXPORT_FORMAT = "1"
MANIFEST_DDL = "CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
KEPT_TABLES = (*RECORD_TABLES, "meta")
MAX_FILE_BYTES = 4 * 1024**3
MAX_ROWS_PER_TABLE = 20_000_000
MAX_CELL_CHARS = 4000
KEY_ENV = "FIELDTUI_PSEUDONYM_KEY"


Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    pass


# --------------------------------------------------------------------------- shared helpers


def row_hash(value: object) -> str:
    """The SQL function `fieldtui_hash`: never raises (an exception would abort the whole merge)."""
    if value is None:
        data = b""
    elif isinstance(value, bytes):
        data = value
    else:
        data = str(value).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def _columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def _json_array(cols: list[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return "json_array(" + ", ".join(prefix + c for c in cols) + ")"


def _json_object(cols: list[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return "json_object(" + ", ".join(f"'{c}', {prefix}{c}" for c in cols) + ")"


def content_checksum(conn: sqlite3.Connection, schema: str = "main") -> str:
    """SHA-256 over the record tables: table name, then each row as a JSON array, ordered by id."""
    digest = hashlib.sha256()
    for table in RECORD_TABLES:
        cols = _columns(conn, table, schema)
        digest.update(f"#{table}\n".encode())
        for (text,) in conn.execute(f"SELECT {_json_array(cols)} FROM {schema}.{table} ORDER BY id"):
            digest.update(text.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {schema}.{t}").fetchone()[0] for t in RECORD_TABLES}


def _prune_to_export_schema(conn: sqlite3.Connection) -> None:
    """Keep only the record tables and meta: no triggers, views, indexes or other tables."""
    for kind in ("trigger", "view"):
        for (name,) in conn.execute(f"SELECT name FROM sqlite_master WHERE type = '{kind}'").fetchall():
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    while True:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            ).fetchall()
        extra = [n for (n,) in rows if n not in KEPT_TABLES]
        if not extra:
            break
        conn.execute(f'DROP TABLE IF EXISTS "{extra[0]}"')
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        conn.execute(f'DROP INDEX IF EXISTS "{name}"')


def _schema_listing(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    # str(): a damaged file can hold a BLOB here (bytes do not sort with str; "b'…'" matches nothing)
    return sorted((str(t), str(n), str(tn), " ".join(str(sql or "").split())) for t, n, tn, sql in rows)


@lru_cache(maxsize=None)
def expected_schema(version: int) -> tuple[tuple[str, str, str, str], ...]:
    """What an export of schema `version` contains: built by the same migrations and pruning."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.apply(conn, 0, version)
        _prune_to_export_schema(conn)
        conn.execute(MANIFEST_DDL)
        return tuple(_schema_listing(conn))
    finally:
        conn.close()


# --------------------------------------------------------------------------- export


@dataclass
class ExportResult:
    path: Path
    export_id: str
    counts: dict[str, int]
    checksum: str
    pseudonymised: bool


def _pseudonym_key(store: Store, key: str | None) -> bytes:
    """--key, then $FIELDTUI_PSEUDONYM_KEY, then the file's own key (generated once, kept in meta)."""
    key = key or os.environ.get(KEY_ENV)
    if key:
        return key.encode()
    stored = store.get_meta("pseudonym_key")
    if stored:
        return stored.encode()
    if store.readonly:
        raise StoreError(_("cannot store a pseudonymisation key in a read-only file; give --key"))
    stored = secrets.token_hex(32)
    with store.transaction():
        store.set_meta("pseudonym_key", stored)
    return stored.encode()


def _select_exprs(table: str, cols: list[str], pseudonymise: bool) -> list[str]:
    out = []
    personal = kinds.TABLE[table].personal
    for col in cols:
        how = personal.get(col)
        if how is None:
            out.append(col)
            continue
        blank = f"'{kinds.REMOVED_NAME}'" if (table, col) in kinds.NOT_NULL_PERSONAL else "NULL"
        if not pseudonymise:
            value = col
        elif how == "h":
            value = f"fieldtui_anon({col})"
        else:
            value = blank
        out.append(f"CASE WHEN deleted THEN {blank} ELSE {value} END")
    return out


def _source_file(store: Store, work: Path) -> Path:
    """The file to ATTACH: the store's own file, or an upgraded copy of an older one (in the
    private work folder: it holds every name and phone)."""
    on_disk = store.conn.execute("PRAGMA database_list").fetchone()[2]
    if on_disk and store.path is not None:
        return store.path
    tmp = work / "source.db"
    create_private_file(tmp)
    dest = sqlite3.connect(tmp)
    try:
        store.conn.backup(dest)
    finally:
        dest.close()
    return tmp


def export(store_or_path: Store | str | os.PathLike, out: str | os.PathLike, pseudonymise: bool = False,
           key: str | None = None, progress: Progress = _noop) -> ExportResult:
    """Write a consistent, self-describing snapshot of a field file to `out` (atomically, 0600)."""
    out = Path(out)
    db_files.check_path_usable(out)
    if not out.parent.is_dir():
        raise StoreError(_("folder does not exist: {path}").format(path=out.parent))
    if out.is_dir():
        raise StoreError(_("{path} is a directory, not a database file").format(path=out))
    if db_files.is_open_here(out):
        raise StoreError(_("the export cannot overwrite the file it is made from"))
    _check_overwrite(out)
    own = not isinstance(store_or_path, Store)
    if own:
        source = Path(store_or_path)
        if out.exists() and out.resolve() == source.resolve():
            raise StoreError(_("the export cannot overwrite the file it is made from"))
        store = Store.open(source) if (pseudonymise and not key and not os.environ.get(KEY_ENV)) \
            else Store.open_readonly(source)
    else:
        store = store_or_path
        if store.path is None:
            raise StoreError(_("only a file on disk can be exported"))
        if out.exists() and out.resolve() == store.path.resolve():
            raise StoreError(_("the export cannot overwrite the file it is made from"))
    try:
        secret = _pseudonym_key(store, key) if pseudonymise else b""
        device_id = store.get_meta("device_id") or "unknown"
        return _write_export(store, out, device_id, pseudonymise, secret, progress)
    finally:
        if own:
            store.close()


def _check_overwrite(out: Path) -> None:
    """Replacing an earlier export is fine; replacing anything else (a working file!) is refused."""
    if not out.exists():
        return
    try:
        conn = sqlite3.connect(out.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            has_manifest = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'manifest'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        app_id, has_manifest = 0, 0
    if app_id != APPLICATION_ID or not has_manifest:
        raise StoreError(_("{path} exists and is not a fieldtui export: choose another name").format(path=out))


def _write_export(store: Store, out: Path, device_id: str, pseudonymise: bool, secret: bytes,
                  progress: Progress) -> ExportResult:
    """Build the export in a private work folder (a temporary copy of personal data never lands
    on the stick), then move it into place; errors become one line saying nothing was written."""
    outcome = _("the export was not written")
    try:
        with db_files.work_folder("export") as work:
            tmp = work / "export.db"
            create_private_file(tmp)
            result = _fill_export(tmp, _source_file(store, work), device_id, pseudonymise, secret, progress)
            db_files.move_into_place(tmp, out)
            return dataclasses.replace(result, path=out)
    except sqlite3.Error as exc:
        if _code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):  # the source: ours is new
            raise StoreError(damaged_file_message()) from None
        raise failure(exc, out, outcome=outcome) from None
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, out, outcome)) from None


def _fill_export(tmp: Path, src: Path, device_id: str, pseudonymise: bool, secret: bytes,
                 progress: Progress) -> ExportResult:
    """Build the export in `tmp`: the schema, one consistent snapshot of `src`, the manifest."""
    conn = sqlite3.connect(tmp.resolve().as_uri(), uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        conn.create_function(
            "fieldtui_anon", 1, deterministic=True,
            func=lambda v: None if v is None else
            "anon-" + hmac.new(secret, str(v).encode(), hashlib.sha256).hexdigest()[:16])
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("BEGIN")
        migrations.apply(conn, 0)
        _prune_to_export_schema(conn)
        conn.execute(MANIFEST_DDL)
        conn.execute("COMMIT")
        conn.execute("ATTACH DATABASE ? AS src", (src.resolve().as_uri() + "?mode=ro",))
        conn.execute("BEGIN")  # one read transaction on the source: a consistent snapshot
        for i, table in enumerate(RECORD_TABLES):
            progress("export", i, len(RECORD_TABLES))
            cols = _columns(conn, table)
            exprs = _select_exprs(table, cols, pseudonymise)
            conn.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) "
                         f"SELECT {', '.join(exprs)} FROM src.{table}")
        conn.execute("INSERT INTO main.meta (key, value) VALUES ('device_id', ?)", (device_id,))
        cbos = [dict(id=r[0], name_en=r[1], name_zh=r[2]) for r in conn.execute(
            "SELECT id, name_en, name_zh FROM main.cbos WHERE deleted = 0 ORDER BY id")]
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        progress("export", len(RECORD_TABLES), len(RECORD_TABLES))
        counts = _counts(conn)
        checksum = content_checksum(conn)
        export_id = new_id()
        manifest = {
            "format": EXPORT_FORMAT,
            "export_id": export_id,
            "device_id": device_id,
            "cbos": json.dumps(cbos, ensure_ascii=False),
            "schema_version": str(SCHEMA_VERSION),
            "counts": json.dumps(counts),
            "created_at": utc_now(),
            "checksum": checksum,
            "pseudonymised": "1" if pseudonymise else "0",
        }
        conn.executemany("INSERT INTO manifest (key, value) VALUES (?, ?)", manifest.items())
        conn.execute("VACUUM")  # no free pages: nothing but what the manifest describes
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return ExportResult(tmp, export_id, counts, checksum, pseudonymise)


# --------------------------------------------------------------------------- checks


class Refused(StoreError):
    """A file that will not be merged, with the one-line reason."""


@dataclass
class CheckedFile:
    copy: Path  # private, checked, at the current schema version
    manifest: dict[str, str]
    export_id: str
    device_id: str
    checksum: str
    pseudonymised: bool
    version: int
    versions: Path  # each row's version, computed from the copy (`_row_versions_file`)


def _header_checks(path: Path) -> None:
    if not path.exists():
        raise Refused(_("no such file"))
    if not path.is_file():
        raise Refused(_("not a file"))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(_("too large ({size} bytes)").format(size=size))
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise Refused(_("not a SQLite database"))
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages, valid_for = (struct.unpack(">I", head[o:o + 4])[0] for o in (24, 28, 92))
    if page_size < 512 or page_size & (page_size - 1):
        raise Refused(_("damaged SQLite header"))
    if pages and change_counter == valid_for and size < pages * page_size:
        raise Refused(_("truncated: {size} bytes, the header says {expected}").format(
            size=size, expected=pages * page_size))
    if size % page_size:
        raise Refused(_("truncated: size is not a whole number of pages"))
    if struct.unpack(">I", head[56:60])[0] not in (0, 1):  # exports are UTF-8 (ATTACH needs the same)
        raise Refused(_("a SQLite database of another application, not a fieldtui export"))


def DAMAGED() -> str:  # noqa: N802 - a message, translated when raised
    """The one reason given for any damage SQLite finds: its own text can span lines, be undecodable
    or quote the damaged content (a person's name), so it is never shown."""
    return _("file is damaged (integrity check failed)")


def _open_checked(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, isolation_level=None)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_file(path: Path, workdir: Path) -> CheckedFile:
    """Refuse (raise Refused) unless `path` is an intact fieldtui export; return a checked copy."""
    if db_files.is_open_here(path):  # reading it with open() would drop this process's locks on it
        raise Refused(_("this is the headquarters file itself"))
    _header_checks(path)
    copy = workdir / f"{new_id()}.db"
    create_private_file(copy)
    with open(path, "rb") as src, open(copy, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    _header_checks(copy)  # the copy is what we trust from here on (the original may change)
    try:
        conn = _open_checked(copy)
    except sqlite3.DatabaseError:
        raise Refused(DAMAGED()) from None
    conn.text_factory = bytes  # until quick_check passed
    try:
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            raise Refused(DAMAGED()) from None
        if [tuple(r) for r in result] != [(b"ok",)]:
            raise Refused(DAMAGED())
        conn.text_factory = str  # the pages are sound: the file's text is decoded from here on
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise Refused(_("a SQLite database of another application, not a fieldtui export"))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise Refused(_("written by a newer fieldtui (schema {found}, this version reads up to {known}); "
                            "please update fieldtui").format(found=version, known=SCHEMA_VERSION))
        if version < 1:
            raise Refused(_("has no schema version"))
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "manifest" not in names:
            raise Refused(_("a fieldtui file but not an export (no manifest): use `fieldtui export` first"))
        found = _schema_listing(conn)
        expected = expected_schema(version)
        if found != list(expected):
            extra = sorted({(t, n) for t, n, _tn, _s in found} - {(t, n) for t, n, _tn, _s in expected})
            if extra:
                raise Refused(_("unexpected {kind} {name!r} in the file").format(kind=extra[0][0], name=extra[0][1]))
            raise Refused(_("its tables do not match schema version {version}").format(version=version))
        manifest = _read_manifest(conn, version)
        counts = _counts(conn)
        declared = json.loads(manifest["counts"])
        for table in RECORD_TABLES:
            if counts[table] > MAX_ROWS_PER_TABLE:
                raise Refused(_("too many rows in {table}").format(table=table))
            if declared.get(table) != counts[table]:
                raise Refused(_("manifest says {declared} rows in {table}, the file has {found}").format(
                    declared=declared.get(table), table=table, found=counts[table]))
        for table in RECORD_TABLES:
            _check_types(conn, table)
            cols = _columns(conn, table)
            longest = conn.execute(
                f"SELECT max(max({', '.join(f'coalesce(length({c}), 0)' for c in cols)})) FROM {table}").fetchone()[0]
            if (longest or 0) > MAX_CELL_CHARS:
                raise Refused(_("a value in {table} is implausibly long").format(table=table))
        checksum = content_checksum(conn)
        if checksum != manifest["checksum"]:
            raise Refused(_("checksum does not match the content (damaged or edited after export)"))
    except (sqlite3.DatabaseError, UnicodeDecodeError, TypeError):  # SQLite's text may quote content: not shown
        raise Refused(DAMAGED()) from None  # (TypeError: a BLOB where the file's structure has text)
    finally:
        conn.close()
    if version < SCHEMA_VERSION:
        copy = _upgrade(copy, workdir)
    check_rows(copy, manifest["pseudonymised"] == "1")
    versions = _row_versions_file(copy, workdir)
    return CheckedFile(copy, manifest, manifest["export_id"], manifest["device_id"], checksum,
                       manifest["pseudonymised"] == "1", version, versions)


def _row_versions_file(copy: Path, workdir: Path) -> Path:
    """Each row's version (id, updated_at, hash of its other columns, deleted) per table, in a
    private file beside the checked copy: hashing is Python, so it is done with the checking (in
    the worker process when there is one) rather than in the merge. `columns` records what was
    hashed, in which order; the merge hashes for itself if its own columns differ."""
    out = workdir / f"{copy.stem}-versions.db"
    create_private_file(out)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")  # scratch: a crash leaves nothing to recover
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.create_function("fieldtui_hash", 1, row_hash, deterministic=True)
        conn.execute("ATTACH DATABASE ? AS src", (copy.resolve().as_uri() + "?mode=ro&immutable=1",))
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE columns (tbl TEXT PRIMARY KEY, hashed TEXT NOT NULL)")
        for table in RECORD_TABLES:
            content = [c for c in _columns(conn, table, "src") if c != "updated_at"]
            conn.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, u TEXT NOT NULL, h TEXT NOT NULL, "
                         "del INTEGER NOT NULL) WITHOUT ROWID")
            conn.execute(f"INSERT INTO {table} (id, u, h, del) SELECT id, updated_at, "
                         f"fieldtui_hash({_json_array(content)}), deleted FROM src.{table}")
            conn.execute("INSERT INTO columns (tbl, hashed) VALUES (?, ?)", (table, json.dumps(content)))
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise _scratch_failure(exc, workdir, Refused(DAMAGED())) from None
    finally:
        conn.close()
    return out


def _scratch_failure(exc: sqlite3.Error, workdir: Path, otherwise: Exception) -> Exception:
    """An error while writing a private copy is the disk's (full, failing: the merge stops with
    one line), unless SQLite blames the content (`otherwise`: the file is refused)."""
    if _code(exc) in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN,
                      sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return failure(exc, workdir, outcome=_("the merge stopped"))
    return otherwise


_TYPES = {"INTEGER": ("integer",), "REAL": ("real", "integer"), "TEXT": ("text",)}


def _check_types(conn: sqlite3.Connection, table: str) -> None:
    """Every value of the declared type (SQLite would store 'abc' in a REAL column, or a BLOB
    anywhere: JSON and the row hash cannot hold one). Runs before anything hashes the rows."""
    for _cid, col, decl, notnull, _default, pk in conn.execute(f"PRAGMA table_info({table})").fetchall():
        allowed = _TYPES.get(decl.upper(), ("integer", "real", "text"))
        allowed = allowed if (notnull or pk) else (*allowed, "null")
        kinds = ", ".join(f"'{k}'" for k in allowed)
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE typeof({col}) NOT IN ({kinds}))").fetchone()[0]:
            raise Refused(_("{table}.{column} holds values of the wrong type").format(table=table, column=col))


_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def _read_manifest(conn: sqlite3.Connection, version: int) -> dict[str, str]:
    manifest = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM manifest")}
    for required in ("format", "export_id", "device_id", "schema_version", "counts", "checksum", "pseudonymised"):
        if required not in manifest:
            raise Refused(_("manifest lacks {key}").format(key=required))
    if manifest["format"] != EXPORT_FORMAT:
        raise Refused(_("unknown export format {format}").format(format=manifest["format"][:20]))
    if manifest["schema_version"] != str(version):
        raise Refused(_("manifest schema version does not match the file"))
    if not _ID.fullmatch(manifest["export_id"]) or not _ID.fullmatch(manifest["device_id"]):
        raise Refused(_("manifest ids are malformed"))
    try:
        counts = json.loads(manifest["counts"])
    except ValueError:
        raise Refused(_("manifest counts are malformed")) from None
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise Refused(_("manifest counts are malformed"))
    return manifest


@contextmanager
def _plain_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN")
    yield
    conn.execute("COMMIT")


def _upgrade(copy: Path, workdir: Path) -> Path:
    """Run our migrations on the (already checked) older export, on a private copy."""
    upgraded = workdir / f"{new_id()}-upgraded.db"
    create_private_file(upgraded)
    src = _open_checked(copy)
    dest = sqlite3.connect(upgraded, isolation_level=None)
    try:
        src.backup(dest)
        dest.execute("PRAGMA trusted_schema = OFF")
        version = dest.execute("PRAGMA user_version").fetchone()[0]
        migrations.apply(dest, version, transaction=lambda: _plain_transaction(dest))
    except sqlite3.DatabaseError as exc:
        raise _scratch_failure(exc, workdir, Refused(_("cannot be upgraded to this version"))) from None
    finally:
        src.close()
        dest.close()
    copy.unlink(missing_ok=True)
    return upgraded


# --------------------------------------------------------------------------- rows against the models

ROW_BATCH = 2000
_ROW_CHECKS: dict[str, Callable[[dict, bool], None]] = {}  # filled below, with _ROW_SELECTS


def _first_rule(exc: RecordInvalid) -> str:
    return next(iter(exc.errors.values()), "")


def check_rows(copy: Path, pseudonymised: bool) -> None:
    """Refuse the file unless every live row passes the rules a form applies (see the docstring).

    Streams each table from the checked copy in batches of ROW_BATCH (bounded memory whatever the
    size). The message names the table, the row id and the first rule broken, never a value."""
    conn = _open_checked(copy)
    conn.row_factory = sqlite3.Row
    try:
        bad = conn.execute("SELECT tbl FROM (" + " UNION ALL ".join(
            f"SELECT '{t}' AS tbl FROM {t} WHERE NOT (length(id) BETWEEN 1 AND 64"
            f" AND id NOT GLOB '*[^A-Za-z0-9_.:-]*'"
            f" AND updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"
            f" AND created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*')"
            for t in RECORD_TABLES) + ") LIMIT 1").fetchone()
        if bad is not None:
            raise Refused(_("rows of {table} have malformed ids or time stamps").format(table=bad[0]))
        for table in RECORD_TABLES:
            check = _ROW_CHECKS[table]
            cur = conn.execute(_ROW_SELECTS[table])
            while batch := cur.fetchmany(ROW_BATCH):
                for row in batch:
                    try:
                        check(dict(row), pseudonymised)
                    except RecordInvalid as exc:
                        raise Refused(_("{table} row {id} breaks a rule: {rule}").format(
                            table=table, id=row["id"], rule=_first_rule(exc))) from None
                    except (ValueError, TypeError):  # e.g. malformed programmes JSON
                        raise Refused(_("{table} row {id} is malformed").format(table=table, id=row["id"])) from None
    except sqlite3.DatabaseError:
        raise Refused(DAMAGED()) from None
    finally:
        conn.close()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _check_cbo(row: dict, pseudonymised: bool) -> None:
    row["programmes"] = json.loads(row["programmes"])
    validate(CBO, row)


def _check_participant(row: dict, pseudonymised: bool) -> None:
    if pseudonymised:  # "anon-…" stands for the phone: the format rule does not apply
        row["phone"] = None
    person = validate(Participant, row)
    for name in ("gender", "origin", "province"):  # the models accept aliases ("女", "河南"); a file holds keys
        if getattr(person, name) != row[name]:
            raise RecordInvalid({name: labelled(_(LABELS[name]), _("is not written in its stored form"))})


_PERSON = Participant.model_construct()


def _person(row: dict) -> Participant:
    # Already validated in the participants pass; only what the composite rules read is needed
    # (a copy of a bare instance costs half of model_construct).
    return _PERSON.model_copy(update={"birth_year": row["p_birth_year"], "birth_date": _date(row["p_birth_date"]),
                                      "registered_on": _date(row["p_registered_on"])})


def _check_training(row: dict, pseudonymised: bool) -> None:
    training = validate(Training, row)
    if row["p_birth_year"] is not None:
        validate(TraineeRecord, {"participant": _person(row), "training": training})


#: The release date of the guardian-consent field (schema 2): a fixed date, not "today". A child's
#: row last saved before then cannot have recorded consent (schema 1 had no such field, and the
#: upgrade does not touch updated_at), so it is let in with the guardian rule still applied; any
#: later save went through a form that requires the consent. Keyed to the row, not to the file's
#: schema version, because a laptop that upgraded still holds its old children. Limit: a hand-edited
#: export that backdates updated_at slips a child past this check (the forms still require consent).
CONSENT_FIELD_SINCE = "2026-11-25"


def _check_after_school(row: dict, pseudonymised: bool) -> None:
    enrolment = validate(AfterSchool, row)
    if not enrolment.guardian_consent and row["updated_at"] < CONSENT_FIELD_SINCE:
        enrolment = enrolment.model_copy(update={"guardian_consent": True})
    if row["p_birth_year"] is not None:
        validate(ChildRecord, {"participant": _person(row), "enrolment": enrolment})


def _check_other(row: dict, pseudonymised: bool) -> None:
    validate(OtherProgramme, row)


def _check_placement(row: dict, pseudonymised: bool) -> None:
    placement = validate(Placement, row)
    if row["t_start_date"] is None:
        raise RecordInvalid({"training_id": labelled(_("Trainee"), _("must be an existing, non-removed trainee"))})
    start = _date(row["t_start_date"])
    if placement.start_date < start:  # the rule of check_placement_against_training
        check_placement_against_training(placement, Training.model_construct(start_date=start, deleted=False))


_ROW_CHECKS.update(cbos=_check_cbo, participants=_check_participant, trainings=_check_training,
                   after_school=_check_after_school, other_programmes=_check_other, placements=_check_placement)
_JOIN_PERSON = ("SELECT e.*, p.birth_year AS p_birth_year, p.birth_date AS p_birth_date, "
                "p.registered_on AS p_registered_on FROM {t} e "
                "LEFT JOIN participants p ON p.id = e.participant_id AND p.deleted = 0 WHERE e.deleted = 0")
#: Live rows only: tombstones carry only ids and stamps (their personal fields are blanked).
_ROW_SELECTS = {
    "cbos": "SELECT * FROM cbos WHERE deleted = 0",
    "participants": "SELECT * FROM participants WHERE deleted = 0",
    "trainings": _JOIN_PERSON.format(t="trainings"),
    "after_school": _JOIN_PERSON.format(t="after_school"),
    "other_programmes": "SELECT * FROM other_programmes WHERE deleted = 0",
    "placements": "SELECT pl.*, t.start_date AS t_start_date FROM placements pl LEFT JOIN trainings t "
                  "ON t.id = pl.training_id AND t.deleted = 0 WHERE pl.deleted = 0",
}


# --------------------------------------------------------------------------- merge


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0
    unchanged: int = 0


@dataclass
class FileResult:
    path: Path
    accepted: bool
    reason: str = ""
    export_id: str = ""
    already_merged: bool = False
    tables: dict[str, TableCounts] = field(default_factory=dict)

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.tables.values())


@dataclass
class MergeReport:
    hq_path: Path
    files: list[FileResult] = field(default_factory=list)

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if not f.accepted]

    @property
    def accepted(self) -> list[FileResult]:
        return [f for f in self.files if f.accepted]

    def totals(self) -> dict[str, TableCounts]:
        out = {t: TableCounts() for t in RECORD_TABLES}
        for f in self.accepted:
            for t, c in f.tables.items():
                for k in ("inserted", "updated", "deleted", "conflicts", "unchanged"):
                    setattr(out[t], k, getattr(out[t], k) + getattr(c, k))
        return out


def merge(hq_path: str | os.PathLike, files: list[str | os.PathLike], *,
          progress: Progress = _noop, operator: str | None = None) -> MergeReport:
    """Merge exports into the headquarters file (created if missing); see the module docstring."""
    hq_path = Path(hq_path)
    with Store.open(hq_path, create=True, operator=operator) as hq:
        return merge_into(hq, files, progress=progress)


def merge_into(hq: Store, files: list[str | os.PathLike], *, progress: Progress = _noop) -> MergeReport:
    """Merge exports into an open store (the TUI's own file, or the HQ file)."""
    if hq.path is None:
        raise StoreError(_("only a file on disk can receive a merge"))
    report = MergeReport(hq.path)
    hq.conn.create_function("fieldtui_hash", 1, row_hash, deterministic=True)
    paths = [Path(name) for name in files]
    with db_files.work_folder("merge") as work, _checker(paths) as worker, _merge_settings(hq.conn):
        outcomes = _checked_files(paths, work, hq.path, worker)
        merged = 0
        for i, path in enumerate(paths):
            progress("merge", i, len(paths))
            result = FileResult(path, accepted=False)
            report.files.append(result)
            checked = next(outcomes)
            if isinstance(checked, str):
                result.reason = checked
                continue
            try:
                _merge_one(hq, checked, result)
            except Refused as exc:
                result.reason = str(exc)
            finally:
                checked.copy.unlink(missing_ok=True)
                checked.versions.unlink(missing_ok=True)
            if result.accepted and not result.already_merged:
                merged += 1
                if merged % CHECKPOINT_EVERY == 0:
                    _checkpoint(hq.conn)
        progress("merge", len(paths), len(paths))
    return report


#: The headquarters connection's page cache while merging, at most (SQLite takes it only as pages
#: are read), and never more than a sixteenth of the memory: a file's rows land all over the
#: indexes, and with the store's small cache (store._connect) their inner pages would be read
#: again from the OS for row after row. The store's own cache is restored after the merge.
MERGE_CACHE_KIB = 256 * 1024
#: Checkpoint (copy the write-ahead log into the file) after every this many merged files, not
#: after each: consecutive files touch mostly the same index pages, so each is written back once
#: per pair. Every commit is still synced (synchronous = FULL): durability does not depend on it;
#: the log grows to about two files' worth of pages meanwhile.
CHECKPOINT_EVERY = 2


def _merge_cache_kib() -> int:
    try:
        memory_kib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024
    except (AttributeError, ValueError, OSError):  # not a POSIX system: assume 1 GiB
        memory_kib = 1024**2
    return max(2048, min(MERGE_CACHE_KIB, memory_kib // 16))


@contextmanager
def _merge_settings(conn: sqlite3.Connection) -> Iterator[None]:
    """For the merge: a larger page cache, scratch tables in memory, checkpoints every
    CHECKPOINT_EVERY files; after it, the store's own settings and the log checkpointed."""
    before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
              for name in ("main.cache_size", "temp_store", "wal_autocheckpoint")}
    conn.execute(f"PRAGMA main.cache_size = {-_merge_cache_kib()}")
    conn.execute("PRAGMA temp_store = MEMORY")  # the per-file scratch tables (inc, multi, loc)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        try:
            for name, value in before.items():
                conn.execute(f"PRAGMA {name} = {int(value)}")
        except sqlite3.Error:  # never hide the merge's own error; the store works either way
            pass
        _checkpoint(conn)  # else the next commit would (a pause in the TUI), or the close


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the committed log into the file. A failure (disk full…) loses nothing: the log keeps
    every commit, and the next checkpoint (at the latest on closing) tries again."""
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error:
        pass


#: Below this many bytes of exports in one merge, each file is checked in this process: starting
#: the checking process (about 0.5 s of CPU) pays only when there is enough checking to overlap.
PIPELINE_MIN_BYTES = 32 * 1024**2


class _WorkerLost(Exception):
    """The check worker gave no sound reply: the file is checked in this process instead."""


class _CheckWorker:
    """A child Python process that checks files (`_check_outcome`) for this one, one at a time.

    A plain subprocess speaking pickle over its stdin/stdout, not multiprocessing: spawning with
    multiprocessing re-runs the caller's main script in the child, and a script that merges
    without an `if __name__ == "__main__"` guard would start merging there too. The child runs
    this same fieldtui package (its folder first on PYTHONPATH); its stderr goes nowhere (a
    traceback on the terminal would garble the TUI; a failing worker is replaced by checking here)."""

    def __init__(self) -> None:
        import fieldtui

        package_root = str(Path(fieldtui.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from fieldtui.core.exchange import _check_worker_main; _check_worker_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.busy = False

    def submit(self, path: Path, work: Path, hq_path: Path) -> None:
        assert self.proc.stdin is not None
        pickle.dump((language(), path, work, hq_path), self.proc.stdin)
        self.proc.stdin.flush()
        self.busy = True

    def result(self) -> CheckedFile | str:
        """The outcome of the file submitted; _WorkerLost if no sound reply comes."""
        assert self.proc.stdout is not None
        try:
            kind, value = pickle.load(self.proc.stdout)
        except Exception as exc:  # noqa: BLE001 - died (EOF), or something else on its stdout
            raise _WorkerLost from exc
        self.busy = False
        if kind == "raise" and isinstance(value, BaseException):  # a bug: raised as without the worker
            raise value
        if kind != "ok" or not isinstance(value, (CheckedFile, str)):
            raise _WorkerLost
        return value

    def close(self) -> None:
        if self.busy:  # stopped early (an error while merging): its copy goes with the work folder
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _check_worker_main() -> None:
    """The worker's loop: (language, path, work, hq path) in, ("ok", outcome) or ("raise", exc) out."""
    out = os.fdopen(os.dup(1), "wb")  # the replies; anything else printed goes to stderr
    os.dup2(2, 1)
    if hasattr(os, "nice"):  # background work: the merge it feeds (and the disk's kernel threads) first
        os.nice(10)
    inp = sys.stdin.buffer
    while True:
        try:
            lang, path, work, hq_path = pickle.load(inp)
        except EOFError:
            return
        set_language(lang)
        try:
            reply: tuple[str, object] = ("ok", _check_outcome(path, work, hq_path))
        except BaseException as exc:  # noqa: BLE001 - sent back and raised there
            reply = ("raise", exc)
        try:
            data = pickle.dumps(reply)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            data = pickle.dumps(("raise", RuntimeError(repr(reply[1]))))
        out.write(data)
        out.flush()


@contextmanager
def _checker(paths: list[Path]) -> Iterator[_CheckWorker | None]:
    """The worker that checks the next file while this process merges the current one (checking
    is Python, merging is mostly SQLite: on two cores they overlap); None when not worth it."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    total = 0
    for path in paths[1:]:  # the first file is checked here, while the worker starts
        try:
            total += path.stat().st_size
        except OSError:
            pass
    worker = None
    python = sys.executable and not getattr(sys, "frozen", False)  # a frozen app is no interpreter
    if python and len(paths) > 1 and cores > 1 and total >= PIPELINE_MIN_BYTES:
        try:
            worker = _CheckWorker()
        except OSError:  # cannot start a process here: check in this one
            worker = None
    try:
        yield worker
    finally:
        if worker is not None:  # before the work folder goes: the worker may be writing a copy there
            worker.close()


def _checked_files(paths: list[Path], work: Path, hq_path: Path,
                   worker: _CheckWorker | None) -> Iterator[CheckedFile | str]:
    """Each file's check outcome in order (a checked copy, or the one-line reason it is refused).

    With a worker, file i+1 is checked there while the caller merges file i: a file is merged
    only once its check has finished, from the private copy that check made and read. A worker
    that fails (killed, out of memory) is dropped and the rest is checked here."""

    def submit(i: int) -> _CheckWorker | None:
        try:
            if worker is not None and i < len(paths):
                worker.submit(paths[i], work, hq_path)
            return worker
        except OSError:
            return None

    worker = submit(1)
    for i, path in enumerate(paths):
        outcome: CheckedFile | str | None = None
        if i > 0 and worker is not None:
            try:
                outcome = worker.result()
            except _WorkerLost:
                worker = None
            worker = submit(i + 1)
        yield outcome if outcome is not None else _check_outcome(path, work, hq_path)


def _check_outcome(path: Path, work: Path, hq_path: Path) -> CheckedFile | str:
    """check_file, with a refusal as its one-line reason (also what the worker process returns)."""
    ident = db_files.identity(path)
    if ident is not None and (ident == db_files.identity(hq_path) or db_files.is_open_here(path)):
        return _("this is the headquarters file itself")
    try:
        return check_file(path, work)
    except Refused as exc:
        return str(exc)
    except OSError as exc:
        if exc.errno in _OUR_DISK:  # copying it into the work folder: our disk, not the file
            raise StoreError(db_files.describe_os_error(exc, work, _("the merge stopped"))) from None
        return _("cannot be read: {reason}").format(reason=exc.strerror or exc)


#: errno values about the disk we write to (the work folder), not about a file given to merge.
_OUR_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


def _merge_one(hq: Store, checked: CheckedFile, result: FileResult) -> None:
    conn = hq.conn
    result.export_id = checked.export_id
    row = conn.execute("SELECT checksum FROM merges WHERE export_id = ?", (checked.export_id,)).fetchone()
    if row is not None:
        if row[0] != checked.checksum:
            raise Refused(_("an export with the same id but different content was already merged"))
        result.accepted = True
        result.already_merged = True
        result.tables = {t: TableCounts() for t in RECORD_TABLES}
        return
    flag = hq.get_meta("hq_pseudonymised")
    if flag is None:
        has_rows = conn.execute("SELECT EXISTS (SELECT 1 FROM participants) OR EXISTS (SELECT 1 FROM cbos)"
                                ).fetchone()[0]
        flag = "0" if has_rows else None
    if flag is not None and flag != ("1" if checked.pseudonymised else "0"):
        raise Refused(_("cannot mix pseudonymised and identified records in one file"))
    conn.execute("ATTACH DATABASE ? AS src", (str(checked.copy),))
    try:
        conn.execute("ATTACH DATABASE ? AS ver", (str(checked.versions),))
        with hq.transaction():
            hq_device = _device_seq(conn, hq.get_meta("device_id") or "hq")
            device = _device_seq(conn, checked.device_id)
            export = conn.execute(
                "INSERT INTO merges (export_id, checksum, device_id, merged_at, file_name, counts) "
                "VALUES (?, ?, ?, ?, ?, '{}') RETURNING seq",
                (checked.export_id, checked.checksum, checked.device_id, utc_now(), result.path.name)).fetchone()[0]
            for table in RECORD_TABLES:
                result.tables[table] = _merge_table(conn, table, device, export, hq_device)
            pinyin.refresh_keys(conn, "SELECT id FROM src.participants")  # their names' pinyin keys
            if flag is None:
                hq.set_meta("hq_pseudonymised", "1" if checked.pseudonymised else "0")
            counts = {t: vars(c) for t, c in result.tables.items()}
            conn.execute("UPDATE merges SET counts = ? WHERE seq = ?", (json.dumps(counts), export))
    except sqlite3.IntegrityError as exc:
        raise Refused(_("its rows do not fit the records already here: {reason}").format(reason=exc)) from None
    except sqlite3.DatabaseError as exc:  # the headquarters file's problem (disk full…): stop here
        raise StoreError(_("merge stopped at {path}, nothing written from it: {reason}").format(
            path=result.path.name, reason=exc)) from None
    finally:
        for (name,) in conn.execute("SELECT name FROM pragma_database_list WHERE name IN ('src', 'ver')").fetchall():
            conn.execute(f"DETACH DATABASE {name}")
    result.accepted = True


_EXPORT_ID = "coalesce((SELECT export_id FROM merges WHERE seq = {seq}), 'local')"


def _device_seq(conn: sqlite3.Connection, device_id: str) -> int:
    conn.execute("INSERT OR IGNORE INTO devices (device_id) VALUES (?)", (device_id,))
    return conn.execute("SELECT seq FROM devices WHERE device_id = ?", (device_id,)).fetchone()[0]


def _merge_table(conn: sqlite3.Connection, table: str, device: int, export: int, hq_device: int) -> TableCounts:
    cols = _columns(conn, table)
    col_list = ", ".join(cols)
    content = [c for c in cols if c != "updated_at"]  # same content, other stamp: not a conflict
    p = {"t": table, "dev": device, "eid": export, "hq": hq_device}
    for temp in ("inc", "multi", "loc"):
        conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    conn.execute("CREATE TEMP TABLE inc (id TEXT PRIMARY KEY, u TEXT NOT NULL, h TEXT NOT NULL, "
                 "del INTEGER NOT NULL, mu TEXT, mh TEXT, mdel INTEGER, state TEXT) WITHOUT ROWID")
    hashed = conn.execute("SELECT hashed FROM ver.columns WHERE tbl = ?", (table,)).fetchone()
    if hashed is not None and json.loads(hashed[0]) == content:  # hashed with the check
        conn.execute(f"INSERT INTO temp.inc (id, u, h, del) SELECT id, u, h, del FROM ver.{table}")
    else:
        conn.execute(f"INSERT INTO temp.inc (id, u, h, del) SELECT id, updated_at, "
                     f"fieldtui_hash({_json_array(content)}), deleted FROM src.{table}")
    # Headquarters' own edits since the last merge are versions of the HQ "device": its history is
    # the merged version it edited (the greatest seen so far), then the edit.
    conn.execute("CREATE TEMP TABLE loc (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute(f"INSERT INTO temp.loc SELECT m.id FROM temp.inc i CROSS JOIN main.{table} m ON m.id = i.id "
                 "WHERE NOT EXISTS (SELECT 1 FROM row_versions v WHERE v.tbl = :t AND v.row_id = m.id "
                 "AND v.updated_at = m.updated_at)", p)
    if conn.execute("SELECT EXISTS (SELECT 1 FROM temp.loc)").fetchone()[0]:
        conn.execute(
            "INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
            "SELECT :t, l.id, w.updated_at, w.hash, :hq, 0 FROM temp.loc l CROSS JOIN row_versions w "
            "ON w.tbl = :t AND w.row_id = l.id WHERE (w.updated_at, w.hash) = (SELECT z.updated_at, z.hash "
            "FROM row_versions z WHERE z.tbl = :t AND z.row_id = l.id ORDER BY z.updated_at DESC, z.hash DESC "
            "LIMIT 1)", p)
        conn.execute("INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
                     f"SELECT :t, m.id, m.updated_at, fieldtui_hash({_json_array(content, 'm')}), :hq, 0 "
                     f"FROM temp.loc l CROSS JOIN main.{table} m ON m.id = l.id", p)
    # The export named in a conflict is the least export id that brought the version (any order).
    conn.execute("INSERT INTO row_versions (tbl, row_id, updated_at, hash, device, export) "
                 "SELECT :t, id, u, h, :dev, :eid FROM temp.inc WHERE true "
                 "ON CONFLICT DO UPDATE SET export = excluded.export WHERE "
                 f"{_EXPORT_ID.format(seq='excluded.export')} < {_EXPORT_ID.format(seq='row_versions.export')}", p)
    # The kept version now, and what this file's version does to it.
    conn.execute(
        f"UPDATE temp.inc SET mu = m.updated_at, mdel = m.deleted, mh = (SELECT max(v.hash) FROM row_versions v "
        f"WHERE v.tbl = :t AND v.row_id = m.id AND v.updated_at = m.updated_at) FROM main.{table} m "
        "WHERE m.id = temp.inc.id", p)
    conn.execute("UPDATE temp.inc SET state = CASE WHEN mu IS NULL THEN 'new' WHEN (u, h) > (mu, mh) THEN 'win' "
                 "WHEN (u, h) < (mu, mh) THEN 'lose' ELSE 'same' END")
    conn.execute("CREATE TEMP TABLE multi (id TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("INSERT INTO temp.multi SELECT i.id FROM temp.inc i WHERE EXISTS (SELECT 1 FROM row_versions v "
                 "WHERE v.tbl = :t AND v.row_id = i.id AND v.device != :dev)", p)
    multi = conn.execute("SELECT EXISTS (SELECT 1 FROM temp.multi)").fetchone()[0]
    # Keep the content of versions that stop (or never start) being the kept one, where another
    # device is involved: they may be one side of a conflict.
    conn.execute(f"INSERT OR IGNORE INTO row_data (tbl, row_id, updated_at, hash, data) "
                 f"SELECT :t, m.id, m.updated_at, i.mh, {_json_object(cols, 'm')} FROM temp.inc i "
                 f"CROSS JOIN main.{table} m ON m.id = i.id WHERE i.state = 'win' "
                 "AND i.id IN (SELECT id FROM temp.multi)", p)
    conn.execute(f"INSERT OR IGNORE INTO row_data (tbl, row_id, updated_at, hash, data) "
                 f"SELECT :t, s.id, s.updated_at, i.h, {_json_object(cols, 's')} FROM src.{table} s "
                 "JOIN temp.inc i ON i.id = s.id WHERE i.state = 'lose' AND i.id IN (SELECT id FROM temp.multi)", p)
    conn.execute(f"INSERT INTO main.{table} ({col_list}) SELECT {col_list} FROM src.{table} s "
                 "WHERE s.id IN (SELECT id FROM temp.inc WHERE state = 'new')")
    sets = ", ".join(f"{c} = s.{c}" for c in cols if c != "id")
    conn.execute(f"UPDATE main.{table} SET {sets} FROM src.{table} s WHERE s.id = main.{table}.id "
                 f"AND main.{table}.id IN (SELECT id FROM temp.inc WHERE state = 'win')")
    # Conflicts of every row this file touched, recomputed from all versions seen.
    conn.execute("DELETE FROM conflicts WHERE tbl = :t AND row_id IN (SELECT id FROM temp.multi)", p)
    if multi:  # only rows seen from two devices or more can be in conflict (and they stay so)
        conn.execute(
            "INSERT INTO conflicts (tbl, row_id, device_id, export_id, kept_updated_at, kept, other_updated_at, other) "
            f"SELECT :t, x.row_id, (SELECT device_id FROM devices WHERE seq = x.device), "
            f"{_EXPORT_ID.format(seq='x.export')}, m.updated_at, {_json_object(cols, 'm')}, x.updated_at, "
            "coalesce(d.data, '{}') "
            f"FROM temp.multi mu CROSS JOIN row_versions x ON x.tbl = :t AND x.row_id = mu.id "
            f"JOIN main.{table} m ON m.id = x.row_id "
            "LEFT JOIN row_data d ON d.tbl = :t AND d.row_id = x.row_id AND d.updated_at = x.updated_at "
            "AND d.hash = x.hash "
            "WHERE x.tbl = :t AND x.updated_at != m.created_at "
            "AND NOT EXISTS (SELECT 1 FROM row_versions y WHERE y.tbl = :t AND y.row_id = x.row_id "
            "  AND y.device = x.device AND (y.updated_at, y.hash) > (x.updated_at, x.hash)) "
            "AND x.updated_at <= m.updated_at AND x.hash != (SELECT max(w.hash) FROM row_versions w WHERE w.tbl = :t "
            "  AND w.row_id = m.id AND w.updated_at = m.updated_at) "
            "AND NOT EXISTS (SELECT 1 FROM row_versions a JOIN row_versions b ON b.device = a.device "
            "  AND b.tbl = :t AND b.row_id = a.row_id "
            "  WHERE a.tbl = :t AND a.row_id = x.row_id AND a.updated_at = x.updated_at AND a.hash = x.hash "
            "  AND b.updated_at = m.updated_at AND b.hash = (SELECT max(w.hash) FROM row_versions w WHERE w.tbl = :t "
            "  AND w.row_id = m.id AND w.updated_at = m.updated_at))", p)
    counts = TableCounts()
    for state, new_del, old_del, n in conn.execute(
            "SELECT state, del, mdel, count(*) FROM temp.inc GROUP BY state, del, mdel"):
        if state == "new":
            counts.inserted += n
        elif state == "win" and new_del and not old_del:
            counts.deleted += n
        elif state == "win":
            counts.updated += n
        else:
            counts.unchanged += n
    counts.conflicts = conn.execute(
        "SELECT count(DISTINCT row_id) FROM conflicts WHERE tbl = :t AND row_id IN (SELECT id FROM temp.inc)",
        p).fetchone()[0]
    for temp in ("inc", "multi", "loc"):
        conn.execute(f"DROP TABLE IF EXISTS temp.{temp}")
    return counts


def resolve_conflict(store: Store, row_id: str, device_id: str | None = None) -> int:
    """Mark the conflicts of a row as reviewed: record both versions in headquarters' history."""
    where, params = "row_id = :id", {"id": row_id, "dev": device_id}
    if device_id:
        where += " AND device_id = :dev"
    with store.transaction():
        rows = store.conn.execute(f"SELECT tbl, row_id, device_id FROM conflicts WHERE {where}", params).fetchall()
        if not rows:
            raise StoreError(_("no conflict for {id}").format(id=row_id))
        hq = _device_seq(store.conn, store.get_meta("device_id") or "hq")
        for tbl, rid, dev in rows:
            p = {"t": tbl, "id": rid, "dev": dev, "hq": hq, "seq": _device_seq(store.conn, dev)}
            head = ("SELECT updated_at, hash FROM row_versions WHERE tbl = :t AND row_id = :id {extra} "
                    "ORDER BY updated_at DESC, hash DESC LIMIT 1")
            for extra in ("AND device = :seq", ""):  # their latest version, and the kept one
                u, h = store.conn.execute(head.format(extra=extra), p).fetchone()
                store.conn.execute("INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, "
                                   "export) VALUES (:t, :id, :u, :h, :hq, 0)", {**p, "u": u, "h": h})
            store.conn.execute("DELETE FROM conflicts WHERE tbl = :t AND row_id = :id AND device_id = :dev", p)
    return len(rows)


def conflicts(store: Store) -> list[dict[str, object]]:
    """The unresolved conflicts, for people to review (both versions as dicts)."""
    out = []
    for r in store.conn.execute("SELECT * FROM conflicts ORDER BY tbl, row_id, device_id"):
        row = dict(r)
        row["kept"] = json.loads(row["kept"])
        row["other"] = json.loads(row["other"])
        out.append(row)
    return out



# --------------------------------------------------------------------------- spreadsheet rows

def table_columns(store: Store, kind: str) -> list[str]:
    alias, select = kinds.kind(kind).sheet
    cur = store.conn.execute(f"{select} WHERE 0")
    return [d[0] for d in cur.description]


def iter_table(store: Store, kind: str, batch: int = 1000) -> Iterator[tuple]:
    """Live rows of a list kind, by keyset pages of `batch` on the id: bounded memory at any size."""
    alias, select = kinds.kind(kind).sheet
    after = ""
    while True:
        rows = store.conn.execute(f"{select} WHERE {alias}.deleted = 0 AND {alias}.id > ? "
                                  f"ORDER BY {alias}.id LIMIT ?", (after, batch)).fetchall()
        if not rows:
            return
        for row in rows:
            yield tuple(row)
        after = rows[-1][0]
