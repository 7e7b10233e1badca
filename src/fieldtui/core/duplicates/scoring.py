"""How alike two people are: a score from 0 to 100 and the evidence behind it.

The name is compared in pinyin (core/pinyin.py), the way it was typed through an input method:
the same characters, the same pinyin (homophones 王/汪, 丽/莉), the same syllables in another
order (王二小 / 王小二), or pinyin a typo or two apart (rapidfuzz's normalised Levenshtein
ratio). Then the birth year (a typo of one or two years is common, and so are two neighbouring
digits typed in each other's place, 1985 as 1958, and a digit typed as the key beside it on the
number row, 1988 as 1998), the phone (the same phone
is the strongest evidence; two different phones are strong evidence against) and the province.

Points (capped to 0..100): name 65 (same characters), 62 (homophone), 58 (reordered), up to 57
for similar pinyin (ratio 75..100), else 0; birth year +20 (same), +12 (one apart), +6 (two
apart, two digits swapped, or a digit typed as the key beside it), -20 (further); phone +30
(same), -25 (both known, different); province +5 / -5. So the same name one year apart with no
phone scores 72 in another province, while 王伟 and 王伟 born the same year with different
phones score 60-65: below PAIR_MIN, shown only as a registration candidate (CANDIDATE_MIN),
where a person looks at them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from fieldtui.i18n import _

#: `pairs` lists pairs from this score (the CLI's default --min-score).
PAIR_MIN = 70
#: Registration shows candidates from this score: a person looks before saving.
CANDIDATE_MIN = 60
#: Similar pinyin counts from this ratio (0..100) only: below it names are simply different.
SIMILAR_FROM = 75


class Person(NamedTuple):
    """What scoring reads of a person (one row of `PERSON_SQL`)."""

    id: str
    name: str
    pinyin: str
    bag: str
    initials: str
    birth_year: int | None
    phone: str | None
    province: str | None
    cbo_id: str


#: The columns of `Person`, from participants p joined with participant_keys k.
#: A birth year of the wrong storage type (text or bytes typed in with a database browser: "199O")
#: reads as unknown; SQLite orders text and bytes after every number, so this holds on both engines.
PERSON_COLUMNS = ("p.id, p.full_name, coalesce(k.pinyin, ''), coalesce(k.bag, ''), coalesce(k.initials, ''), "
                  "CASE WHEN p.birth_year BETWEEN 0 AND 9999 THEN p.birth_year END, p.phone, p.province, p.cbo_id")


class Evidence(NamedTuple):
    """Why two records may be one person. `name`: 'same', 'homophone', 'reordered', 'similar'
    or 'different'; `year_gap`: years between the birth years; `phone`: 'same', 'different' or
    None (one has none); `same_province`; `year_swapped`: the birth years differ by two
    neighbouring digits swapped (1985/1958); `year_key_beside`: by one of their last two digits
    typed as the key beside it (1988/1998)."""

    name: str
    name_similarity: int
    year_gap: int | None
    phone: str | None
    same_province: bool
    year_swapped: bool = False
    year_key_beside: bool = False

    def as_dict(self) -> dict:
        return self._asdict()

    def lines(self) -> list[str]:
        """The evidence in the reader's language, for a screen or the CLI."""
        out = [_NAME_TEXT[self.name]().format(n=self.name_similarity)]
        if self.phone == "same":
            out.append(_("same phone"))
        elif self.phone == "different":
            out.append(_("different phones"))
        if self.year_swapped:
            out.append(_("two digits of the birth year swapped"))
        elif self.year_key_beside:
            out.append(_("a digit of the birth year typed as the key beside it"))
        elif self.year_gap == 0:
            out.append(_("same birth year"))
        elif self.year_gap is not None:
            out.append(_("birth years {n} apart").format(n=self.year_gap))
        out.append(_("same province") if self.same_province else _("another province"))
        return out


_NAME_TEXT = {
    "same": lambda: _("same name"),
    "homophone": lambda: _("same pinyin (homophone)"),
    "reordered": lambda: _("same syllables in another order"),
    "similar": lambda: _("similar pinyin ({n}%)"),
    "different": lambda: _("different names"),
}
_NAME_POINTS = {"same": 65, "homophone": 62, "reordered": 58}
_YEAR_POINTS = {0: 20, 1: 12, 2: 6}


def name_match(a: Person, b: Person) -> tuple[str, int]:
    """('same' | 'homophone' | 'reordered' | 'similar' | 'different', similarity 0..100)."""
    if a.name == b.name:
        return "same", 100
    if a.pinyin and a.pinyin == b.pinyin:
        return "homophone", 100
    if a.bag and a.bag == b.bag:
        return "reordered", 100
    ratio = round(Levenshtein.normalized_similarity(a.pinyin, b.pinyin) * 100) if a.pinyin and b.pinyin else 0
    return ("similar" if ratio >= SIMILAR_FROM else "different"), ratio


def similar_needed(min_score: int) -> float:
    """The pinyin similarity (0..100) a 'similar' pair needs to reach `min_score` with the best
    of the other points it can have without the same phone (same year, same province: +25)."""
    return 60 + max(0, min_score - 25) * 40 / 57


def score(a: Person, b: Person) -> tuple[int, Evidence]:
    """The score of a pair (0..100) and its evidence; see the module docstring for the points."""
    kind, similarity = name_match(a, b)
    points = _NAME_POINTS.get(kind, 0)
    if kind == "similar":
        points = round(57 * (similarity - 60) / 40)  # (similar_needed inverts this)
    gap = abs(a.birth_year - b.birth_year) if a.birth_year is not None and b.birth_year is not None else None
    swapped = gap is not None and gap > 2 and b.birth_year in swapped_years(a.birth_year)
    beside = gap is not None and gap > 2 and not swapped and b.birth_year in key_beside_years(a.birth_year)
    points += 6 if swapped or beside else _YEAR_POINTS.get(gap, -20) if gap is not None else 0
    phone = None
    if a.phone and b.phone:
        phone = "same" if a.phone == b.phone else "different"
        points += 30 if phone == "same" else -25
    same_province = bool(a.province) and a.province == b.province
    points += 5 if same_province else -5
    evidence = Evidence(kind, similarity, gap, phone, same_province, swapped, beside)
    return max(0, min(100, points)), evidence


@lru_cache(maxsize=4096)
def swapped_years(year: int) -> tuple[int, ...]:
    """The years a four-digit year becomes when two neighbouring digits are typed in each other's
    place (1985: 9185, 1895, 1958), other than itself."""
    digits = str(year)
    if len(digits) != 4:
        return ()
    out = (int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]) for i in range(3))
    return tuple(y for y in out if y != year)


#: The keys beside each digit on the number row (1234567890).
_BESIDE = {"1": "2", "2": "13", "3": "24", "4": "35", "5": "46", "6": "57", "7": "68", "8": "79", "9": "80", "0": "9"}


@lru_cache(maxsize=4096)
def key_beside_years(year: int) -> tuple[int, ...]:
    """The years a four-digit year becomes when one of its last two digits is typed as a key beside
    it on the number row (1988: 1978, 1998, 1987, 1989; 1989: 1980), other than itself."""
    digits = str(year)
    if len(digits) != 4:
        return ()
    return tuple(int(digits[:i] + k + digits[i + 1:]) for i in (2, 3) for k in _BESIDE[digits[i]])


def typed_years(year: int) -> tuple[int, ...]:
    """The years a birth year becomes by a typo the scoring points as one: two neighbouring digits
    swapped, or a digit typed as the key beside it, further apart than a year or two."""
    return tuple(sorted({y for y in (*swapped_years(year), *key_beside_years(year)) if abs(y - year) > 2}))
