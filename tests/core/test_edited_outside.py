"""The app's own file edited with the sqlite3 command-line program, then used by fieldtui.

A CBO's laptop file is theirs: someone may open it with `sqlite3` to look, fix or "tidy". What
fieldtui then does is decided here, each case made with the real sqlite3 program:
- SQL that would run inside fieldtui's own transactions (a trigger) or answer its reads instead
  of its tables (a view named like one) is refused at open, in one line, nothing written;
- a view or table of their own, under another name, is left alone;
- a name that is no longer valid UTF-8 (bytes pasted as text) opens, counts and exports: the bad
  bytes show as U+FFFD so the record can be corrected, never as "the file is damaged"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.core import exchange
from fieldtui.core.store import Store, StoreError
from tests.core.test_merge_rules import delete_with_sqlite3, sqlite3_cli
from tests.core.test_store import make_cbo, trainee

VIEW = ("PRAGMA foreign_keys = OFF; ALTER TABLE participants RENAME TO participants_real; "
        "CREATE VIEW participants AS SELECT * FROM participants_real")
TRIGGER = "CREATE TRIGGER tidy AFTER UPDATE ON participants BEGIN DELETE FROM cbos; END"
#: One of fieldtui's own triggers (migration 0013) given another body: refused like any other.
OUR_NAME = ("DROP TRIGGER IF EXISTS participant_keys_follow_edits; CREATE TRIGGER participant_keys_follow_edits "
            "AFTER UPDATE ON participants BEGIN DELETE FROM cbos; END")
#: 王 followed by a byte that is never UTF-8, then "A": what pasting GBK bytes as text leaves.
BAD_NAME = "UPDATE participants SET full_name = CAST(x'e78e8bff41' AS TEXT) WHERE id = '{id}'"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, text=True)


def a_trainee(path: Path) -> tuple[str, str]:
    with Store.open_readonly(path) as store:
        row = store.page("trainees")[0]
    return row["id"], row["participant_id"]


#: The view: renaming the table rewrote fieldtui's trigger on it (migration 0013), which is named first.
@pytest.mark.parametrize("sql, named", [(VIEW, "participant_keys_follow_edits"), (TRIGGER, "tidy"),
                                        (OUR_NAME, "participant_keys_follow_edits")],
                         ids=["view", "trigger", "our-trigger-rewritten"])
def test_sql_that_would_run_in_fieldtuis_place_is_refused_at_open(sample_copy, sql, named):
    sqlite3_cli(sample_copy, sql)
    before = sample_copy.read_bytes()
    for opening in (Store.open, Store.open_readonly):
        with pytest.raises(StoreError) as refused:
            opening(sample_copy)
        message = str(refused.value)
        assert len(message.splitlines()) == 1 and named in message and "outside fieldtui" in message
    out = cli("summary", str(sample_copy))
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and named in out.stderr and "Traceback" not in out.stderr
    assert sample_copy.read_bytes() == before


def test_views_and_tables_of_their_own_are_left_alone(sample_copy):
    expected = cli("summary", str(sample_copy), "--json").stdout
    sqlite3_cli(sample_copy, "CREATE VIEW my_counts AS SELECT cbo_id, count(*) n FROM participants GROUP BY 1; "
                             "CREATE TABLE my_notes (note TEXT); CREATE TABLE manifest (page TEXT)")  # not an export
    out = cli("summary", str(sample_copy), "--json")
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected
    with Store.open(sample_copy) as store:
        assert store.page("trainees")


def test_a_name_no_longer_utf8_opens_counts_exports_and_merges(sample_copy, tmp_path):
    expected = json.loads(cli("summary", str(sample_copy), "--json").stdout)
    trainee_id, person_id = a_trainee(sample_copy)
    sqlite3_cli(sample_copy, BAD_NAME.format(id=person_id))

    out = cli("summary", str(sample_copy), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == expected
    with Store.open(sample_copy) as store:
        assert store.get_trainee(trainee_id).participant.full_name == "王\ufffdA"
        assert store.key_unkeyed_people() == 1  # as the app does at start: the edit dropped their keys
        assert any(r["full_name"] == "王\ufffdA" for r in store.page("trainees", search="王"))
    hq = tmp_path / "hq.db"
    field_export = tmp_path / "field.fieldtui"
    exchange.export(sample_copy, field_export)
    merged = cli("merge", str(hq), str(field_export))
    assert merged.returncode == 0, merged.stderr
    assert json.loads(cli("summary", str(hq), "--json").stdout) == expected


def test_a_cbo_deleted_with_sqlite3_is_named_by_its_first_person_at_headquarters(tmp_path):
    """"Tidying" a duplicate CBO away with `DELETE FROM cbos` (the sqlite3 program does not
    enforce foreign keys) leaves its people pointing nowhere. The laptop's figures dropped them
    without a word, and headquarters refused the export with SQLite's "FOREIGN KEY constraint
    failed", naming no row: nobody could find what to fix."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        person = store.save_trainee(trainee(make_cbo(store))).participant.id
    delete_with_sqlite3(field, "cbos", "DELETE FROM cbos")
    review = cli("conflicts", str(field), "--lang", "en")  # on the laptop: the figures drop them, this says why
    assert review.returncode == 0 and "their CBO is not in" in review.stdout and person in review.stdout, (
        review.stdout + review.stderr)
    exchange.export(field, tmp_path / "export.db")
    merged = cli("merge", str(tmp_path / "hq.db"), str(tmp_path / "export.db"), "--lang", "en")
    assert merged.returncode == 2, merged.stdout
    line = merged.stderr.strip()
    assert f"participants row {person} refers to a record that is neither in the file nor here" in line, line
    assert "FOREIGN KEY" not in line and "王建国" not in line


def test_a_volunteer_name_no_longer_utf8_is_listed_and_found_by_pinyin(sample_copy):
    """The volunteers list reads its pinyin keys as it goes (kinds.ListSpec.name_keys): such a
    name stopped the whole list with "user-defined function raised exception"."""
    sqlite3_cli(sample_copy, "UPDATE volunteers SET full_name = CAST(x'e78e8bff41' AS TEXT) "
                             "WHERE id = (SELECT min(id) FROM volunteers)")
    for opening in (Store.open, Store.open_readonly):
        with opening(sample_copy) as store:
            assert len(store.page("volunteers", limit=100)) == 50
            assert "王\ufffdA" in [r["full_name"] for r in store.page("volunteers", search="wang")]
