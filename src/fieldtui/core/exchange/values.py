"""Every value of a table of the type its column declares, of a plausible length, without a NUL:
what SQLite itself does not hold to (it stores 'abc' in an INTEGER column), checked in one pass.

Headquarters refuses an export that breaks it (check.py); a laptop checks its export the same
way before writing it (export.py), so a value typed in outside fieldtui ("199O" for a birth year,
with a database browser) is named on the laptop, where it can be corrected, not a week later.
"""

from __future__ import annotations

import sqlite3

from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.formatting import shown
from fieldtui.i18n import _

MAX_CELL_CHARS = 4000
_TYPES = {"INTEGER": ("integer",), "REAL": ("real", "integer"), "TEXT": ("text",)}


def check_values(conn: sqlite3.Connection, table: str) -> None:
    """In one pass over the table: every value of its declared type (SQLite would store 'abc' in
    a REAL column, or a BLOB anywhere: JSON cannot hold one), none longer than
    MAX_CELL_CHARS, counted in bytes so a NUL cannot hide the rest (SQLite's length() of text
    stops at a NUL), and no NUL at all (no form can type one). Runs before anything reads rows as JSON."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    wrong, texts = [], []
    for _cid, col, decl, notnull, _default, pk in info:
        allowed = _TYPES.get(decl.upper(), ("integer", "real", "text"))
        texts += [col] if "text" in allowed else []  # a number is short and has no NUL
        allowed = allowed if (notnull or pk) else (*allowed, "null")
        wrong.append(f"typeof({col}) NOT IN ({', '.join(repr(k) for k in allowed)})")
    cols = [col for _cid, col, *_rest in info]
    texts = texts or cols[:1]
    per_column = [f"coalesce(length({c}), length(CAST({c} AS BLOB)) / 4, 0)" for c in texts]
    longest = f"max({', '.join(per_column)})" if len(per_column) > 1 else per_column[0]  # of one row
    nul = " OR ".join(f"instr(CAST({c} AS BLOB), x'00') > 0" for c in texts)
    *types, length, has_nul = conn.execute(
        f"SELECT {', '.join(f'max({w})' for w in wrong)}, max({longest}), max({nul}) FROM {table}").fetchone()
    bad = next(((col, w) for col, w, flag in zip(cols, wrong, types, strict=True) if flag), None)
    if bad is not None:
        raise Refused(_("{table} row {id} holds a value of the wrong type in {column} (typed in outside fieldtui?)"
                        ).format(table=table, id=_first(conn, table, bad[1]), column=bad[0]))
    if (length or 0) > MAX_CELL_CHARS:  # characters, or bytes / 4 (UTF-8: at most 4 a character)
        raise Refused(_("{table} row {id} holds an implausibly long value").format(
            table=table, id=_first(conn, table, f"{longest} > {MAX_CELL_CHARS}")))
    if has_nul:
        raise Refused(_("{table} row {id} holds a NUL byte").format(table=table, id=_first(conn, table, nul)))


def _first(conn: sqlite3.Connection, table: str, where: str) -> str:
    """The id of the first row where `where` holds, drawn safe: named (never a value) so the
    record can be found in the app (Ctrl+P, Open a record by its id) and corrected."""
    (row_id,) = conn.execute(f"SELECT CAST(id AS TEXT) FROM {table} WHERE {where} LIMIT 1").fetchone()
    return shown(str(row_id))[:40]
