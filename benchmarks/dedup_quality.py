"""Precision and recall of the duplicate finder (issue 15) on a generated file with known answers.

    python -m benchmarks.dedup_quality [--people 10000] [--planted 500] [--seed 15]

The file holds `people` different people (Faker's zh_CN names, birth years 1960-2004, a phone
for half of them, 14 provinces, 4 CBOs) and `planted` second registrations of some of them at
another CBO, each changed the way a second registration goes wrong in the field: a birth year
one or two off, with its last two digits swapped (1985 typed 1958) or its tens digit typed
as the key beside it on the number row (1988 typed 1998 or 1978), a homophone surname or
given-name character (same toneless pinyin), the given name's characters swapped, a one-letter
typo of the pinyin typed through an IME (another
character), or nothing changed. The second record keeps the phone (40%), has none (40%) or a
new number (20%). Every pair `duplicates.pairs` lists at its default score is checked against
the answers: precision = planted pairs found / pairs listed, recall = planted pairs found /
planted pairs, per kind of change. Pairs of the `people` that happen to share a name and birth
year are, by construction, different people: they count against precision, as in the field.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
import tempfile
from pathlib import Path

from faker import Faker
from pypinyin import lazy_pinyin

from fieldtui.core import duplicates
from fieldtui.core.models import CBO, OtherProgramme, Participant, ParticipantRecord
from fieldtui.core.store import Store

PROVINCES = ("Henan", "Hebei", "Anhui", "Shandong", "Sichuan", "Hubei", "Hunan", "Heilongjiang", "Shanxi",
             "Jiangsu", "Gansu", "Jiangxi", "Inner Mongolia", "Chongqing")
CHANGES = ("year+1", "year+2", "year digits swapped", "year tens key beside", "homophone surname", "homophone given",
           "swapped given", "pinyin typo", "none")
#: The keys beside each digit on the number row (1234567890): a digit typed as its neighbour.
BESIDE = {"1": "2", "2": "13", "3": "24", "4": "35", "5": "46", "6": "57", "7": "68", "8": "79", "9": "80", "0": "9"}


def _homophones(names: list[str]) -> dict[str, list[str]]:
    """Toneless pinyin -> the characters of the generated names that read so."""
    out: dict[str, set[str]] = collections.defaultdict(set)
    for name in names:
        for ch in name:
            out[lazy_pinyin(ch)[0]].add(ch)
    return {k: sorted(v) for k, v in out.items()}


def _changed(name: str, year: int, change: str, sounds: dict[str, list[str]], rng: random.Random) -> tuple[str, int]:
    """The second registration's name and birth year for one kind of change."""
    def swap_char(i: int, same_sound: bool) -> str:
        py = lazy_pinyin(name[i])[0]
        if same_sound:
            pool = [c for c in sounds.get(py, []) if c != name[i]]
        else:  # one letter off: a character whose pinyin differs by one letter (an IME pick)
            pool = [c for k, chars in sounds.items() if k != py and len(k) == len(py)
                    and sum(a != b for a, b in zip(k, py, strict=True)) == 1 for c in chars]
        return name[:i] + rng.choice(pool) + name[i + 1:] if pool else name

    if change == "year+1":
        return name, year + rng.choice((-1, 1))
    if change == "year+2":
        return name, year + rng.choice((-2, 2))
    if change == "year digits swapped":  # 1985 typed 1958; 1977 or a year the form refuses: "none"
        swapped = int(str(year)[:2] + str(year)[3] + str(year)[2])
        return name, swapped if 1920 <= swapped < 2010 else year  # (registered in 2010)
    if change == "year tens key beside":  # 1988 typed 1998 or 1978; a year the form refuses: "none"
        typed = int(str(year)[:2] + rng.choice(BESIDE[str(year)[2]]) + str(year)[3])
        return name, typed if 1920 <= typed < 2010 else year
    if change == "homophone surname":
        return swap_char(0, True), year
    if change == "homophone given":
        return swap_char(len(name) - 1, True), year
    if change == "swapped given":
        return (name[0] + name[:0:-1] if len(name) == 3 else name), year
    if change == "pinyin typo":
        return swap_char(len(name) - 1, False), year
    return name, year


def build(path: Path, people: int, planted: int, seed: int) -> dict[frozenset, str]:
    """Write the file; return {pair of ids: the kind of change} for the planted pairs."""
    rng, fake = random.Random(seed), Faker("zh_CN")
    fake.seed_instance(seed)
    names = [fake.name() for _ in range(people)]
    sounds = _homophones(names)
    answers: dict[frozenset, str] = {}
    with Store.open(path, create=True) as store:
        cbos = [store.save_cbo(CBO(name_zh=f"机构{i}", name_en=f"CBO {i}", grant_usd=1000, target_direct=10)).id
                for i in range(4)]

        def save(name: str, year: int, phone: str | None, province: str, cbo: str) -> str:
            person = Participant(cbo_id=cbo, full_name=name, gender=rng.choice(("male", "female")),
                                 birth_year=year, province=province, origin="recent_arrival", phone=phone,
                                 household_members=1, registered_on=dt.date(2010, 3, 1), registered_by="quality")
            record = ParticipantRecord(participant=person, programme=OtherProgramme(
                programme="low_cost_school", start_date=dt.date(2010, 3, 1)))
            return store.save_participant(record).participant.id

        base = []
        for i, name in enumerate(names):
            phone = f"139{i:08d}" if rng.random() < 0.5 else None
            row = (name, rng.randint(1960, 2004), phone, rng.choice(PROVINCES), rng.choice(cbos))
            base.append((save(*row), row))
        for k, (pid, (name, year, phone, province, cbo)) in enumerate(rng.sample(base, planted)):
            change = CHANGES[k % len(CHANGES)]
            new_name, new_year = _changed(name, year, change, sounds, rng)
            if (new_name, new_year) == (name, year):  # a two-character name has no given name to swap...
                change = "none"
            roll = rng.random()
            new_phone = phone if roll < 0.4 else None if roll < 0.8 else f"138{k:08d}"
            other = rng.choice([c for c in cbos if c != cbo])
            answers[frozenset((pid, save(new_name, new_year, new_phone, province, other)))] = (
                change + (", new phone" if phone and new_phone and new_phone != phone else ""))
    return answers


def measure(people: int, planted: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        path = Path(tmp) / "quality.db"
        answers = build(path, people, planted, seed)
        with Store.open_readonly(path) as store:
            scored = {frozenset((p.a.id, p.b.id)): p.score for p in duplicates.pairs(store)}
    found = set(scored)
    hits = found & set(answers)
    print(f"{people:,} people, {planted:,} planted second registrations; {len(found):,} pairs listed "
          f"(score >= {duplicates.PAIR_MIN})")
    print(f"precision {len(hits) / len(found):.3f} ({len(hits):,} of {len(found):,} listed are planted)")
    print(f"recall    {len(hits) / len(answers):.3f} ({len(hits):,} of {len(answers):,} planted are listed)")
    for threshold in (75, 80, 85, 90):
        listed = {p for p, score in scored.items() if score >= threshold}
        right = listed & set(answers)
        print(f"  --min-score {threshold}: precision {len(right) / max(1, len(listed)):.3f}, "
              f"recall {len(right) / len(answers):.3f} ({len(listed):,} listed)")
    by_kind = collections.Counter(answers.values())
    found_kind = collections.Counter(answers[p] for p in hits)
    for kind in sorted(by_kind):
        print(f"  {kind:<32} {found_kind[kind]:>4} / {by_kind[kind]:<4} found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--planted", type=int, default=500)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    measure(args.people, args.planted, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
