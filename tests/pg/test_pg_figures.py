"""Every figure of the summary on both engines over the sample's export: without filters, per
CBO, per city, over a date range, the headline alone, and with a CBO removed after the merge."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.pg.connect import opened
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.store import Store
from tests.conftest import SAMPLE_DB
from tests.pg.conftest import new_database


@pytest.fixture(scope="module")
def both(pg_cluster, tmp_path_factory):
    """The sample's export merged into a new SQLite HQ and into PostgreSQL."""
    work = tmp_path_factory.mktemp("figures")
    export = work / "sample-export.db"
    exchange.export(SAMPLE_DB, export)
    hq, url = work / "hq.db", new_database(pg_cluster)
    assert not exchange.merge(hq, [export]).refused
    assert not pg_merge(url, [export]).refused
    return hq, url


FILTERS = {
    "none": summary.Filters(),
    "city": summary.Filters(city="beijing"),
    "dates": summary.Filters(date_from=dt.date(2009, 1, 1), date_to=dt.date(2009, 12, 31)),
    "from only": summary.Filters(date_from=dt.date(2010, 6, 1)),
}


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("outcomes_too", [True, False])
def test_every_figure_is_the_same_on_both_engines(both, name, outcomes_too):
    hq, url = both
    with Store.open_readonly(hq) as store:
        lite = summary.compute(store, FILTERS[name], outcomes_too=outcomes_too, duplicates_too=True).to_json()
        cbos = [r[0] for r in store.conn.execute("SELECT id FROM cbos ORDER BY id")]
    with opened(url) as pg_hq:
        pg = summary.compute(pg_hq, FILTERS[name], outcomes_too=outcomes_too, duplicates_too=True).to_json()
        assert pg == lite
        for cbo in cbos if (name, outcomes_too) == ("none", True) else ():  # and per CBO, once
            one = summary.Filters(cbo_id=summary.resolve_cbo(pg_hq, cbo))
            with Store.open_readonly(hq) as store:
                assert summary.compute(pg_hq, one).to_json() == summary.compute(store, one).to_json()
            assert summary.uncounted(pg_hq) == []
