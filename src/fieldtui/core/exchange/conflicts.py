"""Conflicts a merge left for people: a field changed two ways side by side, every value kept.

Each conflict is one field of one record with two or more versions nothing was made on (heads,
versions.py). The newest is the record's value meanwhile. A person reviews it (`fieldtui
conflicts`, the app's conflicts screen): who, which field, every value, where (the device) and
when each was made, and takes one of them or keeps the current one (`resolve_conflict`). The
choice is a new version made on every head, so the field has one head again here and wherever
the history travels next (the next export carries it); it is audited as an update.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fieldtui.core import pinyin, relations
from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.after_merge import check_merged
from fieldtui.core.exchange.hostile import Refused
from fieldtui.core.records import history
from fieldtui.core.store import Store
from fieldtui.i18n import _

#: Who a record is about, for the tables that are not a person's record: the CBO's names.
_WHO = {
    "participants": "SELECT p.full_name, c.name_en, c.name_zh FROM participants p JOIN cbos c ON c.id = p.cbo_id "
                    "WHERE p.id = ?",
    "cbos": "SELECT NULL, name_en, name_zh FROM cbos WHERE id = ?",
}


def _who(conn: sqlite3.Connection, table: str, row_id: str) -> tuple[str | None, str | None, str | None]:
    """The person a record is about (name) and their CBO's names, as far as the record leads to them."""
    sql = _WHO.get(table)
    joins = relations.to_person(table, "r") if sql is None else None
    if joins is not None:
        sql = (f"SELECT p.full_name, c.name_en, c.name_zh FROM {table} r{joins} JOIN cbos c ON c.id = p.cbo_id "
               "WHERE r.id = ?")
    row = conn.execute(sql, (row_id,)).fetchone() if sql else None
    return tuple(row) if row else (None, None, None)  # type: ignore[return-value]


def conflicts(store: Store) -> list[dict[str, Any]]:
    """The unresolved conflicts, one per field: who, the field, and every version (newest, the
    kept one, first) with its value, stamp and device."""
    out: list[dict[str, Any]] = []
    rows = store.conn.execute("SELECT tbl, row_id, field, stamp, value, device FROM field_conflicts "
                              "ORDER BY tbl, row_id, field, stamp DESC").fetchall()
    for tbl, row_id, field, stamp, value, device in rows:
        if not out or (out[-1]["tbl"], out[-1]["row_id"], out[-1]["field"]) != (tbl, row_id, field):
            person, cbo_en, cbo_zh = _who(store.conn, tbl, row_id)
            out.append({"tbl": tbl, "row_id": row_id, "field": field, "person": person, "cbo_en": cbo_en,
                        "cbo_zh": cbo_zh, "versions": []})
        out[-1]["versions"].append({"stamp": stamp, "value": value, "device": device,
                                    "kept": not out[-1]["versions"]})
    return out


def short_ids(conflicts: list[dict[str, Any]], least: int = 8) -> dict[str, str]:
    """For each record in conflict, the shortest prefix of its id (at least `least` characters)
    that no other record in conflict shares: what a narrow terminal shows and `find` takes."""
    ids = sorted({c["row_id"] for c in conflicts})
    out = {}
    for i, row_id in enumerate(ids):
        n = least
        for other in (ids[i - 1] if i else "", ids[i + 1] if i + 1 < len(ids) else ""):
            pairs = zip(row_id, other, strict=False)
            common = next((k for k, (a, b) in enumerate(pairs) if a != b), min(len(row_id), len(other)))
            n = max(n, common + 1)
        out[row_id] = row_id[:n]
    return out


def find(store: Store, id_prefix: str, field: str | None = None) -> list[dict[str, Any]]:
    """The conflicts of the one record whose id starts with `id_prefix` (optionally one field);
    a prefix that fits several records, or none, is one line saying so."""
    prefix = id_prefix.strip().lower()
    found = [c for c in conflicts(store) if c["row_id"].lower().startswith(prefix) and prefix
             and (field is None or c["field"] == field)]
    records = {c["row_id"] for c in found}
    if not records:
        raise StoreError(_("no conflict for {id}").format(id=id_prefix))
    if len(records) > 1:
        raise StoreError(_("{id} starts the ids of {n} records in conflict: give more of it").format(
            id=id_prefix, n=len(records)))
    return found


def resolve_conflict(store: Store, id_prefix: str, field: str | None = None, take: str | None = None) -> int:
    """Settle the conflicts of one record (or one of its fields): keep the current value, or take
    the version whose stamp starts with `take`. Returns how many fields were settled.

    `store` is an SQLite store or a PostgreSQL HQ opened for writing (pg/writing.py): this SQL,
    translated there. The conflicts are read inside the transaction, with the writer's lock held."""
    with store.transaction():
        found = find(store, id_prefix, field)
        at = store.clock()
        for conflict in found:
            value = _chosen(conflict, take)
            table, row_id = conflict["tbl"], conflict["row_id"]
            created, updated, before = store.conn.execute(
                f"SELECT created_at, updated_at, {conflict['field']} FROM {table} WHERE id = ?", (row_id,)).fetchone()
            stamp = history.later_than(at, updated, created, *history.heads(store.conn, table, row_id,
                                                                             conflict["field"], created))
            history.settle(store.conn, table, row_id, conflict["field"], created, stamp, store.device_id)
            store.conn.execute(f"UPDATE {table} SET {conflict['field']} = ?, updated_at = ? WHERE id = ?",
                               (value, stamp, row_id))
            if table == "participants":  # a name or phone chosen: the person's list and search keys
                pinyin.refresh_keys(store.conn, "?", (row_id,))
            store.conn.execute("DELETE FROM field_conflicts WHERE tbl = ? AND row_id = ? AND field = ?",
                               (table, row_id, conflict["field"]))
            store._audit("update", table, row_id, at, {conflict["field"]: (before, value)})
        try:
            check_merged(store.conn, {c["tbl"]: [c["row_id"]] for c in found},
                         store.get_meta("hq_pseudonymised") == "1")
        except Refused as exc:
            raise StoreError(_("that choice breaks a rule, so nothing was changed: {reason}").format(
                reason=exc)) from None
    return len(found)


def _chosen(conflict: dict[str, Any], take: str | None) -> Any:
    """The value to keep: the current one (None or "current"), the version numbered `take` as
    listed (1 = newest), or the one whose time stamp starts with `take`."""
    versions = conflict["versions"]
    if take in (None, "current"):
        return versions[0]["value"]
    if take.isdigit() and 1 <= int(take) <= len(versions):
        return versions[int(take) - 1]["value"]
    fits = [v for v in versions if v["stamp"].startswith(take)]
    if len(fits) != 1:
        raise StoreError(_("{take} names no version of {field}: give a number from 1 to {n}").format(
            take=take, field=conflict["field"], n=len(versions)))
    return fits[0]["value"]
