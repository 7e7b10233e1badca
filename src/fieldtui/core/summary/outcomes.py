"""What happened after the programmes, per CBO: job follow-ups and retention, income before
training against the wage after placement (medians), attendance, volunteers.

- Follow-ups (core/schedule.py says when a check is due): per live placement on a live
  training, for each of the 3/6/12-month checks whose date has come, its latest live record
  (by check date): employed counts as retained; none recorded yet is "due" within
  FOLLOWUP_GRACE_DAYS of its date and "overdue" after. One pass over the placements.
- Medians: per placed trainee (a person once), their latest live placement (by start date): its
  wage after, and the monthly income before training recorded on that placement's training
  (people without one are left out of that median). Computed in SQL with row_number() over each
  CBO's values and over all of them; the change is the difference of the two medians.
- Attendance: marks on held, live sessions of live enrolments (a session not held counts nowhere;
  a child not marked is neither present nor absent). Per enrolment first, then per person.
- Volunteers are not participants: counted from their own table, never among the beneficiaries;
  a date range keeps the volunteers who joined in it (as it keeps people registered in it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fieldtui.core import clock, schedule
from fieldtui.core.summary.figures import CBOFigures, Filters
from fieldtui.core.summary.tally import Tally


def _latest_check(n: int) -> str:
    return (f"(SELECT f.employed FROM followups f WHERE f.placement_id = pl.id AND f.due_month = {n} "
            "AND f.deleted = 0 ORDER BY f.checked_on DESC LIMIT 1)")


def _latest_checks_pg(months: tuple[int, ...]) -> str:
    """PostgreSQL, every placement: each one's latest live check per month read in one pass (DISTINCT
    ON; two on one day: the employed one, as the probe's index order gives on SQLite), joined
    instead of probed three times a placement (~3× the time at 1M participants)."""
    pivot = ", ".join(f"max(employed) FILTER (WHERE due_month = {n}) AS f{n}" for n in months)
    return (f"LEFT JOIN (SELECT placement_id, {pivot} FROM (SELECT DISTINCT ON (placement_id, due_month) "
            "placement_id, due_month, employed FROM followups WHERE deleted = 0 "
            "ORDER BY placement_id, due_month, checked_on DESC, employed DESC) f GROUP BY placement_id) c "
            "ON c.placement_id = pl.id ")


def followups(conn: Any, tally: Tally, people: str, params: dict[str, Any], today: dt.date | None = None,
              narrow: bool = True) -> None:
    """Due, overdue, reached and retained checks per CBO (and group) into `tally` (`narrow`: a
    filter keeps few people, whose placements are probed one by one)."""
    today = today or clock.today()
    late = schedule.overdue_before(today) - dt.timedelta(days=1)  # due on or before it: overdue
    bounds = {}
    for n in schedule.FOLLOWUP_MONTHS:
        bounds[f"reach{n}"] = schedule.last_start_due_by(today, n).isoformat()
        bounds[f"late{n}"] = schedule.last_start_due_by(late, n).isoformat()
    months = schedule.FOLLOWUP_MONTHS
    reached = [f"total(x.start <= :reach{n})" for n in months]
    retained = [f"total(x.start <= :reach{n} AND x.f{n} = 1)" for n in months]
    due = " + ".join(f"total(x.start <= :reach{n} AND x.start > :late{n} AND x.f{n} IS NULL)" for n in months)
    overdue = " + ".join(f"total(x.start <= :late{n} AND x.f{n} IS NULL)" for n in months)
    inner_keys = ", ".join(f"{key} AS k{i}" for i, key in enumerate(tally.key_list))
    outer_keys = ", ".join(f"k{i}" for i in range(len(tally.key_list)))
    joined = not narrow and getattr(conn, "dialect", "sqlite") == "postgresql"
    checks = ", ".join(f"{f'c.f{n}' if joined else _latest_check(n)} AS f{n}" for n in months)
    rows = conn.execute(
        f"SELECT {outer_keys}, {due}, {overdue}, {', '.join(reached)}, {', '.join(retained)} FROM ("
        f"SELECT {inner_keys}, pl.start_date AS start, {checks} FROM placements pl "
        "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
        f"{_latest_checks_pg(months) if joined else ''}WHERE pl.deleted = 0 AND t.deleted = 0 AND {people} "
        f"LIMIT -1) x GROUP BY {outer_keys}",  # LIMIT: computed once per placement, not inlined per use
        {**params, **bounds})
    tally.add(rows, "followups_due", "followups_overdue", *(f"reached_{n}m" for n in months),
              *(f"retained_{n}m" for n in months))


#: Each placed person's latest live placement (bare columns of a max() come from its row; two on
#: one day: the later id, as on PostgreSQL, not whichever row is read first, which depends on the
#: order files were merged): from the placements when every person counts, from the people when
#: a filter narrows them.
_LATEST_PLACEMENT = (
    "SELECT p.cbo_id AS cbo, max(pl.start_date || ' ' || pl.id) AS latest, pl.wage_cny AS wage, "
    "t.income_before_cny AS income "
    "FROM {walk} WHERE pl.deleted = 0 AND t.deleted = 0 AND {people} GROUP BY p.id")
#: PostgreSQL has no bare columns beside max(): the same row by DISTINCT ON (ties: the later id).
_LATEST_PLACEMENT_PG = (
    "SELECT DISTINCT ON (p.id) p.cbo_id AS cbo, pl.start_date AS latest, pl.wage_cny AS wage, "
    "t.income_before_cny AS income FROM {walk} WHERE pl.deleted = 0 AND t.deleted = 0 AND {people} "
    "ORDER BY p.id, pl.start_date DESC, pl.id DESC")
_FROM_PLACEMENTS = ("placements pl CROSS JOIN trainings t ON t.id = pl.training_id "
                    "CROSS JOIN participants p ON p.id = t.participant_id")
_FROM_PEOPLE = ("participants p CROSS JOIN trainings t ON t.participant_id = p.id "
                "CROSS JOIN placements pl ON pl.training_id = t.id")


def medians(conn: Any, figures: dict[str, CBOFigures], narrow: bool, people: str,
            params: dict[str, Any]) -> dict[str, float]:
    """Medians per CBO into `figures`; returns the totals' ({"income": ..., "wage": ...}).

    Streamed, not numbered in SQL: SQLite's row_number() over every value buffered them all
    (15 MiB at 1M people, most of the summary's peak memory). Here one CBO's values are held at a
    time, and the totals' middle values are read by their position in a sorted query (numbers
    sort before any text, so the positions counted over numbers find numbers). On PostgreSQL the
    server numbers them (`_medians_pg`): its memory is not the app's."""
    walk = _FROM_PEOPLE if narrow else _FROM_PLACEMENTS
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        return _medians_pg(conn, figures, _LATEST_PLACEMENT_PG.format(walk=walk, people=people), params)
    latest = _LATEST_PLACEMENT.format(walk=walk, people=people)
    counted = {"income": 0, "wage": 0}
    rows = conn.execute(f"SELECT cbo, income, wage FROM ({latest}) v ORDER BY cbo", params)
    for cbo, group in itertools.groupby(rows, key=lambda row: row[0]):
        incomes, wages = [], []
        for _cbo, income, wage in group:  # a number only: text put there by hand is no income
            if isinstance(wage, (int, float)):
                wages.append(wage)
            if isinstance(income, (int, float)):
                incomes.append(income)
        counted["income"] += len(incomes)
        counted["wage"] += len(wages)
        if cbo in figures:
            figures[cbo].median_income_before_cny = _median(sorted(incomes))
            figures[cbo].median_wage_after_cny = _median(sorted(wages))
    totals: dict[str, float] = {}
    for what, n in counted.items():
        if n:
            at = {"middle_take": 2 - n % 2, "middle_skip": (n - 1) // 2}
            middle = conn.execute(f"SELECT {what} FROM ({latest}) v WHERE {what} IS NOT NULL ORDER BY {what} "
                                  "LIMIT :middle_take OFFSET :middle_skip", {**params, **at})
            totals[what] = _median([value for (value,) in middle])
    return totals


def _medians_pg(conn: Any, figures: dict[str, CBOFigures], latest: str, params: dict[str, Any]) -> dict[str, float]:
    """medians() on PostgreSQL: each CBO's and the totals' middle values numbered by the server in
    one query (streaming every value here cost 5.5 s at 1M, the server's row_number() ~2-4 s)."""
    arms = []
    for what, where in (("income", "WHERE income IS NOT NULL"), ("wage", "")):
        for cbo, part in (("cbo", "PARTITION BY cbo "), ("NULL", "")):
            arms.append(f"SELECT {cbo} AS cbo, '{what}' AS what, {what} AS value, row_number() OVER "
                        f"({part}ORDER BY {what}) AS rn, count(*) OVER ({part.strip()}) AS n FROM v {where}")
    sql = (f"WITH v AS MATERIALIZED ({latest}) SELECT cbo, what, avg(value) FROM ({' UNION ALL '.join(arms)}) x "
           "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY cbo, what")
    totals: dict[str, float] = {}
    for cbo, what, value in conn.execute(sql, params):
        if cbo is None:
            totals[what] = value
        elif cbo in figures:
            setattr(figures[cbo], f"median_{'income_before' if what == 'income' else 'wage_after'}_cny", value)
    return totals


def _median(ordered: list[float]) -> float | None:
    """The middle value, or the mean of the two middle values, of an ordered list (as a float,
    whatever the engine returned: the JSON must not depend on it)."""
    if not ordered:
        return None
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return (ordered[half - 1] + ordered[half]) / 2


def attendance(conn: Any, tally: Tally, narrow: bool, people: str, params: dict[str, Any]) -> None:
    """Marks and presences on held sessions, per CBO, into `tally` (no breakdown: not asked for)."""
    held = "m.deleted = 0 AND s.held = 1 AND s.deleted = 0"
    if narrow:  # from the few people to their marks
        sql = ("SELECT p.cbo_id, count(*), total(m.present) FROM participants p "
               "JOIN after_school a ON a.participant_id = p.id JOIN attendance m ON m.enrolment_id = a.id "
               f"JOIN sessions s ON s.id = m.session_id WHERE a.deleted = 0 AND {held} AND {people} GROUP BY p.cbo_id")
    else:  # every mark once, per enrolment, then the enrolments' people
        sql = ("SELECT p.cbo_id, total(x.marked), total(x.present) FROM (SELECT m.enrolment_id AS eid, count(*) AS "
               "marked, total(m.present) AS present FROM attendance m JOIN sessions s ON s.id = m.session_id "
               f"WHERE {held} GROUP BY m.enrolment_id) x JOIN after_school a ON a.id = x.eid "
               f"JOIN participants p ON p.id = a.participant_id WHERE a.deleted = 0 AND {people} GROUP BY p.cbo_id")
    Tally(tally.figures, traits=False).add(conn.execute(sql, params), "marked", "present")


def volunteers(conn: Any, figures: dict[str, CBOFigures], filters: Filters) -> None:
    """Volunteers and their hours per CBO (the CBO filters). A date range keeps the volunteers who
    joined in it (as people, those registered in it) and the hours given in it, whoever gave them
    (a quarter's report stated hours given after the quarter). Hours given at a session removed
    or marked not held count nowhere, as its marks (removing one on a laptop removes its hours)."""
    joined, given, params = ["1 = 1"], ["1 = 1"], {}
    if filters.date_from:
        joined.append("v.joined_on >= :from")
        given.append("h.worked_on >= :from")
        params["from"] = filters.date_from.isoformat()
    if filters.date_to:
        joined.append("v.joined_on <= :to")
        given.append("h.worked_on <= :to")
        params["to"] = filters.date_to.isoformat()
    hours = ("SELECT total(h.hours) FROM volunteer_hours h WHERE h.volunteer_id = v.id AND h.deleted = 0 "
             f"AND {' AND '.join(given)} AND (h.session_id IS NULL OR EXISTS (SELECT 1 FROM sessions s "
             "WHERE s.id = h.session_id AND s.deleted = 0 AND s.held = 1))")
    rows = conn.execute(
        f"SELECT v.cbo_id, sum(CASE WHEN {' AND '.join(joined)} THEN 1 ELSE 0 END), total(({hours})) "
        "FROM volunteers v WHERE v.deleted = 0 GROUP BY v.cbo_id", params).fetchall()
    Tally(figures, traits=False).add(rows, "volunteers", "volunteer_hours")
