"""Headquarters merge into PostgreSQL: the SQLite merge's checks and semantics, bulk-loaded.

- Every file is checked exactly as for an SQLite HQ (exchange/check.py and rules.py, through
  exchange/worker.py): the same files are refused with the same one line, before anything is
  written here.
- One transaction per file. The checked copy's rows are COPYed into temporary staging tables
  (`pg_temp`, dropped at commit); each table is then merged set-based: rows headquarters lacks are
  inserted, rows with its content only take the later stamp, and the few changed rows are settled
  field by field by exchange/versions.py's own code (`settle_changed`, its SQL translated by
  dialect.py): per-field heads from `field_changes`, conflicts kept in `field_conflicts`.
- Then every rule is checked again for what the file wrote against headquarters' own rows
  (after_merge.check_merged itself, its SQL translated), and its people's pinyin keys refreshed.
- Decisions about duplicates are a union, and every 'same' one is applied again
  (duplicates.settle_same, audited in `audit` as a store audits it), as for SQLite.
- Re-merging an export is a no-op, the same id with other content is refused, pseudonymised and
  identified exports never mix: as merge.py does for SQLite.
- Foreign keys and CHECKs hold at commit; a violation refuses the whole file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from fieldtui.core import summary
from fieldtui.core.clock import utc_now
from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.check import CheckedFile
from fieldtui.core.exchange.hostile import Refused, open_checked
from fieldtui.core.exchange.merge import merge_checked, pointing_nowhere, settle_and_check
from fieldtui.core.exchange.report import FileResult, MergeReport, TableCounts
from fieldtui.core.exchange.schema import Progress, no_progress
from fieldtui.core.exchange.versions import HISTORY_SINCE, INCOMING, content_columns, settle_changed, take_histories
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.pg import schema
from fieldtui.core.pg.connect import HQ, Connection, connect
from fieldtui.i18n import _

#: What is staged from a checked copy: the records, their histories, the duplicate decisions, meta.
STAGED = (*RECORD_TABLES, "field_changes", "duplicate_decisions", "meta")
_BLOCK = 2000  # rows per write to the COPY stream
_DECIDED = ("INSERT INTO public.duplicate_decisions (person_a, person_b, decision, at, operator) "
            "SELECT person_a, person_b, decision, at, operator FROM pg_temp.duplicate_decisions WHERE true ")


def merge(url: str, files: list[str | os.PathLike], *, progress: Progress = no_progress,
          operator: str | None = None, identities: Sequence[str] = ()) -> MergeReport:
    """Merge exports into the PostgreSQL HQ at `url` (its schema created on the first merge)."""
    paths = [Path(name) for name in files]
    with connect(url) as conn:
        schema.ensure(conn)
        report = MergeReport(Path(conn.raw.info.dbname))
        no_file = Path(os.devnull) / "headquarters"  # HQ is no file: the check's "this is HQ itself" finds none
        merge_checked(paths, no_file, report, lambda checked, result: _merge_one(conn, checked, result, operator),
                      progress=progress, identities=identities)
        if any(f.accepted and not f.already_merged for f in report.files):
            _analyze(conn)
        report.uncounted = summary.uncounted(HQ(conn))
    return report


def _analyze(conn: Connection) -> None:
    """Fresh planner statistics for what the merge wrote. After a first merge PostgreSQL took
    every table for empty until autovacuum came by (a minute or more), and the summary's
    duplicate blocks ran as nested loops: the demo file's figures in 10.7 s, 1.5 s once analysed."""
    with conn.transaction():
        for table in (*RECORD_TABLES, "participant_keys", "field_changes"):
            conn.raw.execute(f"ANALYZE public.{table}")


def _merge_one(conn: Connection, checked: CheckedFile, result: FileResult, operator: str | None) -> None:
    """One checked file in one transaction, or refused (Refused) having written nothing."""
    import psycopg

    result.export_id = checked.export_id
    try:
        with conn.transaction():
            conn.raw.execute("LOCK TABLE merges IN SHARE ROW EXCLUSIVE MODE")  # one merge at a time
            if _already_merged(conn, checked):
                result.accepted = result.already_merged = True
                result.tables = {t: TableCounts() for t in RECORD_TABLES}
                return
            flag = _pseudonymised_flag(conn, checked)
            seq = conn.execute(
                "INSERT INTO merges (export_id, checksum, device_id, merged_at, file_name, counts) "
                "VALUES (?, ?, ?, ?, ?, '{}') RETURNING seq",
                (checked.export_id, checked.checksum, checked.device_id, utc_now(), result.name)).fetchone()[0]
            _stage(conn, checked.copy)
            written: dict[str, list[str]] = {}
            conn.execute("DROP TABLE IF EXISTS temp.incoming")
            for table in RECORD_TABLES:
                result.tables[table], written[table] = merge_table(conn, table, checked.version < HISTORY_SINCE)
            conn.execute(_DECIDED + _decisions_keep())  # decisions about duplicates: a union
            settle_and_check(HQ(conn, operator), written, checked.pseudonymised, result.tables)  # SQLite's, translated
            if flag is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('hq_pseudonymised', ?)",
                             ("1" if checked.pseudonymised else "0",))
            counts = {t: vars(c) for t, c in result.tables.items()}
            conn.execute("UPDATE merges SET counts = ? WHERE seq = ?", (json.dumps(counts), seq))
    except psycopg.errors.IntegrityError as exc:
        reason = exc.diag.message_primary or type(exc).__name__
        named = _pointing_nowhere(conn, checked.copy) if isinstance(exc, psycopg.errors.ForeignKeyViolation) else None
        raise Refused(named or _("its rows do not fit the records already here: {reason}").format(
            reason=reason)) from None
    except psycopg.Error as exc:  # the server's problem (disk full, gone away…): stop here
        raise StoreError(_("merge stopped at {path}, nothing written from it: {reason}").format(
            path=result.name, reason=exc.diag.message_primary or type(exc).__name__)) from None
    result.accepted = True


def _pointing_nowhere(conn: Connection, copy: Path) -> str | None:
    """exchange.merge.pointing_nowhere for PostgreSQL: the export read from its checked copy,
    headquarters asked for each parent it lacks (after the refused transaction rolled back)."""
    def here(parent: str, column: str, value: object) -> bool:
        return conn.execute(f"SELECT 1 FROM {parent} WHERE {column} = ?", (value,)).fetchone() is not None
    file = open_checked(copy)
    try:
        return pointing_nowhere(file, here)
    finally:
        file.close()


def _decisions_keep() -> str:
    """duplicates/decisions.py's rule for which decision a pair keeps, its WHERE qualified
    (PostgreSQL reads a bare column there as ambiguous between the row and `excluded`)."""
    import re

    from fieldtui.core.duplicates.decisions import _KEEP

    head, where = _KEEP.split(" WHERE ", 1)
    where = re.sub(r"(?<![.\w])(decision|at|operator)\b", r"duplicate_decisions.\1", where)
    return f"{head} WHERE {where}"


def _already_merged(conn: Connection, checked: CheckedFile) -> bool:
    row = conn.execute("SELECT checksum FROM merges WHERE export_id = ?", (checked.export_id,)).fetchone()
    if row is not None and row[0] != checked.checksum:
        raise Refused(_("an export with the same id but different content was already merged"))
    return row is not None


def _pseudonymised_flag(conn: Connection, checked: CheckedFile) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'hq_pseudonymised'").fetchone()
    flag = row[0] if row else None
    if flag is None:
        has_rows = conn.execute("SELECT EXISTS (SELECT 1 FROM participants) OR EXISTS (SELECT 1 FROM cbos)"
                                ).fetchone()[0]
        flag = "0" if has_rows else None
    if flag is not None and flag != ("1" if checked.pseudonymised else "0"):
        raise Refused(_("cannot mix pseudonymised and identified records in one file"))
    return flag


def _csv_line(cols: list[str]) -> str:
    """SQL for a row as one line of PostgreSQL's CSV: NULL as nothing, integers as they are, text
    quoted. SQLite writes the lines and psycopg sends them in blocks: formatting each value in
    Python was most of a merge's time. Not for REAL columns: SQLite's printf does not give every
    double back exactly, Python's repr does (`_stage` appends those)."""
    def field(c: str) -> str:
        return (f"CASE WHEN {c} IS NULL THEN '' WHEN typeof({c}) = 'integer' THEN CAST({c} AS TEXT) "
                f"ELSE '\"' || replace({c}, '\"', '\"\"') || '\"' END")
    return " || ',' || ".join(field(c) for c in cols)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def _stage(conn: Connection, copy: Path) -> None:
    """The checked copy's tables COPYed into temporary tables of the same names (pg_temp)."""
    src = open_checked(copy)
    try:
        for table in STAGED:
            info = src.execute(f"PRAGMA table_info({table})").fetchall()
            reals = [r[1] for r in info if r[2].upper() == "REAL"]
            cols = [r[1] for r in info if r[1] not in reals]
            conn.raw.execute(f"CREATE TEMP TABLE {table} (LIKE public.{table}) ON COMMIT DROP")
            rows = 0
            lines = src.execute(f"SELECT {', '.join([_csv_line(cols), *reals])} FROM {table}")
            with conn.raw.cursor().copy(
                    f"COPY pg_temp.{table} ({', '.join([*cols, *reals])}) FROM STDIN (FORMAT csv)") as copy_in:
                while block := lines.fetchmany(_BLOCK):
                    copy_in.write("".join(",".join([line, *map(_csv_value, rest)]) + "\n" for line, *rest in block))
                    rows += len(block)
            if rows and "id" in cols:
                conn.raw.execute(f"ALTER TABLE pg_temp.{table} ADD PRIMARY KEY (id)")
            if rows:
                conn.raw.execute(f"ANALYZE pg_temp.{table}")
    finally:
        src.close()


def _pg_columns(conn: Connection, table: str) -> list[str]:
    """The columns of a table of headquarters, in order: read for every table at once, once per
    connection (a merge changes no schema; information_schema per table and file was ~1.5% of a merge)."""
    known: dict[str, list[str]] | None = getattr(conn, "_columns", None)
    if known is None:
        known = {}
        for name, column in conn.execute(
                "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 "
                "AND NOT a.attisdropped ORDER BY c.relname, a.attnum"):
            known.setdefault(name, []).append(column)
        conn._columns = known  # type: ignore[attr-defined]
    return known[table]


def merge_table(conn: Connection, table: str, legacy: bool) -> tuple[TableCounts, list[str]]:
    """One staged table into headquarters (versions.merge_table's steps, set-based where it is);
    returns what happened and the ids it wrote."""
    cols = _pg_columns(conn, table)
    content = content_columns(cols)
    row = ", ".join(f"{{a}}.{c}" for c in content)
    conn.raw.execute("DROP TABLE IF EXISTS pg_temp.inc")
    # Each staged row looks up its own by the primary key (a scalar subquery is never turned into a
    # join): as a LEFT JOIN, PostgreSQL hashed the whole HQ table for every file (0.5 s a file for
    # sessions at 1M rows), so the merge's time grew with headquarters, not with the file.
    conn.raw.execute(
        f"CREATE TEMP TABLE inc ON COMMIT DROP AS SELECT s.id, coalesce((SELECT CASE WHEN "
        f"({row.format(a='m')}) IS NOT DISTINCT FROM ({row.format(a='s')}) THEN 'same' ELSE 'changed' END "
        f"FROM public.{table} m WHERE m.id = s.id), 'new') AS state, "
        f"CASE WHEN s.deleted = 0 THEN 1 ELSE 0 END AS live FROM pg_temp.{table} s")
    counts = TableCounts()
    col_list = ", ".join(cols)
    counts.inserted = conn.raw.execute(
        f"INSERT INTO public.{table} ({col_list}) SELECT {col_list} FROM pg_temp.{table} s "
        "WHERE s.id IN (SELECT id FROM pg_temp.inc WHERE state = 'new')").rowcount
    written = settle_changed(conn, table, cols, legacy, counts)  # versions.py's, translated
    conn.raw.execute(f"UPDATE public.{table} m SET updated_at = s.updated_at FROM pg_temp.{table} s "
                     "JOIN pg_temp.inc i ON i.id = s.id AND i.state = 'same' "
                     "WHERE s.id = m.id AND s.updated_at > m.updated_at")
    counts.unchanged += conn.execute("SELECT count(*) FROM pg_temp.inc WHERE state = 'same'").fetchone()[0]
    take_histories(conn, table, counts)
    conn.execute(INCOMING)  # what each row became, for after_merge.check_merged
    conn.execute("INSERT INTO temp.incoming (tbl, id, state, live) SELECT ?, id, state, live FROM temp.inc", (table,))
    conn.raw.execute("DROP TABLE pg_temp.inc")
    return counts, written
