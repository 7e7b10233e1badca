"""Who was reached: people, trainees (completed, placed), after-school children and other
participants per CBO (and per group of people for the breakdowns), in one pass over the people.

Each live person is read once, with what they joined found by probing each enrolment table's
(participant, deleted) index: trainee (and completed), placed, after-school child, other
participant. A person counts only while one of those is live (summary.LIVE_ENROLMENT's rule, here
read off the same probes); the others, and the people of a CBO removed or missing from the
file, are counted as uncounted (summary.uncounted lists them), so that no figure drops a person
without saying so. Without a filter the pass walks participants_traits, which holds beside each
id what the grouping needs, in id order, so the probes walk the enrolment indexes in order too;
measured at 1M participants (benchmarks/) this one pass costs less than reading each enrolment
table once and looking its people up, and it gives every count at once. With a CBO or a date
range the same pass walks that slice of its own index.
"""

from __future__ import annotations

from typing import Any

from fieldtui.core.summary.tally import LIVE, Tally

_LIVE = "t.participant_id = p.id AND t.deleted = 0"
#: Per person: NULL if no live training, else 1 if one of them is completed, else 0.
TRAINEE = f"(SELECT max(t.status = 'completed') FROM trainings t WHERE {_LIVE})"
PLACED = (f"EXISTS (SELECT 1 FROM trainings t JOIN placements pl ON pl.training_id = t.id "
          f"WHERE {_LIVE} AND pl.deleted = 0)")
CHILD = "EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0)"
OTHER = "EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0)"


#: A person's figures from their probes (tr, pl, ch, ot), grouped also by whether one of their
#: programmes is live (the last column): a group without one counts nowhere (Tally.add).
_LIVE_ONE = "(tr IS NOT NULL OR ch OR ot)"
_COUNTED = f"count(*), total(hh), total(tr IS NOT NULL), total(tr), total(pl), total(ch), total(ot), {_LIVE_ONE}"


def people_sql(keys: tuple[str, ...], people: str, narrow: bool) -> str:
    """The pass: rows of (keys..., people, households, trainees, completed, placed, children,
    others, whether they have a live programme)."""
    inner_keys = ", ".join(f"{key} AS k{i}" for i, key in enumerate(keys))
    outer_keys = ", ".join(f"k{i}" for i in range(len(keys)))
    walk = "" if narrow else " INDEXED BY participants_traits"
    # LIMIT -1: the probes run once per person, in the walk's order, not again per use after the sort.
    return (f"SELECT {outer_keys}, {_COUNTED} FROM (SELECT {inner_keys}, p.household_members AS hh, {TRAINEE} AS tr, "
            f"{PLACED} AS pl, {CHILD} AS ch, {OTHER} AS ot FROM participants p{walk} WHERE {people} LIMIT -1) x "
            f"GROUP BY {outer_keys}, {_LIVE_ONE}")


#: PostgreSQL, every person (no CBO or date filter): the same columns as the probes give, from each
#: enrolment table read once per person and merge-joined to the people. Probing per person there
#: costs ~10 µs a person (index probes are not SQLite's in-process B-tree walks): 3× this at 1M.
_JOINED_PG = (
    "LEFT JOIN (SELECT participant_id AS pid, max(status = 'completed') AS done FROM trainings WHERE deleted = 0 "
    "GROUP BY participant_id) t ON t.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT t.participant_id AS pid FROM trainings t JOIN placements pl ON pl.training_id = t.id "
    "WHERE t.deleted = 0 AND pl.deleted = 0) pl ON pl.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT participant_id AS pid FROM after_school WHERE deleted = 0) a ON a.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT participant_id AS pid FROM other_programmes WHERE deleted = 0) o ON o.pid = p.id")


def people_sql_pg(keys: tuple[str, ...], people: str) -> str:
    """people_sql's rows on PostgreSQL for every person: joins instead of probes."""
    inner_keys = ", ".join(f"{key} AS k{i}" for i, key in enumerate(keys))
    outer_keys = ", ".join(f"k{i}" for i in range(len(keys)))
    return (f"SELECT {outer_keys}, {_COUNTED} FROM (SELECT {inner_keys}, p.household_members AS hh, t.done AS tr, "
            f"pl.pid IS NOT NULL AS pl, a.pid IS NOT NULL AS ch, o.pid IS NOT NULL AS ot FROM participants p "
            f"{_JOINED_PG} WHERE {people}) x GROUP BY {outer_keys}, {_LIVE_ONE}")


def count_people(conn: Any, tally: Tally, narrow: bool, people: str, params: dict[str, Any]) -> None:
    """Add every count of people to `tally` (`people`: the filters, without the live-enrolment rule)."""
    joined = not narrow and getattr(conn, "dialect", "sqlite") == "postgresql"
    sql = people_sql_pg(tally.key_list, people) if joined else people_sql(tally.key_list, people, narrow)
    tally.add(conn.execute(sql, params),
              "direct_beneficiaries", "indirect_beneficiaries", "trainees", "trainees_completed",
              "trainees_placed", "after_school_children", "other_participants", LIVE)
