"""Job follow-ups on real files: when a check comes due, the due list, recording, retention, medians."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core import clock, summary
from fieldtui.core.models import Followup, Placement, RecordInvalid, validate
from fieldtui.core.schedule import add_months, due_on, last_start_due_by
from fieldtui.core.store import Store
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import make_cbo, trainee


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        yield s


def freeze(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def placed(store: Store, cbo_id: str, name: str, start: str, wage: float, income: float | None = 900.0,
           **person) -> Placement:
    record = trainee(cbo_id, name, **person)
    record.training.income_before_cny = income
    saved = store.save_trainee(record)
    return store.save_placement(validate(Placement, dict(
        training_id=saved.training.id, employer="海底捞", job_title="服务员", start_date=start, wage_cny=wage)))


def check(store: Store, placement: Placement, months: int, employed: bool, on: str | None = None,
          wage: float | None = 2000.0) -> Followup:
    on = on or due_on(placement.start_date, months).isoformat()
    return store.save_followup(validate(Followup, dict(
        placement_id=placement.id, due_month=months, checked_on=on, employed=employed, same_employer=employed,
        wage_cny=wage if employed else None, reason=None if employed else "quit")))


def test_due_dates_keep_the_day_or_take_the_months_last():
    assert due_on(dt.date(2010, 7, 15), 3) == dt.date(2010, 10, 15)
    assert due_on(dt.date(2009, 11, 30), 3) == dt.date(2010, 2, 28)  # SQLite alone would say 2 March
    assert due_on(dt.date(2011, 8, 31), 6) == dt.date(2012, 2, 29)
    assert add_months(dt.date(2010, 1, 31), 12) == dt.date(2011, 1, 31)
    for day in (dt.date(2010, 2, 28), dt.date(2010, 3, 31), dt.date(2012, 2, 29)):
        for n in (3, 6, 12):
            last = last_start_due_by(day, n)
            assert due_on(last, n) <= day < due_on(last + dt.timedelta(days=1), n)


def test_a_check_becomes_due_on_its_day_and_overdue_after_the_grace(store, monkeypatch):
    cbo = make_cbo(store)
    p = placed(store, cbo, "王一", "2010-11-30", 1800)
    due = due_on(p.start_date, 3)  # 2011-02-28
    assert due == dt.date(2011, 2, 28)

    def listed(day: dt.date) -> list[tuple[int, str]]:
        freeze(monkeypatch, day)
        return [(r["due_month"], r["status"]) for r in store.followups_due_page()]

    assert listed(due - dt.timedelta(days=1)) == []
    assert listed(due) == [(3, "due")]
    assert store.followups_due_count() == 1
    assert listed(due + dt.timedelta(days=30)) == [(3, "due")]
    assert listed(due + dt.timedelta(days=31)) == [(3, "overdue")]
    assert listed(due_on(p.start_date, 6)) == [(6, "due"), (3, "overdue")]  # the most recently due first
    with Store.open_readonly(store.path) as ro:
        freeze(monkeypatch, due + dt.timedelta(days=31))
        figures = summary.compute(ro)
        assert (figures.followups_due, figures.followups_overdue) == (0, 1)
        freeze(monkeypatch, due)
        assert summary.compute(ro).followups_due == 1


def test_recording_a_check_takes_it_off_the_list_and_a_second_is_refused(store, monkeypatch):
    cbo = make_cbo(store)
    p = placed(store, cbo, "王二", "2010-06-15", 1800)
    freeze(monkeypatch, dt.date(2011, 8, 1))
    assert [r["due_month"] for r in store.followups_due_page()] == [12, 6, 3]
    check(store, p, 6, employed=True)
    assert [r["due_month"] for r in store.followups_due_page()] == [12, 3]
    with pytest.raises(RecordInvalid, match="already recorded"):
        check(store, p, 6, employed=False)
    with pytest.raises(RecordInvalid, match="too early"):  # the 12-month check, six months on
        check(store, p, 12, employed=True, on="2010-12-20")
    store.delete("placements", p.id)
    assert store.followups_due_page() == []
    assert [r[0] for r in store.conn.execute("SELECT deleted FROM followups")] == [1]
    store.restore("placements", p.id)  # brings its follow-up back with it
    assert [r[0] for r in store.conn.execute("SELECT deleted FROM followups")] == [0]


def test_a_followup_says_why_not_when_out_of_work():
    with pytest.raises(RecordInvalid) as info:
        validate(Followup, dict(placement_id="x", due_month="6", checked_on="2010-01-01", employed=False))
    assert "reason" in info.value.errors
    with pytest.raises(RecordInvalid) as info:
        validate(Followup, dict(placement_id="x", due_month="6", checked_on="2010-01-01", employed=True))
    assert "wage_cny" in info.value.errors
    with pytest.raises(RecordInvalid) as info:
        validate(Followup, dict(placement_id="x", due_month="5", checked_on="2010-01-01", employed=True, wage_cny=1))
    assert "due_month" in info.value.errors


def test_the_due_list_pages_by_keyset_without_gaps_or_repeats(store, monkeypatch):
    cbo = make_cbo(store)
    other = make_cbo(store, "Xin Zhi Guan")
    for i in range(40):
        day = dt.date(2010, 6, 11) + dt.timedelta(days=7 * (i % 20) + (i % 3))
        placed(store, other if i % 4 == 0 else cbo, f"张{i:02d}", day.isoformat(), 1500 + i, phone=None)
    freeze(monkeypatch, dt.date(2011, 5, 1))
    everything = store.followups_due_page(limit=1000)
    assert len(everything) == store.followups_due_count()
    key = [(r["due_on"], r["placement_start"], r["placement_id"], r["due_month"]) for r in everything]
    assert key == sorted(key, reverse=True)
    for cbo_id in (None, cbo):
        seen, after = [], None
        while page := store.followups_due_page(cbo_id=cbo_id, after=after, limit=7):
            seen += [r["id"] for r in page]
            after = (page[-1]["_sort"], page[-1]["id"])
        assert seen == [r["id"] for r in everything if cbo_id in (None, r["cbo_id"])]
        assert store.followups_due_count(cbo_id=cbo_id) == len(seen)
    assert store.followups_due_count(limit=10) == 11  # capped: "10+"


def test_retention_and_medians_on_a_hand_made_file(store, monkeypatch):
    cbo = make_cbo(store)
    a = placed(store, cbo, "甲", "2010-06-10", 2000, income=800)
    b = placed(store, cbo, "乙", "2010-06-10", 2400, income=1000)
    placed(store, cbo, "丙", "2010-06-10", 1600, income=None)  # no income recorded
    d = placed(store, cbo, "丁", "2011-03-20", 3000, income=1200)  # its 6-month check has not come
    store.save_placement(a.model_copy(update={"id": None, "start_date": dt.date(2010, 8, 1), "wage_cny": 2600}))
    check(store, a, 3, employed=True)
    check(store, b, 3, employed=False)
    check(store, a, 6, employed=True)
    check(store, b, 6, employed=True)
    check(store, d, 3, employed=True)
    freeze(monkeypatch, dt.date(2011, 9, 10))
    with Store.open_readonly(store.path) as ro:
        s = summary.compute(ro)
    # Placements, not people: a's second job (from 2010-08-01) has its own checks, none recorded.
    # 3 months: a, a2, b, c, d have come; a and d employed: 2 of 5. 6 months: a, a2, b, c: 2 of 4.
    assert (s.retention_3m, s.retention_6m, s.retention_12m) == (0.4, 0.5, 0.0)
    assert (s.cbos[0].reached_6m, s.cbos[0].retained_6m) == (4, 2)
    # A person once, with their latest job: wages 2600 (a's second), 2400, 1600, 3000 -> 2500;
    # incomes before training 800, 1000, 1200 (c recorded none) -> 1000.
    assert (s.median_income_before_cny, s.median_wage_after_cny, s.income_change_cny) == (1000, 2500, 1500)
    figures = s.to_json()
    assert figures["cbos"][0]["median_wage_after_cny"] == 2500 and figures["cbos"][0]["retention_6m"] == 0.5
    # Not recorded: a2's 3 and 6, c's 3 and 6, the 12-month checks of a, a2, b, c: all past the grace.
    assert (figures["followups_due"], figures["followups_overdue"]) == (0, 8)
    assert store.followups_due_count() == 8


def test_a_wage_or_income_typed_as_text_with_the_sqlite3_cli_is_left_out_of_the_medians(store):
    """Text put in a number column outside the app (the sqlite3 CLI) is no wage and no income: left
    out of the medians, not sorted above every number, and the summary still comes (it raised a
    TypeError when the medians were first computed in Python)."""
    cbo = make_cbo(store)
    placed(store, cbo, "甲", "2010-06-10", 1000, income=800)
    placed(store, cbo, "乙", "2010-06-10", 2000, income=1000)
    odd = placed(store, cbo, "丙", "2010-06-10", 1500, income=900)
    sqlite3_cli(store.path, f"UPDATE placements SET wage_cny = 'lots' WHERE id = '{odd.id}'; "
                            f"UPDATE trainings SET income_before_cny = 'unknown' WHERE id = '{odd.training_id}';")
    s = summary.compute(store)
    assert (s.median_wage_after_cny, s.median_income_before_cny) == (1500, 900)
    assert (s.cbos[0].median_wage_after_cny, s.cbos[0].median_income_before_cny) == (1500, 900)
    assert s.cbos[0].trainees_placed == 3  # still placed: only the wage is unknown


@pytest.mark.parametrize("wages", [(2000, 3000), (3000, 2000)])
def test_two_placements_on_one_day_give_the_later_ids_wage_whatever_order_rows_are_read(store, wages):
    """A person's latest placement decides their wage after; two on the same day: the one with the
    later id (as on PostgreSQL, core/summary/outcomes.py), never whichever row is read first."""
    cbo = make_cbo(store)
    first = placed(store, cbo, "甲", "2010-06-10", wages[0])
    second = store.save_placement(first.model_copy(update={"id": None, "wage_cny": wages[1]}))
    later = max((first, second), key=lambda p: p.id)
    assert summary.compute(store).median_wage_after_cny == later.wage_cny
    # the rows stored the other way round, as a merge of two files in the other order stores them
    with store.transaction():
        store.conn.execute("UPDATE placements SET rowid = rowid + 1000 WHERE id = ?", (min(first.id, second.id),))
    assert summary.compute(store).median_wage_after_cny == later.wage_cny
