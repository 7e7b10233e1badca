"""Who was reached: people, trainees (completed, placed), after-school children and other
participants per CBO (and per group of people for the breakdowns).

Two shapes of the same figures, chosen for speed (benchmarks/): a filter narrowing the people to a
slice of one index (a CBO, a date range) walks those people and probes each one's enrolments
(covering indexes: milliseconds); without one, each enrolment table is read once in person order
and the distinct people are looked up (participants_traits holds what the grouping needs beside
the id), which beats a million probes per table.
"""

from __future__ import annotations

from typing import Any

from fieldtui.core.summary.tally import Tally

_LIVE_TRAINING = "t.participant_id = p.id AND t.deleted = 0"


def count_people(conn: Any, tally: Tally, narrow: bool, people: str, params: dict[str, Any]) -> None:
    """Add every count of people to `tally` (see the module docstring for the two shapes)."""
    keys = tally.keys

    def grouped(sql: str) -> list[Any]:
        return conn.execute(sql, params).fetchall()

    if narrow:
        tally.add(grouped(
            f"SELECT {keys}, count(*), total(p.household_members), "
            f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {_LIVE_TRAINING})), "
            f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {_LIVE_TRAINING} AND t.status = 'completed')), "
            f"sum(EXISTS (SELECT 1 FROM trainings t JOIN placements pl ON pl.training_id = t.id "
            f"WHERE {_LIVE_TRAINING} AND pl.deleted = 0)), "
            "sum(EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0)), "
            "sum(EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0)) "
            f"FROM participants p WHERE {people} GROUP BY {keys}"),
            "direct_beneficiaries", "indirect_beneficiaries", "trainees", "trainees_completed",
            "trainees_placed", "after_school_children", "other_participants")
        return

    tally.add(grouped(f"SELECT {keys}, count(*), total(p.household_members) FROM participants p WHERE {people} "
                      f"GROUP BY {keys}"), "direct_beneficiaries", "indirect_beneficiaries")
    tally.add(grouped(
        f"SELECT {keys}, count(*), total(x.completed), total(x.placed) FROM ("
        "SELECT t.participant_id AS pid, max(t.status = 'completed') AS completed, max(EXISTS ("
        "SELECT 1 FROM placements pl WHERE pl.training_id = t.id AND pl.deleted = 0)) AS placed "
        "FROM trainings t WHERE t.deleted = 0 GROUP BY t.participant_id) x "
        f"JOIN participants p ON p.id = x.pid WHERE {people} GROUP BY {keys}"),
        "trainees", "trainees_completed", "trainees_placed")
    for table, field in (("after_school", "after_school_children"), ("other_programmes", "other_participants")):
        tally.add(grouped(f"SELECT {keys}, count(*) FROM participants p WHERE {people} AND p.id IN ("
                          f"SELECT participant_id FROM {table} WHERE deleted = 0) GROUP BY {keys}"), field)
