"""The aggregates behind the summary charts: registrations per period, income vs wage, filter choices."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from fieldtui.core import charts, summary
from fieldtui.core.store import Store
from tests.conftest import SAMPLE_DB


@pytest.fixture(scope="module")
def store():
    with Store.open_readonly(SAMPLE_DB) as s:
        yield s


def plain_count(where: str = "1", params: tuple = ()) -> int:
    with sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True) as conn:
        return conn.execute(f"SELECT count(*) FROM participants WHERE deleted = 0 AND {where}", params).fetchone()[0]


def test_registrations_per_quarter_cover_everyone_in_order(store):
    rows = charts.registrations(store)
    assert [r.period for r in rows][:3] == ["2008Q3", "2008Q4", "2009Q1"]
    assert rows[-1].period == "2011Q3"
    assert len(rows) == 13  # 2008Q3 .. 2011Q3, none skipped
    assert sum(r.registrations for r in rows) == 8231
    q1 = next(r for r in rows if r.period == "2010Q1")
    assert q1.registrations == plain_count("registered_on BETWEEN '2010-01-01' AND '2010-03-31'")


def test_registrations_per_month_fill_gaps_and_follow_filters(store):
    months = charts.registrations(store, by="month")
    assert months[0].period == "2008-09" and months[-1].period == "2011-08"
    assert len(months) == 36 and sum(m.registrations for m in months) == 8231
    only = charts.registrations(store, summary.Filters(date_from=dt.date(2010, 12, 1), date_to=dt.date(2011, 1, 31)),
                                 by="month")
    assert [m.period for m in only] == ["2010-12", "2011-01"]
    with pytest.raises(ValueError):
        charts.registrations(store, by="week")


def test_registrations_agree_with_compute_for_a_cbo(store):
    cbo_id = summary.resolve_cbo(store, "Bright Angel Fund")
    filters = summary.Filters(cbo_id=cbo_id)
    assert sum(r.registrations for r in charts.registrations(store, filters)) == \
        summary.compute(store, filters).direct_beneficiaries == 200


def test_income_vs_wage_per_cbo(store):
    rows = charts.income_vs_wage(store)
    assert [r.name for r in rows] == ["China Children and Teenagers' Fund", "Compassion for Migrant Children",
                                      "Xin Zhi Guan", "Bright Angel Fund"]
    total = summary.compute(store)
    assert sum(r.placed for r in rows) == total.trainees_placed
    for r in rows:
        assert r.income_before_cny is not None and r.wage_cny is not None
        assert r.wage_cny > r.income_before_cny  # placement raised income, as the report says


def test_empty_selection_gives_empty_charts_not_errors(store):
    nothing = summary.Filters(date_from=dt.date(2001, 1, 1), date_to=dt.date(2001, 12, 31))
    assert charts.registrations(store, nothing) == []
    assert charts.income_vs_wage(store, nothing) == []
    assert summary.compute(store, nothing).is_empty


def test_choices_list_cbos_cities_and_quarters(store):
    cbos, cities, quarters = charts.choices(store)
    assert cbos[0][1] == "China Children and Teenagers' Fund"
    assert cities == ["Beijing"]
    assert quarters[0] == "2008Q3" and quarters[-1] == "2011Q3" and len(quarters) == 13


def test_choices_on_an_empty_file(tmp_path):
    with Store.open(tmp_path / "new.db", create=True) as s:
        assert charts.choices(s) == ([], [], [])
        assert charts.registrations(s) == [] and charts.income_vs_wage(s) == []


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2010Q1", dt.date(2010, 1, 1), dt.date(2010, 3, 31)),
    ("2008q3", dt.date(2008, 7, 1), dt.date(2008, 9, 30)),
    ("2011-Q4", dt.date(2011, 10, 1), dt.date(2011, 12, 31)),
    ("2012 Q1", dt.date(2012, 1, 1), dt.date(2012, 3, 31)),
])
def test_quarter_range(text, first, last):
    assert charts.quarter_range(text) == (first, last)


@pytest.mark.parametrize("text", ["2010Q5", "2010Q0", "10Q1", "2010", "Q1 2010", ""])
def test_quarter_range_refuses_what_is_not_a_quarter(text):
    with pytest.raises(ValueError, match="not a quarter"):
        charts.quarter_range(text)
