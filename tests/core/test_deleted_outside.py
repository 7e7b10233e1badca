"""A record deleted with the sqlite3 program (or any database browser) instead of removed in fieldtui.

fieldtui removes a record by marking it (a tombstone), which the next export carries, so
headquarters stops counting it too. A row deleted outright leaves nothing to carry: the laptop
stopped counting it and headquarters, which had it from an earlier export, counted it for ever
(a placement deleted on the laptop: 3,244 placed there, 3,245 at headquarters, nothing saying
why; and a placement with follow-ups got the whole next export refused). Every record table now
refuses a DELETE, whoever runs it, with a line saying what to do."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from fieldtui.core import duplicates, exchange, kinds
from fieldtui.core.store import Store
from tests.core.test_edited_outside import cli
from tests.core.test_merge_rules import sqlite3_cli


def figures(path) -> dict:
    out = cli("summary", str(path), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture
def laptop(sample_copy):
    """The demo file as a laptop holds it once this version of fieldtui has opened it."""
    Store.open(sample_copy).close()
    return sample_copy


def a_row(path, table: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT id FROM {table} WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()[0]


def test_a_placement_deleted_with_sqlite3_is_not_counted_at_headquarters_alone(laptop, tmp_path):
    hq = tmp_path / "hq.db"
    exchange.export(laptop, tmp_path / "monday.db")
    assert cli("merge", str(hq), str(tmp_path / "monday.db")).returncode == 0

    with sqlite3.connect(laptop) as conn:  # one with no follow-ups (those would refuse the file)
        placement = conn.execute("SELECT id FROM placements p WHERE deleted = 0 AND NOT EXISTS ("
                                 "SELECT 1 FROM followups f WHERE f.placement_id = p.id) ORDER BY id").fetchone()[0]
    tidied = subprocess.run(["sqlite3", str(laptop), f"DELETE FROM placements WHERE id = '{placement}'"],
                            capture_output=True, text=True)
    exchange.export(laptop, tmp_path / "friday.db")
    merged = cli("merge", str(hq), str(tmp_path / "friday.db"))
    assert merged.returncode == 0, merged.stderr

    laptop, headquarters = figures(laptop), figures(hq)
    assert laptop["trainees_placed"] == headquarters["trainees_placed"] == 3245
    assert tidied.returncode != 0 and "remove it in fieldtui" in tidied.stderr, tidied.stderr


@pytest.mark.parametrize("table", kinds.RECORD_TABLES)
def test_every_record_table_refuses_a_delete_and_says_what_to_do(laptop, table):
    row = a_row(laptop, table)
    before = laptop.read_bytes()
    tidied = subprocess.run(["sqlite3", str(laptop), f"DELETE FROM {table} WHERE id = '{row}'"],
                            capture_output=True, text=True)
    assert tidied.returncode != 0
    said = tidied.stderr.strip()
    assert len(said.splitlines()) == 1 and "never deleted" in said and "remove it in fieldtui" in said, said
    assert laptop.read_bytes() == before
    conn = sqlite3.connect(laptop)  # a program of their own (Python): the same
    with pytest.raises(sqlite3.IntegrityError, match="remove it in fieldtui"):
        conn.execute(f"DELETE FROM {table}")
    with pytest.raises(sqlite3.IntegrityError, match="keeps its id"):  # nor renumbered, every kind
        conn.execute(f"UPDATE {table} SET id = 'x' || id")
    conn.close()
    assert laptop.read_bytes() == before


def test_removing_in_fieldtui_still_works_and_travels(laptop, tmp_path):
    placement = a_row(laptop, "placements")
    with Store.open(laptop) as store:
        store.delete("placements", placement)
    exchange.export(laptop, tmp_path / "export.db")
    hq = tmp_path / "hq.db"
    assert cli("merge", str(hq), str(tmp_path / "export.db")).returncode == 0
    assert figures(laptop)["trainees_placed"] == figures(hq)["trainees_placed"] == 3244


def test_a_guard_dropped_outside_is_made_again_when_the_app_opens_the_file(laptop):
    sqlite3_cli(laptop, "DROP TRIGGER placements_never_deleted")
    before = laptop.read_bytes()
    assert cli("summary", str(laptop)).returncode == 0  # reading it writes nothing
    assert laptop.read_bytes() == before
    Store.open(laptop).close()
    tidied = subprocess.run(["sqlite3", str(laptop), "DELETE FROM placements"], capture_output=True, text=True)
    assert tidied.returncode != 0 and "remove it in fieldtui" in tidied.stderr, tidied.stderr


def test_a_duplicate_decision_deleted_with_sqlite3_is_refused_as_headquarters_keeps_it(laptop, tmp_path):
    """Two people decided different are never asked about again, here or at headquarters, which
    keeps every decision; deleting the decision asked again on the laptop alone."""
    with Store.open(laptop) as store:
        pair = next(duplicates.pairs(store))
        duplicates.decide(store, pair.a.id, pair.b.id, "different")
    hq = tmp_path / "hq.db"
    exchange.export(laptop, tmp_path / "monday.db")
    assert cli("merge", str(hq), str(tmp_path / "monday.db")).returncode == 0

    tidied = subprocess.run(["sqlite3", str(laptop), "DELETE FROM duplicate_decisions"], capture_output=True, text=True)
    exchange.export(laptop, tmp_path / "friday.db")
    assert cli("merge", str(hq), str(tmp_path / "friday.db")).returncode == 0
    assert figures(laptop)["possible_duplicates"] == figures(hq)["possible_duplicates"] == 694
    assert tidied.returncode != 0 and "never deleted" in tidied.stderr, tidied.stderr


def test_an_id_changed_with_sqlite3_is_refused_as_headquarters_would_count_two(laptop, tmp_path):
    """Headquarters knows a record by its id: a person whose id was changed (a "tidy" renumbering)
    came in as a second person beside the first, who stayed counted with every programme."""
    hq = tmp_path / "hq.db"
    exchange.export(laptop, tmp_path / "monday.db")
    assert cli("merge", str(hq), str(tmp_path / "monday.db")).returncode == 0
    person = a_row(laptop, "participants")

    tidied = subprocess.run(["sqlite3", str(laptop), f"UPDATE participants SET id = 'p-1' WHERE id = '{person}'"],
                            capture_output=True, text=True)
    exchange.export(laptop, tmp_path / "friday.db")
    assert cli("merge", str(hq), str(tmp_path / "friday.db")).returncode == 0
    assert figures(laptop)["direct_beneficiaries"] == figures(hq)["direct_beneficiaries"] == 8231
    assert tidied.returncode != 0 and "keeps its id" in tidied.stderr, tidied.stderr
    with sqlite3.connect(laptop) as conn:  # any other column, and an id set to itself, are edits as before
        conn.execute("UPDATE placements SET id = id, employer = employer")
