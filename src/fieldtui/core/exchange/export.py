"""Field export: a consistent, self-describing snapshot of a field file for headquarters.

- A consistent snapshot even while the app writes: the output file ATTACHes the field file
  read-only and copies every record table inside ONE read transaction (WAL snapshot isolation).
- Tombstones travel as tombstones with their personal fields blanked (name "(removed)", phone,
  birth date, guardian, description NULL: `kinds.Table.personal`): a deletion must reach
  headquarters, the deleted person's data need not.
- `pseudonymise=True` also replaces names, phones and guardian names by a keyed hash ("anon-" +
  HMAC-SHA256, 16 hex digits), drops birth dates (keeps the birth year) and free-text
  descriptions; the original values never enter the output file. The key comes from `key`, else
  $FIELDTUI_PSEUDONYM_KEY, else one generated once and kept in the file's meta (so one device's
  exports hash a person the same way; share the key to link devices).
- Built in a private work folder (a temporary copy of personal data never lands on the stick),
  VACUUMed (no free pages: nothing but what the manifest describes), then moved into place 0600
  and fsynced; an existing file is replaced only if it is itself an export.
- `recipient` (headquarters' public key) seals the finished file to it (sealed.py): only the
  sealed file leaves the work folder. The manifest names the operator who exported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from fieldtui.core import clock, kinds
from fieldtui.core.clock import utc_now
from fieldtui.core.db import files as db_files
from fieldtui.core.db.connect import APPLICATION_ID, code, failure, is_age_file, text
from fieldtui.core.db.files import create_private_file
from fieldtui.core.db.migrations import SCHEMA_VERSION
from fieldtui.core.errors import StoreError, damaged_file_message
from fieldtui.core.exchange import keys, sealed, values
from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.exchange.schema import (
    DECISIONS,
    EXPORT_FORMAT,
    HISTORY,
    Progress,
    columns,
    content_checksum,
    counts,
    create_export_schema,
    no_progress,
)
from fieldtui.core.ids import new_id
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.store import Store
from fieldtui.i18n import _

KEY_ENV = "FIELDTUI_PSEUDONYM_KEY"


@dataclass
class ExportResult:
    path: Path
    export_id: str
    counts: dict[str, int]
    checksum: str
    pseudonymised: bool
    sealed: bool = False


def export(store_or_path: Store | str | os.PathLike, out: str | os.PathLike, pseudonymise: bool = False,
           key: str | None = None, progress: Progress = no_progress, recipient: str | None = None,
           operator: str | None = None) -> ExportResult:
    """Write a consistent, self-describing snapshot of a field file to `out` (atomically, 0600),
    sealed to `recipient` if given (headquarters' public key, keys.recipient)."""
    out = Path(out)
    recipient = keys.recipient(recipient) if recipient else None
    _check_target(out)
    own = not isinstance(store_or_path, Store)
    if own:
        source = Path(store_or_path)
        if out.exists() and out.resolve() == source.resolve():
            raise StoreError(_("the export cannot overwrite the file it is made from"))
        # Only a generated key has to be written into the file: otherwise it is opened read-only.
        store = Store.open(source) if (pseudonymise and not key and not os.environ.get(KEY_ENV)) \
            else Store.open_readonly(source)
    else:
        store = store_or_path
        if store.path is None:
            raise StoreError(_("only a file on disk can be exported"))
        if out.exists() and out.resolve() == store.path.resolve():
            raise StoreError(_("the export cannot overwrite the file it is made from"))
    if operator:
        store.operator = operator
    try:
        _refuse_future_changes(store)
        secret = _pseudonym_key(store, key) if pseudonymise else b""
        device_id = store.get_meta("device_id") or "unknown"
        return _write_export(store, out, device_id, pseudonymise, secret, progress, recipient)
    finally:
        if own:
            store.close()


def _refuse_future_changes(store: Store) -> None:
    """Headquarters refuses changes dated later than tomorrow: say so here, with the remedy."""
    latest = store.future_changes()
    if latest is not None:
        clock.refuse_a_wrong_clock()  # this computer's clock is what is wrong: not a case for redate
        raise StoreError(_("this file holds changes dated up to {date}, later than this computer's clock "
                           "({today}) allows (headquarters would refuse it): if the clock was ahead when they were "
                           "made and is right now, run `fieldtui redate {path}`, then export again").format(
            date=latest[:10], today=store.clock()[:10], path=store.path))


def _check_target(out: Path) -> None:
    """Refuse, in one line, an output path the export must not (or cannot) write."""
    db_files.check_output_path(out)
    if db_files.is_open_here(out):
        raise StoreError(_("the export cannot overwrite the file it is made from"))
    _check_overwrite(out)


def _check_overwrite(out: Path) -> None:
    """Replacing an earlier export is fine; replacing anything else (a working file!) is refused."""
    if not out.exists() or (out.is_file() and is_age_file(out)):
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


def _write_export(store: Store, out: Path, device_id: str, pseudonymise: bool, secret: bytes,
                  progress: Progress, recipient: str | None) -> ExportResult:
    """Build the export in a private work folder (a temporary copy of personal data never lands
    on the stick), then move it into place; errors become one line saying nothing was written."""
    outcome = _("the export was not written")
    try:
        with db_files.work_folder("export") as work:
            tmp = work / "export.db"
            create_private_file(tmp)
            result = _fill_export(tmp, _source_file(store, work), device_id, pseudonymise, secret, progress,
                                  store.operator)
            if recipient:
                tmp, plain = work / "export.age", tmp
                sealed.seal(plain, tmp, recipient)
                plain.unlink()
            db_files.move_into_place(tmp, out)
            return dataclasses.replace(result, path=out, sealed=bool(recipient))
    except sqlite3.Error as exc:
        if code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):  # the source: ours is new
            raise StoreError(damaged_file_message()) from None
        raise failure(exc, out, outcome=outcome) from None
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, out, outcome)) from None


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


def _fill_export(tmp: Path, src: Path, device_id: str, pseudonymise: bool, secret: bytes,
                 progress: Progress, operator: str) -> ExportResult:
    """Build the export in `tmp`: the schema, one consistent snapshot of `src`, the manifest."""
    conn = sqlite3.connect(tmp.resolve().as_uri(), uri=True, isolation_level=None)
    conn.text_factory = text
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
        create_export_schema(conn)
        conn.execute("COMMIT")
        cbos = _copy_snapshot(conn, src, pseudonymise, device_id, progress)
        export_id, table_counts, checksum = _write_manifest(conn, device_id, cbos, pseudonymise, operator)
        conn.execute("VACUUM")  # no free pages: nothing but what the manifest describes
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    return ExportResult(tmp, export_id, table_counts, checksum, pseudonymise)


def _copy_snapshot(conn: sqlite3.Connection, src: Path, pseudonymise: bool, device_id: str,
                   progress: Progress) -> list[dict[str, str]]:
    """Copy every record table of `src` (personal fields blanked or hashed) and the device id,
    in one read transaction on it; returns the live CBOs (id and names) for the manifest."""
    readonly = "?mode=ro&immutable=1" if db_files.on_read_only_medium(src) else "?mode=ro"
    conn.execute("ATTACH DATABASE ? AS src", (src.resolve().as_uri() + readonly,))
    conn.execute("BEGIN")  # one read transaction on the source: a consistent snapshot
    for i, table in enumerate(RECORD_TABLES):
        progress("export", i, len(RECORD_TABLES))
        cols = columns(conn, table)
        exprs = _select_exprs(table, cols, pseudonymise)
        well_typed = " AND ".join(cond for _col, cond in values.typed(conn, table, "src"))
        copied = conn.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) "
                              f"SELECT {', '.join(exprs)} FROM src.{table} WHERE {well_typed}").rowcount
        if copied != conn.execute(f"SELECT count(*) FROM src.{table}").fetchone()[0]:
            _refuse_wrong_values(conn, table)
    conn.execute(f"INSERT INTO main.{HISTORY} SELECT * FROM src.{HISTORY}")  # stamps only: no values
    who = "''" if pseudonymise else "operator"  # decisions: ids, a word, a time (and who, when identified)
    conn.execute(f"INSERT INTO main.{DECISIONS} SELECT person_a, person_b, decision, at, {who} FROM src.{DECISIONS}")
    conn.execute("INSERT INTO main.meta (key, value) VALUES ('device_id', ?)", (device_id,))
    cbos = [dict(id=r[0], name_en=r[1], name_zh=r[2]) for r in conn.execute(
        "SELECT id, name_en, name_zh FROM main.cbos WHERE deleted = 0 ORDER BY id")]
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE src")
    progress("export", len(RECORD_TABLES), len(RECORD_TABLES))
    return cbos


def _select_exprs(table: str, cols: list[str], pseudonymise: bool) -> list[str]:
    """What each column of `table` exports as: itself, blanked in a tombstone if personal, and
    hashed ("h") or dropped ("x") when pseudonymising (kinds.Table.personal says which)."""
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


def _refuse_wrong_values(conn: sqlite3.Connection, table: str) -> None:
    """A value headquarters would refuse the export for (values.py: a birth year "199O" typed in
    with a database browser), named here, where the record can be corrected, not at a merge a
    week later; before, a bytes value stopped the export as "the database could not be written".
    The copy left such rows out: the filter is in the copy's own pass, this is read only then."""
    try:
        values.first_wrong(conn, table, "src")
    except Refused as exc:
        raise StoreError(_("{reason}: headquarters would refuse this export, so it was not written; open the "
                           "record by its id (Ctrl+P) and correct it").format(reason=exc)) from None
    raise StoreError(_("not every row of {table} could be copied, so the export was not written").format(
        table=table))  # never an export that silently lacks rows


def _write_manifest(conn: sqlite3.Connection, device_id: str, cbos: list[dict[str, str]],
                    pseudonymise: bool, operator: str) -> tuple[str, dict[str, int], str]:
    """The manifest: what the file holds (counts, checksum), from which device, in which form;
    returns the export id, the counts and the checksum."""
    table_counts = counts(conn)
    checksum = content_checksum(conn)
    export_id = new_id()
    manifest = {
        "format": EXPORT_FORMAT,
        "export_id": export_id,
        "device_id": device_id,
        "cbos": json.dumps(cbos, ensure_ascii=False),
        "schema_version": str(SCHEMA_VERSION),
        "counts": json.dumps(table_counts),
        "created_at": utc_now(),
        "checksum": checksum,
        "pseudonymised": "1" if pseudonymise else "0",
        "exported_by": operator,
    }
    conn.executemany("INSERT INTO manifest (key, value) VALUES (?, ?)", manifest.items())
    return export_id, table_counts, checksum
