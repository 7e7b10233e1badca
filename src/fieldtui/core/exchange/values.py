"""Every value of a table of the type its column declares, of a plausible length, without a NUL:
what SQLite itself does not hold to (it stores 'abc' in an INTEGER column), checked in one pass.

Headquarters refuses an export that breaks it (check.py); a laptop's export copies only rows of
the declared types and names the first other one (export.py, no pass of its own), so a value
typed in outside fieldtui ("199O" for a birth year, with a database browser) is named on the
laptop, where it can be corrected, not a week later.
"""

from __future__ import annotations

import sqlite3

from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.formatting import shown
from fieldtui.i18n import _

MAX_CELL_CHARS = 4000
_TYPES = {"INTEGER": ("integer",), "REAL": ("real", "integer"), "TEXT": ("text",)}


def _allowed_types(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[str, tuple[str, ...]]]:
    """(column, the storage types its declaration allows) for each column of `schema.table`."""
    out = []
    for _cid, col, decl, notnull, _default, pk in conn.execute(f"PRAGMA {schema}.table_info({table})").fetchall():
        allowed = _TYPES.get(decl.upper(), ("integer", "real", "text"))
        out.append((col, allowed if (notnull or pk) else (*allowed, "null")))
    return out


def typed(conn: sqlite3.Connection, table: str, schema: str = "main") -> list[tuple[str, str]]:
    """(column, SQL true when its value is of the column's declared type) for each column of
    `schema.table`: SQLite itself keeps 'abc' in an INTEGER column, or bytes anywhere."""
    return [(col, _of_type(col, allowed)) for col, allowed in _allowed_types(conn, table, schema)]


def _of_type(col: str, allowed: tuple[str, ...]) -> str:
    return f"typeof({col}) IN ({', '.join(repr(k) for k in allowed)})"


def check_values(conn: sqlite3.Connection, table: str) -> None:
    """In one pass over the table: every value of its declared type (JSON cannot hold bytes),
    none longer than MAX_CELL_CHARS, counted in bytes so a NUL cannot hide the rest (SQLite's
    length() of text stops at a NUL), and no NUL at all (no form can type one). Runs before
    anything reads rows as JSON; the first row found wrong is named (`first_wrong`)."""
    columns = _allowed_types(conn, table)
    conds = [_of_type(col, allowed) for col, allowed in columns]
    texts = [col for col, allowed in columns if "text" in allowed] or [columns[0][0]]  # a number is short, no NUL
    per_column = [f"coalesce(length({c}), length(CAST({c} AS BLOB)) / 4, 0)" for c in texts]
    longest = f"max({', '.join(per_column)})" if len(per_column) > 1 else per_column[0]  # of one row
    nul = " OR ".join(f"instr(CAST({c} AS BLOB), x'00') > 0" for c in texts)
    *types, length, has_nul = conn.execute(
        f"SELECT {', '.join(f'max(NOT {cond})' for cond in conds)}, max({longest}), max({nul}) FROM {table}"
    ).fetchone()
    if any(types):
        first_wrong(conn, table)
    if (length or 0) > MAX_CELL_CHARS:  # characters, or bytes / 4 (UTF-8: at most 4 a character)
        raise Refused(_("{table} row {id} holds an implausibly long value").format(
            table=table, id=_first(conn, table, f"{longest} > {MAX_CELL_CHARS}")))
    if has_nul:
        raise Refused(_("{table} row {id} holds a NUL byte").format(table=table, id=_first(conn, table, nul)))


def first_wrong(conn: sqlite3.Connection, table: str, schema: str = "main") -> None:
    """Refused, naming the first row (by id) and column of `schema.table` whose value is of the
    wrong type, if there is one: read only once a value was found wrong."""
    for col, cond in typed(conn, table, schema):
        row = _first(conn, f"{schema}.{table}", f"NOT {cond}")
        if row is not None:
            raise Refused(_("{table} row {id} holds a value of the wrong type in {column} (typed in outside "
                            "fieldtui?)").format(table=table, id=row, column=col))


def _first(conn: sqlite3.Connection, table: str, where: str) -> str | None:
    """The id of the first row where `where` holds, drawn safe: named (never a value) so the
    record can be found in the app (Ctrl+P, Open a record by its id) and corrected."""
    row = conn.execute(f"SELECT CAST(id AS TEXT) FROM {table} WHERE {where} LIMIT 1").fetchone()
    return None if row is None else shown(str(row[0]))[:40]
