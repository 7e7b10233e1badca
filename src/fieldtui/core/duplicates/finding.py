"""Finding likely duplicates: for one person being registered (`candidates`, through indexes),
and across the whole file (`pairs`, one pass over the blocking keys).

Blocking keys (who is compared with whom at all): the phone; the full pinyin (homophones give
the same); the sorted syllables (`bag`: characters typed in another order); the initials (one
syllable mistyped). Name keys meet only birth years at most YEAR_WINDOW apart, or a typo apart
(the pinyin and bag keys; scoring.typed_years: two neighbouring digits swapped, 1985/1958, or a
digit typed as the key beside it, 1988/1998): further apart, the year's
points (-20) leave a pair below any threshold unless the phone is the same, which the phone key
finds. Every key has an index (migrations 0002, 0006, 0008), so a registration's
candidates are a handful of index range scans, whatever the file's size.

The whole-file pass groups each key in SQL (GROUP BY … HAVING count(*) > 1: one linear scan of
an index) and scores within each block, members sorted by birth year, each compared with at
most WINDOW neighbours: a common key (王伟, 1,000 people at 1M) costs WINDOW comparisons a
member, never a square. A pair found under several keys is scored once, under the first key
it shares (`KEYS` order). Tombstones, removed people and pairs already decided are left out.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterator
from typing import Any, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from fieldtui.core import pinyin
from fieldtui.core.duplicates.scoring import (
    CANDIDATE_MIN,
    PAIR_MIN,
    PERSON_COLUMNS,
    Evidence,
    Person,
    score,
    similar_needed,
    typed_years,
)

#: Birth years at most this far apart meet under a name key.
YEAR_WINDOW = 2
#: In a block, each member is compared with at most this many following members (by birth year).
WINDOW = 40
#: A registration's raw hits, at most (one very common key cannot make it slow).
HIT_CAP = 400
#: The blocking keys in the order a pair is attributed to one of them: (name, GROUP BY query).
KEYS: tuple[tuple[str, str], ...] = (
    ("phone", "SELECT phone FROM participants WHERE phone IS NOT NULL GROUP BY phone HAVING count(*) > 1"),
    ("pinyin", "SELECT pinyin FROM participant_keys WHERE pinyin != '' GROUP BY pinyin HAVING count(*) > 1"),
    ("bag", "SELECT bag FROM participant_keys WHERE bag != '' GROUP BY bag HAVING count(*) > 1"),
    ("initials", "SELECT initials FROM participant_keys WHERE initials != '' GROUP BY initials HAVING count(*) > 1"),
)
_LIVE = "p.deleted = 0 AND p.merged_into IS NULL"


class Candidate(NamedTuple):
    """A person already in the file who may be the one being registered: only what a person
    needs to tell (name, birth year, CBO) and why (`evidence`)."""

    id: str
    full_name: str
    birth_year: int | None
    cbo_id: str
    cbo_en: str
    cbo_zh: str
    score: int
    evidence: Evidence


class Pair(NamedTuple):
    """Two live people who may be one: `a` and `b` in id order (as decisions store them)."""

    a: Candidate
    b: Candidate
    score: int
    evidence: Evidence


def _probe(fields: dict[str, Any]) -> Person:
    """The person being registered as scoring reads them (missing fields are simply unknown)."""
    name = str(fields.get("full_name") or "")
    _, full, initials = pinyin.keys(name)
    year = fields.get("birth_year")
    return Person(str(fields.get("id") or ""), name, full, pinyin.bag(name), initials,
                  int(year) if year not in (None, "") else None, fields.get("phone") or None,
                  fields.get("province") or None, str(fields.get("cbo_id") or ""))


#: At most this many years a birth year becomes by a typo (scoring.typed_years: 3 swaps, 4 keys beside).
TYPED_MAX = 7
_TYPED_IN = f"AND birth_year IN ({', '.join(f':s{i}' for i in range(TYPED_MAX))})"
_HITS = (
    "SELECT id FROM participants WHERE :phone IS NOT NULL AND phone = :phone "
    "UNION SELECT participant_id FROM participant_keys WHERE :pinyin != '' AND pinyin = :pinyin "
    "AND birth_year BETWEEN :lo AND :hi "
    "UNION SELECT participant_id FROM participant_keys WHERE :bag != '' AND bag = :bag "
    "AND birth_year BETWEEN :lo AND :hi "
    "UNION SELECT participant_id FROM participant_keys WHERE :initials != '' AND initials = :initials "
    "AND birth_year BETWEEN :lo AND :hi "
    "UNION SELECT participant_id FROM participant_keys WHERE :pinyin != '' AND pinyin = :pinyin "
    f"{_TYPED_IN} "
    "UNION SELECT participant_id FROM participant_keys WHERE :bag != '' AND bag = :bag "
    f"{_TYPED_IN}"
)


def candidates(store: Any, person_fields: dict[str, Any], limit: int = 10,
               min_score: int = CANDIDATE_MIN) -> list[Candidate]:
    """People in the whole file (every CBO) who may be the person being registered, best first.

    `person_fields`: what the form holds so far (full_name, birth_year, phone, province, cbo_id;
    `id` when editing a saved person, who is then left out with everyone already decided "not
    the same" about them). Any field may be missing. Reads only (any connection)."""
    probe = _probe(person_fields)
    if not probe.pinyin and not probe.phone:
        return []
    year = probe.birth_year
    lo, hi = (year - YEAR_WINDOW, year + YEAR_WINDOW) if year is not None else (-1, -1)
    typed = (*(typed_years(year) if year is not None else ()), *[-1] * TYPED_MAX)
    params = {"phone": probe.phone, "pinyin": probe.pinyin, "bag": probe.bag, "initials": probe.initials,
              "lo": lo, "hi": hi, **{f"s{i}": typed[i] for i in range(TYPED_MAX)}}
    rows = store.conn.execute(
        f"SELECT {PERSON_COLUMNS}, c.name_en, c.name_zh FROM ({_HITS} LIMIT {HIT_CAP}) h "
        "JOIN participants p ON p.id = h.id LEFT JOIN participant_keys k ON k.participant_id = p.id "
        f"LEFT JOIN cbos c ON c.id = p.cbo_id WHERE {_LIVE} AND p.id != :self", {**params, "self": probe.id}).fetchall()
    decided = _decided_with(store.conn, probe.id) if probe.id else set()
    found = []
    for row in rows:
        other = Person(*row[:9])
        if other.id in decided:
            continue
        points, evidence = score(probe, other)
        if points >= min_score:
            found.append(_candidate(other, row[9], row[10], points, evidence))
    found.sort(key=lambda c: (-c.score, c.id))
    return found[:limit]


def _decided_with(conn: Any, person: str) -> set[str]:
    """The people a decision already pairs with `person` (either way: never offered again)."""
    return {r[0] for r in conn.execute("SELECT person_b FROM duplicate_decisions WHERE person_a = :p UNION "
                                       "SELECT person_a FROM duplicate_decisions WHERE person_b = :p", {"p": person})}


def _candidate(p: Person, cbo_en: str | None, cbo_zh: str | None, points: int, evidence: Evidence) -> Candidate:
    return Candidate(p.id, p.name, p.birth_year, p.cbo_id, cbo_en or "", cbo_zh or "", points, evidence)


def pairs(store: Any, min_score: int = PAIR_MIN) -> Iterator[Pair]:
    """Every likely pair of the whole file scoring at least `min_score`, block by block (see the
    module docstring): per key, one query reads the members of shared keys in key order (the
    GROUP BY of `KEYS`, joined back through the key's index), and each block is scored. People
    another program left without keys are keyed first (Store.keys_for_reading)."""
    conn = store.conn
    dialect = getattr(conn, "dialect", "sqlite")
    ordered = " ORDER BY b.v" if (hasattr(store, "keys_for_reading") and store.keys_for_reading()) else ""
    decided = {(a, b) for a, b in conn.execute("SELECT person_a, person_b FROM duplicate_decisions")}
    cbos = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, name_en, name_zh FROM cbos")}
    for rank, (key, grouped) in enumerate(KEYS):
        rows = conn.execute(f"WITH b(v) AS ({grouped}) SELECT b.v, {PERSON_COLUMNS} FROM b {_JOIN[key]} "
                            f"WHERE {_LIVE}{_IN_KEY_ORDER.get(dialect, ordered)}")
        near = _similar_near if key == "initials" else _window
        for _, block in itertools.groupby(rows, key=operator.itemgetter(0)):
            members = sorted((Person(*r[1:]) for r in block), key=_by_year)
            if len(members) < 2:
                continue
            for a, b in near(members, rank > 0, min_score):
                if not _earlier_key(a, b, rank):
                    pair = _pair(a, b, decided, cbos, min_score)
                    if pair is not None:
                        yield pair


#: SQLite returns a GROUP BY's rows in key order, and the join keeps it; PostgreSQL (core/pg/) is
#: told, and so is SQLite when the keys are read through keys_for_reading's view.
_IN_KEY_ORDER = {"postgresql": " ORDER BY b.v"}
#: How each key's members are read back (through the key's index), in key order.
_JOIN = {
    "phone": "CROSS JOIN participants p ON p.phone = b.v LEFT JOIN participant_keys k ON k.participant_id = p.id",
    **{key: f"CROSS JOIN participant_keys k ON k.{key} = b.v CROSS JOIN participants p ON p.id = k.participant_id"
       for key in ("pinyin", "bag", "initials")},
}


def _by_year(p: Person) -> tuple:
    return (p.birth_year or 0, p.id)


def _window(members: list[Person], by_year: bool, min_score: int) -> Iterator[tuple[Person, Person]]:
    """Each member with the next WINDOW members (by birth year; name keys: at most YEAR_WINDOW on,
    and the members born in a year a typo away from theirs: scoring.typed_years)."""
    for i, a in enumerate(members):
        for b in members[i + 1:i + 1 + WINDOW]:
            if by_year and (b.birth_year or 0) - (a.birth_year or 0) > YEAR_WINDOW:
                break
            yield a, b
    if by_year and (members[-1].birth_year or 0) - (members[0].birth_year or 0) > YEAR_WINDOW:
        yield from _typo_apart(members)


def _typo_apart(members: list[Person]) -> Iterator[tuple[Person, Person]]:
    """Members whose birth years are a typo apart (scoring.typed_years: 1985/1958, 1988/1998),
    each pair once (from the earlier year), at most WINDOW of the later year for each member."""
    years = {m.birth_year for m in members}
    pairs = [(y, o) for y in years if y is not None for o in typed_years(y) if o > y + YEAR_WINDOW and o in years]
    if not pairs:
        return
    born: dict[int, list[Person]] = {}
    for m in members:
        born.setdefault(m.birth_year, []).append(m)  # type: ignore[arg-type]
    for year, other in pairs:
        yield from ((a, b) for a in born[year] for b in born[other][:WINDOW])


def _similar_near(members: list[Person], by_year: bool, min_score: int) -> Iterator[tuple[Person, Person]]:
    """Initials blocks are large (wjg: hundreds at 1M) and their pairs differ in pinyin (equal
    pinyin, syllables or phone were scored under an earlier key): only names similar enough to
    reach `min_score` with every other point (SIMILAR_NEEDED) are scored, found by rapidfuzz in
    C over each member's birth-year window, never by a Python loop over the whole block."""
    cutoff = similar_needed(min_score)
    if cutoff > 100:
        return
    years = [m.birth_year or 0 for m in members]
    names = [m.pinyin for m in members]
    for i, a in enumerate(members):
        end = bisect.bisect_right(years, years[i] + YEAR_WINDOW, i + 1)
        if end == i + 1:
            continue
        hits = process.extract(a.pinyin, names[i + 1:end], scorer=Levenshtein.normalized_similarity,
                               score_cutoff=cutoff / 100, limit=None)
        for _, _, j in hits:
            yield a, members[i + 1 + j]


def _earlier_key(a: Person, b: Person, rank: int) -> bool:
    """Whether the pair shares a key before `rank` in KEYS (it was scored there)."""
    shared = (bool(a.phone) and a.phone == b.phone, bool(a.pinyin) and a.pinyin == b.pinyin,
              bool(a.bag) and a.bag == b.bag)
    return any(shared[:rank])


def _pair(a: Person, b: Person, decided: set, cbos: dict, min_score: int) -> Pair | None:
    if a.id > b.id:
        a, b = b, a
    if (a.id, b.id) in decided:
        return None
    points, evidence = score(a, b)
    if points < min_score:
        return None
    ca = _candidate(a, *cbos.get(a.cbo_id, ("", "")), points, evidence)
    cb = _candidate(b, *cbos.get(b.cbo_id, ("", "")), points, evidence)
    return Pair(ca, cb, points, evidence)
