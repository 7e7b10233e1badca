"""A PostgreSQL HQ connection that reads like the sqlite3 one the shared SQL is written for.

`connect(url)` gives a `Connection` whose `execute(sql, params)` takes SQLite's SQL (dialect.py
translates it) and whose rows are read by position or by name, as sqlite3.Row. psycopg missing,
a bad URL or an unreachable server is a StoreError of one line (the CLI: exit 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fieldtui.core.errors import StoreError
from fieldtui.core.pg.dialect import translate
from fieldtui.i18n import _


class Row(tuple):
    """A row read by position or by column name, like sqlite3.Row (dict(row) works too)."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    cls = type("Row", (Row,), {"_names": names})
    return lambda values: cls(values)


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
    raw.execute("SET search_path = public, pg_temp")
    return Connection(raw, url)
