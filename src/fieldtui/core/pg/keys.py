"""The pinyin keys of people (core/pinyin.py) kept up to date in a PostgreSQL HQ.

SQLite computes them in SQL with Python functions registered on the connection; PostgreSQL
cannot call Python, so the people whose keys are stale are read, keyed here, and upserted.
`pinyin.refresh_keys` hands a PostgreSQL connection to `refresh_keys`.
"""

from __future__ import annotations

from typing import Any

from fieldtui.core import pinyin

_COLUMNS = ("participant_id", "name", "sort_key", "pinyin", "initials", "birth_year", "bag", "phone")


def refresh_keys(conn: Any, participant_ids_sql: str, params: tuple | dict = ()) -> None:
    """pinyin.refresh_keys on PostgreSQL: the same people, the same keys, in the caller's transaction."""
    stale = conn.execute(
        "SELECT p.id, p.full_name, p.birth_year, p.phone FROM participants p LEFT JOIN participant_keys x "
        f"ON x.participant_id = p.id WHERE p.id IN ({participant_ids_sql}) AND (x.participant_id IS NULL "
        "OR x.name IS DISTINCT FROM p.full_name OR x.birth_year IS DISTINCT FROM p.birth_year "
        "OR x.phone IS DISTINCT FROM p.phone)", params or None).fetchall()
    if not stale:
        return
    conn.raw.execute("CREATE TEMP TABLE IF NOT EXISTS new_keys (LIKE public.participant_keys) ON COMMIT DROP")
    conn.raw.execute("TRUNCATE pg_temp.new_keys")
    with conn.raw.cursor().copy(f"COPY pg_temp.new_keys ({', '.join(_COLUMNS)}) FROM STDIN") as copy_in:
        for pid, name, year, phone in stale:
            sort_key, spelled, initials = pinyin.keys(name if isinstance(name, str) else "")
            copy_in.write_row((pid, name, sort_key, spelled, initials, year, pinyin.bag(name or ""), phone))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
    conn.raw.execute(f"INSERT INTO public.participant_keys ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} "
                     f"FROM pg_temp.new_keys ON CONFLICT (participant_id) DO UPDATE SET {updates}")
