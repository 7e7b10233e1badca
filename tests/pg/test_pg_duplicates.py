"""A 'same person' decision travels to a PostgreSQL HQ and is applied again there, in any order,
as at an SQLite HQ: the person counts once, and an enrolment added elsewhere moves to them."""

from __future__ import annotations

from fieldtui.core import duplicates, exchange, summary
from fieldtui.core.pg.connect import opened
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.store import Store
from tests.core.test_duplicates import _save
from tests.core.test_exchange import clone
from tests.core.test_store import make_cbo, trainee
from tests.pg.conftest import new_database


def test_a_same_decision_is_applied_at_a_postgresql_hq_in_any_order(tmp_path, pg_cluster):
    a_path = tmp_path / "a.db"
    with Store.open(a_path, create=True) as s:
        first, second = make_cbo(s, "Bright Angel Fund"), make_cbo(s, "Xin Zhi Guan")
        x = _save(s, first, "王小二", 1992)
        y = _save(s, second, "王小二", 1993)
    b_path = clone(a_path, tmp_path / "b.db")
    with Store.open(a_path) as s:
        duplicates.decide(s, x, y, "same")
    with Store.open(b_path) as s:  # B, not knowing, enrols the merged-away person again
        s.save_enrolment_of(max(x, y), trainee(second).training)
    ea, eb = tmp_path / "a-export.db", tmp_path / "b-export.db"
    exchange.export(a_path, ea)
    exchange.export(b_path, eb)
    results = []
    for i, order in enumerate(((ea, eb), (eb, ea))):
        hq, url = tmp_path / f"hq-{i}.db", new_database(pg_cluster)
        assert not exchange.merge(hq, list(order)).refused
        assert not pg_merge(url, list(order)).refused
        with opened(url) as pg_hq, Store.open_readonly(hq) as store:
            figures = summary.compute(pg_hq, duplicates_too=True).to_json()
            assert figures == summary.compute(store, duplicates_too=True).to_json()
            live = pg_hq.conn.execute("SELECT count(*) FROM trainings WHERE participant_id = ? AND deleted = 0",
                                      (min(x, y),)).fetchone()[0]
            kept = pg_hq.conn.execute("SELECT deleted, merged_into FROM participants WHERE id = ?",
                                      (max(x, y),)).fetchone()
        results.append((figures["direct_beneficiaries"], figures["trainees"], live, tuple(kept)))
    assert results[0] == results[1] == (1, 1, 3, (1, min(x, y)))
