"""After a merge into PostgreSQL every rule holds against headquarters' own rows, as for SQLite:
the same files are refused with the same reason, and PostgreSQL is left as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fieldtui.core import exchange
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.store import Store
from tests.core.test_exchange import reseal
from tests.core.test_merge_marks_rules import laptop_and_hq
from tests.core.test_merge_rules import child, delete_with_sqlite3, export, sqlite3_cli
from tests.core.test_store import make_cbo, trainee
from tests.pg.test_pg_hq import pg_contents

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None and not os.environ.get("CI"),
                                reason="needs the sqlite3 CLI")


def _second_file(tmp_path: Path, save) -> Path:
    other = tmp_path / "other.db"
    with Store.open(other, create=True) as s:
        save(s)
    return export(other, tmp_path / "other-export.db")


@pytest.mark.parametrize("case", ["training on a child", "enrolment of a removed person"])
def test_a_rule_broken_only_against_hq_rows_is_refused_alike(tmp_path, pg_url, case):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        kid = s.save_child(child(cbo))
        gone = s.save_trainee(trainee(cbo, "李走"))
        s.delete("trainees", gone.training.id)
    first = export(field, tmp_path / "first.db")
    hq = tmp_path / "hq.db"
    assert not exchange.merge(hq, [first]).refused
    assert not pg_merge(pg_url, [first]).refused
    out = _second_file(tmp_path, lambda s: s.save_trainee(trainee(make_cbo(s, "Other"), "钱多")))
    person = kid.participant.id if case == "training on a child" else gone.participant.id
    sqlite3_cli(out, f"PRAGMA foreign_keys = OFF; UPDATE trainings SET participant_id = '{person}';")
    reseal(out)
    before = pg_contents(pg_url)
    (lite,) = exchange.merge(hq, [out]).files
    (pg,) = pg_merge(pg_url, [out]).files
    assert not lite.accepted and not pg.accepted
    assert pg.reason == lite.reason
    assert pg_contents(pg_url) == before


@pytest.mark.parametrize("edit", ["UPDATE sessions SET held_on = '2010-08-20'",
                                  "UPDATE volunteer_hours SET worked_on = '2010-10-09'"])
def test_marks_and_hours_beside_their_session_are_refused_alike(tmp_path, pg_url, edit):
    """The session's row changes, its mark is read again beside it at headquarters; hours moved
    off their session's day. Both engines refuse with the same reason, PostgreSQL left as it was."""
    hq, field, _ids = laptop_and_hq(tmp_path)
    first = export(field, tmp_path / "again.db")
    assert not pg_merge(pg_url, [first]).refused
    out = export(field, tmp_path / "edited.db")
    sqlite3_cli(out, f"{edit};")
    reseal(out)
    before = pg_contents(pg_url)
    (lite,) = exchange.merge(hq, [out]).files
    (pg,) = pg_merge(pg_url, [out]).files
    assert not lite.accepted and not pg.accepted and "breaks a rule" in lite.reason
    assert pg.reason == lite.reason
    assert pg_contents(pg_url) == before


def test_a_person_whose_cbo_was_deleted_with_sqlite3_is_named_alike(tmp_path, pg_url):
    """A CBO deleted with the sqlite3 program (it enforces no foreign keys): both engines refuse the
    export naming the first person left pointing nowhere, not "FOREIGN KEY constraint failed"
    or PostgreSQL's constraint name, and write nothing."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        person = store.save_trainee(trainee(make_cbo(store))).participant.id
    delete_with_sqlite3(field, "cbos", "DELETE FROM cbos")
    exported = export(field, tmp_path / "export.db")
    lite = exchange.merge(tmp_path / "hq.db", [exported]).files[0]
    pg = pg_merge(pg_url, [exported]).files[0]
    said = f"participants row {person} refers to a record that is neither in the file nor here (cbos)"
    assert not lite.accepted and said in lite.reason, lite.reason
    assert not pg.accepted and said in pg.reason, pg.reason
    assert pg_contents(pg_url)["participants"] == []
