"""The outcome rows of a benchmark file (benchmarks/generate.py calls `add` after the people).

A realistic mix for a headquarters file: each placement's 3/6/12-month checks recorded for 80%,
70% and 60% of them (80% still employed), the rest showing as overdue; per CBO an after-school
session twice a week and a Super Saturday a month over the three years (5% not held), each held
one marking some of the CBO's recently enrolled children in its programme (30 at 1M participants,
fewer in smaller files, whose CBOs have fewer children); one volunteer per
100 participants, about eight time entries each, after-school ones on their CBO's sessions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from fieldtui.core.schedule import add_months

#: Marks per held session at 1M participants (scaled down with N: a CBO's roster shrinks with it).
MARKS_PER_SESSION = 30
RECORDED = {3: 0.8, 6: 0.7, 12: 0.6}
REASONS = ("quit", "contract_ended", "moved_away", "family", "unreachable")
BATCH = 20_000


def add(store: Any, rng: random.Random, nid: Callable[[int], str], stamp: Callable[[dt.date, int], str],
        placements: list[tuple], children: dict[tuple[int, str], list[tuple[int, str]]], cbo_ids: list[str],
        start: dt.date, days: int, ms0: int, n: int) -> None:
    """Insert follow-ups, sessions, attendance, volunteers and hours (see the module docstring).

    placements: (id, start ISO date, wage, deleted); children: (CBO index, programme) -> [(day index,
    enrolment id)] in registration order."""
    rows = []
    for i, (pid, begun, wage, deleted) in enumerate(placements):
        began = dt.date.fromisoformat(begun)
        for months, share in RECORDED.items():
            if rng.random() >= share:
                continue
            on = add_months(began, months) + dt.timedelta(days=i % 20)
            employed = rng.random() < 0.8
            at = stamp(on, rng.randrange(8 * 3600))
            rows.append({"id": nid(_ms(ms0, on, start)), "placement_id": pid, "due_month": months,
                         "checked_on": on.isoformat(), "employed": int(employed), "same_employer": int(employed),
                         "wage_cny": wage + 50 * (i % 5) if employed else None,
                         "reason": None if employed else REASONS[i % len(REASONS)], "note": None,
                         "created_at": at, "updated_at": at, "deleted": deleted})
            if len(rows) >= BATCH:
                store.insert_rows("followups", rows)
                rows = []
    store.insert_rows("followups", rows)
    marks = max(1, round(MARKS_PER_SESSION * n / 1_000_000))
    sessions = _sessions(store, rng, nid, stamp, children, cbo_ids, start, days, ms0, marks)
    _volunteers(store, rng, nid, stamp, sessions, cbo_ids, start, days, ms0, n)


def _ms(ms0: int, day: dt.date, start: dt.date) -> int:
    return ms0 + ((day - start).days + 31) * 86_400_000


def _sessions(store: Any, rng: random.Random, nid: Callable, stamp: Callable, children: dict, cbo_ids: list[str],
              start: dt.date, days: int, ms0: int, per_session: int) -> dict[int, list[tuple[str, str, str]]]:
    """Sessions and their marks; returns the held after-school ones per CBO: (id, date, programme)."""
    held_by_cbo: dict[int, list[tuple[str, str, str]]] = {}
    sessions, marks = [], []
    for day_i in range(0, days):
        day = start + dt.timedelta(days=day_i)
        for programme in ("after_school", "super_saturday"):
            if programme == "after_school" and day.weekday() not in (1, 3):
                continue
            if programme == "super_saturday" and (day.weekday() != 5 or day.day > 7):
                continue
            for cbo_i, cbo_id in enumerate(cbo_ids):
                held = rng.random() >= 0.05
                sid, at = nid(_ms(ms0, day, start)), stamp(day, rng.randrange(8 * 3600))
                sessions.append({"id": sid, "cbo_id": cbo_id, "programme": programme, "held_on": day.isoformat(),
                                 "held": int(held), "topic": None, "created_at": at, "updated_at": at, "deleted": 0})
                enrolled = children.get((cbo_i, programme), [])
                upto = _enrolled_by(enrolled, day_i)
                if not held or not upto:
                    continue
                held_by_cbo.setdefault(cbo_i, []).append((sid, day.isoformat(), programme))
                recent = enrolled[max(0, upto - 400):upto]
                for _, eid in rng.sample(recent, min(per_session, len(recent))):
                    marks.append({"id": nid(_ms(ms0, day, start)), "session_id": sid, "enrolment_id": eid,
                                  "present": int(rng.random() < 0.87), "created_at": at, "updated_at": at,
                                  "deleted": 0})
        if len(marks) >= BATCH:
            store.insert_rows("sessions", sessions)
            store.insert_rows("attendance", marks)
            sessions, marks = [], []
    store.insert_rows("sessions", sessions)
    store.insert_rows("attendance", marks)
    return held_by_cbo


def _enrolled_by(enrolled: list[tuple[int, str]], day_i: int) -> int:
    """How many of `enrolled` (in day order) had started by day `day_i` (binary search)."""
    lo, hi = 0, len(enrolled)
    while lo < hi:
        mid = (lo + hi) // 2
        if enrolled[mid][0] <= day_i:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _volunteers(store: Any, rng: random.Random, nid: Callable, stamp: Callable, sessions: dict, cbo_ids: list[str],
                start: dt.date, days: int, ms0: int, n: int) -> None:
    people, hours = [], []
    for v in range(max(1, n // 100)):
        cbo_i = rng.randrange(len(cbo_ids))
        joined = start + dt.timedelta(days=rng.randrange(days // 2))
        vid, at = nid(_ms(ms0, joined, start)), stamp(joined, rng.randrange(8 * 3600))
        people.append({"id": vid, "cbo_id": cbo_ids[cbo_i], "full_name": f"志愿者{v:05d}",
                       "phone": f"13{rng.randrange(10**9):09d}" if v % 3 else None, "affiliation": "北京师范大学",
                       "joined_on": joined.isoformat(), "created_at": at, "updated_at": at, "deleted": 0})
        held = [s for s in sessions.get(cbo_i, []) if s[1] >= joined.isoformat()]
        for _ in range(rng.randint(4, 12)):
            if held and rng.random() < 0.7:
                sid, day, programme = rng.choice(held)
                hours.append({"id": nid(_ms(ms0, dt.date.fromisoformat(day), start)), "volunteer_id": vid,
                              "session_id": sid, "activity": programme, "worked_on": day, "hours": 2.0,
                              "created_at": at, "updated_at": at, "deleted": 0})
            else:
                day = joined + dt.timedelta(days=rng.randrange(days // 2))
                hours.append({"id": nid(_ms(ms0, day, start)), "volunteer_id": vid, "session_id": None,
                              "activity": "training", "worked_on": day.isoformat(), "hours": 3.0,
                              "created_at": at, "updated_at": at, "deleted": 0})
    store.insert_rows("volunteers", people)
    store.insert_rows("volunteer_hours", hours)
