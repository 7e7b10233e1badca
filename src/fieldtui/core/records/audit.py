"""Who changed what, and when: one audit row per change, in the change's own transaction.

The audit holds no personal data (the row id, not the name)."""

from __future__ import annotations

from typing import Any


class Audit:
    """Write and read the audit trail."""

    def _audit(self, action: str, table: str, row_id: str, at: str) -> None:
        self.conn.execute("INSERT INTO audit (at, actor, action, table_name, row_id) VALUES (?, ?, ?, ?, ?)",
                          (at, self.operator, action, table, row_id))

    def audit_trail(self, table: str, row_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT at, actor, action FROM audit WHERE table_name = ? AND row_id = ? ORDER BY seq", (table, row_id))]

