"""Settling a conflict in a PostgreSQL HQ does what it does in an SQLite HQ: the value taken, the
versions recorded, the conflict gone, the person's keys refreshed, the same figures, and later
merges seeing the same history; bad input is the same one line, and changes nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.core import exchange
from fieldtui.core.pg.connect import connect
from fieldtui.core.store import RECORD_TABLES, Store
from tests.core.test_exchange import clone, edit_person
from tests.core.test_store import make_cbo, trainee
from tests.core.test_twins import corrected_export, twice  # noqa: F401 - a fixture
from tests.pg.test_pg_hq import cli

pytest.importorskip("psycopg")

#: What a settlement writes besides the records: versions, conflicts, keys, audit (without who and when).
_BOOKS = {
    "field_changes": "SELECT tbl, row_id, field, stamp, base, device FROM field_changes",
    "field_conflicts": "SELECT tbl, row_id, field, stamp, value, device FROM field_conflicts",
    "participant_keys": "SELECT * FROM participant_keys",
    "audit": "SELECT a.action, a.table_name, a.row_id, c.changes FROM audit a JOIN audit_changes c ON c.seq = a.seq",
}


@pytest.fixture
def apart(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """Two laptops from one file, the same people edited apart: conflicts on a name and a phone
    (text), a household's size (an integer, in the figures) and a training's status (another
    table, in the figures). Returns the two laptops' files and the ids of the records in conflict."""
    a = tmp_path / "a.db"
    with Store.open(a, create=True) as s:
        cbo = make_cbo(s)
        one = s.save_trainee(trainee(cbo, "丁一", phone="13800000000"))
        two = s.save_trainee(trainee(cbo, "张二"))
    b = clone(a, tmp_path / "b.db")
    for path, name, phone, household, status in ((a, "严格", "13911111111", 5, "dropped"),
                                                  (b, "万里", "13722222222", 7, "enrolled")):
        with Store.open(path) as s:
            edit_person(s, one.training.id, full_name=name, phone=phone)
            edit_person(s, two.training.id, household_members=household)
            rec = s.get_trainee(two.training.id)
            s.save_trainee(rec.model_copy(update={"training": rec.training.model_copy(update={"status": status})}))
    ids = {"one": one.participant.id, "two": two.participant.id, "training": two.training.id}
    return a, b, ids


def exports(tmp_path: Path, *laptops: Path) -> list[Path]:
    out = []
    for path in laptops:
        out.append(tmp_path / f"{path.stem}-export-{len(list(tmp_path.glob('*-export-*')))}.db")
        exchange.export(path, out[-1])
    return out


def both(hq: Path, url: str, *args: str) -> tuple[str, str]:
    """One CLI command on the SQLite HQ and on the PostgreSQL HQ (exit 0 asserted): both outputs."""
    outs = []
    for target in (str(hq), url):
        done = cli(args[0], target, *args[1:])
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout.replace(target, "HQ"))
    return outs[0], outs[1]


def books(conn, device: str) -> dict[str, list[tuple]]:
    """Records and bookkeeping, the stamps of settlements (HQ's own versions) and HQ's device id
    named by the order they were made in: one run's clock and id are not the other's."""
    out = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in RECORD_TABLES}
    out |= {name: sorted(tuple(r) for r in conn.execute(sql)) for name, sql in _BOOKS.items()}
    stamps = sorted({r[0] for r in conn.execute("SELECT stamp FROM field_changes WHERE device = ?", (device,))})
    names = {stamp: f"settled-{i}" for i, stamp in enumerate(stamps)} | {device: "headquarters"}
    return {t: [tuple(names.get(v, v) if isinstance(v, str) else v for v in row) for row in rows]
            for t, rows in out.items()}


def lite_device(hq: Path) -> str:
    with Store.open_readonly(hq) as s:
        return s.device_id


def pg_device(url: str) -> str:
    with connect(url) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]


def lite_books(hq: Path) -> dict[str, list[tuple]]:
    with Store.open_readonly(hq) as s:
        return books(s.conn, s.device_id)


def pg_books(url: str) -> dict[str, list[tuple]]:
    with connect(url) as conn:
        return books(conn, pg_device(url))


def as_made_at_hq(listing: str, device: str) -> str:
    """The conflicts listed, a version settled at HQ (after a later edit on a laptop, side by
    side with it) named so rather than by HQ's device and the time it was settled."""
    return "\n".join(re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", "(settled)", line.replace(device[-8:], "HQ"))
                     if device[-8:] in line else line for line in listing.splitlines())


def same_everywhere(tmp_path: Path, hq: Path, url: str) -> None:
    """The figures, the conflicts listed, the people's sheet and every row: equal on both engines."""
    lite, pg = both(hq, url, "summary", "--json")
    assert pg == lite
    lite, pg = both(hq, url, "conflicts")
    assert as_made_at_hq(pg, pg_device(url)) == as_made_at_hq(lite, lite_device(hq))
    sheets = [tmp_path / "lite.csv", tmp_path / "pg.csv"]
    for target, sheet in zip((str(hq), url), sheets, strict=True):
        sheet.unlink(missing_ok=True)
        assert cli("export-table", target, str(sheet), "--kind", "participants").returncode == 0
    assert sheets[0].read_bytes() == sheets[1].read_bytes()
    assert pg_books(url) == lite_books(hq)


def test_settling_conflicts_in_postgresql_does_what_it_does_in_sqlite(tmp_path, pg_url, apart):
    a, b, ids = apart
    files = exports(tmp_path, a, b)
    hq = tmp_path / "hq.db"
    both(hq, pg_url, "merge", *map(str, files))
    with Store.open_readonly(hq) as s:
        listed = {(c["row_id"], c["field"]): c for c in exchange.conflicts(s)}
    assert set(listed) == {(ids["one"], "full_name"), (ids["one"], "phone"), (ids["two"], "household_members"),
                           (ids["training"], "status")}
    stamp = listed[ids["training"], "status"]["versions"][1]["stamp"]
    short = exchange.short_ids(list(listed.values()))[ids["one"]].upper()  # as listed, in capitals
    settle = [("--resolve", short, "--field", "full_name", "--take", "2"),  # not the one kept meanwhile
              ("--resolve", ids["two"], "--take", "2"),  # every field of the record: its household's size
              ("--resolve", ids["training"], "--field", "status", "--take", stamp[:23])]  # by its time stamp
    for args in settle:
        lite, pg = both(hq, pg_url, "conflicts", *args)
        assert pg == lite and "Conflicts settled" in pg and "not supported" not in pg
    same_everywhere(tmp_path, hq, pg_url)
    with connect(pg_url) as conn:  # the name taken is the person's name in lists and search
        name = conn.execute("SELECT full_name FROM participants WHERE id = ?", (ids["one"],)).fetchone()[0]
        assert name == listed[ids["one"], "full_name"]["versions"][1]["value"]
        assert conn.execute("SELECT name FROM participant_keys WHERE participant_id = ?",
                            (ids["one"],)).fetchone()[0] == name
        assert conn.execute("SELECT count(*) FROM field_conflicts").fetchone()[0] == 2  # the phone: left for later
    lite, pg = both(hq, pg_url, "merge", *map(str, files))  # the same files again: nothing to do
    assert "already merged" in pg
    same_everywhere(tmp_path, hq, pg_url)
    both(hq, pg_url, "merge", *map(str, exports(tmp_path, a, b)))  # the laptops again, unchanged: settled stays
    same_everywhere(tmp_path, hq, pg_url)
    with Store.open(a) as s:  # a later edit on one laptop, on top of its own version: side by side again
        edit_person(s, s.get_trainee(ids["training"]).training.id, household_members=9)
    both(hq, pg_url, "merge", *map(str, exports(tmp_path, a)))
    same_everywhere(tmp_path, hq, pg_url)


def test_the_postgresql_refusal_is_gone(tmp_path, pg_url, apart):
    files = exports(tmp_path, *apart[:2])
    assert cli("merge", pg_url, *map(str, files)).returncode == 0
    done = cli("conflicts", pg_url, "--resolve", apart[2]["one"])
    assert done.returncode == 0, done.stderr
    assert "not supported" not in done.stderr and "Conflicts settled" in done.stdout


def test_bad_input_is_the_same_one_line_on_both_engines_and_changes_nothing(tmp_path, pg_url, apart):
    _a, _b, ids = apart
    files = exports(tmp_path, *apart[:2])
    hq = tmp_path / "hq.db"
    both(hq, pg_url, "merge", *map(str, files))
    shared = ids["one"][:4]  # time-ordered ids made in one test: one beginning (it changes every 50 days)
    assert ids["two"].startswith(shared) and ids["training"].startswith(shared)
    before = lite_books(hq), pg_books(pg_url)
    for args in (["nope"], [shared], [ids["one"], "--field", "household_members"], [ids["one"], "--field", "x;--"],
                 [ids["one"], "--field", "phone", "--take", "3"], [ids["one"], "--field", "phone", "--take", "2099"],
                 [ids["two"], "--take", "0"], ["  "]):
        said = [cli("conflicts", target, "--resolve", *args) for target in (str(hq), pg_url)]
        assert [d.returncode for d in said] == [2, 2], args
        assert said[1].stderr == said[0].stderr and said[0].stderr.count("\n") == 1, args
        assert "Traceback" not in said[1].stderr
    assert (lite_books(hq), pg_books(pg_url)) == before



def test_the_analysts_role_and_a_value_the_server_refuses_are_one_line_each(tmp_path, pg_url, apart):
    _a, _b, ids = apart
    assert cli("merge", pg_url, *map(str, exports(tmp_path, *apart[:2]))).returncode == 0
    before = pg_books(pg_url)
    done = cli("conflicts", pg_url.replace("user=fieldtui", "user=fieldtui_read"), "--resolve", ids["two"])
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "may not change" in done.stderr
    with connect(pg_url) as conn:  # a damaged conflict: its value no longer fits its column
        conn.execute("UPDATE field_conflicts SET value = 'many' WHERE field = 'household_members'")
    damaged = pg_books(pg_url)
    done = cli("conflicts", pg_url, "--resolve", ids["two"], "--take", "2")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "nothing was changed" in done.stderr and "Traceback" not in done.stderr
    assert pg_books(pg_url) == damaged != before


def test_a_settlement_waits_for_a_merge_in_progress(tmp_path, pg_url, apart):
    """One writer at a time, as in an SQLite file: a merge holding its lock holds the settlement."""
    assert cli("merge", pg_url, *map(str, exports(tmp_path, *apart[:2]))).returncode == 0
    with connect(pg_url) as conn, conn.transaction():
        conn.raw.execute("LOCK TABLE merges IN SHARE ROW EXCLUSIVE MODE")  # as merge.py's transaction does
        settling = subprocess.Popen([sys.executable, "-m", "fieldtui", "conflicts", pg_url, "--resolve",
                                     apart[2]["two"]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            settling.wait(timeout=3)
    out, err = settling.communicate(timeout=60)
    assert settling.returncode == 0 and "Conflicts settled" in out, err


def test_a_mark_and_a_check_recorded_twice_fold_in_postgresql_as_in_sqlite(tmp_path, pg_url, twice):  # noqa: F811
    files, _ids = twice
    hq = tmp_path / "hq.db"
    both(hq, pg_url, "merge", *map(str, files))
    with connect(pg_url) as conn:
        live = [conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
                for t in ("attendance", "followups")]
    assert live == [1, 1]
    same_everywhere(tmp_path, hq, pg_url)


def test_a_correction_of_a_folded_away_check_reaches_the_kept_one_in_postgresql_as_in_sqlite(
        tmp_path, pg_url, twice):  # noqa: F811
    files, _ids = twice
    hq = tmp_path / "hq.db"
    both(hq, pg_url, "merge", *map(str, files))
    _laptop, again = corrected_export(tmp_path, hq)
    both(hq, pg_url, "merge", str(again))
    with connect(pg_url) as conn:
        assert conn.execute("SELECT wage_cny FROM followups WHERE deleted = 0").fetchall() == [(2345,)]
    same_everywhere(tmp_path, hq, pg_url)
