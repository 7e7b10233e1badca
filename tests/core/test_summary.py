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
