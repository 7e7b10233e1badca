"""Files from every earlier schema version open (read-only and for writing) and keep every row.

Iterates over every frozen `tests/fixtures/schema_v*.db`, so a fixture added for a later version
is covered without touching this file. A file newer than the app is refused, not damaged.
Merging old files is checked in test_fuzz_exchange.py once exchange exists.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldtui.core import summary
from fieldtui.core.store import RECORD_TABLES, SCHEMA_VERSION, SchemaTooNew, Store
from tests.core.test_merge_rules import sqlite3_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OLD_FILES = sorted(FIXTURES.glob("schema_v*.db"), key=lambda p: int(re.findall(r"\d+", p.stem)[0]))


def _counts(path: Path) -> dict[str, int]:
    """Rows per record table (a table that came with a later version counts 0 in an older file)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if t in present else 0
                for t in RECORD_TABLES}
    finally:
        conn.close()


def _version(path: Path) -> int:
    return int(re.findall(r"\d+", path.stem)[0])


def test_there_is_a_fixture_for_the_first_version():
    assert OLD_FILES and _version(OLD_FILES[0]) == 1


@pytest.mark.parametrize("fixture", OLD_FILES, ids=lambda p: p.stem)
def test_old_file_upgrades_in_place_keeping_every_row(fixture, tmp_path):
    path = tmp_path / "field.db"
    shutil.copyfile(fixture, path)
    before = _counts(path)
    assert sum(before.values()) > 0, "a fixture with no records tests nothing"
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [r[0] for r in s.conn.execute("PRAGMA integrity_check")] == ["ok"]
        assert s.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        figures = summary.compute(s).to_json()
        assert figures["direct_beneficiaries"] >= 1
        for kind in ("cbos", "trainees", "children", "participants", "placements"):
            s.page(kind)
    assert _counts(path) == before
    # Opening again is a no-op (migrations are not re-run).
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("fixture", OLD_FILES, ids=lambda p: p.stem)
def test_old_file_reads_without_a_byte_changed(fixture, tmp_path):
    path = tmp_path / "field.db"
    shutil.copyfile(fixture, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with Store.open_readonly(path) as s:
        assert summary.compute(s).to_json()["direct_beneficiaries"] >= 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["field.db"]  # no -wal/-shm left beside it


def test_old_file_whose_name_was_made_invalid_utf8_upgrades(tmp_path):
    """A first-version file in which a name was overwritten with bytes that are not UTF-8 (the
    sqlite3 program takes them): the upgrade fills the pinyin keys of every person (0009, 0011)
    and must not stop on that name; the person opens with U+FFFD where the bad byte was."""
    path = tmp_path / "field.db"
    shutil.copyfile(OLD_FILES[0], path)
    sqlite3_cli(path, "UPDATE participants SET full_name = CAST(x'e78e8bff' AS TEXT) WHERE id = 'p1'")
    with Store.open(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        names = [r["full_name"] for r in s.page("trainees", limit=10)]
    assert names == ["王\ufffd"]


def test_file_newer_than_the_app_is_refused_and_untouched(tmp_path):
    path = tmp_path / "field.db"
    shutil.copyfile(OLD_FILES[-1], path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for opener in (Store.open, Store.open_readonly):
        with pytest.raises(SchemaTooNew) as info:
            opener(path)
        assert "newer fieldtui" in str(info.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
