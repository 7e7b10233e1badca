"""`fieldtui export | merge | import | export-table` as people run them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core.store import Store
from tests.core.test_exchange import two_fields  # noqa: F401  (fixture)
from tests.core.test_store import make_cbo, trainee
from tests.core.test_tabular import BAD_AGE, EN_HEADER, GOOD_1, GOOD_2, write_csv


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def field_file(path, names=("王建国", "李梅")):
    with Store.open(path, create=True) as s:
        cbo = make_cbo(s, f"CBO {path.stem}")
        for n in names:
            s.save_trainee(trainee(cbo, n))
    return path


def test_export_then_merge_then_summary(tmp_path, sample_copy):
    one = field_file(tmp_path / "one.db")
    r = run("export", one, tmp_path / "one-out.db")
    assert r.exit_code == 0, r.output
    r = run("export", sample_copy, tmp_path / "sample-out.db")
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(os.stat(tmp_path / "sample-out.db").st_mode) == 0o600
    r = run("merge", tmp_path / "hq.db", tmp_path / "one-out.db", tmp_path / "sample-out.db")
    assert r.exit_code == 0, r.output
    assert "Inserted" in r.output and "8,233" in r.output  # 8,231 sample people + 2
    r = run("summary", tmp_path / "hq.db", "--json")
    assert json.loads(r.output)["direct_beneficiaries"] == 8231 + 2
    again = run("merge", tmp_path / "hq.db", tmp_path / "one-out.db")
    assert again.exit_code == 0 and "already merged" in again.output


def test_merge_refusal_names_the_file_and_exits_2(tmp_path):
    one = field_file(tmp_path / "one.db")
    run("export", one, tmp_path / "good.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 20)
    r = run("merge", tmp_path / "hq.db", tmp_path / "good.db", tmp_path / "junk.db")
    assert r.exit_code == 2
    assert "refused" in r.output and "junk.db" in r.output and "not a SQLite database" in r.output
    assert "Traceback" not in r.output
    with Store.open_readonly(tmp_path / "hq.db") as s:  # the good file was still merged
        assert s.count("trainees") == 2


def test_export_errors_are_one_line(tmp_path):
    r = run("export", tmp_path / "missing.db", tmp_path / "out.db")
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "no such file" in r.output
    one = field_file(tmp_path / "one.db")
    r = run("export", one, tmp_path / "no-such-folder" / "out.db")
    assert r.exit_code == 2 and "folder does not exist" in r.output


def test_pseudonymised_export(tmp_path):
    one = field_file(tmp_path / "one.db")
    r = run("export", one, tmp_path / "anon.db", "--pseudonymise")
    assert r.exit_code == 0, r.output
    assert "王建国".encode() not in (tmp_path / "anon.db").read_bytes()
    with Store.open_readonly(one) as s:
        assert s.get_meta("pseudonym_key")  # generated once, kept with the field file


def test_import_with_bad_rows_writes_nothing_and_exits_2(tmp_path):
    db = tmp_path / "f.db"
    with Store.open(db, create=True) as s:
        make_cbo(s)
    path = write_csv(tmp_path / "in.csv", EN_HEADER, [GOOD_1, BAD_AGE, GOOD_2])
    r = run("import", db, "--kind", "trainees", path)
    assert r.exit_code == 2
    assert "3" in r.output and "at least 16" in r.output and "nothing was written" in r.output
    with Store.open_readonly(db) as s:
        assert s.count("trainees") == 0
    r = run("import", db, "--kind", "trainees", path, "--skip-invalid")
    assert r.exit_code == 0
    with Store.open_readonly(db) as s:
        assert s.count("trainees") == 2


def test_import_of_unreadable_file_is_one_line(tmp_path):
    db = tmp_path / "f.db"
    Store.open(db, create=True).close()
    (tmp_path / "x.xlsx").write_bytes(b"garbage")
    r = run("import", db, "--kind", "trainees", tmp_path / "x.xlsx")
    assert r.exit_code == 2 and "not a readable .xlsx file" in r.output and "Traceback" not in r.output


def test_export_table_csv_and_summary(tmp_path, sample_copy):
    r = run("export-table", sample_copy, tmp_path / "t.csv", "--kind", "trainees")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    r = run("export-table", sample_copy, tmp_path / "s.xlsx", "--kind", "summary")
    assert r.exit_code == 0, r.output
    r = run("export-table", sample_copy, tmp_path / "s.pdf", "--kind", "summary")
    assert r.exit_code == 2 and ".csv or .xlsx" in r.output


def test_conflicts_list_and_resolve(tmp_path, two_fields):  # noqa: F811 - the imported fixture
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    assert run("merge", hq, ea, eb).exit_code == 0
    r = run("conflicts", hq)
    assert r.exit_code == 0 and "Phone" in r.output
    assert "13800000001" in r.output and "13800000002" in r.output  # every value, for a person to choose
    (conflict,) = exchange_conflicts(hq)
    assert conflict["person"] in r.output
    short = conflict["row_id"][:8]
    assert short in r.output and conflict["row_id"] not in r.output  # fits 80 columns
    other = conflict["versions"][1]["value"]
    r = run("conflicts", hq, "--resolve", short, "--take", "2")
    assert r.exit_code == 0, r.output
    assert "No conflicts" in run("conflicts", hq).output
    with Store.open_readonly(hq) as s:
        phone = s.conn.execute("SELECT phone FROM participants WHERE id = ?", (conflict["row_id"],)).fetchone()[0]
    assert phone == other
    r = run("conflicts", hq, "--resolve", "nope")
    assert r.exit_code == 2 and "no conflict for nope" in r.output


def exchange_conflicts(path):
    from fieldtui.core import exchange

    with Store.open_readonly(path) as s:
        return exchange.conflicts(s)


def _fieldtui(*args) -> subprocess.CompletedProcess:
    """fieldtui as a person runs it, in its own process, with this computer's (right) clock."""
    return subprocess.run([sys.executable, "-m", "fieldtui", *map(str, args), "--lang", "en"], capture_output=True,
                          text=True)


def test_a_file_dated_ahead_by_a_wrong_clock_is_redated_and_then_merges(tmp_path):
    # The laptop's clock said 2062 for a day (a year typed wrong): a trainee registered and
    # edited then. Headquarters refuses changes dated in the future, and saving again cannot
    # date them back: before, the file could never be sent again.
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        s.clock = lambda: "2062-03-01T08:00:00.000000+00:00"
        saved = s.save_trainee(trainee(make_cbo(s), "王建国"))
        s.clock = lambda: "2062-03-01T09:00:00.000000+00:00"
        rec = s.get_trainee(saved.training.id)
        person = rec.participant.model_copy(update={"phone": "13812345678"})
        s.save_trainee(rec.model_copy(update={"participant": person}))
    refused = _fieldtui("export", field, tmp_path / "out.db")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "2062-03-01" in refused.stderr and "fieldtui redate" in refused.stderr
    assert not (tmp_path / "out.db").exists()
    done = _fieldtui("redate", field)
    assert done.returncode == 0 and "Re-dated" in done.stdout, done.stderr
    assert "Nothing to re-date" in _fieldtui("redate", field).stdout  # once is enough
    assert _fieldtui("export", field, tmp_path / "out.db").returncode == 0
    merged = _fieldtui("merge", tmp_path / "hq.db", tmp_path / "out.db")
    assert merged.returncode == 0, merged.stderr
    with Store.open_readonly(tmp_path / "hq.db") as hq:
        phone, created, updated = hq.conn.execute(
            "SELECT phone, created_at, updated_at FROM participants WHERE id = ?", (saved.participant.id,)).fetchone()
    assert phone == "13812345678" and created < updated < "2062"  # the edit, its order kept, dated now


def test_a_session_held_today_east_of_headquarters_merges_the_same_day(tmp_path, monkeypatch):
    """A CBO in Beijing records this morning's session (held_on: its today); headquarters' machine
    is west of it, or on UTC (a server), where that date is still tomorrow for some hours. Before,
    the merge refused the file ("cannot be in the future") until headquarters' own date caught up."""
    import datetime as dt

    from fieldtui.core import clock
    from fieldtui.core.models import Session, validate

    beijing_today = dt.date.today() + dt.timedelta(days=1)  # headquarters' tomorrow
    monkeypatch.setattr(clock, "today", lambda: beijing_today)  # the laptop's date
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        s.save_session(validate(Session, dict(cbo_id=make_cbo(s), held_on=beijing_today.isoformat())))
    assert _fieldtui("export", field, tmp_path / "out.db").returncode == 0
    merged = _fieldtui("merge", tmp_path / "hq.db", tmp_path / "out.db")  # with headquarters' own date
    assert merged.returncode == 0, merged.stdout + merged.stderr
    two_days = (beijing_today + dt.timedelta(days=1)).isoformat()  # a day beyond: a wrong date, still refused
    with Store.open(field) as s:
        sid = s.conn.execute("SELECT id FROM sessions").fetchone()[0]
        s.conn.execute("UPDATE sessions SET held_on = ? WHERE id = ?", (two_days, sid))
    assert _fieldtui("export", field, tmp_path / "out2.db").returncode == 0
    refused = _fieldtui("merge", tmp_path / "hq.db", tmp_path / "out2.db")
    assert refused.returncode == 2 and "future" in refused.stdout + refused.stderr


def test_an_export_or_a_merge_named_as_a_files_journal_is_refused(tmp_path):
    """`fieldtui export one.db one.db-wal` said "Exported" and wrote the export where SQLite keeps
    one.db's write-ahead log: the next program to open one.db (the app, `fieldtui summary`) took it
    for a log that is not one and deleted it, so the file the coordinator meant to send was gone.
    Real subprocesses, as people run them."""
    from tests.cli.test_duplicates_imported import cli

    one = field_file(tmp_path / "one.db")
    for suffix in ("-wal", "-journal", "-shm"):
        out = tmp_path / f"one.db{suffix}"
        r = cli("export", one, out)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "journal" in r.stderr, r.stdout + r.stderr
        assert not out.exists()
    assert cli("export", one, tmp_path / "one-wal.db").returncode == 0  # a name merely like one is fine
    # Nor does a merge create headquarters there: the next open of one.db deleted every merged record.
    r = cli("merge", tmp_path / "one.db-wal", tmp_path / "one-wal.db")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "journal" in r.stderr, r.stdout + r.stderr
    log = tmp_path / "one.db-wal"  # the empty log the export's read of one.db left, if any: still empty
    assert not log.exists() or log.stat().st_size == 0
    with Store.open_readonly(one) as s:
        assert s.count("trainees") == 2


def test_exports_named_in_gbk_on_a_stick_mounted_as_utf8_merge(tmp_path):
    """A stick written on Windows holds GBK names (中文 is D6 D0 CE C4); mounted with a UTF-8
    code page, those bytes are no UTF-8 and Python names the file with surrogates. Before, the
    merge stopped with a traceback when it recorded the file's name (SQLite takes no surrogate)."""
    field = field_file(tmp_path / "field.db")
    folder = os.fsencode(tmp_path)
    export = folder + b"/\xd6\xd0\xce\xc4.db"  # 中文.db in GBK
    refused = folder + b"/\xb5\xbc\xb3\xf6.db"  # 导出.db in GBK: a field file, not an export
    assert run("export", field, os.fsdecode(export)).exit_code == 0
    with open(field, "rb") as src, open(refused, "wb") as dst:
        dst.write(src.read())
    hq = tmp_path / "hq.db"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # a UTF-8 terminal, where surrogates do not print
    done = subprocess.run([sys.executable.encode(), b"-m", b"fieldtui", b"merge", os.fsencode(hq), export, refused],
                          capture_output=True, timeout=120, env=env)
    said = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in said, said  # the field file refused, in one line
    assert said.count("\ufffd\ufffd\ufffd\ufffd.db") >= 3  # the report's two rows and the refusal
    with Store.open_readonly(hq) as s:
        (name,) = [r[0] for r in s.conn.execute("SELECT file_name FROM merges")]
    assert name == "\ufffd\ufffd\ufffd\ufffd.db"


def test_other_commands_take_a_name_in_gbk_without_a_traceback(tmp_path, sample_copy):
    """The same bytes in a report's folder and in headquarters' identity file: the report's last
    line stopped with a traceback (its files written), and the settings could not keep the path."""
    folder = os.fsencode(tmp_path)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "FIELDTUI_CONFIG_DIR": str(tmp_path / "config")}

    def cli(*args: bytes) -> tuple[int, str]:
        done = subprocess.run([sys.executable.encode(), b"-m", b"fieldtui", *args], capture_output=True,
                              timeout=120, env=env)
        said = done.stdout.decode() + done.stderr.decode()
        assert "Traceback" not in said, said
        return done.returncode, said

    code, said = cli(b"report", os.fsencode(sample_copy), folder + b"/\xd6\xd0")
    assert code == 0 and "\ufffd\ufffd/report.html" in said
    assert cli(b"keys", b"init", folder + b"/keys")[0] == 0
    identity = folder + b"/\xd6\xd0-hq-identity.txt"
    with open(tmp_path / "keys" / "hq-identity.txt", "rb") as src, open(identity, "wb") as dst:
        dst.write(src.read())
    code, said = cli(b"keys", b"identity", identity)
    assert code == 2 and said.count("\n") == 1 and "not UTF-8" in said and "rename it" in said
