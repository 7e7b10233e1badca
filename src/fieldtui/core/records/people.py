"""People across kinds: possible duplicates of a person, and a person's live enrolments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldtui.core import kinds

if TYPE_CHECKING:
    from fieldtui.core.models import Participant


class People:
    """Questions about a person rather than about one record."""

    def possible_duplicates(self, person: Participant, limit: int = 20) -> list[dict[str, Any]]:
        """Live people in the same CBO with the same name and birth year, or the same phone."""
        sql = (
            "SELECT p.id, p.full_name, p.birth_year, p.phone, p.registered_on FROM participants p "
            "WHERE p.deleted = 0 AND p.cbo_id = :cbo AND p.id != :id AND "
            "((p.full_name = :name AND p.birth_year = :year) OR (:phone IS NOT NULL AND p.phone = :phone)) "
            "LIMIT :limit"
        )
        return [dict(r) for r in self.conn.execute(sql, {
            "cbo": person.cbo_id, "id": person.id or "", "name": person.full_name,
            "year": person.birth_year, "phone": person.phone, "limit": limit})]

    def enrolment_of(self, kind: str, participant_id: str) -> str | None:
        """The live list row of `kind` (trainees, children, participants) for a person, if any."""
        table = kinds.kind(kind).table
        row = self.conn.execute(f"SELECT id FROM {table} WHERE participant_id = ? AND deleted = 0 "
                                "ORDER BY start_date DESC LIMIT 1", (participant_id,)).fetchone()
        return row[0] if row else None

