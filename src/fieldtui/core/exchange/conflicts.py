"""Conflicts a merge left for people: rows changed on two devices, listed with both versions.

The newer version is kept meanwhile; a person reviews the conflict, corrects the row if needed
and marks it resolved (`resolve_conflict`): headquarters has now had both versions, so the same
pair never conflicts again, whatever is merged later (versions.py).
"""

from __future__ import annotations

import json

from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.versions import device_seq
from fieldtui.core.store import Store
from fieldtui.i18n import _

#: The latest version of a row, optionally only among one device's ({extra}).
_HEAD = ("SELECT updated_at, hash FROM row_versions WHERE tbl = :t AND row_id = :id {extra} "
         "ORDER BY updated_at DESC, hash DESC LIMIT 1")


def conflicts(store: Store) -> list[dict[str, object]]:
    """The unresolved conflicts, for people to review (both versions as dicts)."""
    out = []
    for r in store.conn.execute("SELECT * FROM conflicts ORDER BY tbl, row_id, device_id"):
        row = dict(r)
        row["kept"] = json.loads(row["kept"])
        row["other"] = json.loads(row["other"])
        out.append(row)
    return out


def resolve_conflict(store: Store, row_id: str, device_id: str | None = None) -> int:
    """Mark the conflicts of a row as reviewed: record both versions in headquarters' history."""
    where, params = "row_id = :id", {"id": row_id, "dev": device_id}
    if device_id:
        where += " AND device_id = :dev"
    with store.transaction():
        rows = store.conn.execute(f"SELECT tbl, row_id, device_id FROM conflicts WHERE {where}", params).fetchall()
        if not rows:
            raise StoreError(_("no conflict for {id}").format(id=row_id))
        hq = device_seq(store.conn, store.get_meta("device_id") or "hq")
        for tbl, rid, dev in rows:
            p = {"t": tbl, "id": rid, "dev": dev, "hq": hq, "seq": device_seq(store.conn, dev)}
            for extra in ("AND device = :seq", ""):  # their latest version, and the kept one
                u, h = store.conn.execute(_HEAD.format(extra=extra), p).fetchone()
                store.conn.execute("INSERT OR IGNORE INTO row_versions (tbl, row_id, updated_at, hash, device, "
                                   "export) VALUES (:t, :id, :u, :h, :hq, 0)", {**p, "u": u, "h": h})
            store.conn.execute("DELETE FROM conflicts WHERE tbl = :t AND row_id = :id AND device_id = :dev", p)
    return len(rows)
