"""Every figure of the summary on both engines over the sample's export: without filters, per
CBO, per city, over a date range, the headline alone, and with a CBO removed after the merge."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.pg.connect import opened
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.report import write_report
from fieldtui.core.store import Store
from tests.conftest import SAMPLE_DB
from tests.core.test_beneficiary_rule import two_laptops_each_removing_one_programme
from tests.core.test_merge_marks_rules import MARKS_REMOVED_HERE_ADDED_THERE, marks_removed_here_added_there
from tests.core.test_merge_rules import REMOVED_HERE_ADDED_THERE, edited_with_sqlite3, removed_here_added_there
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


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=300)


def test_export_table_duplicates_and_report_read_postgresql_as_they_read_a_file(both, tmp_path):
    hq, url = both
    for kind in ("trainees", "children", "placements", "followups", "attendance", "volunteers", "summary"):
        for name, source in (("lite", str(hq)), ("pg", url)):
            done = _cli("export-table", source, str(tmp_path / f"{name}-{kind}.csv"), "--kind", kind)
            assert done.returncode == 0, done.stderr
        assert (tmp_path / f"pg-{kind}.csv").read_bytes() == (tmp_path / f"lite-{kind}.csv").read_bytes(), kind
    lite, pg = (_cli("duplicates", source, "--json") for source in (str(hq), url))
    assert pg.returncode == 0 and json.loads(pg.stdout) == json.loads(lite.stdout)
    assert json.loads(pg.stdout)["count"] > 0
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    pages = []
    for source in (hq, url):
        with (Store.open_readonly(source) if isinstance(source, Path) else opened(source)) as store:
            paths = write_report(store, tmp_path / str(len(pages)), now=now)
        pages.append(paths.html.read_text().split('<footer id="provenance">')[0])  # where from: differs
    assert pages[0] == pages[1]


def test_people_counted_nowhere_are_counted_the_same_on_both_engines(pg_url, tmp_path):
    """Two laptops each removing one of a person's two programmes: both engines count them out of
    the figures, and say so (`uncounted`), by the same SQL."""
    pid, exports = two_laptops_each_removing_one_programme(tmp_path)
    assert not exchange.merge(tmp_path / "hq.db", exports).refused
    assert not pg_merge(pg_url, exports).refused
    with Store.open_readonly(tmp_path / "hq.db") as store, opened(pg_url) as pg_hq:
        for outcomes_too in (True, False):
            lite = summary.compute(store, outcomes_too=outcomes_too).to_json()
            assert summary.compute(pg_hq, outcomes_too=outcomes_too).to_json() == lite
            assert (lite["uncounted"], lite["direct_beneficiaries"]) == (1, 0)
        assert [u["id"] for u in summary.uncounted(pg_hq)] == [pid]


@pytest.mark.parametrize(("copies", "edits", "why"), [
    *((removed_here_added_there, edits, why) for edits, why in REMOVED_HERE_ADDED_THERE),
    *((marks_removed_here_added_there, edits, why) for edits, why in MARKS_REMOVED_HERE_ADDED_THERE)])
def test_a_record_removed_on_one_copy_and_added_to_on_another_reads_alike_in_either_order(
        pg_cluster, tmp_path, copies, edits, why):
    """Both engines let in, in either order, a record added on one copy under one removed on
    another: the same figures as SQLite's, and the same record listed for review."""
    files, added = copies(tmp_path, edits)
    assert not exchange.merge(tmp_path / "hq.db", [files["a"], files["b"]]).refused
    with Store.open_readonly(tmp_path / "hq.db") as store:
        lite = summary.compute(store).to_json()
    for order in ("ab", "ba"):
        url = new_database(pg_cluster)
        report = pg_merge(url, [files[name] for name in order])
        assert not report.refused, [f.reason for f in report.files]
        with opened(url) as pg_hq:
            assert summary.compute(pg_hq).to_json() == lite
        assert [(u["id"], u["why"]) for u in report.uncounted] == [(added, why)]


def _laptop_with_a_cbo(tmp_path: Path, name: str, city: str, grant: int) -> Path:
    """A new laptop's file with one CBO (no SII yet) and one trainee; returns its export."""
    from fieldtui.core.models import CBO, validate
    from tests.core.test_store import trainee

    field = tmp_path / f"{name}-{grant}.db"
    with Store.open(field, create=True) as s:
        cbo = s.save_cbo(validate(CBO, dict(name_zh="新希望", name_en=name, city=city, grant_usd=grant,
                                             target_direct=100))).id
        s.save_trainee(trainee(cbo))
    return exchange.export(field, tmp_path / f"{name}-{grant}-export.db").path


def test_cbos_alike_in_sii_and_name_come_in_one_order_on_both_engines_whatever_the_merge_order(pg_cluster, tmp_path):
    """Two laptops each registered "New Hope" (no SII yet): `cbos[0]` was one CBO on SQLite and
    the other on PostgreSQL, and on either engine it followed the order the files were merged in."""
    files = [_laptop_with_a_cbo(tmp_path, "New Hope", "Beijing", grant) for grant in (10_000, 12_000)]
    orders = []
    for n, merged in enumerate((files, files[::-1])):
        assert not exchange.merge(tmp_path / f"hq{n}.db", merged).refused
        url = new_database(pg_cluster)
        assert not pg_merge(url, merged).refused
        with Store.open_readonly(tmp_path / f"hq{n}.db") as store, opened(url) as pg_hq:
            orders += [[c.id for c in summary.compute(hq).cbos] for hq in (store, pg_hq)]
    assert all(order == orders[0] for order in orders), orders
    assert orders[0] == sorted(orders[0])


def test_a_city_or_cbo_name_with_a_capital_beyond_ascii_is_found_on_both_engines(pg_url, tmp_path):
    """PostgreSQL lowered only ASCII in the columns (COLLATE "C") and every letter of the text
    typed, so --city Ürümqi found no CBO there and one on SQLite; SQLite's lower() is ASCII only,
    so "ürümqi" found none there. Both now match case-insensitively, whatever the letters."""
    export = _laptop_with_a_cbo(tmp_path, "Ürümqi Hope", "Ürümqi", 10_000)
    assert not exchange.merge(tmp_path / "hq.db", [export]).refused
    assert not pg_merge(pg_url, [export]).refused
    with Store.open_readonly(tmp_path / "hq.db") as store, opened(pg_url) as pg_hq:
        for hq in (store, pg_hq):
            for city in ("Ürümqi", "ürümqi", "ÜRÜMQI "):
                assert summary.compute(hq, summary.Filters(city=city)).direct_beneficiaries == 1, (hq, city)
            assert summary.compute(hq, summary.Filters(city="Urumqi")).direct_beneficiaries == 0
            for name in ("Ürümqi Hope", "ürümqi hope"):
                assert summary.resolve_cbo(hq, name) == summary.compute(hq).cbos[0].id


def test_a_field_edited_with_sqlite3_keeps_one_value_and_lists_both_on_postgresql_too(pg_cluster, tmp_path):
    """As on SQLite (test_merge_rules.py): either order keeps the same value and lists both."""
    before, after = edited_with_sqlite3(tmp_path, "one laptop, before and after")
    assert not exchange.merge(tmp_path / "hq.db", [after, before]).refused
    with Store.open_readonly(tmp_path / "hq.db") as store:
        lite = [(c["field"], [(v["value"], v["kept"]) for v in c["versions"]]) for c in exchange.conflicts(store)]
    assert len(lite) == 1
    for order in ([before, after], [after, before]):
        url = new_database(pg_cluster)
        assert not pg_merge(url, order).refused
        with opened(url) as pg_hq:
            listed = [(c["field"], [(v["value"], v["kept"]) for v in c["versions"]]) for c in exchange.conflicts(pg_hq)]
        assert listed == lite
