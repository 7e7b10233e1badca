"""Headquarters on PostgreSQL gives what an SQLite HQ gives: the same figures, rows, conflicts,
refusals and no-op re-merges; and the analysts' role sees no name and no phone."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.core import exchange, summary
from fieldtui.core.pg.connect import connect, opened
from fieldtui.core.pg.merge import merge as pg_merge
from fieldtui.core.store import RECORD_TABLES, Store
from tests.conftest import SAMPLE_DB
from tests.core.test_exchange import table_contents, two_fields  # noqa: F401 - the fixture
from tests.core.test_store import trainee
from tests.pg.conftest import new_database

psycopg = pytest.importorskip("psycopg")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=300)


def pg_contents(url: str) -> dict[str, list[tuple]]:
    """What table_contents reads from an SQLite HQ, read from PostgreSQL."""
    with connect(url) as conn:
        out = {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in RECORD_TABLES}
        out["conflicts"] = [tuple(r) for r in conn.execute(
            "SELECT * FROM field_conflicts ORDER BY tbl, row_id, field, stamp")]
    return out


def pg_figures(url: str) -> dict:
    with opened(url) as hq:
        return summary.compute(hq, duplicates_too=True).to_json()


def lite_figures(path: Path) -> dict:
    with Store.open_readonly(path) as store:
        return summary.compute(store, duplicates_too=True).to_json()


def merged_into_both(field: Path, tmp_path: Path, pg_url: str) -> tuple[Path, Path]:
    """`field` exported with the CLI and merged into an SQLite HQ and into `pg_url`: (HQ, export)."""
    export = tmp_path / f"{field.stem}-export.db"
    assert cli("export", str(field), str(export), "--plain").returncode == 0
    hq = tmp_path / "hq.db"
    for target in (str(hq), pg_url):
        done = cli("merge", target, str(export))
        assert done.returncode == 0, done.stderr
    return hq, export


def test_the_sample_export_gives_the_same_summary_json_on_both_engines(tmp_path, pg_url):
    hq, export = merged_into_both(SAMPLE_DB, tmp_path, pg_url)
    with connect(pg_url) as conn:  # the planner knows what the merge wrote (before: "empty" until
        # autovacuum came by, and the figures' duplicate blocks took 10.7 s instead of 1.5 s)
        assert conn.raw.execute("SELECT reltuples FROM pg_class WHERE oid = 'public.participants'::regclass"
                                ).fetchone()[0] == 8231
    lite = json.loads(cli("summary", str(hq), "--json").stdout)
    pg = cli("summary", pg_url, "--json")
    assert pg.returncode == 0, pg.stderr
    assert json.loads(pg.stdout) == lite
    assert lite == json.loads(cli("summary", str(SAMPLE_DB), "--json").stdout)  # the donor's figures
    again = cli("merge", pg_url, str(export))  # a second time: nothing to do
    assert again.returncode == 0 and "already merged" in again.stdout


def _three_exports(tmp_path: Path, two_fields) -> list[Path]:  # noqa: F811
    a, _b, ea, eb, _ = two_fields
    with Store.open(a) as s:
        s.save_trainee(trainee(s.cbos()[0].id, "赵七"))
    ea2 = tmp_path / "a-export-2.db"
    exchange.export(a, ea2)
    return [ea, eb, ea2]


def test_three_devices_in_two_orders_give_the_same_rows_conflicts_and_figures(tmp_path, pg_cluster,
                                                                            two_fields):  # noqa: F811
    files = _three_exports(tmp_path, two_fields)
    outcomes = []
    for i, order in enumerate((files, files[::-1])):
        hq, url = tmp_path / f"hq{i}.db", new_database(pg_cluster)
        lite_report = exchange.merge(hq, list(order))
        pg_report = pg_merge(url, list(order))
        assert [vars(c) for f in pg_report.files for c in f.tables.values()] == \
               [vars(c) for f in lite_report.files for c in f.tables.values()]  # the same merge report
        assert pg_contents(url) == table_contents(hq)
        assert pg_figures(url) == lite_figures(hq)
        outcomes.append((pg_contents(url), pg_figures(url)))
    assert outcomes[0] == outcomes[1]
    assert len({c[:3] for c in outcomes[0][0]["conflicts"]}) == 1  # one field, both values kept


def test_remerging_changes_nothing(tmp_path, pg_url, two_fields):  # noqa: F811
    _a, _b, ea, eb, _ = two_fields
    pg_merge(pg_url, [ea, eb])
    before = pg_contents(pg_url)
    report = pg_merge(pg_url, [eb, ea])
    assert all(f.accepted and f.already_merged for f in report.files)
    assert pg_contents(pg_url) == before


def test_a_refused_file_is_refused_as_for_sqlite_and_leaves_postgresql_unchanged(tmp_path, pg_url,
                                                                                two_fields):  # noqa: F811
    _a, _b, ea, eb, _ = two_fields
    pg_merge(pg_url, [ea])
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea])
    edited = tmp_path / "edited.db"
    edited.write_bytes(eb.read_bytes())
    with sqlite3.connect(edited) as conn:
        conn.execute("UPDATE participants SET full_name = '改' WHERE rowid = 1")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not an export" * 100)
    before = pg_contents(pg_url)
    for bad in (edited, garbage):
        (pg,) = pg_merge(pg_url, [bad]).files
        (lite,) = exchange.merge(hq, [bad]).files
        assert not pg.accepted and pg.reason == lite.reason and "\n" not in pg.reason
    assert pg_contents(pg_url) == before
    done = cli("merge", pg_url, str(garbage))
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_the_read_only_role_cannot_select_a_name_or_a_phone(pg_url, two_fields):  # noqa: F811
    pg_merge(pg_url, [two_fields[2]])
    reader = pg_url.replace("user=fieldtui", "user=fieldtui_read")
    with psycopg.connect(reader, autocommit=True) as conn:
        for column in ("full_name", "phone"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT {column} FROM public.participants")
            with pytest.raises(psycopg.errors.UndefinedColumn):
                conn.execute(f"SELECT {column} FROM analyst.participants")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT guardian_name FROM public.after_school")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO analyst.cbos (id) VALUES ('x')")
        assert conn.execute("SELECT count(*) FROM analyst.participants").fetchone()[0] == 4


def test_an_unreachable_server_is_one_line_and_exit_2(tmp_path):
    done = cli("summary", f"postgresql:///fieldtui?host={tmp_path}", "--json")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot reach the PostgreSQL server" in done.stderr


@pytest.mark.parametrize("order", list(itertools.permutations(range(2))))
def test_pseudonymised_and_identified_never_mix(tmp_path, pg_url, two_fields, order):  # noqa: F811
    a, _b, ea, _eb, _ = two_fields
    pseudo = tmp_path / "pseudo.db"
    exchange.export(a, pseudo, pseudonymise=True, key="k")
    files = [[ea, pseudo][i] for i in order]
    report = pg_merge(pg_url, files)
    assert [f.accepted for f in report.files] == [True, False]
    assert "cannot mix pseudonymised and identified" in report.files[1].reason


def test_conflicts_are_listed_as_for_sqlite(tmp_path, pg_url, two_fields):  # noqa: F811
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    pg_merge(pg_url, [ea, eb])
    with Store.open_readonly(hq) as store, opened(pg_url) as pg_hq:
        assert exchange.conflicts(pg_hq) == exchange.conflicts(store) != []
    listed = cli("conflicts", pg_url)
    assert listed.returncode == 0 and listed.stdout == cli("conflicts", str(hq)).stdout
    settle = cli("conflicts", pg_url, "--resolve", "x")  # settling: tests/pg/test_pg_conflicts.py
    assert settle.returncode == 2 and settle.stderr == cli("conflicts", str(hq), "--resolve", "x").stderr


def test_the_read_only_role_running_summary_and_a_missing_psycopg_are_one_line_each(pg_url, two_fields):  # noqa: F811
    pg_merge(pg_url, [two_fields[2]])
    done = cli("summary", pg_url.replace("user=fieldtui", "user=fieldtui_read"), "--json")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "analyst" in done.stderr
    script = "import sys; sys.modules['psycopg'] = None; from fieldtui.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", script, "summary", pg_url], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "fieldtui[hq]" in done.stderr


def test_an_hq_made_by_an_older_fieldtui_gets_todays_functions_and_the_same_figures(pg_url, two_fields):  # noqa: F811
    """A headquarters database made before a change to the SQL functions fieldtui defines there
    (dialect.COMPAT; here as a release without fieldtui_num left it) is brought up to date by the
    next merge or summary of the role that merges, and gives the same figures: the summary failed
    with "function fieldtui_num(bigint) does not exist" on the HQ `make hq-db` kept from before."""
    _a, _b, ea, _eb, _ = two_fields
    pg_merge(pg_url, [ea], operator="hq")
    expected = json.loads(cli("summary", pg_url, "--json").stdout)
    with connect(pg_url) as conn, conn.transaction():
        conn.raw.execute("DROP FUNCTION fieldtui_num(float8), fieldtui_num(boolean) CASCADE")
        conn.raw.execute("DELETE FROM meta WHERE key = 'pg_functions'")
    done = cli("summary", pg_url, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


def test_values_that_test_the_copy_format_arrive_as_they_are(tmp_path, pg_url):
    """Staging writes PostgreSQL's CSV: quotes, commas, a backslash, an empty text beside a NULL,
    a double SQLite's printf('%.17g') would print wrong (50.4 as 50.39999999999999), and a name
    made invalid UTF-8 with the sqlite3 program (shown as U+FFFD, as the app shows it) all
    arrive as an SQLite HQ holds them."""
    from fieldtui.core.models import CBO
    from tests.core.test_merge_rules import sqlite3_cli

    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        cbo = store.save_cbo(CBO(name_zh="引号", name_en='He said "yes", then \\ left', grant_usd=1234.57,
                                 sii=50.4, target_direct=10, programmes=["vocational_training"]))
        store.save_trainee(trainee(cbo.id, phone="13812345678"))
        bad = store.save_trainee(trainee(cbo.id)).participant.id
    sqlite3_cli(field, f"UPDATE participants SET phone = '' WHERE id <> '{bad}'")
    sqlite3_cli(field, f"UPDATE participants SET full_name = CAST(x'e78e8bff41' AS TEXT) WHERE id = '{bad}'")
    hq, _export = merged_into_both(field, tmp_path, pg_url)
    pg = pg_contents(pg_url)
    assert pg["cbos"][0][1:3] == ("引号", 'He said "yes", then \\ left')
    phone = pg_columns(pg_url, "participants").index("phone")
    assert {row[phone] for row in pg["participants"]} == {"", None}  # an empty text, and a NULL
    names = pg_columns(pg_url, "cbos")
    assert (pg["cbos"][0][names.index("grant_usd")], pg["cbos"][0][names.index("sii")]) == (1234.57, 50.4)
    conn = sqlite3.connect(hq)
    conn.text_factory = lambda b: b.decode("utf-8", "replace")
    try:
        lite = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in RECORD_TABLES}
    finally:
        conn.close()
    assert {t: pg[t] for t in RECORD_TABLES} == lite
    assert any(row[2] == "王\ufffdA" for row in pg["participants"])
    assert pg_figures(pg_url) == lite_figures(hq)


def pg_columns(url: str, table: str) -> list[str]:
    with connect(url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? "
            "ORDER BY ordinal_position",
            (table,))]
