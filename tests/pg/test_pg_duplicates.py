"""A 'same person' decision travels to a PostgreSQL HQ and is applied again there, in any order,
as at an SQLite HQ: the person counts once, and an enrolment added elsewhere moves to them."""

from __future__ import annotations

from fieldtui.core import exchange, summary
from fieldtui.core.pg.connect import opened
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.store import Store
from tests.core.test_duplicates import same_decision_exports
from tests.pg.conftest import new_database


def test_a_same_decision_is_applied_at_a_postgresql_hq_in_any_order(tmp_path, pg_cluster):
    ea, eb, x, y = same_decision_exports(tmp_path)
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
