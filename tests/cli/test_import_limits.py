"""Hostile spreadsheets through the real `fieldtui import`, in its own process: bounded peak RSS
(200 MiB), one line and exit 2 or a capped report, and the database byte-identical."""

from __future__ import annotations

import pytest

from fieldtui.core.store import Store
from tests.hostile import sheets
from tests.hostile.measure import file_state, run_measured

MAX_RSS_MIB = 200


@pytest.fixture
def field_db(sample_copy):
    """sample.db as a laptop has it: opened once (schema upgraded, WAL), so any later change is the import's."""
    Store.open(sample_copy).close()
    return sample_copy


def _import(db, path):
    before = file_state(db)
    result = run_measured("import", db, "--kind", "trainees", path)
    assert file_state(db) == before  # nothing written, not even a -wal left behind
    assert result["rss_mib"] <= MAX_RSS_MIB, result["rss_mib"]
    assert "Traceback" not in result["out"] + result["err"]
    return result


def test_a_shared_string_bomb_is_refused_in_one_line(tmp_path, field_db):
    """One 1.5 GB shared string in a few MB of zip (it took 3 GB of memory)."""
    bomb = sheets.shared_string_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 10 * 1024 * 1024
    r = _import(field_db, bomb)
    assert r["rc"] == 2 and r["out"] == ""
    assert r["err"].count("\n") == 1 and "was refused" in r["err"] and "1 GiB" in r["err"]


def test_a_million_invalid_one_cell_rows_end_in_a_capped_report(tmp_path, field_db):
    """It ran for over 300 s at 1.9 GB: now reading stops at the 1,000th bad row."""
    rows = sheets.one_cell_rows(tmp_path / "rows.xlsx")
    r = _import(field_db, rows)
    assert r["rc"] == 2 and r["err"].count("\n") == 1 and "1,000 bad rows" in r["err"]
    assert "and 950 more" in r["out"] and "stopped at line 1001" in r["out"]
    assert r["out"].count("is required") < 60 * 9  # 50 rows of problems shown, not a million


def test_a_49_mb_csv_of_invalid_rows_prints_a_capped_report(tmp_path, field_db):
    """Its report was 19.9 MB."""
    bad = sheets.invalid_csv(tmp_path / "bad.csv")
    r = _import(field_db, bad)
    assert r["rc"] == 2 and r["err"].count("\n") == 1
    assert len(r["out"]) < 40_000 and "and 950 more" in r["out"]
