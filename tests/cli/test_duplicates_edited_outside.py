"""A birth year corrected with the sqlite3 program, then the reading commands run at once (no app,
no import in between), as a coordinator does before sending the donor a report.

The correction drops the person's pinyin keys (migration 0013's trigger); the app makes them
again when it next opens the file. Before, `fieldtui duplicates` and `fieldtui summary`'s
"possible duplicates to review" opened the file read-only and compared only the people who still
had keys: the same person at two CBOs went unlisted and was counted as two lives. Real
subprocesses; the file must stay byte-identical (the commands only read)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing

from fieldtui.core.store import Store
from tests.cli.test_duplicates_imported import cli
from tests.core.test_duplicates import _save
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import make_cbo


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def planted(path):
    """赵敏 (1988) at one CBO, and at another born "1968" (a typo): no pair until corrected."""
    with Store.open(path, create=True) as s:
        one, two = make_cbo(s, "Bright Angel Fund"), make_cbo(s, "Xin Zhi Guan")
        first, second = _save(s, one, "赵敏", 1988), _save(s, two, "赵敏", 1968)
        _save(s, one, "李四", 1975)
    return first, second


def test_a_birth_year_corrected_with_sqlite3_is_paired_by_the_reading_commands(tmp_path):
    db = tmp_path / "field.db"
    first, second = planted(db)
    before = json.loads(cli("duplicates", db, "--json").stdout)
    assert before["count"] == 0, before
    sqlite3_cli(db, "UPDATE participants SET birth_year = 1988 WHERE birth_year = 1968")
    edited = _digest(db)

    found = cli("duplicates", db, "--json")
    assert found.returncode == 0, found.stderr
    pairs = json.loads(found.stdout)["pairs"]
    assert [{p["a"]["id"], p["b"]["id"]} for p in pairs] == [{first, second}], found.stdout
    assert pairs[0]["evidence"]["name"] == "same"

    summary = cli("summary", db, "--json")
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["possible_duplicates"] == 1, summary.stdout
    assert _digest(db) == edited  # read, never written: the keys were made for the reading only


def test_a_person_written_in_by_another_program_is_paired_too(tmp_path):
    """A person copied in with the sqlite3 program (a row of another file, say) has no keys at all."""
    db = tmp_path / "field.db"
    first, _second = planted(db)
    with closing(sqlite3.connect(db)) as conn:
        names = [r[1] for r in conn.execute("PRAGMA table_info(participants)")]
    picked = ", ".join("'copied-1'" if n == "id" else n for n in names)
    sqlite3_cli(db, f"INSERT INTO participants ({', '.join(names)}) "
                    f"SELECT {picked} FROM participants WHERE id = '{first}'")
    found = cli("duplicates", db, "--json")
    assert found.returncode == 0, found.stderr
    assert {first, "copied-1"} in [{p["a"]["id"], p["b"]["id"]} for p in json.loads(found.stdout)["pairs"]], (
        found.stdout)


def test_a_writable_store_keys_them_in_the_file_before_pairing(tmp_path):
    """The same pass on a writable store (a library caller, the app's own connection): the people
    are keyed in the file itself, once, and paired."""
    from fieldtui.core import duplicates

    db = tmp_path / "field.db"
    first, second = planted(db)
    sqlite3_cli(db, "UPDATE participants SET birth_year = 1988 WHERE birth_year = 1968")
    with Store.open(db) as store:
        assert store.unkeyed_people()
        assert [{p.a.id, p.b.id} for p in duplicates.pairs(store)] == [{first, second}]
        assert not store.unkeyed_people()
