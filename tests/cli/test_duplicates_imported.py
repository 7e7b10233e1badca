"""Issue 15's done-when, the way a CBO would get there: two CBOs' registers typed into sheets and
loaded with `fieldtui import` (real subprocesses), realistic Chinese cases planted (birth-year
typo, homophone surname, homophone given name, swapped characters, the same phone) beside true
non-duplicates (王伟 and 刘洋 with other birth years and phones). `fieldtui duplicates --json`
lists every planted pair and no other; merging one pair lowers direct beneficiaries by one, and
headquarters, merging the field file's export, counts the same."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from fieldtui.core import duplicates
from fieldtui.core.store import Store
from tests.core.test_store import make_cbo

HEADER = ["cbo", "full_name", "gender", "birth_year", "province", "origin", "phone", "household_members",
          "registered_on", "course", "start_date", "status"]
#: (name at the first CBO, year, phone) and (name at the second, year, phone): the same person
PLANTED = [
    (("王小二", 1992, ""), ("王小二", 1993, "")),                          # birth-year typo, no phone
    (("汪建国", 1985, ""), ("王建国", 1985, "")),                          # homophone surname
    (("张丽", 1995, ""), ("张莉", 1995, "")),                              # homophone given name
    (("李春花", 1990, ""), ("李花春", 1990, "")),                          # given-name characters swapped
    (("赵敏", 1988, "13912345678"), ("赵敏", 1988, "13912345678")),       # same name, year and phone
]
#: Common names, other birth years and phones: different people, never paired
NOT_PAIRS = [(("王伟", 1980, "13800000001"), ("王伟", 1995, "13800000002")),
             (("刘洋", 1990, "13800000003"), ("刘洋", 1991, "13800000004"))]


def cli(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "fieldtui", *map(str, args), "--lang", "en"], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def sheet(path, cbo: str, people) -> str:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for name, year, phone in people:
            out.writerow([cbo, name, "female" if name[-1] in "丽莉花敏" else "male", year, "Henan",
                          "recent_arrival", phone, 3, "2012-03-01", "厨师", "2012-03-01", "enrolled"])
    return str(path)


def test_imported_cases_are_listed_merged_once_and_counted_the_same_at_hq(tmp_path):
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
        make_cbo(s, "Xin Zhi Guan")
    cases = PLANTED + NOT_PAIRS
    first = cli("import", db, sheet(tmp_path / "a.csv", "Bright Angel Fund", [a for a, _ in cases]),
                "--kind", "trainees")
    assert first.returncode == 0, first.stdout + first.stderr
    second = cli("import", db, sheet(tmp_path / "b.csv", "Xin Zhi Guan", [b for _, b in cases]), "--kind", "trainees")
    assert second.returncode == 0, second.stdout + second.stderr
    # the second sheet's report names the planted people already registered at the other CBO
    for (name, year, _), _b in PLANTED:
        assert f"possible duplicate of {name} ({year})" in second.stdout, second.stdout

    listed = cli("duplicates", db, "--json")
    assert listed.returncode == 0, listed.stderr
    pairs = {frozenset((p["a"]["name"] + str(p["a"]["birth_year"]), p["b"]["name"] + str(p["b"]["birth_year"])))
             for p in json.loads(listed.stdout)["pairs"]}
    assert pairs == {frozenset((f"{a[0]}{a[1]}", f"{b[0]}{b[1]}")) for a, b in PLANTED}

    direct = json.loads(cli("summary", db, "--json").stdout)["direct_beneficiaries"]
    assert json.loads(cli("summary", db, "--json").stdout)["possible_duplicates"] == len(PLANTED)
    with Store.open(db) as s:  # what "Same person" on the review screen does
        pair = next(p for p in duplicates.pairs(s) if p.a.full_name == "王小二")
        duplicates.decide(s, pair.a.id, pair.b.id, "same")
    field = json.loads(cli("summary", db, "--json").stdout)
    assert field["direct_beneficiaries"] == direct - 1
    assert field["possible_duplicates"] == len(PLANTED) - 1

    exported = cli("export", db, tmp_path / "out.fieldtui")
    assert exported.returncode == 0, exported.stderr
    merged = cli("merge", tmp_path / "hq.db", tmp_path / "out.fieldtui")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    hq = json.loads(cli("summary", tmp_path / "hq.db", "--json").stdout)
    assert hq["direct_beneficiaries"] == direct - 1
    assert {k: v for k, v in hq.items() if k != "filters"} == {k: v for k, v in field.items() if k != "filters"}
