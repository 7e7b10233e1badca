"""`make bench`, the outcomes' figures (issue 16): the follow-ups due list and the summary with its
outcomes and breakdowns, each beside the same work written by hand in plain SQL, in the same run.

    python -m benchmarks.outcomes_figures [--sizes 1000000] [--runs 5]   # only this part

The baselines are what someone would write for these figures without fieldtui: the due list's
first page per month arm and its capped count; the people counted per CBO and trait group in one
pass, the follow-ups per placement, the medians with window functions, attendance and volunteers
each one aggregate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.baselines import LIVE, QUARTER, raw
from benchmarks.figure import Figure, at_most, paired, repeated, times
from benchmarks.report import print_table
from fieldtui.core import clock

#: The app's today (the summary reads it too): every check of the generated files has come due.
TODAY = clock.today()
_AGE = ("CAST(substr(p.registered_on, 1, 4) AS INTEGER) - p.birth_year - "
        "(substr(p.registered_on, 6, 5) < coalesce(substr(p.birth_date, 6, 5), '07-01'))")
_BAND = (f"CASE WHEN {_AGE} < 14 THEN 0 WHEN {_AGE} < 18 THEN 1 WHEN {_AGE} < 25 THEN 2 "
         f"WHEN {_AGE} < 45 THEN 3 ELSE 4 END")
_TRAITS = f"p.cbo_id, p.gender, {_BAND}, p.origin, p.province"


def _due_arm(n: int, limit: int | None) -> str:
    due = f"date(pl.start_date, '+{n} months')"
    sql = (f"SELECT pl.id, {n} AS m, {due} AS due_on, pl.start_date AS s, p.full_name, p.phone, c.name_en "
           "FROM placements pl JOIN trainings t ON t.id = pl.training_id "
           "JOIN participants p ON p.id = t.participant_id JOIN cbos c ON c.id = p.cbo_id "
           "WHERE pl.deleted = 0 AND t.deleted = 0 AND p.deleted = 0 "
           f"AND pl.start_date <= date(:today, '-{n} months') AND NOT EXISTS (SELECT 1 FROM followups f "
           f"WHERE f.placement_id = pl.id AND f.due_month = {n} AND f.deleted = 0)")
    return sql if limit is None else f"SELECT * FROM ({sql} ORDER BY pl.start_date DESC, pl.id DESC LIMIT {limit})"


BEST_DUE_PAGE = (" UNION ALL ".join(_due_arm(n, 100) for n in (3, 6, 12))
                 + " ORDER BY due_on DESC, s DESC, id DESC, m DESC LIMIT 100")
BEST_DUE_COUNT = f"SELECT count(*) FROM ({' UNION ALL '.join(_due_arm(n, None) for n in (3, 6, 12))} LIMIT 10001)"


def _latest(n: int) -> str:
    return (f"(SELECT f.employed FROM followups f WHERE f.placement_id = pl.id AND f.due_month = {n} "
            "AND f.deleted = 0 ORDER BY f.checked_on DESC LIMIT 1)")


def best_outcomes_sql(where: str) -> tuple[str, ...]:
    """Every figure `summary.compute` returns, by hand, for the people matching `where` (alias p)."""
    people = f"p.deleted = 0 AND {LIVE}{where}"
    reach = {n: f"date(:today, '-{n} months')" for n in (3, 6, 12)}
    live_t = "t.participant_id = p.id AND t.deleted = 0"
    return (
        f"SELECT {_TRAITS}, count(*), total(p.household_members), "
        f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {live_t})), "
        f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {live_t} AND t.status = 'completed')), "
        f"sum(EXISTS (SELECT 1 FROM trainings t JOIN placements pl ON pl.training_id = t.id WHERE {live_t} "
        "AND pl.deleted = 0)), "
        "sum(EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0)), "
        "sum(EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0)) "
        f"FROM participants p WHERE {people} GROUP BY {_TRAITS}",
        f"SELECT {_TRAITS}, "
        + ", ".join(f"total(pl.start_date <= {reach[n]}), total(pl.start_date <= {reach[n]} AND {_latest(n)} = 1), "
                    f"total(pl.start_date <= {reach[n]} AND {_latest(n)} IS NULL)" for n in (3, 6, 12))
        + " FROM placements pl JOIN trainings t ON t.id = pl.training_id "
        f"JOIN participants p ON p.id = t.participant_id WHERE pl.deleted = 0 AND t.deleted = 0 AND {people} "
        f"GROUP BY {_TRAITS}",
        "WITH v AS MATERIALIZED (SELECT p.cbo_id AS cbo, max(pl.start_date), pl.wage_cny AS w, "
        "t.income_before_cny AS i FROM placements pl JOIN trainings t ON t.id = pl.training_id "
        f"JOIN participants p ON p.id = t.participant_id WHERE pl.deleted = 0 AND t.deleted = 0 AND {people} "
        "GROUP BY p.id) SELECT cbo, avg(w) FROM (SELECT cbo, w, row_number() OVER (PARTITION BY cbo ORDER BY w) AS r, "
        "count(*) OVER (PARTITION BY cbo) AS c FROM v) WHERE r IN ((c + 1) / 2, (c + 2) / 2) GROUP BY cbo "
        "UNION ALL SELECT cbo, avg(i) FROM (SELECT cbo, i, row_number() OVER (PARTITION BY cbo ORDER BY i) AS r, "
        "count(*) OVER (PARTITION BY cbo) AS c FROM v WHERE i IS NOT NULL) WHERE r IN ((c + 1) / 2, (c + 2) / 2) "
        "GROUP BY cbo UNION ALL SELECT NULL, avg(w) FROM (SELECT w, row_number() OVER (ORDER BY w) AS r, "
        "count(*) OVER () AS c FROM v) WHERE r IN ((c + 1) / 2, (c + 2) / 2) UNION ALL SELECT NULL, avg(i) FROM "
        "(SELECT i, row_number() OVER (ORDER BY i) AS r, count(*) OVER () AS c FROM v WHERE i IS NOT NULL) "
        "WHERE r IN ((c + 1) / 2, (c + 2) / 2)",
        "SELECT p.cbo_id, count(*), total(m.present) FROM attendance m JOIN sessions s ON s.id = m.session_id "
        "JOIN after_school a ON a.id = m.enrolment_id JOIN participants p ON p.id = a.participant_id "
        f"WHERE m.deleted = 0 AND s.held = 1 AND s.deleted = 0 AND a.deleted = 0 AND {people} GROUP BY p.cbo_id",
        "SELECT v.cbo_id, count(*), total((SELECT total(h.hours) FROM volunteer_hours h WHERE h.volunteer_id = v.id "
        "AND h.deleted = 0)) FROM volunteers v WHERE v.deleted = 0 GROUP BY v.cbo_id",
    )


def fig_due_list(path: Path, n: int, runs: int) -> list[Figure]:
    from fieldtui.core.store import Store

    out = []
    with Store.open_readonly(path) as store:
        conn = raw(path)
        cbo = conn.execute("SELECT id FROM cbos ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
        for label, kwargs in (("all CBOs", {}), ("one CBO", {"cbo_id": cbo})):
            def ours(kwargs: dict = kwargs) -> None:
                store.followups_due_page(limit=100, today=TODAY, **kwargs)
                store.followups_due_count(limit=10_000, today=TODAY, **kwargs)

            def base(kwargs: dict = kwargs) -> None:
                extra = {"today": TODAY.isoformat()}
                page, count = BEST_DUE_PAGE, BEST_DUE_COUNT
                if kwargs:
                    page, count = (q.replace("p.deleted = 0", "p.deleted = 0 AND p.cbo_id = :cbo")
                                   for q in (page, count))
                    extra["cbo"] = cbo
                conn.execute(page, extra).fetchall()
                conn.execute(count, extra).fetchone()

            ours_runs, base_runs = paired(ours, base, runs, warm=True)
            out.append(Figure(f"follow-ups due list, {label}: first page + count", n, ours_runs, base_runs,
                              at_most(0.4, "≤ 0.4 s, flat in N"),
                              note="page of 100 + count capped at 10,000; baseline: the same page and count by hand"))
        first = store.followups_due_page(limit=100, today=TODAY)
        after = (first[-1]["_sort"], first[-1]["id"])
        value = repeated(lambda: store.followups_due_page(limit=100, today=TODAY, after=after), runs, warm=True)
        out.append(Figure("follow-ups due list: next page (keyset)", n, value, target=at_most(0.05, "≤ 50 ms")))
        conn.close()
    return out


def fig_summary_outcomes(path: Path, n: int, runs: int) -> list[Figure]:
    from fieldtui.core import summary
    from fieldtui.core.store import Store

    out = []
    with Store.open_readonly(path) as store:
        conn = raw(path)
        cbo = conn.execute("SELECT id FROM cbos ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
        cases = (("no filter", summary.Filters(), "", {}),
                 ("one CBO and a quarter", summary.Filters(cbo_id=cbo, date_from=QUARTER[0], date_to=QUARTER[1]),
                  " AND p.cbo_id = :cbo AND p.registered_on BETWEEN :from AND :to",
                  {"cbo": cbo, "from": QUARTER[0].isoformat(), "to": QUARTER[1].isoformat()}))
        for label, filters, where, params in cases:
            queries = best_outcomes_sql(where)
            bound = {**params, "today": TODAY.isoformat()}
            ours_runs, base_runs = paired(lambda filters=filters: summary.compute(store, filters),
                                          lambda queries=queries, bound=bound: [
                                              conn.execute(q, {k: v for k, v in bound.items() if f":{k}" in q})
                                              .fetchall() for q in queries], runs)
            out.append(Figure(f"summary with outcomes and breakdowns, {label}", n, ours_runs, base_runs,
                              times(1.5, "best SQL"),
                              note="retention 3/6/12, medians, attendance, volunteers, 4 breakdowns"))
        conn.close()
    return out


def figures(path: Path, n: int, runs: int, summary: bool = True) -> list[Figure]:
    """The due list's figures, and unless `summary` is False the summary's (~70 s a run at 1M
    with its baseline: `make bench` runs them up to 100,000 people, this module at 1M)."""
    return fig_due_list(path, n, runs) + (fig_summary_outcomes(path, n, runs) if summary else [])


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import cached

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    found = []
    for n in (int(s) for s in args.sizes.split(",")):
        found += figures(cached(n), n, args.runs)
    print_table(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
