"""A list kind's rows as a spreadsheet has them: the columns and the live rows of its sheet
select (`kinds.Kind.sheet`), read by keyset pages so a million rows take bounded memory."""

from __future__ import annotations

from collections.abc import Iterator

from fieldtui.core import kinds
from fieldtui.core.store import Store


def table_columns(store: Store, kind: str) -> list[str]:
    _alias, select = kinds.kind(kind).sheet
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
