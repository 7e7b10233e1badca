"""Checking a file given to merge, before anything is written: refused in one line, or a checked
private copy at the current schema version.

- The file is copied into the merge's private work folder and only the copy is read from then
  on (the original may change). Checked in order: SQLite header and size, quick_check,
  application id, schema version, the exact schema expected for that version (any extra table,
  trigger or view is refused), manifest counts and checksum, value types and lengths.
- Until quick_check passes, the check connection reads text as bytes. Values of the wrong
  storage class (a BLOB anywhere, text in a number column) are refused before the merge reads
  them as JSON (json_array: its error would abort the merge).
- Older versions are upgraded by our migrations on the checked copy; then every row is checked
  against the models (rules.py).
- The checksum detects damage, not forgery: foreign keys and CHECKs are enforced on the way in
  (merge.py), and a violation refuses the whole file.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fieldtui.core.db import files as db_files
from fieldtui.core.db import migrations
from fieldtui.core.db.connect import APPLICATION_ID, SQLITE_MAGIC, text
from fieldtui.core.db.files import create_private_file
from fieldtui.core.db.migrations import SCHEMA_VERSION
from fieldtui.core.exchange.hostile import DAMAGED, Refused, open_checked, scratch_failure
from fieldtui.core.exchange.rules import check_rows
from fieldtui.core.exchange.schema import (
    EXPORT_FORMAT,
    content_checksum,
    counts,
    expected_schema,
    pruned_objects,
    schema_listing,
)
from fieldtui.core.exchange.values import check_values
from fieldtui.core.ids import new_id
from fieldtui.i18n import _

MAX_FILE_BYTES = 4 * 1024**3
MAX_ROWS_PER_TABLE = 20_000_000
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


@dataclass
class CheckedFile:
    copy: Path  # private, checked, at the current schema version
    manifest: dict[str, str]
    export_id: str
    device_id: str
    checksum: str
    pseudonymised: bool
    version: int


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
    manifest, version, checksum = _check_copy(copy)
    if version < SCHEMA_VERSION:
        copy = _upgrade(copy, workdir)
    pseudonymised = manifest["pseudonymised"] == "1"
    check_rows(copy, pseudonymised)
    return CheckedFile(copy, manifest, manifest["export_id"], manifest["device_id"], checksum,
                       pseudonymised, version)


#: A file larger than SPARSE_FROM bytes that uses less than 1/SPARSE_RATIO of its size on disk
#: is refused (an export has no holes; compressed file systems rarely reach 8x on SQLite pages).
SPARSE_FROM = 64 * 1024 * 1024
SPARSE_RATIO = 8


def _header_checks(path: Path) -> None:
    """The file's size and SQLite header, read as bytes before SQLite opens it."""
    if not path.exists():
        raise Refused(_("no such file"))
    if not path.is_file():
        raise Refused(_("not a file"))
    st = path.stat()
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise Refused(_("too large ({size} bytes)").format(size=size))
    if size > SPARSE_FROM and st.st_blocks * 512 * SPARSE_RATIO < size:
        # Mostly holes: copying it would write its whole size of zeros into the HQ folder.
        raise Refused(_("a sparse file ({size} bytes, {used} on disk): not an export as fieldtui writes it").format(
            size=size, used=st.st_blocks * 512))
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
    if pages and change_counter == valid_for and size > pages * page_size:
        raise Refused(_("{extra} bytes after its last page: not an export as fieldtui writes it").format(
            extra=size - pages * page_size))
    if size % page_size:
        raise Refused(_("truncated: size is not a whole number of pages"))
    if struct.unpack(">I", head[56:60])[0] not in (0, 1):  # exports are UTF-8 (ATTACH needs the same)
        raise Refused(_("a SQLite database of another application, not a fieldtui export"))


def _check_copy(copy: Path) -> tuple[dict[str, str], int, str]:
    """Check the private copy through SQLite; returns its manifest, schema version and checksum."""
    try:
        conn = open_checked(copy)
    except sqlite3.DatabaseError:
        raise Refused(DAMAGED()) from None
    conn.text_factory = bytes  # until quick_check passed
    try:
        if [tuple(r) for r in conn.execute("PRAGMA quick_check").fetchall()] != [(b"ok",)]:
            raise Refused(DAMAGED())
        conn.text_factory = text  # the pages are sound: the file's text is decoded from here on
        version = _check_schema(conn)
        manifest = _read_manifest(conn, version)
        _check_content(conn, manifest)
        checksum = content_checksum(conn)
        if checksum != manifest["checksum"]:
            raise Refused(_("checksum does not match the content (damaged or edited after export)"))
    except (sqlite3.DatabaseError, UnicodeDecodeError, TypeError):  # SQLite's text may quote content: not shown
        raise Refused(DAMAGED()) from None  # (TypeError: a BLOB where the file's structure has text)
    finally:
        conn.close()
    return manifest, version, checksum


def _check_schema(conn: sqlite3.Connection) -> int:
    """A fieldtui export of a version we read, with exactly that version's schema; returns it."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise Refused(_("a SQLite database of another application, not a fieldtui export"))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise Refused(_("written by a newer fieldtui (schema {found}, this version reads up to {known}); "
                        "please update fieldtui").format(found=version, known=SCHEMA_VERSION))
    if version < 1:
        raise Refused(_("has no schema version"))
    if "manifest" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}:
        raise Refused(_("a fieldtui file but not an export (no manifest): use `fieldtui export` first"))
    found = schema_listing(conn)
    expected = expected_schema(version)
    if found != list(expected):
        extra = sorted({(t, n) for t, n, _tn, _s in found} - {(t, n) for t, n, _tn, _s in expected})
        if extra:
            raise Refused(_("unexpected {kind} {name!r} in the file").format(kind=extra[0][0], name=extra[0][1]))
        raise Refused(_("its tables do not match schema version {version}").format(version=version))
    return version


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
        declared = json.loads(manifest["counts"])
    except ValueError:
        raise Refused(_("manifest counts are malformed")) from None
    if not isinstance(declared, dict) or not all(isinstance(v, int) for v in declared.values()):
        raise Refused(_("manifest counts are malformed"))
    return manifest


def _check_content(conn: sqlite3.Connection, manifest: dict[str, str]) -> None:
    """Rows as many as the manifest declares (and not implausibly many), values of the declared
    types and of plausible lengths."""
    found = counts(conn)
    declared = json.loads(manifest["counts"])
    for table, n in found.items():
        if n > MAX_ROWS_PER_TABLE:
            raise Refused(_("too many rows in {table}").format(table=table))
        if declared.get(table) != n:
            raise Refused(_("manifest says {declared} rows in {table}, the file has {found}").format(
                declared=declared.get(table), table=table, found=n))
    for table in found:
        check_values(conn, table)


@contextmanager
def _plain_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN")
    yield
    conn.execute("COMMIT")


def _give_back_pruned(conn: sqlite3.Connection, version: int) -> None:
    """The tables and indexes an export of `version` left out, created empty, so the migrations
    after it find the schema they were written for: an export of 9-11 was refused at a later
    headquarters ("cannot be upgraded": 0011 and 0012 alter `participant_keys`, which no export
    carries). Only the exchanged tables are read from the copy afterwards."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    for name, sql in pruned_objects(version):
        if name not in present:
            conn.execute(sql)


def _upgrade(copy: Path, workdir: Path) -> Path:
    """Run our migrations on the (already checked) older export, on a private copy."""
    upgraded = workdir / f"{new_id()}-upgraded.db"
    create_private_file(upgraded)
    src = open_checked(copy)
    dest = sqlite3.connect(upgraded, isolation_level=None)
    dest.text_factory = text
    try:
        src.backup(dest)
        dest.execute("PRAGMA trusted_schema = OFF")
        version = dest.execute("PRAGMA user_version").fetchone()[0]
        _give_back_pruned(dest, version)
        migrations.apply(dest, version, transaction=lambda: _plain_transaction(dest))
    except sqlite3.DatabaseError as exc:
        raise scratch_failure(exc, workdir, Refused(_("cannot be upgraded to this version"))) from None
    finally:
        src.close()
        dest.close()
    copy.unlink(missing_ok=True)
    return upgraded
