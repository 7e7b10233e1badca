"""Illustrative outcomes for sample.db: job follow-ups, after-school attendance and volunteers.

The donor's report gives no numbers for any of these, so everything here is made up, plausibly,
to show the screens and the figures; none of it is data. It is drawn after every person of
tools/sample.py, from its own seeded generators, so the donor's figures cannot move (a test
rebuilds the file and compares).

- Follow-ups: each placement's 3-, 6- and 12-month checks, recorded for about 96%, 93% and 89%
  of them, a few days to weeks after the due date. Still employed with a CBO's `retention` (Bright
  Angel Fund's massage graduates highest, Compassion for Migrant Children's pilot lowest); someone
  out of work at one check finds a job again by the next about a third of the time; wages rise a
  little with time, more after a change of employer; the reasons for not working are weighted
  towards leaving the job, moving away, family care and not being reachable.
- Attendance (Compassion for Migrant Children, the only after-school CBO): the weekly after-school
  session on Wednesdays and a Super Saturday a month, May and June 2011; the Wednesday after May
  Day was not held; the last session is still being marked (some children not marked). Each child
  attends with their own propensity, a few of them often absent.
- Volunteers: college students at Compassion for Migrant Children (its model volunteer programme:
  four to six per after-school session, more on Super Saturdays, hours per session), a few at the
  other CBOs helping with training (hours per activity, monthly).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from faker import Faker

from fieldtui.core.errors import RecordInvalid
from fieldtui.core.models import (
    AfterSchool,
    Attendance,
    Followup,
    Placement,
    Session,
    Volunteer,
    VolunteerHours,
    check_attendance,
    check_followup_against_placement,
    check_volunteer_hours,
)
from fieldtui.core.schedule import due_on

#: Share of placements still employed at a check, per CBO (English name).
RETENTION = {"China Children and Teenagers' Fund": 0.86, "Compassion for Migrant Children": 0.78,
             "Xin Zhi Guan": 0.83, "Bright Angel Fund": 0.9}
RECORDED = {3: 0.96, 6: 0.93, 12: 0.89}
REASONS = {"quit": 25, "contract_ended": 15, "dismissed": 8, "moved_away": 14, "family": 14, "studying": 4,
           "health": 5, "unreachable": 12, "other": 3}
TERM = (dt.date(2011, 5, 4), dt.date(2011, 6, 29))
NOT_HELD = dt.date(2011, 5, 4)
UNIVERSITIES = ("北京师范大学", "中国人民大学", "首都师范大学", "中央民族大学", "北京外国语大学", "北京大学")
#: Volunteers per CBO: (how many, where from, activity of their hours).
VOLUNTEERS = {"Compassion for Migrant Children": (36, UNIVERSITIES, None),
              "Xin Zhi Guan": (6, ("北京联合大学", "社区志愿者"), "training"),
              "China Children and Teenagers' Fund": (5, ("社区志愿者",), "training"),
              "Bright Angel Fund": (3, ("北京按摩医院", "社区志愿者"), "training")}


class Outcomes:
    """Adds the illustrative rows to a tools.sample.Builder's rows (after all its people)."""

    def __init__(self, builder: Any, seed: int):
        self.b = builder
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)

    def add(self, model: Any, table: str, on: dt.date, actor: str) -> str:
        return self.b.add(table, model, on, actor, rng=self.rng)

    def build(self) -> None:
        for table in ("followups", "sessions", "attendance", "volunteers", "volunteer_hours"):
            self.b.rows[table] = []
        cbo_names = {r["id"]: r["name_en"] for r in self.b.rows["cbos"]}
        training_cbo = self._training_cbos()
        for row in self.b.rows["placements"]:
            self.followups(row, RETENTION[cbo_names[training_cbo[row["training_id"]]]])
        cmc = next(cid for cid, name in cbo_names.items() if name == "Compassion for Migrant Children")
        sessions = self.sessions(cmc)
        for cbo_id, name in cbo_names.items():
            self.volunteers(cbo_id, *VOLUNTEERS[name], sessions if cbo_id == cmc else [])

    def _training_cbos(self) -> dict[str, str]:
        person_cbo = {r["id"]: r["cbo_id"] for r in self.b.rows["participants"]}
        return {r["id"]: person_cbo[r["participant_id"]] for r in self.b.rows["trainings"]}

    # ---- follow-ups -----------------------------------------------------------------------

    def followups(self, row: dict, retention: float) -> None:
        placement = Placement.model_validate(row)
        employed, same, wage = True, True, placement.wage_cny
        for months, growth in ((3, 0.04), (6, 0.08), (12, 0.14)):
            keeps = retention if employed else 0.35
            employed = self.rng.random() < keeps
            same = employed and same and self.rng.random() < 0.88
            if employed:
                rise = growth + (self.rng.uniform(0.0, 0.25) if not same else self.rng.uniform(-0.02, 0.06))
                wage = round(placement.wage_cny * (1 + rise) / 50) * 50
            if self.rng.random() >= RECORDED[months]:
                continue
            checked = due_on(placement.start_date, months) + dt.timedelta(days=self.rng.randrange(-7, 35))
            reason = None if employed else self.rng.choices(list(REASONS), weights=list(REASONS.values()))[0]
            followup = Followup(placement_id=row["id"], due_month=months, checked_on=checked, employed=employed,
                                same_employer=same if employed else None, wage_cny=wage if employed else None,
                                reason=reason)
            check_followup_against_placement(followup, placement)
            self.add(followup, "followups", checked, "sample")

    # ---- sessions and attendance -------------------------------------------------------------

    def sessions(self, cbo_id: str) -> list[Session]:
        """The term's sessions with their marks; returns the held ones (volunteers give them hours)."""
        person_cbo = {r["id"]: r["cbo_id"] for r in self.b.rows["participants"]}
        children = [AfterSchool.model_validate(r) for r in self.b.rows["after_school"]
                    if person_cbo[r["participant_id"]] == cbo_id]
        propensity = {c.id: (self.rng.uniform(0.35, 0.65) if self.rng.random() < 0.08
                             else min(1.0, self.rng.gauss(0.9, 0.07))) for c in children}
        days = [(day, "after_school") for day in _weekdays(*TERM, weekday=2)]
        days += [(day, "super_saturday") for day in _weekdays(*TERM, weekday=5) if day.day <= 7]
        held = []
        for day, programme in sorted(days):
            session = Session(cbo_id=cbo_id, programme=programme, held_on=day, held=day != NOT_HELD,
                              topic=_topic(programme, day, self.rng))
            session.id = self.add(session, "sessions", day, "sample")
            if not session.held:
                continue
            held.append(session)
            marking = 0.8 if day == TERM[1] else 1.0  # the last session: still being marked
            for child in children:
                if self.rng.random() >= marking:
                    continue
                mark = Attendance(session_id=session.id, enrolment_id=child.id,
                                  present=self.rng.random() < propensity[child.id])
                try:
                    check_attendance(mark, session, child, cbo_id)
                except RecordInvalid:  # not enrolled in this programme that day
                    continue
                self.add(mark, "attendance", day, "sample")
        return held

    # ---- volunteers --------------------------------------------------------------------------

    def volunteers(self, cbo_id: str, count: int, places: tuple[str, ...], activity: str | None,
                   sessions: list[Session]) -> None:
        people = []
        for _ in range(count):
            joined = dt.date(2010, 9, 1) + dt.timedelta(days=self.rng.randrange(240))
            volunteer = Volunteer(cbo_id=cbo_id, full_name=self.fake.name(), joined_on=joined,
                                  phone=f"1{self.rng.choice('358')}{self.rng.randrange(10**9):09d}"
                                  if self.rng.random() < 0.7 else None, affiliation=self.rng.choice(places))
            volunteer.id = self.add(volunteer, "volunteers", joined, "sample")
            people.append(volunteer)
        for session in sessions:
            helpers = self.rng.sample(people, self.rng.randint(6, 9) if session.programme == "super_saturday"
                                      else self.rng.randint(4, 6))
            for volunteer in helpers:
                hours = 4.0 if session.programme == "super_saturday" else self.rng.choice((2.0, 2.0, 2.5))
                self._hours(volunteer, VolunteerHours(volunteer_id=volunteer.id, activity=session.programme,
                                                      worked_on=session.held_on, hours=hours, session_id=session.id),
                            session)
        if activity is not None:
            for volunteer in people:
                for month in range(self.rng.randint(3, 8)):
                    day = min(volunteer.joined_on + dt.timedelta(days=30 * month + self.rng.randrange(28)),
                              dt.date(2011, 8, 31))
                    self._hours(volunteer, VolunteerHours(volunteer_id=volunteer.id, activity=activity, worked_on=day,
                                                          hours=self.rng.choice((2.0, 3.0, 3.5, 4.0))), None)

    def _hours(self, volunteer: Volunteer, hours: VolunteerHours, session: Session | None) -> None:
        check_volunteer_hours(hours, volunteer, session)
        self.add(hours, "volunteer_hours", hours.worked_on, "sample")


def _weekdays(first: dt.date, last: dt.date, weekday: int) -> list[dt.date]:
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def _topic(programme: str, day: dt.date, rng: random.Random) -> str | None:
    if day == NOT_HELD:
        return "五一假期调休"
    if programme == "super_saturday":
        return rng.choice(("科学实验", "参观博物馆", "运动会", "手工与绘画"))
    return rng.choice(("作业辅导", "阅读", "英语角", "数学游戏", "安全教育", None))
