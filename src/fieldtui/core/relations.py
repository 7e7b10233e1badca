"""Which record hangs off which, as SQL joins, read from the registry (kinds.Table's
`person_column` and `parents`), so no other module writes a relation again: the conflicts'
"who is this about" (exchange/conflicts.py) and the records counted nowhere under a removed one
(summary.uncounted). Plain SQL, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from functools import cache

from fieldtui.core import kinds

#: `why` (summary.UNCOUNTED_WHY) of a live record whose parent of this table is removed.
REMOVED_WHY = {"participants": "person_removed", "trainings": "training_removed",
               "placements": "placement_removed", "after_school": "child_removed",
               "sessions": "session_removed", "volunteers": "volunteer_removed"}


def parent_links(table: str) -> tuple[tuple[str, str], ...]:
    """(column, parent table) of each record a row of `table` hangs off: its person first."""
    spec = kinds.TABLE[table]
    person = ((spec.person_column, "participants"),) if spec.person_column else ()
    return (*person, *((column, parent) for column, parent, _restore in spec.parents))


def to_person(table: str, alias: str) -> str | None:
    """The joins from a row of `table` (as `alias`) to its person (as p): its person column, else
    the first parent that leads to one (a placement's training, a check's placement, a mark's
    child). None for a table no person is reached from (sessions, volunteers, hours)."""
    spec = kinds.TABLE[table]
    if spec.person_column:
        return f" JOIN participants p ON p.id = {alias}.{spec.person_column}"
    for column, parent, _restore in spec.parents:
        step = f"{alias}_{parent}"
        rest = to_person(parent, step)
        if rest is not None:
            return f" JOIN {parent} {step} ON {step}.id = {alias}.{column}{rest}"
    return None


@cache
def reaches_person(table: str) -> bool:
    """Whether a row of `table` is about a person (the TUI's Space: that person's page)."""
    return to_person(table, "r") is not None


def under_removed() -> str:
    """SQL of the live records under a removed one, one row per (record, removed parent):
    (id, pid: its person's id or NULL, why). A laptop removes a record with everything under it
    (kinds' cascade), so such a row comes only from another copy of the file, let in at
    headquarters and counted nowhere (exchange/after_merge.py). Each part is driven from the
    removed parents (few), their rows found by the child's index on its column: SQLite's CROSS
    JOIN keeps that order (core/pg/dialect.py makes it a JOIN for PostgreSQL, which plans its
    own). Driven from the children, two parts scanned every attendance mark (sample.db: 20.6 ms
    against 9.0). The person is reached by a LEFT JOIN."""
    parts = []
    for spec in kinds.TABLES:
        person = to_person(spec.name, "e")
        pid = "p.id" if person else "NULL"
        for column, parent in parent_links(spec.name):
            parts.append(f"SELECT e.id, {pid} AS pid, '{REMOVED_WHY[parent]}' AS why FROM {parent} r "
                         f"CROSS JOIN {spec.name} e ON e.{column} = r.id"
                         f"{(person or '').replace(' JOIN ', ' LEFT JOIN ')} WHERE r.deleted = 1 AND e.deleted = 0")
    return " UNION ALL ".join(parts)
