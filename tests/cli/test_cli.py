"""The CLI as people use it: in-process with CliRunner, plus real subprocess runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from fieldtui.cli import main
from tests.conftest import SAMPLE_DB
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_summary import check_donor_figures


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_summary_json_reproduces_the_report():
    result = run("summary", str(SAMPLE_DB), "--json")
    assert result.exit_code == 0, result.output
    check_donor_figures(json.loads(result.output))


def test_summary_table_shows_the_figures():
    result = run("summary", str(SAMPLE_DB))
    assert result.exit_code == 0
    for text in ("8,231", "20,985", "4,395", "1,758", "US$1,087,406", "US$132.11", "52.70", "Bright Angel Fund",
                 "US$525.00"):
        assert text in result.output, text


def test_summary_table_shows_the_outcomes_and_breakdowns():
    result = run("summary", str(SAMPLE_DB))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    for expected in ("Still employed at 6 months 70.9%", "Change in monthly income +¥950",
                     "Attendance (held sessions) 86.0%", "Volunteers 50", "Volunteer hours 393",
                     "│ Female │ 5,164 │ 3,366 │ 2,545 │ 820 │ 70.3% │"):
        assert expected in lines, expected
    for title in ("By sex", "By age at registration", "By origin", "By province of origin"):
        assert title in lines


def test_summary_filters():
    result = run("summary", str(SAMPLE_DB), "--json", "--cbo", "Bright Angel Fund")
    assert json.loads(result.output)["direct_beneficiaries"] == 200
    result = run("summary", str(SAMPLE_DB), "--json", "--from", "2001-01-01", "--to", "2001-12-31")
    assert json.loads(result.output)["direct_beneficiaries"] == 0
    empty = run("summary", str(SAMPLE_DB), "--from", "2001-01-01", "--to", "2001-12-31")
    assert "No participants match" in empty.output


@pytest.mark.parametrize(
    "setup,message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_text("not a database at all" * 10), "is not a SQLite database"),
    ],
)
def test_bad_files_get_one_line_and_status_2(tmp_path, setup, message):
    target = tmp_path / "x.db"
    setup(target)
    result = run("summary", str(target), "--json")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["summary", "{db}", "--from", "2020-13-01"],  # a date that is none
    ["export", "{db}", "{tmp}"],  # a folder where the export goes
    ["import", "{db}", "--kind", "nonsense", "x.csv"],
    ["summary"],  # the file forgotten
    ["summary", "{db}", "--bogus"],
    ["--bogus"],
    ["export-table", "{db}", "{tmp}/out.csv"],  # no --kind: click lists the choices on lines of their own
])
def test_what_click_refuses_is_one_line_too(tmp_path, args):
    """Mistyped arguments: before, click's usage, hint, a blank line and its error (four lines)."""
    args = [a.format(db=SAMPLE_DB, tmp=tmp_path) for a in args]
    result = run(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldtui: error: ") and "--help)" in lines[0], result.output
    assert "\ufffd" not in lines[0], lines[0]  # click's line breaks and tabs were drawn as U+FFFD


def test_foreign_sqlite_and_unknown_cbo(tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = run("summary", str(other))
    assert result.exit_code == 2 and "another application" in result.output
    result = run("summary", str(SAMPLE_DB), "--cbo", "Nobody")
    assert result.exit_code == 2 and "no CBO called Nobody" in result.output


def test_summary_does_not_modify_the_file(sample_copy):
    before = sample_copy.read_bytes()
    assert run("summary", str(sample_copy), "--json").exit_code == 0
    assert sample_copy.read_bytes() == before


def test_every_command_has_help():
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert (command.help or "").strip(), f"{name} has no help text"


def test_real_subprocess_summary_and_error():
    ok = subprocess.run([sys.executable, "-m", "fieldtui", "summary", str(SAMPLE_DB), "--json"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)["cost_per_life_usd"] == 132.11
    bad = subprocess.run([sys.executable, "-m", "fieldtui", "summary", "/nonexistent/x.db"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("fieldtui: error: no such file")
    assert "Traceback" not in bad.stderr


def test_names_that_look_like_markup_print_as_typed(tmp_path):
    """A CBO called "[/]New Hope" once raised MarkupError in the summary table (Rich read it as markup)."""
    from fieldtui.core.models import CBO
    from fieldtui.core.store import Store

    path = tmp_path / "brackets.db"
    with Store.open(path, create=True) as store:
        store.save_cbo(CBO(name_zh="新[/]希望", name_en="[/]New [b]Hope", grant_usd=1000, target_direct=10))
    result = run("summary", str(path))
    assert result.exit_code == 0, result.output
    assert "[/]New [b]Hope" in result.output


def test_summary_table_draws_tampered_names_safe(tmp_path):
    """A CBO name and a province edited in with sqlite3 to hold an escape sequence and a direction
    override: the summary table draws them as "�" and sends neither to the terminal."""
    path = tmp_path / "tampered.db"
    path.write_bytes(SAMPLE_DB.read_bytes())
    sqlite3_cli(path, "UPDATE cbos SET name_en = 'Bright' || char(27) || '[31mAngel' || char(8238) WHERE rowid = 1; "
                      "UPDATE participants SET province = 'Hen' || char(27) || '[31man' WHERE rowid = 1")
    result = run("summary", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "Bright\ufffd[31mAngel\ufffd" in result.output and "Hen\ufffd[31man" in result.output


def test_summary_json_escapes_a_direction_override_pasted_into_a_cbo_name(sample_copy):
    """A CBO name edited with the sqlite3 program to hold U+202E (right-to-left override) would,
    printed as it is, reorder the rest of the terminal line (e.g. figures after it). The JSON
    escapes it: the same value once parsed, nothing invisible on the screen."""
    sqlite3_cli(sample_copy, "UPDATE cbos SET name_en = 'Bright ' || char(8238) || 'Angel' "
                             "WHERE name_en = 'Bright Angel Fund'")
    out = subprocess.run([sys.executable, "-m", "fieldtui", "summary", str(sample_copy), "--json"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert "\u202e" not in out and "\\u202e" in out
    assert "Bright \u202eAngel" in {c["name"] for c in json.loads(out)["cbos"]}


@pytest.mark.parametrize("db", ["existing", "new"])
def test_the_app_without_a_terminal_is_one_line_and_creates_nothing(sample_copy, tmp_path, db):
    """`fieldtui DB` from a script, a cron job or with its output sent to a file: before, the app
    ran with nobody to see it, writing screen codes into the output and never ending."""
    path = sample_copy if db == "existing" else tmp_path / "new.db"
    before = path.read_bytes() if db == "existing" else None
    try:
        done = subprocess.run([sys.executable, "-m", "fieldtui", str(path)], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the app ran without a terminal")
    assert done.returncode == 2 and done.stdout == "", (done.stdout[:200], done.stderr)
    (line,) = done.stderr.strip().splitlines()
    assert "needs a terminal" in line and "fieldtui summary" in line
    assert (path.read_bytes() == before) if db == "existing" else not path.exists()


def test_file_names_holding_escape_sequences_print_safe(sample_copy, tmp_path):
    """Exports arrive from many laptops; a file name can hold an escape sequence (here one that
    retitles the terminal). Before, the merge's refusal and error lines, its report and export's
    line wrote it to the terminal as it was."""
    evil = "x\x1b]0;PWNED\x07y"
    export = tmp_path / f"{evil}.db"
    field = tmp_path / f"{evil}-field.db"
    field.write_bytes(sample_copy.read_bytes())
    outputs = []
    for args in (["export", field, export], ["merge", tmp_path / "hq.db", export, field], ["summary", export]):
        done = subprocess.run([sys.executable, "-m", "fieldtui", *map(str, args)], capture_output=True,
                              text=True, timeout=120)
        assert "Traceback" not in done.stderr
        outputs.append(done.stdout + done.stderr)
    said = "".join(outputs)
    assert "\x1b]" not in said and "\x07" not in said
    assert said.count("x\ufffd]0;PWNED\ufffdy") >= 4  # export's line, the report, the refusal, the error line
