"""The summary on a PostgreSQL HQ (issue 20): `fieldtui summary postgresql://… --json`'s figures,
beside the best SQL written by hand for PostgreSQL, on the same server in the same run.

Ours is exactly what the CLI computes on a PostgreSQL HQ: `summary.compute(hq, duplicates_too=True)`
over `pg.connect.opened` (the SQLite summary's SQL, translated by core/pg/dialect.py). The
baseline is what someone fluent in PostgreSQL would write for the same figures without fieldtui:
each enrolment table aggregated once per person and hash-joined to the people, the latest check
of each placement by DISTINCT ON, the medians by percentile_cont over grouping sets, attendance
and volunteers one aggregate each. `same_figures` checks once, untimed, that both give the same
numbers. The data: a generated file COPYed in by benchmarks/pg_load.py (a merge of 1M people
would take hours).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_AGE = ("substr(p.registered_on, 1, 4)::int - p.birth_year "
        "- (substr(p.registered_on, 6, 5) < coalesce(substr(p.birth_date, 6, 5), '07-01'))::int")
_BAND = ("CASE WHEN g.age < 14 THEN '0-13' WHEN g.age < 18 THEN '14-17' WHEN g.age < 25 THEN '18-24' "
         "WHEN g.age < 45 THEN '25-44' ELSE '45+' END")
_TRAITS = f"p.cbo_id, p.gender, {_BAND}, p.origin, p.province"
_AGED = f"CROSS JOIN LATERAL (SELECT {_AGE} AS age) g"
_JOINED = ("FROM placements pl JOIN trainings t ON t.id = pl.training_id "
           "JOIN participants p ON p.id = t.participant_id")
_LIVE = "WHERE pl.deleted = 0 AND t.deleted = 0 AND p.deleted = 0"

PEOPLE = (
    f"SELECT {_TRAITS}, count(*), sum(p.household_members), count(t.pid), count(*) FILTER (WHERE t.done), "
    "count(pl.pid), count(a.pid), count(o.pid) FROM participants p "
    "LEFT JOIN (SELECT participant_id AS pid, bool_or(status = 'completed') AS done FROM trainings "
    "WHERE deleted = 0 GROUP BY participant_id) t ON t.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT t.participant_id AS pid FROM trainings t JOIN placements pl ON pl.training_id = t.id "
    "WHERE t.deleted = 0 AND pl.deleted = 0) pl ON pl.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT participant_id AS pid FROM after_school WHERE deleted = 0) a ON a.pid = p.id "
    "LEFT JOIN (SELECT DISTINCT participant_id AS pid FROM other_programmes WHERE deleted = 0) o ON o.pid = p.id "
    f"{_AGED} WHERE p.deleted = 0 AND (t.pid IS NOT NULL OR a.pid IS NOT NULL OR o.pid IS NOT NULL) "
    "GROUP BY 1, 2, 3, 4, 5")


def _followups_sql() -> str:
    months = (3, 6, 12)
    due = " + ".join(f"count(*) FILTER (WHERE s <= %(reach{n})s AND s > %(late{n})s AND f{n} IS NULL)" for n in months)
    overdue = " + ".join(f"count(*) FILTER (WHERE s <= %(late{n})s AND f{n} IS NULL)" for n in months)
    reached = ", ".join(f"count(*) FILTER (WHERE s <= %(reach{n})s)" for n in months)
    retained = ", ".join(f"count(*) FILTER (WHERE s <= %(reach{n})s AND f{n} = 1)" for n in months)
    latest = ", ".join(f"max(employed) FILTER (WHERE due_month = {n}) AS f{n}" for n in months)
    return (
        f"SELECT k0, k1, k2, k3, k4, {due}, {overdue}, {reached}, {retained} FROM ("
        f"SELECT p.cbo_id AS k0, p.gender AS k1, {_BAND} AS k2, p.origin AS k3, p.province AS k4, "
        f"pl.start_date AS s, {', '.join(f'c.f{n}' for n in months)} {_JOINED} "
        f"LEFT JOIN (SELECT placement_id, {latest} FROM (SELECT DISTINCT ON (placement_id, due_month) placement_id, "
        "due_month, employed FROM followups WHERE deleted = 0 ORDER BY placement_id, due_month, checked_on DESC, "
        f"employed DESC) f GROUP BY placement_id) c ON c.placement_id = pl.id {_AGED} {_LIVE}) x "
        "GROUP BY 1, 2, 3, 4, 5")


FOLLOWUPS = _followups_sql()
MEDIANS = (
    "SELECT cbo_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY income), "
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY wage) FROM (SELECT DISTINCT ON (p.id) p.cbo_id, "
    f"pl.wage_cny AS wage, t.income_before_cny AS income {_JOINED} {_LIVE} "
    "ORDER BY p.id, pl.start_date DESC, pl.id DESC) v "
    "GROUP BY GROUPING SETS ((cbo_id), ())")
ATTENDANCE = (
    "SELECT p.cbo_id, count(*), sum(m.present) FROM attendance m JOIN sessions s ON s.id = m.session_id "
    "JOIN after_school a ON a.id = m.enrolment_id JOIN participants p ON p.id = a.participant_id "
    "WHERE m.deleted = 0 AND s.held = 1 AND s.deleted = 0 AND a.deleted = 0 AND p.deleted = 0 GROUP BY p.cbo_id")
VOLUNTEERS = (
    "SELECT v.cbo_id, count(*), sum(h.hours) FROM volunteers v LEFT JOIN (SELECT volunteer_id, sum(hours) AS hours "
    "FROM volunteer_hours WHERE deleted = 0 GROUP BY volunteer_id) h ON h.volunteer_id = v.id WHERE v.deleted = 0 "
    "GROUP BY v.cbo_id")
CBOS = "SELECT id, name_en, name_zh, city, grant_usd, sii, target_direct FROM cbos WHERE deleted = 0"


def bounds(today: dt.date | None = None) -> dict[str, str]:
    """The follow-ups' dates, as the summary computes them (core/schedule.py): plain parameters."""
    from fieldtui.core import clock, schedule

    today = today or clock.today()
    late = schedule.overdue_before(today) - dt.timedelta(days=1)
    out = {}
    for n in schedule.FOLLOWUP_MONTHS:
        out[f"reach{n}"] = schedule.last_start_due_by(today, n).isoformat()
        out[f"late{n}"] = schedule.last_start_due_by(late, n).isoformat()
    return out


def best(conn: Any, params: dict[str, str]) -> dict[str, list[tuple]]:
    """Every figure of the summary (no filter), by hand, on a plain psycopg connection."""
    return {"cbos": conn.execute(CBOS).fetchall(), "people": conn.execute(PEOPLE).fetchall(),
            "followups": conn.execute(FOLLOWUPS, params).fetchall(), "medians": conn.execute(MEDIANS).fetchall(),
            "attendance": conn.execute(ATTENDANCE).fetchall(), "volunteers": conn.execute(VOLUNTEERS).fetchall()}


def same_figures(ours: Any, rows: dict[str, list[tuple]]) -> list[str]:
    """Where the baseline's numbers differ from ours (a Summary): empty when they agree."""
    live = {r[0] for r in rows["cbos"]}
    per_cbo: dict[str, dict[str, float]] = {c: {} for c in live}

    def add(cbo: str, field: str, value: Any) -> None:
        if cbo in per_cbo:
            per_cbo[cbo][field] = per_cbo[cbo].get(field, 0) + (value or 0)

    people = ("direct_beneficiaries", "indirect_beneficiaries", "trainees", "trainees_completed", "trainees_placed",
              "after_school_children", "other_participants")
    checks = ("followups_due", "followups_overdue", "reached_3m", "reached_6m", "reached_12m", "retained_3m",
              "retained_6m", "retained_12m")
    for r in rows["people"]:
        for field, value in zip(people, r[5:], strict=True):
            add(r[0], field, value)
    for r in rows["followups"]:
        for field, value in zip(checks, r[5:], strict=True):
            add(r[0], field, value)
    for cbo, marked, present in rows["attendance"]:
        add(cbo, "marked", marked)
        add(cbo, "present", present)
    for cbo, count, hours in rows["volunteers"]:
        add(cbo, "volunteers", count)
        add(cbo, "volunteer_hours", hours)
    problems = []
    for c in ours.cbos:
        for field, value in per_cbo[c.id].items():
            if abs(getattr(c, field) - value) > 1e-6:
                problems.append(f"{c.id} {field}: ours {getattr(c, field)}, by hand {value}")
    medians = {cbo: (income, wage) for cbo, income, wage in rows["medians"]}
    total = medians.get(None, (None, None))
    for name, mine, theirs in (("income", ours.median_income_before_cny, total[0]),
                               ("wage", ours.median_wage_after_cny, total[1])):
        if (mine is None) != (theirs is None) or (mine is not None and abs(mine - theirs) > 1e-6):
            problems.append(f"median {name}: ours {mine}, by hand {theirs}")
    if {c.id for c in ours.cbos} != live:
        problems.append("not the same CBOs")
    return problems
