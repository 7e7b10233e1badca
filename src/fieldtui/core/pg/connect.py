"""A PostgreSQL HQ connection that reads like the sqlite3 one the shared SQL is written for.

`connect(url)` gives a `Connection` whose `execute(sql, params)` takes SQLite's SQL (dialect.py
translates it) and whose rows are read by position or by name, as sqlite3.Row. psycopg missing,
a bad URL or an unreachable server is a StoreError of one line (the CLI: exit 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldtui.core import clock
from fieldtui.core.errors import StoreError
from fieldtui.core.pg.dialect import translate
from fieldtui.core.records.audit import Audit
from fieldtui.core.records.base import default_operator
from fieldtui.i18n import _

#: Every connection's settings. No JIT: compiling a plan with LLVM cost ~0.5-1.5 s a query,
#: more than it saved on the summary's aggregates at 1M participants (benchmarks/pg_summary.py);
#: work_mem 64 MB: grouping ~14,000 groups of people in memory (a hash) rather than sorting
#: 1M rows on disk. Both measured; the hand-written baseline runs with the same settings.
SESSION = ("SET search_path = public, pg_temp", "SET jit = off", "SET work_mem = '64MB'")


class Row(tuple):
    """A row read by position or by column name, like sqlite3.Row (dict(row) works too)."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    names = [d.name for d in cursor.description or ()]
    index = {name: i for i, name in reversed(list(enumerate(names)))}  # a repeated name: the first, as sqlite3
    cls = type("Row", (Row,), {"_index": index})
    return cls


class Connection:
    """What the shared SQL needs of a connection: execute, executemany, a transaction, close."""

    dialect = "postgresql"

    def __init__(self, raw: Any, url: str):
        self.raw = raw
        self.url = url

    def execute(self, sql: str, params: Any = None) -> Any:
        cur = self.raw.cursor(row_factory=_row_factory)
        return cur.execute(translate(sql), params or None, prepare=False)

    def executemany(self, sql: str, rows: Any) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(translate(sql), list(rows))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.raw.transaction():
            yield

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _where(url: str) -> str:
    """The URL without a password, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed URL is reported as such below
        return "?"
    return f"{info.get('host') or 'localhost'}/{info.get('dbname') or ''}"


def connect(url: str) -> Connection:
    """A connection to the HQ database at `url` (autocommit outside `transaction()`)."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(_("PostgreSQL needs the psycopg package: pip install 'fieldtui[hq]'")) from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.ProgrammingError:
        raise StoreError(_("not a PostgreSQL URL fieldtui can read")) from None
    except psycopg.OperationalError:
        raise StoreError(_("cannot reach the PostgreSQL server at {where} (is it running? make hq-db)").format(
            where=_where(url))) from None
    for setting in SESSION:
        raw.execute(setting)
    raw.adapters.register_dumper(float, _float_dumper())
    return Connection(raw, url)


def _float_dumper() -> Any:
    """Floats as SQLite writes them into a TEXT column ("3.0", not PostgreSQL's "3"): a conflict's
    value (`field_conflicts.value`) reads the same on both engines."""
    from psycopg.adapt import Dumper

    class FloatAsSQLite(Dumper):
        oid = 0  # unknown: the column's type decides (float8 columns parse it back exactly)

        def dump(self, obj: float) -> bytes:
            return repr(float(obj)).encode()

    return FloatAsSQLite


class HQ:
    """What the shared code asks of a store (summary, conflicts, sheets, report, and the merge's
    duplicates.settle_same): its connection, a name for its "file" (the report's provenance: no
    such file exists), meta, its device id, the clock and operator of what it changes, the audit."""

    _audit = Audit._audit  # the same audit rows as a store's (tables `audit`, `audit_changes`)

    def __init__(self, conn: Connection, operator: str | None = None):
        self.conn = conn
        self.path = Path(f"postgresql:{conn.raw.info.dbname}")
        self.operator = operator or default_operator()
        self.clock = clock.utc_now

    @property
    def device_id(self) -> str:
        return self.get_meta("device_id") or "unknown"

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


@contextmanager
def opened(url: str, refusals: tuple[str, str] | None = None) -> Iterator[HQ]:
    """The HQ database at `url` for reading (the summary): a StoreError if it has no HQ yet.
    `refusals`: server_errors' two lines, if not a read's (pg/writing.py: a change's)."""
    from fieldtui.core.pg import schema

    refusals = refusals or (_("this PostgreSQL role may not read headquarters' records "
                              "(the read-only role reads the views of the analyst schema only)"),
                            _("the PostgreSQL server stopped the read: {reason}"))
    with connect(url) as conn, server_errors(*refusals):  # connect first: psycopg missing is one line
        if not conn.execute("SELECT to_regclass('public.merges') IS NOT NULL").fetchone()[0]:
            raise StoreError(_("no headquarters records in this database yet: merge an export into it first"))
        schema.ensure_functions(conn)  # a database made by an older fieldtui
        yield HQ(conn)


@contextmanager
def server_errors(denied: str, stopped: str) -> Iterator[None]:
    """The server's refusals as one line: the role may not (`denied`), or the server stopped the
    work (`stopped`, its {reason} the server's primary message, which holds no row values)."""
    import psycopg  # present: connect() says so in one line otherwise

    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise StoreError(denied) from None
    except psycopg.Error as exc:
        raise StoreError(stopped.format(reason=exc.diag.message_primary or type(exc).__name__)) from None
