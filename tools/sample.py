"""Deterministic demo data that reproduces the donor's published figures exactly.

`python -m tools.sample sample.db` (or `make sample`) rebuilds sample.db. The seeded
random generator and Faker's zh_CN names make every run give the same people; the counts below
are fixed so that the summary equals the China Migrant Initiative report:

| CBO | lives | grant | SII | target | trainees | after-school | other |
|---|---|---|---|---|---|---|---|
| China Children and Teenagers' Fund | 3,174 | $467,400 | 57.0 | 3,700 | 3,174 | | |
| Compassion for Migrant Children | 2,207 | $208,490 | 54.0 | 2,550 | 449 | 1,758 | |
| Xin Zhi Guan | 2,650 | $306,516 | 50.4 | 2,650 | 572 | | 2,078 pupils |
| Bright Angel Fund | 200 | $105,000 | 49.4 | 200 | 200 (blind adults) | | |

Targets sum to the revised goal of 9,100 (the two vocational programmes that fell short are
CCTF and CMC's pilot, as the report says); indirect beneficiaries sum to 20,985. The report
publishes only totals for trainees, after-school children and indirect beneficiaries: the split
across CBOs above is our reading of the report, stated here so nobody mistakes it for data.

Job follow-ups, after-school attendance and volunteers are illustrative only (the report has no
numbers for them): tools/sample_outcomes.py says how they are made up.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from fieldtui.core.ids import new_id
from fieldtui.core.models import (
    CBO,
    AfterSchool,
    ChildRecord,
    OtherProgramme,
    Participant,
    ParticipantRecord,
    Placement,
    TraineeRecord,
    Training,
)
from fieldtui.core.store import Store
from tools.sample_outcomes import Outcomes

SEED = 2011
PERIOD_START = dt.date(2008, 9, 1)
PERIOD_END = dt.date(2011, 8, 31)


@dataclass(frozen=True)
class Plan:
    cbo: CBO
    trainees: int
    children: int
    pupils: int
    indirect: int
    placed_share: float
    female_share: float
    courses: tuple[str, ...]
    jobs: tuple[str, ...]


PLANS = (
    Plan(CBO(name_zh="中国儿童少年基金会", name_en="China Children and Teenagers' Fund", grant_usd=467_400,
             target_direct=3_700, sii=57.0, programmes=["vocational_training"]),
         trainees=3_174, children=0, pupils=0, indirect=8_900, placed_share=0.78, female_share=0.9,
         courses=("家政服务", "育婴师", "手工编织", "餐饮服务", "保洁服务"),
         jobs=("家政服务员", "育婴员", "编织工", "服务员", "保洁员")),
    Plan(CBO(name_zh="关爱流动儿童中心", name_en="Compassion for Migrant Children", grant_usd=208_490,
             target_direct=2_550, sii=54.0, programmes=["after_school", "vocational_training"]),
         trainees=449, children=1_758, pupils=0, indirect=5_200, placed_share=0.55, female_share=0.5,
         courses=("电脑基础", "美容美发", "零售服务"),
         jobs=("文员", "美发助理", "店员")),
    Plan(CBO(name_zh="新知馆（原行知学校）", name_en="Xin Zhi Guan", grant_usd=306_516,
             target_direct=2_650, sii=50.4, programmes=["low_cost_school", "vocational_training"]),
         trainees=572, children=0, pupils=2_078, indirect=6_285, placed_share=0.68, female_share=0.4,
         courses=("电工", "厨师", "汽车维修"),
         jobs=("电工", "厨师", "汽修工")),
    Plan(CBO(name_zh="光明天使基金", name_en="Bright Angel Fund", grant_usd=105_000,
             target_direct=200, sii=49.4, programmes=["vocational_training"]),
         trainees=200, children=0, pupils=0, indirect=600, placed_share=0.62, female_share=0.45,
         courses=("盲人按摩", "中医推拿"),
         jobs=("按摩师", "推拿师")),
)

PROVINCE_WEIGHTS = {
    "Henan": 18, "Hebei": 16, "Anhui": 10, "Sichuan": 9, "Shandong": 9, "Hubei": 7, "Hunan": 6,
    "Heilongjiang": 5, "Jiangsu": 4, "Gansu": 4, "Shanxi": 4, "Inner Mongolia": 3, "Jiangxi": 3, "Chongqing": 2,
}
SCHOOLS = ("行知打工子弟学校", "明圆学校", "新公民学校", "蓝天小学", "希望小学", "育英学校")


class Builder:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.clock_ms = 0

    # ---- small deterministic helpers -----------------------------------------------

    def id_at(self, day: dt.date, rng: random.Random | None = None) -> str:
        ms = int(dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC).timestamp() * 1000)
        self.clock_ms = max(self.clock_ms + 1, ms)
        return new_id(self.clock_ms, (rng or self.rng).randbytes(10))

    def stamp(self, day: dt.date, rng: random.Random | None = None) -> str:
        seconds = (rng or self.rng).randrange(8 * 3600)
        return (dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)
                + dt.timedelta(seconds=seconds)).isoformat(timespec="microseconds")

    def day_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randrange((hi - lo).days + 1))

    def province(self) -> str:
        return self.rng.choices(list(PROVINCE_WEIGHTS), weights=list(PROVINCE_WEIGHTS.values()))[0]

    def phone(self) -> str:
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"

    def household(self, n: int, total: int) -> list[int]:
        """n household sizes in 0..8 summing exactly to total (the donor's indirect count)."""
        sizes = [self.rng.randint(0, 6) for _ in range(n)]
        diff = total - sum(sizes)
        while diff:
            i = self.rng.randrange(n)
            if diff > 0 and sizes[i] < 8:
                sizes[i] += 1
                diff -= 1
            elif diff < 0 and sizes[i] > 0:
                sizes[i] -= 1
                diff += 1
        return sizes

    def person(self, cbo_id: str, staff: list[str], *, age: int, on: dt.date, female_share: float,
               origin_city: float, phone_share: float, household: int) -> Participant:
        gender = "female" if self.rng.random() < female_share else "male"
        name = self.fake.name_female() if gender == "female" else self.fake.name_male()
        birth_year = on.year - age
        birth_date = None
        if self.rng.random() < 0.4:
            birth_date = dt.date(birth_year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        return Participant(
            cbo_id=cbo_id, full_name=name, gender=gender, birth_year=birth_year, birth_date=birth_date,
            province=self.province(), origin="city_raised" if self.rng.random() < origin_city else "recent_arrival",
            phone=self.phone() if self.rng.random() < phone_share else None,
            household_members=household, registered_on=on, registered_by=self.rng.choice(staff),
        )

    # ---- rows -------------------------------------------------------------------------

    def build(self, store: Store) -> None:
        """Every CBO's people, in plan order (the order of random draws is the data: keep it)."""
        self.rows: dict[str, list[dict]] = {t: [] for t in ("cbos", "participants", "trainings", "after_school",
                                                            "other_programmes", "placements", "audit")}
        for plan in PLANS:
            cbo_id = self.add("cbos", plan.cbo, PERIOD_START - dt.timedelta(days=30), "headquarters")
            staff = [self.fake.name() for _ in range(3)]
            n = plan.trainees + plan.children + plan.pupils
            households = iter(self.household(n, plan.indirect))
            for _ in range(plan.trainees):
                self.trainee(plan, cbo_id, staff, next(households))
            for _ in range(plan.children):
                self.child(cbo_id, staff, next(households))
            for _ in range(plan.pupils):
                self.pupil(cbo_id, staff, next(households))
        Outcomes(self, SEED + 1).build()  # after every person, from its own generators
        self.rows["cbos"] = [dict(r, programmes=list(r["programmes"])) for r in self.rows["cbos"]]
        with store.transaction():
            for table, table_rows in self.rows.items():
                store.insert_rows(table, table_rows)

    def add(self, table: str, model, on: dt.date, actor: str, rng: random.Random | None = None, **extra) -> str:
        row_id = self.id_at(on, rng)
        at = self.stamp(on, rng)
        data = model.model_dump(exclude={"id", "deleted"})
        self.rows[table].append({"id": row_id, **data, **extra, "created_at": at, "updated_at": at, "deleted": 0})
        self.rows["audit"].append({"at": at, "actor": actor, "action": "create", "table_name": table,
                                   "row_id": row_id})
        return row_id

    def trainee(self, plan: Plan, cbo_id: str, staff: list[str], household: int) -> None:
        on = self.day_between(PERIOD_START, PERIOD_END - dt.timedelta(days=150))
        start = on + dt.timedelta(days=self.rng.randrange(31))
        age = self.rng.randint(17, 45)
        person = self.person(cbo_id, staff, age=age, on=start, female_share=plan.female_share,
                             origin_city=0.3, phone_share=0.8, household=household)
        roll = self.rng.random()
        placed = roll < plan.placed_share
        status = "completed" if placed or roll < plan.placed_share + 0.12 else (
            "dropped" if roll < plan.placed_share + 0.17 else "enrolled")
        end = start + dt.timedelta(days=self.rng.randrange(30, 121)) if status != "enrolled" else None
        course_i = self.rng.randrange(len(plan.courses))
        training = Training(course=plan.courses[course_i], start_date=start, end_date=end, status=status,
                            income_before_cny=float(self.rng.randrange(600, 1401, 10)))
        TraineeRecord(participant=person, training=training)  # every rule checked
        pid = self.add("participants", person, on, person.registered_by)
        tid = self.add("trainings", training, start, person.registered_by, participant_id=pid)
        if placed:
            placement = Placement(
                training_id=tid, employer=self.fake.company(), job_title=plan.jobs[course_i],
                start_date=end + dt.timedelta(days=self.rng.randrange(61)),
                wage_cny=float(self.rng.randrange(1200, 2601, 50)), verified=self.rng.random() < 0.7)
            self.add("placements", placement, placement.start_date, person.registered_by)

    def child(self, cbo_id: str, staff: list[str], household: int) -> None:
        on = self.day_between(PERIOD_START, PERIOD_END - dt.timedelta(days=60))
        age = self.rng.randint(6, 12)
        person = self.person(cbo_id, staff, age=age, on=on, female_share=0.48, origin_city=0.55,
                             phone_share=0.0, household=household)
        programme = "super_saturday" if self.rng.random() < 0.2 else "after_school"
        end = on + dt.timedelta(days=self.rng.randrange(90, 300)) if self.rng.random() < 0.6 else None
        enrolment = AfterSchool(
            school=self.rng.choice(SCHOOLS), grade=max(1, min(6, age - 5)),
            guardian_name=person.full_name[0] + self.fake.first_name(), guardian_consent=True,
            programme=programme, start_date=on, end_date=end)
        ChildRecord(participant=person, enrolment=enrolment)
        pid = self.add("participants", person, on, person.registered_by)
        self.add("after_school", enrolment, on, person.registered_by, participant_id=pid)

    def pupil(self, cbo_id: str, staff: list[str], household: int) -> None:
        on = self.day_between(PERIOD_START, PERIOD_END - dt.timedelta(days=30))
        age = self.rng.randint(6, 14)
        person = self.person(cbo_id, staff, age=age, on=on, female_share=0.47, origin_city=0.5,
                             phone_share=0.0, household=household)
        programme = OtherProgramme(programme="low_cost_school", description=f"{max(1, min(9, age - 5))}年级",
                                   start_date=on)
        ParticipantRecord(participant=person, programme=programme)
        pid = self.add("participants", person, on, person.registered_by)
        self.add("other_programmes", programme, on, person.registered_by, participant_id=pid)


def build(path: str | os.PathLike, seed: int = SEED) -> Path:
    """Write a fresh sample database to `path` atomically (temp file, then rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    with Store.open(tmp, create=True, operator="sample") as store:
        store.set_meta("device_id", "sample-" + str(seed))
        Builder(seed).build(store)
        store.set_journal_mode("DELETE")  # one self-contained file to commit
        store.conn.execute("VACUUM")
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "sample.db"
    print(f"wrote {build(target)}")
