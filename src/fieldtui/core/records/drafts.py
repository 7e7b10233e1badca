"""Drafts of unsaved forms (crash recovery): kept as the person types, offered at the next start.

Personal data: they live only in this file, are never audited or exported, and go when the
form is saved or discarded. A damaged draft (bad JSON, JSON nested deeper than the stack, wrong
shapes: a damaged or hand-edited file) is never raised: it is set aside as `damaged:<form>`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fieldtui.core import kinds

_DRAFT_VALUE = (str, int, float, bool, type(None))


def _draft_data(row: dict[str, Any]) -> dict[str, Any] | None:
    """A draft's decoded data if the whole row is sound, else None. JSON nested thousands deep
    raises RecursionError, not ValueError: both mean damage here."""
    try:
        data = json.loads(row["data"])
        dt.datetime.fromisoformat(row["saved_at"])
    except (TypeError, ValueError, RecursionError):
        return None
    if not kinds.is_kind(row["kind"]) or not isinstance(row["record_id"], (str, type(None))):
        return None
    if not isinstance(data, dict):
        return None
    values, hidden = data.get("values", {}), data.get("hidden", {})
    if not isinstance(values, dict) or not isinstance(hidden, dict):
        return None
    for value in (*values.values(), *hidden.values()):
        pair = isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
        if not (pair or isinstance(value, _DRAFT_VALUE)):
            return None
    if not all(isinstance(k, str) for k in (*values, *hidden)):
        return None
    return data


class Drafts:
    """Keep, list, set aside and forget drafts."""

    def save_draft(self, form: str, kind: str, record_id: str | None, data: dict[str, Any]) -> None:
        """Keep what a form holds so far, replacing the form's previous draft."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO drafts (form, kind, record_id, data, saved_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (form) DO UPDATE SET kind = excluded.kind, record_id = excluded.record_id, "
                "data = excluded.data, saved_at = excluded.saved_at",
                (form, kind, record_id, json.dumps(data, ensure_ascii=False), self.clock()))

    def drafts(self) -> list[dict[str, Any]]:
        """Every sound draft left behind, oldest first, with `data` decoded; damaged ones (see
        `set_aside_damaged_drafts`) are skipped, never raised."""
        out = []
        for row in self._draft_rows():
            row["data"] = _draft_data(row)
            if row["data"] is not None:
                out.append(row)
        return out

    def set_aside_damaged_drafts(self) -> int:
        """Rename drafts that cannot be read (bad JSON, nesting that would exhaust the stack,
        wrong shapes: a damaged or hand-edited file) to `damaged:<form>`, so they are never
        offered nor lost; returns how many were set aside now."""
        damaged = [row["form"] for row in self._draft_rows() if _draft_data(row) is None]
        if damaged and not self.readonly:
            with self.transaction():
                for form in damaged:
                    self.conn.execute("DELETE FROM drafts WHERE form = ?", (f"damaged:{form}",))
                    self.conn.execute("UPDATE drafts SET form = 'damaged:' || form WHERE form = ?", (form,))
        return len(damaged)

    def _draft_rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT form, kind, record_id, data, saved_at FROM drafts WHERE form NOT LIKE 'damaged:%' "
            "ORDER BY saved_at")]

    def delete_draft(self, form: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM drafts WHERE form = ?", (form,))

