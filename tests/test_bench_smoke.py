"""A tiny run of the benchmark code (N=1,000): it must keep working; no timing is asserted."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks import app_figures, bare_list, baselines, duplicates, exchange_figures, generate, peers, run
from benchmarks.figure import Figure, at_most, times
from benchmarks.report import markdown
from fieldtui.core import summary
from fieldtui.core.store import SCHEMA_VERSION, Store


def test_generated_file_is_a_valid_fieldtui_file_with_the_promised_mix(tmp_path):
    path = generate.generate(1_000, tmp_path / "g.db")
    assert path.stat().st_mode & 0o777 == 0o600
    with Store.open_readonly(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        conn = store.conn
        assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 1_000
        assert conn.execute("SELECT count(*) FROM cbos").fetchone()[0] == generate.N_CBOS
        placements = conn.execute("SELECT count(*) FROM placements").fetchone()[0]
        assert 200 <= placements <= 400  # ~30% of N
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        every = conn.execute("SELECT count(*) FROM participants p WHERE NOT EXISTS (SELECT 1 FROM trainings "
                             "WHERE participant_id = p.id) AND NOT EXISTS (SELECT 1 FROM after_school WHERE "
                             "participant_id = p.id) AND NOT EXISTS (SELECT 1 FROM other_programmes WHERE "
                             "participant_id = p.id)").fetchone()[0]
        assert every == 0  # everyone is enrolled in something
        live = conn.execute("SELECT count(*) FROM participants WHERE deleted = 0").fetchone()[0]
        assert summary.compute(store).direct_beneficiaries == live
        ids = [r[0] for r in conn.execute("SELECT id FROM participants ORDER BY rowid")]
        assert ids == sorted(ids)  # time-ordered ids, in registration order


def test_benchmark_figures_run_and_report(tmp_path):
    path = generate.generate(1_000, tmp_path / "g.db")
    figures = [run.fig_list_open(path, 1_000, 2), run.fig_search(path, 1_000, 2),
               *run.fig_summary(path, 1_000, 2), app_figures.fig_save(path, 1_000, 2),
               exchange_figures.fig_export(path, 1_000, 2), *duplicates.figures(path, 1_000, 2, 20),
               exchange_figures.fig_merge(2, 200, 2, tmp_path / "exports")]
    assert "0 refused" in figures[-1].note and figures[-1].also is None
    probed = figures[-3].note.split(" over ")[1].split(" people")[0]
    assert f"; {probed} of them found" in figures[-3].note  # each person typed again is found
    assert all(len(f.runs) >= 2 and len(f.base_runs) == len(f.runs) for f in figures)  # paired, every run kept
    assert all(x > 0 for f in figures for x in f.runs + f.base_runs)
    text = markdown(figures, took=1.0)
    assert text.count("\n| ") == len(figures) + 1  # header and one row per figure
    assert "summary, one CBO and a quarter" in text and "merge 2 exports" in text


def test_benchmark_baseline_sql_gives_the_same_figures_as_the_store(tmp_path):
    """The hand-written baselines do the same work: same numbers, or the ratios would lie."""
    path = generate.generate(1_000, tmp_path / "g.db")
    conn = baselines.raw(path)
    with Store.open_readonly(path) as store:
        result = summary.compute(store)
        by_cbo = {c.id: c for c in result.cbos}
        direct, trainees, children, others = (conn.execute(sql).fetchall() for sql in baselines.BEST_SUMMARY_SQL)
        for cbo_id, n, indirect in direct:
            assert (by_cbo[cbo_id].direct_beneficiaries, by_cbo[cbo_id].indirect_beneficiaries) == (n, indirect)
        for cbo_id, n, completed, placed in trainees:
            c = by_cbo[cbo_id]
            assert (c.trainees, c.trainees_completed, c.trainees_placed) == (n, completed, placed)
        assert {r[0]: r[1] for r in children} == {k: c.after_school_children for k, c in by_cbo.items()
                                                   if c.after_school_children}
        assert {r[0]: r[1] for r in others} == {k: c.other_participants for k, c in by_cbo.items()
                                                 if c.other_participants}
        cbo = conn.execute("SELECT id FROM cbos ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
        q = (dt.date(2009, 1, 1), dt.date(2010, 12, 31))
        filtered = summary.compute(store, summary.Filters(cbo_id=cbo, date_from=q[0], date_to=q[1])).cbos
        row = conn.execute(baselines.BEST_FILTERED_SQL, (cbo, q[0].isoformat(), q[1].isoformat())).fetchone()
        c = next(c for c in filtered if c.id == cbo)
        assert row == (cbo, c.direct_beneficiaries, c.indirect_beneficiaries, c.trainees, c.trainees_completed,
                       c.trainees_placed, c.after_school_children, c.other_participants)
    conn.close()


def test_the_list_baselines_show_the_rows_the_trainees_list_shows_first(tmp_path):
    """The bare app (F3's baseline) and the store-level baseline read the list's own first page."""
    path = generate.generate(1_000, tmp_path / "g.db")
    with Store.open_readonly(path) as store:
        shown = [r["id"] for r in store.page("trainees", limit=100)]
    assert len(shown) == 100
    assert [r[0] for r in bare_list.first_page(path)] == shown
    conn = baselines.raw(path)
    assert [r[0] for r in conn.execute(baselines.BEST_LIST_SQL)] == shown
    conn.close()


@pytest.mark.parametrize(("runs", "base", "target", "status"), [
    ([1.0] * 5, [], at_most(1.0, "≤ 1 s"), "met"),
    ([0.5, 0.5, 0.5, 0.5, 1.3], [], at_most(1.0, "≤ 1 s"), "MISSED: 1 run(s) over 1.2× the target"),
    ([0.5, 0.5, 0.5, 0.5, 1.2], [], at_most(1.0, "≤ 1 s"), "met"),
    ([1.1] * 5, [], at_most(1.0, "≤ 1 s"), "MISSED: median"),
    ([1.5, 1.5, 1.5], [1.0, 1.0, 1.0], times(1.5, "base"), "met"),
    # Each run is judged on its own pair: 2.0 / 1.0 is over 1.2 × 1.5 although the medians meet it.
    ([1.5, 1.5, 2.0], [1.0, 1.0, 1.0], times(1.5, "base"), "MISSED: 1 run(s) over 1.2× the target"),
    ([1.5, 1.5, 2.0], [1.0, 1.0, 1.5], times(1.5, "base"), "met"),
])
def test_a_figure_is_met_by_its_median_with_every_run_within_1_2_times_the_target(runs, base, target, status):
    assert Figure("f", 1, runs, base, target).verdict()[1] == status


def test_a_figure_that_breaks_another_rule_or_was_not_measured_says_so():
    assert Figure("f", 1, [1.0] * 5, target=at_most(2, "≤ 2 s"), also="1 files refused").verdict() == (
        False, "MISSED: 1 files refused")
    assert Figure("f", 1, [], skipped="not installed").verdict() == (None, "skipped")
    assert Figure("f", 1, [3.0] * 5, target=at_most(2, "≤ 2 s"), growth=True).verdict() == (None, "growth")
    assert Figure("f", 1, [3.0] * 5).verdict() == (None, "info")


def test_the_list_screen_and_its_bare_baseline_are_probed_the_same_way(tmp_path):
    path = generate.generate(1_000, tmp_path / "g.db")
    assert 0 < app_figures.ready_seconds("bare-list", str(path)) < 30
    assert 0 < app_figures.ready_seconds("list", str(path)) < 30
    summary_shown, form_validated = app_figures.rss_peaks_mib(path)
    assert 20 < summary_shown <= form_validated  # one process, two moments of its peak


def test_fieldtui_in_a_terminal_draws_its_list_for_the_peers_comparison(tmp_path):
    path = generate.generate(1_000, tmp_path / "g.db")
    took, rss = peers.fieldtui_list(path, tmp_path)
    assert 0 < took < peers.TIMEOUT and rss > 20
