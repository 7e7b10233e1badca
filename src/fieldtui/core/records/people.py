"""People across kinds: the person a list row belongs to, a person's enrolments, placements and
history (the person view), and their live enrolment of a kind. (Possible duplicates of a person
are core/duplicates: every CBO, typo-tolerant.)"""

from __future__ import annotations

from typing import Any

from fieldtui.core import kinds


class People:
    """Questions about a person rather than about one record."""

    def person_of(self, kind: str, row_id: str) -> str | None:
        """The person a list row of `kind` (trainees, children, others) belongs to."""
        table = kinds.TABLE[kinds.kind(kind).table]
        row = self.conn.execute(f"SELECT {table.person_column} FROM {table.name} WHERE id = ?", (row_id,)).fetchone()
        return row[0] if row else None

    def enrolment_of(self, kind: str, participant_id: str) -> str | None:
        """The live list row of `kind` (trainees, children, participants) for a person, if any."""
        table = kinds.kind(kind).table
        row = self.conn.execute(f"SELECT id FROM {table} WHERE participant_id = ? AND deleted = 0 "
                                "ORDER BY start_date DESC LIMIT 1", (participant_id,)).fetchone()
        return row[0] if row else None


    def person_overview(self, participant_id: str) -> dict[str, Any] | None:
        """Everything about one person for the person view: their row, every enrolment (kind key,
        id, what, dates, removed), their placements and the audit history of all those rows,
        oldest first (who and when, never what: the audit holds no personal data)."""
        person = self.conn.execute("SELECT p.*, c.name_en AS cbo_en, c.name_zh AS cbo_zh FROM participants p "
                                   "JOIN cbos c ON c.id = p.cbo_id WHERE p.id = ?", (participant_id,)).fetchone()
        if person is None:
            return None
        enrolments = [dict(r) for r in self.conn.execute(
            "SELECT 'trainees' AS kind, id, course AS what, status, start_date, end_date, deleted FROM trainings "
            "WHERE participant_id = :p UNION ALL "
            "SELECT 'children', id, school, programme, start_date, end_date, deleted FROM after_school "
            "WHERE participant_id = :p UNION ALL "
            "SELECT 'others', id, programme, description, start_date, end_date, deleted FROM other_programmes "
            "WHERE participant_id = :p ORDER BY start_date", {"p": participant_id})]
        placements = [dict(r) for r in self.conn.execute(
            "SELECT pl.id, pl.employer, pl.job_title, pl.start_date, pl.wage_cny, pl.verified, pl.deleted "
            "FROM placements pl JOIN trainings t ON t.id = pl.training_id WHERE t.participant_id = ? "
            "ORDER BY pl.start_date", (participant_id,))]
        rows = [("participants", participant_id), *((kinds.kind(e["kind"]).table, e["id"]) for e in enrolments),
                *(("placements", pl["id"]) for pl in placements)]
        history = []
        for table, row_id in rows:
            history += [dict(r, table_name=table) for r in self.conn.execute(
                "SELECT seq, at, actor, action FROM audit WHERE table_name = ? AND row_id = ?", (table, row_id))]
        history.sort(key=lambda h: h["seq"])
        return {"person": dict(person), "enrolments": enrolments, "placements": placements, "history": history}
