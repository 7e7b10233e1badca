"""The baselines' side: a plain sqlite3 connection and the best hand-written SQL for each
store-level figure (the same work, the same numbers: tests/test_bench_smoke.py checks)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path


def raw(path: Path) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection, with none of the store's settings."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


#: The trainees list's first page in its order (names in pinyin order: participant_keys.sort_key).
BEST_LIST_SQL = (
    "SELECT t.id, t.participant_id, p.full_name, p.gender, p.birth_year, p.phone, p.province, p.cbo_id, "
    "c.name_en, c.name_zh, t.course, t.status, t.start_date, t.end_date, t.deleted "
    "FROM participant_keys k JOIN participants p ON p.id = k.participant_id "
    "JOIN trainings t ON t.participant_id = p.id JOIN cbos c ON c.id = p.cbo_id "
    "WHERE t.deleted = 0 AND k.sort_key >= '' ORDER BY k.sort_key, t.id LIMIT 100")
BEST_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM trainings WHERE deleted = 0 LIMIT 10001)"
BEST_SEARCH_SQL = (
    "SELECT t.id, p.full_name FROM participants p JOIN trainings t ON t.participant_id = p.id "
    "WHERE p.full_name LIKE ? AND t.deleted = 0 LIMIT 100")
#: A person counts while one of their enrolments is live (summary.LIVE_ENROLMENT), written by hand.
LIVE = ("(EXISTS (SELECT 1 FROM trainings e WHERE e.participant_id = p.id AND e.deleted = 0) "
        "OR EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0) "
        "OR EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0))")
BEST_SUMMARY_SQL = (
    f"SELECT cbo_id, count(*), total(household_members) FROM participants p WHERE deleted = 0 AND {LIVE} "
    "GROUP BY cbo_id",
    "SELECT p.cbo_id, count(*), total(x.c), total(x.pl) FROM (SELECT t.participant_id AS pid, "
    "max(t.status = 'completed') AS c, max(EXISTS (SELECT 1 FROM placements pl WHERE pl.training_id = t.id "
    "AND pl.deleted = 0)) AS pl FROM trainings t WHERE t.deleted = 0 GROUP BY t.participant_id) x "
    "JOIN participants p ON p.id = x.pid WHERE p.deleted = 0 GROUP BY p.cbo_id",
    "SELECT p.cbo_id, count(*) FROM participants p WHERE p.deleted = 0 AND p.id IN "
    "(SELECT participant_id FROM after_school WHERE deleted = 0) GROUP BY p.cbo_id",
    "SELECT p.cbo_id, count(*) FROM participants p WHERE p.deleted = 0 AND p.id IN "
    "(SELECT participant_id FROM other_programmes WHERE deleted = 0) GROUP BY p.cbo_id",
)
BEST_FILTERED_SQL = (
    "SELECT p.cbo_id, count(*), total(p.household_members), "
    "sum(EXISTS (SELECT 1 FROM trainings t WHERE t.participant_id = p.id AND t.deleted = 0)), "
    "sum(EXISTS (SELECT 1 FROM trainings t WHERE t.participant_id = p.id AND t.deleted = 0 "
    "AND t.status = 'completed')), "
    "sum(EXISTS (SELECT 1 FROM trainings t JOIN placements pl ON pl.training_id = t.id "
    "WHERE t.participant_id = p.id AND t.deleted = 0 AND pl.deleted = 0)), "
    "sum(EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0)), "
    "sum(EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0)) "
    f"FROM participants p WHERE p.deleted = 0 AND {LIVE} AND p.cbo_id = ? AND p.registered_on BETWEEN ? AND ? "
    "GROUP BY p.cbo_id")
QUARTER = (dt.date(2010, 1, 1), dt.date(2010, 3, 31))
