"""One child's mark at a session and one check of a job placement are kept once at headquarters,
even when two laptops set up from one file (copied with cp) each recorded it: the merge folds
the two rows into one, keeps every differing value as a conflict for a person to choose, and
counts the child and the job once, whatever the order of the files. And a check edited by hand
to a day long before it was due is refused, as the form refuses it."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.models import Followup, Placement, validate
from fieldtui.core.store import RECORD_TABLES, Store
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_exchange import clone, reseal
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import make_cbo, trainee


def _check(placement: str, employed: bool) -> Followup:
    outcome = dict(wage_cny=2000, same_employer=True) if employed else dict(reason="quit")
    return validate(Followup, dict(placement_id=placement, due_month=3, checked_on="2010-09-02", employed=employed,
                                   **outcome))


@pytest.fixture
def twice(tmp_path) -> tuple[list[Path], dict[str, str]]:
    """Laptop A and its copy B: each marks the same child at the same session (A present, B
    absent) and records the placement's 3-month check (A: still employed; B: quit). Exported."""
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        kid, day = child(s, cbo, "小红"), session(s, cbo, "2011-03-02")
        job = s.save_trainee(trainee(cbo))
        placement = s.save_placement(validate(Placement, dict(training_id=job.training.id, employer="海底捞",
                                                              job_title="服务员", start_date="2010-06-01",
                                                              wage_cny=1800)))
    b = clone(a, tmp_path / "b.db")
    for laptop, present in ((a, True), (b, False)):
        with Store.open(laptop) as s:
            s.mark(day, kid, present)
            s.save_followup(_check(placement.id, employed=present))
    files = [tmp_path / "a-export.db", tmp_path / "b-export.db"]
    for laptop, out in zip((a, b), files, strict=True):
        exchange.export(laptop, out)
    return files, {"session": day, "kid": kid, "placement": placement.id}


def _live(hq: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(hq)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} WHERE deleted = 0 ORDER BY id").fetchall() for t in RECORD_TABLES}
    finally:
        conn.close()


def test_a_mark_and_a_check_recorded_on_two_laptops_are_counted_once(tmp_path, twice):
    files, _ids = twice
    hq = tmp_path / "hq.db"
    report = exchange.merge(hq, files)
    assert all(f.accepted for f in report.files), [f.reason for f in report.files]
    live = _live(hq)
    assert len(live["attendance"]) == 1 and len(live["followups"]) == 1
    said = report.files[1].tables  # the second file's report says what the fold did
    assert [(said[t].deleted, said[t].conflicts) for t in ("attendance", "followups")] == [(1, 1), (1, 1)]
    with Store.open_readonly(hq) as s:
        figures = summary.compute(s)
        found = exchange.conflicts(s)
        listed = {(c["tbl"], c["field"]): sorted(str(v["value"]) for v in c["versions"]) for c in found}
    # Who each is about, so a coordinator knows whose mark and whose job to ask about.
    assert {(c["tbl"], c["person"]) for c in found} == {("attendance", "小红"), ("followups", "王建国")}
    assert figures.cbos[0].marked == 1  # the child is one child at that session, not two
    # Each differing value is kept for a person to choose, none lost.
    assert listed[("attendance", "present")] == ["0", "1"]
    assert listed[("followups", "employed")] == ["0", "1"]
    assert listed[("followups", "wage_cny")] == ["2000.0", "None"]


def test_any_order_of_the_files_gives_the_same_rows_and_merging_again_changes_nothing(tmp_path, twice):
    files, _ids = twice
    one, other = tmp_path / "hq-ab.db", tmp_path / "hq-ba.db"
    exchange.merge(one, files)
    exchange.merge(other, files[::-1])
    assert _live(one) == _live(other)
    with Store.open_readonly(one) as s, Store.open_readonly(other) as t:
        assert [c["versions"] for c in exchange.conflicts(s)] == [c["versions"] for c in exchange.conflicts(t)]
    before = _live(one)
    exchange.merge(one, files)
    assert _live(one) == before


def test_the_check_chosen_whole_is_taken_and_the_figures_follow(tmp_path, twice):
    files, _ids = twice
    hq = tmp_path / "hq.db"
    exchange.merge(hq, files)
    with Store.open(hq) as s:
        kept = next(c for c in exchange.conflicts(s) if c["tbl"] == "followups")
        older = kept["versions"][1]["stamp"]  # A's "still employed", not the one shown meanwhile
        exchange.resolve_conflict(s, kept["row_id"], take=older[:23])
        assert not [c for c in exchange.conflicts(s) if c["tbl"] == "followups"]
    with Store.open_readonly(hq) as s:
        assert summary.compute(s).retention_3m == 1.0


@pytest.mark.skipif(shutil.which("sqlite3") is None and not os.environ.get("CI"), reason="needs the sqlite3 CLI")
def test_a_check_moved_to_the_jobs_first_day_with_the_sqlite3_program_is_refused(tmp_path, twice):
    # A 3-month check dated the day the job started would count as a job kept three months on:
    # the form refuses it, and so does the merge.
    files, _ids = twice
    bad = files[0]
    sqlite3_cli(bad, "UPDATE followups SET checked_on = '2010-06-01'")
    reseal(bad)
    hq = tmp_path / "hq.db"
    with Store.open(hq, create=True):
        pass
    before = hq.read_bytes()
    (result,) = exchange.merge(hq, [bad]).files
    assert not result.accepted
    assert "followups row" in result.reason and "too early for this check" in result.reason, result.reason
    assert hq.read_bytes() == before


def test_twins_one_of_them_with_a_stamp_fieldtui_did_not_write_merge_without_stopping(tmp_path, twice):
    # A mark's time stamp edited by hand to text that starts with a date (what the check asks
    # of a stamp) but is no time: folding its twin must not stop the merge.
    files, _ids = twice
    conn = sqlite3.connect(files[1])
    conn.execute("UPDATE attendance SET updated_at = substr(created_at, 1, 11) || 'zz'")
    conn.commit()
    conn.close()
    reseal(files[1])
    report = exchange.merge(tmp_path / "hq.db", files)
    assert all(f.accepted for f in report.files), [f.reason for f in report.files]
    assert len(_live(tmp_path / "hq.db")["attendance"]) == 1


def test_a_later_correction_of_the_folded_away_twin_reaches_the_record_kept(tmp_path, twice):
    """The laptop whose 3-month check was folded away does not know of the fold: its
    coordinator corrects the check a week later (the trainee had not quit: still employed at
    2,345 yuan) and sends the file again. Headquarters shows the correction, as it does when that
    file is the first it sees of the laptop's check (any order, the same rows)."""
    files, _ids = twice
    hq = tmp_path / "hq.db"
    assert all(f.accepted for f in exchange.merge(hq, files).files)
    laptop, again = corrected_export(tmp_path, hq)
    assert all(f.accepted for f in exchange.merge(hq, [again]).files)
    (kept,) = _live(hq)["followups"]
    assert 2345 in kept
    fresh = tmp_path / "hq-fresh.db"  # the other laptop's file, then the corrected one: the same rows
    other = next(f for f in files if not f.name.startswith(laptop.stem))
    exchange.merge(fresh, [other, again])
    assert _live(fresh)["followups"] == _live(hq)["followups"]
    assert _values_to_choose(fresh) == _values_to_choose(hq)  # every differing value kept, the old one gone


def corrected_export(tmp_path: Path, hq: Path) -> tuple[Path, Path]:
    """On the laptop whose check headquarters folded away: that check corrected (still employed,
    2,345 yuan), exported. Returns the laptop's file and the export."""
    removed = sqlite3.connect(hq).execute("SELECT id FROM followups WHERE deleted = 1").fetchone()[0]
    laptop = next(p for p in (tmp_path / "a.db", tmp_path / "b.db")
                  if sqlite3.connect(p).execute("SELECT 1 FROM followups WHERE id = ?", (removed,)).fetchone())
    with Store.open(laptop) as s:
        check = s.get_followup(removed)
        s.save_followup(check.model_copy(update=dict(employed=True, wage_cny=2345, same_employer=True, reason=None)))
    again = tmp_path / "again.db"
    exchange.export(laptop, again)
    return laptop, again


def _values_to_choose(hq: Path) -> dict[tuple[str, str], list[str]]:
    with Store.open_readonly(hq) as s:
        return {(c["tbl"], c["field"]): sorted(str(v["value"]) for v in c["versions"]) for c in exchange.conflicts(s)}


def test_the_folded_away_laptop_sending_its_file_again_unchanged_changes_nothing(tmp_path, twice):
    """A new export of each laptop, the folded check not saved again there: no correction."""
    files, _ids = twice
    hq = tmp_path / "hq.db"
    exchange.merge(hq, files)
    before, chosen = _live(hq), _values_to_choose(hq)
    for laptop in ("a", "b"):
        out = tmp_path / f"{laptop}-next.db"
        exchange.export(tmp_path / f"{laptop}.db", out)
        assert all(f.accepted for f in exchange.merge(hq, [out]).files)
    assert _live(hq) == before and _values_to_choose(hq) == chosen


def test_a_correction_saved_before_a_value_was_chosen_at_hq_is_kept_to_choose(tmp_path, twice):
    """The laptop corrects the folded-away check; before its file arrives, a coordinator at
    headquarters chooses among the fold's values. The two were made side by side: the value
    chosen stays shown, and the correction is kept among the values to choose, not lost."""
    files, _ids = twice
    hq = tmp_path / "hq.db"
    exchange.merge(hq, files)
    _laptop, again = corrected_export(tmp_path, hq)  # saved now, sent later
    with Store.open(hq) as s:
        exchange.resolve_conflict(s, sqlite3.connect(hq).execute(
            "SELECT id FROM followups WHERE deleted = 0").fetchone()[0])  # keep what is shown
    chosen = _live(hq)["followups"]
    assert all(f.accepted for f in exchange.merge(hq, [again]).files)
    assert _live(hq)["followups"][0][3:] == chosen[0][3:]  # the same check shown (stamps aside)
    assert "2345" in str(_values_to_choose(hq).get(("followups", "wage_cny"))), _values_to_choose(hq)
