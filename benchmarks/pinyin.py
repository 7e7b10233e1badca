"""Pinyin figures (issue 14): lists of people in pinyin order, paged by keyset from the middle
of the alphabet, and search by full pinyin or initials, each beside the same work done by code
point with the name index (what the lists did before pinyin keys).

    python -m benchmarks.run --only pinyin [--sizes 1000000]
"""

from __future__ import annotations

from pathlib import Path

#: (pinyin typed, the Chinese it stands for): the baseline searches the Chinese by name prefix.
PINYIN_KEYS = (("w", "王"), ("wang", "王"), ("wangjian", "王建"), ("wangjianguo", "王建国"), ("wjg", "王建国"),
               ("zz", "zz"))
#: Keyset page by code point from the same place in the list (王, mid-alphabet like "m").
CODEPOINT_PAGE_SQL = (
    "SELECT t.id, t.participant_id, p.full_name, p.gender, p.birth_year, p.phone, p.province, p.cbo_id, "
    "c.name_en, c.name_zh, t.course, t.status, t.start_date, t.end_date, t.deleted "
    "FROM participants p INDEXED BY participants_sort_name JOIN trainings t ON t.participant_id = p.id "
    "JOIN cbos c ON c.id = p.cbo_id WHERE t.deleted = 0 AND p.full_name >= ? ORDER BY p.full_name, t.id LIMIT 100")


def figures(path: Path, n: int, runs: int) -> list:
    """Two figures for the file of `n` people: a page in pinyin order, and the worst pinyin key."""
    from benchmarks.baselines import raw
    from benchmarks.figure import Figure, at_most, paired
    from benchmarks.run import SEARCH_COUNT_LIMIT, worst_search
    from fieldtui.core.store import Store

    with Store.open_readonly(path) as store:
        conn = raw(path)

        def page() -> None:
            store.page("trainees", after=("m", ""), limit=100)

        def page_base() -> None:
            conn.execute(CODEPOINT_PAGE_SQL, ("王",)).fetchall()

        ours_runs, base_runs = paired(page, page_base, runs, warm=True)
        order = Figure("pinyin order: a page of 100 from mid-alphabet (keyset)", n, ours_runs, base_runs,
                       at_most(0.4, "≤ 0.4 s"), note="after 'm' in pinyin order; baseline: the same page by code point "
                       "from 王 with the name index")
        worst, worst_base, worst_key = worst_search(store, conn, list(PINYIN_KEYS), runs)
        conn.close()
    search = Figure("pinyin search: one keystroke to new rows (worst key)", n, worst, worst_base,
                    at_most(0.05, "≤ 50 ms"), note=f"page of 100 + count capped at {SEARCH_COUNT_LIMIT:,}; keys "
                    f"{', '.join(k for k, _c in PINYIN_KEYS)}; worst {worst_key!r}; baseline: the Chinese "
                    "typed instead, one name-prefix LIKE")
    return [order, search]
