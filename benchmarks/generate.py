"""A realistic fieldtui file of N participants, written fast, for the benchmarks.

`python -m benchmarks.generate [N] [PATH]` (default 1,000,000 over 50 CBOs). The schema comes
from the store itself (`Store.open(create=True)`), so the file is exactly what the app writes;
rows go in through `Store.insert_rows` in one transaction of large `executemany` batches, with
the secondary indexes dropped during the load and rebuilt from their own SQL afterwards (one
sorted build is several times faster than a million random index inserts).

Mix: 55% trainees (about 55% of them placed, so placements are ~30% of N), 30% after-school
children, 15% other programmes; ~2% of participants soft-deleted; then the outcomes
(benchmarks/outcomes_mix.py: follow-ups, sessions and attendance, volunteers and their hours).
Ids are UUIDv7 with time-ordered milliseconds in registration order, as field laptops write them.

Files are cached under benchmarks/data/ keyed by N, seed, schema version and GENERATOR_VERSION.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sys
import time
from pathlib import Path

from benchmarks import outcomes_mix
from fieldtui.core.db.migrations import SCHEMA_VERSION, SCRIPTS
from fieldtui.core.ids import new_id
from fieldtui.core.store import Store

GENERATOR_VERSION = 2
DATA_DIR = Path(__file__).resolve().parent / "data"
N_CBOS = 50
BATCH = 20_000
SEED = 6

PERIOD_START = dt.date(2008, 9, 1)
PERIOD_DAYS = 3 * 365
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红玉兰文辉鹏飞晓燕玲春梅志强海燕雪梅丹"
         "宇浩然子轩欣怡梓涵一诺思远嘉怡俊杰佳琪雨桐晨阳宏亮德胜永福金凤淑珍秋菊冬梅翠花")
PROVINCES = ("Henan", "Hebei", "Anhui", "Sichuan", "Shandong", "Hubei", "Hunan", "Heilongjiang", "Jiangsu",
             "Gansu", "Shanxi", "Inner Mongolia", "Jiangxi", "Chongqing")
PROVINCE_WEIGHTS = (18, 16, 10, 9, 9, 7, 6, 5, 4, 4, 4, 3, 3, 2)
CITIES = ("Beijing", "Beijing", "Beijing", "Tianjin", "Shijiazhuang")
COURSES = ("家政服务", "育婴师", "电脑基础", "美容美发", "电工", "厨师", "汽车维修", "餐饮服务", "保洁服务", "盲人按摩")
JOBS = ("家政服务员", "育婴员", "文员", "美发助理", "电工", "厨师", "汽修工", "服务员", "保洁员", "按摩师")
EMPLOYERS = tuple(f"{c}{k}有限公司" for c in ("北京华联", "京东", "美团", "海底捞", "顺丰", "链家", "国美", "苏宁",
                                           "物美", "首汽") for k in ("", "第一分", "朝阳分", "海淀分", "丰台分"))
SCHOOLS = ("行知打工子弟学校", "明圆学校", "新公民学校", "蓝天小学", "希望小学", "育英学校")


def cache_path(n: int, seed: int = SEED) -> Path:
    # The migrations' own text is in the key: an edited (unreleased) migration means a new file.
    schema = hashlib.sha256("\n".join(SCRIPTS).encode()).hexdigest()[:8]
    return DATA_DIR / f"fieldtui-n{n}-s{seed}-schema{SCHEMA_VERSION}-{schema}-g{GENERATOR_VERSION}.db"


def cached(n: int, seed: int = SEED, *, quiet: bool = False) -> Path:
    """The generated file for N (built once, then reused while schema and generator are unchanged)."""
    path = cache_path(n, seed)
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        generate(n, path, seed=seed)
        if not quiet:
            print(f"generated {n:,} participants in {time.perf_counter() - t0:.1f} s -> {path.name}", file=sys.stderr)
    return path


def _stamp(day: dt.date, second: int) -> str:
    return f"{day.isoformat()}T{1 + second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000+00:00"


def generate(n: int, path: str | os.PathLike, *, seed: int = SEED, cbos: int = N_CBOS,
             timings: dict[str, float] | None = None) -> Path:
    """Write a fresh file of `n` participants to `path` (atomically: temp file, then rename);
    `timings`, if given, receives the seconds spent on rows and on index builds."""
    timings = {} if timings is None else timings
    path = Path(path)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    rng = random.Random(seed)
    rand = rng.randbytes
    with Store.open(tmp, create=True, operator="bench") as store:
        conn = store.conn
        store.set_meta("device_id", f"bench-{seed}")
        # A throw-away file being built: no journal, no fsync, no zeroing (it is rebuilt on any failure).
        store.set_journal_mode("OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        conn.execute("PRAGMA temp_store = MEMORY")  # index builds sort in memory, two threads
        conn.execute("PRAGMA threads = 2")
        indexes = [r[0] for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]

        ms0 = int(dt.datetime(2008, 8, 1, tzinfo=dt.UTC).timestamp() * 1000)
        clock = [ms0]

        def nid(day_ms: int) -> str:
            clock[0] = max(clock[0] + 1, day_ms)
            return new_id(clock[0], rand(10))

        began = time.perf_counter()
        with store.transaction():
            for name in names:
                conn.execute(f"DROP INDEX {name}")
            cbo_rows = []
            cbo_at = _stamp(PERIOD_START - dt.timedelta(days=30), 0)
            for i in range(cbos):
                cbo_rows.append({
                    "id": nid(ms0), "name_zh": f"社区组织{i + 1:02d}", "name_en": f"Community Organisation {i + 1:02d}",
                    "city": CITIES[i % len(CITIES)], "sector": "migrants",
                    "grant_usd": float(rng.randrange(50, 500) * 1000),
                    "target_direct": max(1, n // cbos), "sii": round(rng.uniform(40, 60), 1),
                    "programmes": '["vocational_training", "after_school", "other"]',
                    "created_at": cbo_at, "updated_at": cbo_at, "deleted": 0})
            store.insert_rows("cbos", cbo_rows)
            cbo_ids = [r["id"] for r in cbo_rows]
            staff = [f"staff{i:03d}" for i in range(cbos * 3)]
            provinces = rng.choices(PROVINCES, PROVINCE_WEIGHTS, k=4096)
            surnames = rng.choices(SURNAMES, weights=[max(1, 60 - i) for i in range(len(SURNAMES))], k=8192)

            done = 0
            placed_rows: list[tuple] = []
            enrolled: dict[tuple[int, str], list[tuple[int, str]]] = {}
            while done < n:
                m = min(BATCH, n - done)
                people, trainings, children, others, placements = [], [], [], [], []
                for i in range(done, done + m):
                    day = PERIOD_START + dt.timedelta(days=i * PERIOD_DAYS // n)
                    day_ms = ms0 + (i * PERIOD_DAYS // n) * 86_400_000 + 31 * 86_400_000
                    at = _stamp(day, rng.randrange(8 * 3600))
                    pid = nid(day_ms)
                    cbo_i = rng.randrange(cbos)
                    kind = rng.random()
                    child = 0.55 <= kind < 0.85
                    given = GIVEN[rng.randrange(len(GIVEN))]
                    if rng.random() < 0.6:
                        given += GIVEN[rng.randrange(len(GIVEN))]
                    age = rng.randint(6, 12) if child else rng.randint(17, 50)
                    deleted = 1 if rng.random() < 0.02 else 0
                    people.append({
                        "id": pid, "cbo_id": cbo_ids[cbo_i], "full_name": surnames[i & 8191] + given,
                        "gender": "female" if rng.random() < 0.55 else "male", "birth_year": day.year - age,
                        "birth_date": None, "province": provinces[i & 4095],
                        "origin": "city_raised" if rng.random() < 0.4 else "recent_arrival",
                        "phone": None if child else f"1{'35789'[i % 5]}{rng.randrange(10**9):09d}",
                        "household_members": rng.randrange(7), "registered_on": day.isoformat(),
                        "registered_by": staff[cbo_i * 3 + i % 3],
                        "created_at": at, "updated_at": at, "deleted": deleted})
                    if kind < 0.55:
                        roll = rng.random()
                        placed = roll < 0.55
                        status = "completed" if roll < 0.67 else ("dropped" if roll < 0.72 else "enrolled")
                        end = (day + dt.timedelta(days=30 + i % 90)).isoformat() if status != "enrolled" else None
                        tid = nid(day_ms)
                        c = i % len(COURSES)
                        trainings.append({
                            "id": tid, "participant_id": pid, "course": COURSES[c], "start_date": day.isoformat(),
                            "end_date": end, "status": status, "income_before_cny": float(600 + i % 80 * 10),
                            "created_at": at, "updated_at": at, "deleted": deleted})
                        if placed:
                            placed_rows.append((nid(day_ms), end, float(1200 + i % 28 * 50), deleted))
                            placements.append({
                                "id": placed_rows[-1][0], "training_id": tid,
                                "employer": EMPLOYERS[i % len(EMPLOYERS)],
                                "job_title": JOBS[c], "start_date": end, "wage_cny": float(1200 + i % 28 * 50),
                                "verified": i & 1, "created_at": at, "updated_at": at, "deleted": deleted})
                    elif child:
                        eid = nid(day_ms)
                        programme = "after_school" if i % 5 else "super_saturday"
                        enrolled.setdefault((cbo_i, programme), []).append((i * PERIOD_DAYS // n, eid))
                        children.append({
                            "id": eid, "participant_id": pid, "school": SCHOOLS[i % len(SCHOOLS)],
                            "grade": max(1, min(6, age - 5)), "guardian_name": surnames[i & 8191] + "父",
                            "programme": programme, "start_date": day.isoformat(),
                            "end_date": None, "guardian_consent": 1, "created_at": at, "updated_at": at,
                            "deleted": deleted})
                    else:
                        others.append({
                            "id": nid(day_ms), "participant_id": pid,
                            "programme": "low_cost_school" if i % 3 else "other",
                            "description": None, "start_date": day.isoformat(), "end_date": None,
                            "created_at": at, "updated_at": at, "deleted": deleted})
                store.insert_rows("participants", people)
                store.insert_rows("trainings", trainings)
                store.insert_rows("after_school", children)
                store.insert_rows("other_programmes", others)
                store.insert_rows("placements", placements)
                done += m
            outcomes_mix.add(store, rng, nid, _stamp, placed_rows, enrolled, cbo_ids, PERIOD_START,
                             PERIOD_DAYS, ms0, n)
            loaded = time.perf_counter()
            for sql in indexes:
                conn.execute(sql)
            timings["rows"], timings["indexes"] = loaded - began, time.perf_counter() - loaded
        store.set_journal_mode("DELETE")  # one self-contained file; the app turns WAL back on
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else cache_path(count)
    target.parent.mkdir(parents=True, exist_ok=True)
    start, timings = time.perf_counter(), {}
    generate(count, target, timings=timings)
    print(f"wrote {count:,} participants to {target} in {time.perf_counter() - start:.1f} s "
          f"(rows {timings['rows']:.1f} s, indexes {timings['indexes']:.1f} s)")
