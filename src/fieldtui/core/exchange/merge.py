"""Headquarters merge: checked exports folded into one file, one transaction per file.

- Every file is checked (check.py, rules.py) before anything of it is written; a bad file is
  refused with one line and leaves headquarters byte-identical. The checking overlaps the
  merging (worker.py).
- An export is merged once: re-merging the same export id is a no-op (the same id with other
  content is refused). Pseudonymised and identified exports never mix in one file.
- One transaction per file; each table merged by versions (versions.py has the semantics).
  Foreign keys and CHECKs are enforced on the way in, and a violation refuses the whole file.
- Each commit is synced; while merging, the connection has a larger page cache and checkpoints
  every second file (MERGE_CACHE_KIB, CHECKPOINT_EVERY), then gets the store's settings back.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldtui.core import clock, duplicates, pinyin, summary
from fieldtui.core.clock import utc_now
from fieldtui.core.db import files as db_files
from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.after_merge import check_merged
from fieldtui.core.exchange.check import CheckedFile
from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.exchange.report import FileResult, MergeReport, TableCounts
from fieldtui.core.exchange.schema import Progress, no_progress
from fieldtui.core.exchange.twins import fold_twins
from fieldtui.core.exchange.versions import HISTORY_SINCE, merge_table
from fieldtui.core.exchange.worker import checked_files, checker
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.store import Store
from fieldtui.i18n import _

#: The headquarters connection's page cache while merging, at most (SQLite takes it only as pages
#: are read), and never more than a sixteenth of the memory: a file's rows land all over the
#: indexes, and with the store's small cache (db/connect.py) their inner pages would be read
#: again from the OS for row after row. The store's own cache is restored after the merge.
MERGE_CACHE_KIB = 256 * 1024
#: Checkpoint (copy the write-ahead log into the file) after every this many merged files, not
#: after each: consecutive files touch mostly the same index pages, so each is written back once
#: per pair. Every commit is still synced (synchronous = FULL): durability does not depend on it;
#: the log grows to about two files' worth of pages meanwhile.
CHECKPOINT_EVERY = 2


def merge(hq_path: str | os.PathLike, files: list[str | os.PathLike], *,
          progress: Progress = no_progress, operator: str | None = None,
          identities: Sequence[str] = ()) -> MergeReport:
    """Merge exports into the headquarters file (created if missing); see the module docstring.
    A file this call created is removed again when every export given was refused and no other
    merge wrote into it meanwhile: a refused merge leaves nothing behind. Merges into one file
    run one after the other (db/files.one_at_a_time)."""
    hq_path = Path(hq_path)
    clock.refuse_a_wrong_clock()  # before the file is made
    with db_files.one_at_a_time(hq_path, "merge"):  # a second merge into it waits (it decides `created`)
        created = not hq_path.exists()
        with Store.open(hq_path, create=True, operator=operator) as hq:
            report = merge_into(hq, files, progress=progress, identities=identities)
            keep = not created or any(f.accepted for f in report.files) or _holds_merges(hq)
        if report.files and not keep:
            for leftover in (hq_path, *(hq_path.with_name(hq_path.name + s) for s in db_files.JOURNAL_SUFFIXES)):
                leftover.unlink(missing_ok=True)
    return report


def _holds_merges(hq: Store) -> bool:
    """Whether any merge was written into the file (by another program too: the app's own)."""
    return hq.conn.execute("SELECT EXISTS (SELECT 1 FROM merges)").fetchone()[0] == 1


def merge_into(hq: Store, files: list[str | os.PathLike], *, progress: Progress = no_progress,
               identities: Sequence[str] = ()) -> MergeReport:
    """Merge exports into an open store (the TUI's own file, or the HQ file); sealed files are
    opened with headquarters' `identities` (exchange/sealed.py), then checked like any other."""
    if hq.path is None:
        raise StoreError(_("only a file on disk can receive a merge"))
    report = MergeReport(hq.path)
    paths = [Path(name) for name in files]
    merged = 0

    def merge_one(checked: CheckedFile, result: FileResult) -> None:
        nonlocal merged
        _merge_one(hq, checked, result)
        if result.accepted and not result.already_merged:
            merged += 1
            if merged % CHECKPOINT_EVERY == 0:
                _checkpoint(hq.conn)

    with _merge_settings(hq.conn):
        merge_checked(paths, hq.path, report, merge_one, progress=progress, identities=identities)
    report.uncounted = summary.uncounted(hq)
    return report


def merge_checked(paths: list[Path], hq_path: Path, report: MergeReport,
                  merge_one: Callable[[CheckedFile, FileResult], None], *, progress: Progress = no_progress,
                  identities: Sequence[str] = ()) -> None:
    """Each file checked (overlapping the merge: worker.py), then given to `merge_one` (SQLite's
    or PostgreSQL's, core/pg/merge.py) unless refused; its outcome added to `report`. Not by a
    clock no right one shows: every file would be refused as from a laptop whose clock was ahead."""
    clock.refuse_a_wrong_clock()
    with db_files.work_folder("merge") as work, checker(paths) as worker:
        outcomes = checked_files(paths, work, hq_path, worker, identities)
        for i, path in enumerate(paths):
            progress("merge", i, len(paths))
            result = FileResult(path, accepted=False)
            report.files.append(result)
            checked = next(outcomes)
            if isinstance(checked, str):
                result.reason = checked
                continue
            try:
                merge_one(checked, result)
            except Refused as exc:
                result.reason = str(exc)
            finally:
                checked.copy.unlink(missing_ok=True)
        progress("merge", len(paths), len(paths))


def _merge_one(hq: Store, checked: CheckedFile, result: FileResult) -> None:
    """Merge one checked file in one transaction, or refuse it (Refused) having written nothing."""
    result.export_id = checked.export_id
    conn = hq.conn
    conn.execute("ATTACH DATABASE ? AS src", (str(checked.copy),))
    try:
        with hq.transaction():  # read under the write lock: another merge of the file may have just committed
            if _already_merged(conn, checked):
                result.accepted = result.already_merged = True
                result.tables = {t: TableCounts() for t in RECORD_TABLES}
                return
            flag = _pseudonymised_flag(hq, checked)
            export = conn.execute(
                "INSERT INTO merges (export_id, checksum, device_id, merged_at, file_name, counts) "
                "VALUES (?, ?, ?, ?, ?, '{}') RETURNING seq",
                (checked.export_id, checked.checksum, checked.device_id, utc_now(), result.name)).fetchone()[0]
            written: dict[str, list[str]] = {}
            conn.execute("DROP TABLE IF EXISTS temp.incoming")
            for table in RECORD_TABLES:
                result.tables[table], written[table] = merge_table(conn, table, checked.version < HISTORY_SINCE)
            duplicates.merge_decisions(conn)  # decisions about duplicates: a union
            settle_and_check(hq, written, checked.pseudonymised, result.tables)
            if flag is None:
                hq.set_meta("hq_pseudonymised", "1" if checked.pseudonymised else "0")
            counts = {t: vars(c) for t, c in result.tables.items()}
            conn.execute("UPDATE merges SET counts = ? WHERE seq = ?", (json.dumps(counts), export))
    except sqlite3.IntegrityError as exc:
        raise Refused(_pointing_nowhere(conn) or _("its rows do not fit the records already here: {reason}").format(
            reason=exc)) from None
    except sqlite3.DatabaseError as exc:  # the headquarters file's problem (disk full…): stop here
        raise StoreError(_("merge stopped at {path}, nothing written from it: {reason}").format(
            path=result.name, reason=exc)) from None
    finally:
        for (name,) in conn.execute("SELECT name FROM pragma_database_list WHERE name = 'src'").fetchall():
            conn.execute(f"DETACH DATABASE {name}")
    result.accepted = True


def settle_and_check(hq: Any, written: dict[str, list[str]], pseudonymised: bool,
                     counts: dict[str, TableCounts]) -> None:
    """A file's rows merged and its duplicates' decisions joined (in its transaction, on either
    engine: `hq` a Store or a PostgreSQL HQ): every 'same person' decision applied again, every
    record kept once per key folded into one (twins.py: counted into the file's `counts`), every
    rule checked for what the file wrote (after_merge.check_merged), its people's pinyin keys refreshed."""
    conn = hq.conn
    for table, row_id in [*duplicates.settle_same(hq), *fold_twins(hq, counts)]:
        written.setdefault(table, []).append(row_id)
        conn.execute("UPDATE temp.incoming SET state = 'changed' WHERE tbl = ? AND id = ?", (table, row_id))
    check_merged(conn, written, pseudonymised, file_checked=True)  # every rule holds for the result
    conn.execute("DROP TABLE temp.incoming")
    pinyin.refresh_keys(conn, "SELECT id FROM src.participants")  # their names' pinyin keys


def pointing_nowhere(file: sqlite3.Connection, here: Callable[[str, str, Any], bool],
                     schema: str = "main") -> str | None:
    """The first row of an export whose parent is neither in it nor at headquarters, named (the
    engines' "FOREIGN KEY constraint failed" names none): a CBO deleted with the sqlite3 program,
    which does not enforce foreign keys, leaves its people so. `file`: a connection to the export
    (its tables in `schema`); `here(parent, column, value)`: whether headquarters holds that
    parent. Read only when a merge failed, on either engine."""
    for table in RECORD_TABLES:
        for _n, _seq, parent, column, to, *_rest in file.execute(
                f"PRAGMA {schema}.foreign_key_list({table})").fetchall():
            to = to or "id"
            rows = file.execute(
                f"SELECT CAST(s.id AS TEXT), s.{column} FROM {schema}.{table} s WHERE s.{column} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {schema}.{parent} f WHERE f.{to} = s.{column})")
            for row_id, value in rows:
                if not here(parent, to, value):
                    return _("{table} row {id} refers to a record that is neither in the file nor here "
                             "({parent})").format(table=table, id=row_id, parent=parent)
    return None


def _pointing_nowhere(conn: sqlite3.Connection) -> str | None:
    """pointing_nowhere for the export attached to an SQLite headquarters as `src`."""
    def here(parent: str, column: str, value: Any) -> bool:
        return conn.execute(f"SELECT 1 FROM main.{parent} WHERE {column} = ?", (value,)).fetchone() is not None
    return pointing_nowhere(conn, here, "src")


def _already_merged(conn: sqlite3.Connection, checked: CheckedFile) -> bool:
    """True if this export was merged before (nothing to do); refused if its content differs."""
    row = conn.execute("SELECT checksum FROM merges WHERE export_id = ?", (checked.export_id,)).fetchone()
    if row is not None and row[0] != checked.checksum:
        raise Refused(_("an export with the same id but different content was already merged"))
    return row is not None


def _pseudonymised_flag(hq: Store, checked: CheckedFile) -> str | None:
    """Whether headquarters holds pseudonymised records ("1"), identified ones ("0"), or none yet
    (None); refused if the file's are of the other kind."""
    flag = hq.get_meta("hq_pseudonymised")
    if flag is None:
        has_rows = hq.conn.execute("SELECT EXISTS (SELECT 1 FROM participants) OR EXISTS (SELECT 1 FROM cbos)"
                                   ).fetchone()[0]
        flag = "0" if has_rows else None
    if flag is not None and flag != ("1" if checked.pseudonymised else "0"):
        raise Refused(_("cannot mix pseudonymised and identified records in one file"))
    return flag


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
    conn.execute("PRAGMA temp_store = MEMORY")  # the per-file scratch tables (versions.py)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):  # never hide the merge's own error; the store works either way
            for name, value in before.items():
                conn.execute(f"PRAGMA {name} = {int(value)}")
        _checkpoint(conn)  # else the next commit would (a pause in the TUI), or the close


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the committed log into the file. A failure (disk full…) loses nothing: the log keeps
    every commit, and the next checkpoint (at the latest on closing) tries again."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
