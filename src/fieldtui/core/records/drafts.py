"""Drafts of unsaved forms (crash recovery): kept as the person types, offered at the next start.

Personal data: they live only in this file, are never audited or exported, and go when the
form is saved or discarded. A damaged draft (bad JSON, JSON nested deeper than the stack, wrong
shapes: a damaged or hand-edited file) is never raised: it is set aside as `damaged:<form>`.
Each open store keeps its drafts under its own key (draft_owners.py): another copy of the app
on the same file offers them only once this one is gone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fieldtui.core import kinds
from fieldtui.core.records import draft_owners

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

    @property
    def _draft_owner(self) -> str:
        owner = self.__dict__.get("_owner")
        if owner is None:
            owner = self.__dict__["_owner"] = draft_owners.new_owner(self)
        return owner

    def save_draft(self, form: str, kind: str, record_id: str | None, data: dict[str, Any]) -> None:
        """Keep what a form holds so far, replacing the form's previous draft (this store's)."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO drafts (form, kind, record_id, data, saved_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (form) DO UPDATE SET kind = excluded.kind, record_id = excluded.record_id, "
                "data = excluded.data, saved_at = excluded.saved_at",
                (draft_owners.key(form, self._draft_owner), kind, record_id, json.dumps(data, ensure_ascii=False),
                 self.clock()))

    def left_behind_drafts(self) -> list[dict[str, Any]]:
        """The sound drafts whose app is gone (a crash, a closed terminal), oldest first: what a
        start offers. Another copy's open forms are not among them."""
        return [d for d in self.drafts() if draft_owners.left_behind(d["form"])]

    def adopt_draft(self, draft_key: str) -> None:
        """A left-behind draft restored here becomes this store's (its form keeps it from now on);
        a file open read-only keeps it as it is (the restored form cannot keep one either)."""
        if self.readonly:
            return
        mine = draft_owners.key(draft_owners.form_of(draft_key), self._draft_owner)
        with self.transaction():
            self.conn.execute("DELETE FROM drafts WHERE form = ? AND form <> ?", (mine, draft_key))
            self.conn.execute("UPDATE drafts SET form = ? WHERE form = ?", (mine, draft_key))

    def forget_draft(self, draft_key: str) -> None:
        """Drop one draft by its whole key (a left-behind one the person discarded)."""
        with self.transaction():
            self.conn.execute("DELETE FROM drafts WHERE form = ?", (draft_key,))

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
        """Drop this store's draft of `form` (saved, discarded, or back as it was stored)."""
        self.forget_draft(draft_owners.key(form, self._draft_owner))

