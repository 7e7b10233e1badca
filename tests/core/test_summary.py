"""The donor's figures from sample.db, filters, and an empty selection without division errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fieldtui.core import summary
from fieldtui.core.store import Store
from tests.conftest import SAMPLE_DB
from tools import sample

DONOR = {
    "direct_beneficiaries": 8231,
    "indirect_beneficiaries": 20985,
    "trainees": 4395,
    "after_school_children": 1758,
    "grant_usd": 1087406,
    "cost_per_life_usd": 132.11,
    "sii_mean": 52.7,
    "target_direct": 9100,
}
PROJECTS = {  # name: (lives changed, grant, SII, cost per life)
    "China Children and Teenagers' Fund": (3174, 467400, 57.0, 147.26),
    "Compassion for Migrant Children": (2207, 208490, 54.0, 94.47),
    "Xin Zhi Guan": (2650, 306516, 50.4, 115.67),
    "Bright Angel Fund": (200, 105000, 49.4, 525.00),
}


def check_donor_figures(figures: dict) -> None:
    for key, value in DONOR.items():
        assert figures[key] == value, key
    assert round(figures["progress"] * 100) == 90
    assert figures["trainees_placed"] > figures["trainees"] / 2  # "most of whom" found jobs
    assert figures["placement_rate"] == round(figures["trainees_placed"] / figures["trainees"], 4)
    got = {c["name"]: (c["direct_beneficiaries"], c["grant_usd"], c["sii"], c["cost_per_life_usd"])
           for c in figures["cbos"]}
    assert got == PROJECTS


def test_sample_db_reproduces_the_report():
    with Store.open_readonly(SAMPLE_DB) as store:
        check_donor_figures(summary.compute(store).to_json())


def test_rebuilt_sample_gives_the_same_figures(tmp_path):
    path = sample.build(tmp_path / "rebuilt.db")
    with Store.open_readonly(path) as store:
        rebuilt = summary.compute(store).to_json()
    check_donor_figures(rebuilt)
    with Store.open_readonly(SAMPLE_DB) as store:
        committed = summary.compute(store).to_json()
    strip = lambda f: json.dumps(f, sort_keys=True)  # noqa: E731
    assert strip(rebuilt) == strip(committed)


def test_filter_by_one_cbo_gives_its_row():
    with Store.open_readonly(SAMPLE_DB) as store:
        cbo_id = summary.resolve_cbo(store, "xin zhi guan")
        result = summary.compute(store, summary.Filters(cbo_id=cbo_id)).to_json()
    assert [c["name"] for c in result["cbos"]] == ["Xin Zhi Guan"]
    assert (result["direct_beneficiaries"], result["grant_usd"], result["cost_per_life_usd"], result["sii_mean"]) \
        == (2650, 306516, 115.67, 50.4)


def test_date_range_without_data_is_zero_not_an_error():
    with Store.open_readonly(SAMPLE_DB) as store:
        result = summary.compute(store, summary.Filters(date_from=dt.date(2001, 1, 1), date_to=dt.date(2001, 12, 31)))
    assert result.is_empty
    figures = result.to_json()
    assert figures["direct_beneficiaries"] == 0 and figures["cost_per_life_usd"] is None
    assert figures["placement_rate"] is None and figures["progress"] == 0.0


def test_date_range_and_city_narrow_people():
    with Store.open_readonly(SAMPLE_DB) as store:
        year = summary.compute(store, summary.Filters(date_from=dt.date(2009, 1, 1), date_to=dt.date(2009, 12, 31)))
        whole = summary.compute(store)
        nowhere = summary.compute(store, summary.Filters(city="Shanghai"))
    assert 0 < year.direct_beneficiaries < whole.direct_beneficiaries
    assert nowhere.cbos == [] and nowhere.direct_beneficiaries == 0 and nowhere.sii_mean is None


def test_unknown_cbo_name_is_a_clear_error():
    with Store.open_readonly(SAMPLE_DB) as store, pytest.raises(Exception, match="no CBO called Nobody"):
        summary.resolve_cbo(store, "Nobody")


def test_sample_db_has_the_outcome_figures_and_every_breakdown_sums_to_its_total():
    with Store.open_readonly(SAMPLE_DB) as store:
        figures = summary.compute(store).to_json()
    for key in ("followups_due", "followups_overdue", "retention_3m", "retention_6m", "retention_12m",
                "median_income_before_cny", "median_wage_after_cny", "attendance_rate", "volunteers",
                "volunteer_hours"):
        assert figures[key] is not None, key
        assert all(key in c for c in figures["cbos"]), key
    assert 0 < figures["retention_12m"] < figures["retention_6m"] < figures["retention_3m"] < 1
    assert figures["median_wage_after_cny"] > figures["median_income_before_cny"]
    assert figures["volunteers"] > 0 and figures["volunteer_hours"] > 0  # and yet the donor's figures:
    check_donor_figures(figures)
    assert set(figures["breakdowns"]) == {"sex", "age_band", "origin", "province"}
    for dimension, groups in figures["breakdowns"].items():
        for key in ("direct_beneficiaries", "trainees", "trainees_placed", "after_school_children"):
            assert sum(g[key] for g in groups.values()) == figures[key], (dimension, key)
    assert list(figures["breakdowns"]["age_band"]) == ["0-13", "14-17", "18-24", "25-44", "45+"]


def test_both_shapes_of_the_query_give_the_same_figures():
    """A date range that keeps everyone walks people one by one; no filter reads tables whole."""
    with Store.open_readonly(SAMPLE_DB) as store:
        whole = summary.compute(store).to_json()
        walked = summary.compute(store, summary.Filters(date_from=dt.date(2000, 1, 1))).to_json()
    for figures in (whole, walked, *whole["cbos"], *walked["cbos"]):  # cost per life: whole period only
        for key in ("filters", "cost_per_life_usd", "cost_per_life_note"):
            figures.pop(key, None)
    assert walked == whole


def test_age_band_is_the_age_at_registration(tmp_path):
    from fieldtui.core.models import ParticipantRecord, validate
    from tests.core.test_store import make_cbo

    with Store.open(tmp_path / "f.db", create=True) as store:
        cbo = make_cbo(store)
        for name, birth_date, birth_year in (("满十四", "1996-03-01", 1996), ("差一天", "1996-03-02", 1996),
                                             ("只知年", None, 1996), ("四十五", "1965-03-01", 1965)):
            store.save_participant(validate(ParticipantRecord, dict(
                participant=dict(cbo_id=cbo, full_name=name, gender="female", birth_year=birth_year,
                                 birth_date=birth_date, province="河南", origin="city_raised",
                                 registered_on="2010-03-01", registered_by="x"),
                programme=dict(programme="other", start_date="2010-03-01"))))
        bands = {k: g.direct_beneficiaries for k, g in summary.compute(store).breakdowns["age_band"].items()}
    # 14 on the birthday; 13 the day before; a birth year alone counts from 1 July (13 in March)
    assert bands == {"0-13": 2, "14-17": 1, "45+": 1}
