"""A tiny run of the benchmark code (N=1,000): it must keep working; no timing is asserted."""

from __future__ import annotations

import datetime as dt

from benchmarks import duplicates, generate, run
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
    figures = [run.fig_list_open(path, 1_000, 1), run.fig_search(path, 1_000, 1),
               *run.fig_summary(path, 1_000, 1), run.fig_save(path, 1_000, 1), run.fig_export(path, 1_000, 1),
               *duplicates.figures(path, 1_000, 1, 20), run.fig_merge(2, 200, tmp_path / "exports")]
    assert "0 refused" in figures[-1].note
    probed = figures[-3].note.split(" over ")[1].split(" people")[0]
    assert f"; {probed} of them found" in figures[-3].note  # each person typed again is found
    assert all(f.value is None or f.value > 0 for f in figures)
    assert all(f.baseline for f in figures if f.value is not None)
    text = run.markdown(figures, took=1.0)
    assert text.count("\n| ") == len(figures) + 1  # header and one row per figure
    assert "summary, one CBO and a quarter" in text and "merge 2 exports" in text


def test_benchmark_baseline_sql_gives_the_same_figures_as_the_store(tmp_path):
    """The hand-written baselines do the same work: same numbers, or the ratios would lie."""
    path = generate.generate(1_000, tmp_path / "g.db")
    conn = run.raw(path)
    with Store.open_readonly(path) as store:
        result = summary.compute(store)
        by_cbo = {c.id: c for c in result.cbos}
        direct, trainees, children, others = (conn.execute(sql).fetchall() for sql in run.BEST_SUMMARY_SQL)
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
        row = conn.execute(run.BEST_FILTERED_SQL, (cbo, q[0].isoformat(), q[1].isoformat())).fetchone()
        c = next(c for c in filtered if c.id == cbo)
        assert row == (cbo, c.direct_beneficiaries, c.indirect_beneficiaries, c.trainees, c.trainees_completed,
                       c.trainees_placed, c.after_school_children, c.other_participants)
    conn.close()
