"""Every search path of `Store.page`/`count` (index lookups, walks in sort order, merged arms)
gives exactly the rows of the plain definition: "a search column starts with the text", or, for
letters, "the name's pinyin or initials start with them" (core/pinyin.py)."""

from __future__ import annotations

import pytest

from benchmarks.generate import generate
from fieldtui.core import kinds, pinyin
from fieldtui.core.records import lists as store_module
from fieldtui.core.records.lists import _like_prefix
from fieldtui.core.store import Store


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = generate(1_000, tmp_path_factory.mktemp("search") / "g.db")
    with Store.open_readonly(path) as store:
        yield store


def reference(store, kind, search, cbo_id=None):
    spec = kinds.kind(kind).list
    any_of = [f"{c} LIKE ? ESCAPE '\\'" for c in spec.search]
    params = [_like_prefix(search)] * len(spec.search)
    letters = pinyin.query_letters(search)
    if letters and "p.full_name" in spec.search:
        any_of += ["substr(k.pinyin, 1, ?) = ?", "substr(k.initials, 1, ?) = ?"]
        params += [len(letters), letters] * 2
    where = [f"{spec.table_alias}.deleted = 0", "(" + " OR ".join(any_of) + ")"]
    if cbo_id:
        where.append(f"{spec.cbo_column} = ?")
        params.append(cbo_id)
    sql = f"{spec.select} WHERE {' AND '.join(where)}"
    return {r["id"] for r in store.conn.execute(sql, params)}


def walk(store, kind, search, sort=None, descending=False, cbo_id=None, limit=7):
    seen, after = [], None
    while True:
        rows = store.page(kind, search=search, sort=sort, descending=descending, after=after, limit=limit,
                          cbo_id=cbo_id)
        if not rows:
            return seen
        keys = [(r["_sort"], r["id"]) for r in rows]
        assert keys == sorted(keys, reverse=descending)
        seen += [r["id"] for r in rows]
        after = keys[-1]


@pytest.mark.parametrize("cap", [2000, 3])  # 3: every broad column takes the walking path
@pytest.mark.parametrize("kind", ["trainees", "children", "participants", "placements"])
def test_search_pages_match_the_definition(big, monkeypatch, cap, kind):
    monkeypatch.setattr(store_module, "SEARCH_INDEX_CAP", cap)
    some = big.page(kind, limit=1)[0]
    searches = ("王", "王建", "1", "13", some["id"][:6].upper(), some["participant_id"][:9], "zz", "%", "0",
                "w", "wang", "wj", "Wang Jian", "zh", some["full_name"][:2])
    for search in searches:
        expected = reference(big, kind, search)
        for sort in (None, "start", "cbo"):
            for descending in (False, True):
                got = walk(big, kind, search, sort=sort, descending=descending)
                assert len(got) == len(set(got)) and set(got) == expected, (search, sort, descending)
        assert big.count(kind, search=search) == len(expected)
        capped = big.count(kind, search=search, limit=5)
        assert capped == min(len(expected), 6)


def test_search_with_a_cbo_filter(big, monkeypatch):
    monkeypatch.setattr(store_module, "SEARCH_INDEX_CAP", 3)
    cbo = big.conn.execute("SELECT id FROM cbos ORDER BY id LIMIT 1").fetchone()[0]
    expected = reference(big, "trainees", "1", cbo)
    assert set(walk(big, "trainees", "1", cbo_id=cbo)) == expected
    assert big.count("trainees", search="1", cbo_id=cbo) == len(expected)


@pytest.mark.parametrize("syllables", [80, 1])  # 1: more first syllables than read, the letter's whole stretch
def test_initials_by_first_syllable_stretches_match_the_definition(big, monkeypatch, syllables):
    monkeypatch.setattr(store_module, "SEARCH_INDEX_CAP", 3)
    monkeypatch.setattr(store_module, "MAX_SYLLABLES", syllables)
    for search in ("wj", "zz", "zh", "lw", "wjg"):
        expected = reference(big, "trainees", search)
        for descending in (False, True):
            got = walk(big, "trainees", search, descending=descending)
            assert len(got) == len(set(got)) and set(got) == expected, (search, descending)
