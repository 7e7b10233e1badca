"""People counted nowhere are said to be, wherever the figures are read.

A person is counted while their CBO is live and one of their programmes is. Someone "tidying" the
file with the sqlite3 program (a CBO deleted, a programme marked removed), or two laptops each
removing one of a person's two programmes, leaves people registered but counted nowhere. The
Conflicts screen and `fieldtui conflicts` listed them; the figures a coordinator sends (the
summary, its JSON, the donor report) dropped them without a word, so 8,231 became 8,100 and
nobody reading the summary could know why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from fieldtui.core import summary
from fieldtui.core.store import Store
from tests.core.test_merge_rules import delete_with_sqlite3


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, text=True)


def _smallest_cbo_and_a_lone_trainee(path: Path) -> tuple[str, int, str, str]:
    """The CBO with the fewest people (and how many), and a person of another CBO whose only
    programme is one training (and that CBO)."""
    with Store.open_readonly(path) as store:
        cbo, people = store.conn.execute(
            "SELECT cbo_id, count(*) FROM participants WHERE deleted = 0 GROUP BY cbo_id ORDER BY 2 LIMIT 1").fetchone()
        person, home = store.conn.execute(
            "SELECT p.id, p.cbo_id FROM participants p WHERE p.deleted = 0 AND p.cbo_id != ? "
            "AND (SELECT count(*) FROM trainings t WHERE t.participant_id = p.id) = 1 "
            "AND NOT EXISTS (SELECT 1 FROM after_school a WHERE a.participant_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM other_programmes o WHERE o.participant_id = p.id) "
            "ORDER BY p.id LIMIT 1", (cbo,)).fetchone()
    return cbo, people, person, home


def test_the_summary_json_text_and_report_say_how_many_are_counted_nowhere(sample_copy, tmp_path):
    before = json.loads(cli("summary", str(sample_copy), "--json").stdout)
    assert before["uncounted"] == 0
    cbo, people, person, home = _smallest_cbo_and_a_lone_trainee(sample_copy)
    delete_with_sqlite3(sample_copy, "cbos", f"DELETE FROM cbos WHERE id = '{cbo}'; "
                             f"UPDATE trainings SET deleted = 1 WHERE participant_id = '{person}'")

    figures = json.loads(cli("summary", str(sample_copy), "--json").stdout)
    with Store.open_readonly(sample_copy) as store:
        listed = summary.uncounted(store)
    assert len(listed) == people + 1
    assert figures["uncounted"] == people + 1
    assert figures["direct_beneficiaries"] == before["direct_beneficiaries"] - people - 1
    one_cbo = json.loads(cli("summary", str(sample_copy), "--json", "--cbo", home).stdout)
    assert one_cbo["uncounted"] == 1

    text = cli("summary", str(sample_copy), "--lang", "en")
    assert text.returncode == 0, text.stderr
    said = f"{people + 1:,} registered people are counted nowhere"
    assert said in " ".join(text.stdout.split()), text.stdout

    made = cli("report", str(sample_copy), str(tmp_path / "report"), "--lang", "en")
    assert made.returncode == 0, made.stderr
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert said in page
    workbook = openpyxl.load_workbook(tmp_path / "report" / "report.xlsx", read_only=True)
    try:  # a read-only workbook keeps its file open until closed (else a warning in a later test)
        cells = [str(c) for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row if c]
    finally:
        workbook.close()
    assert any(c.startswith(said) for c in cells), cells


def test_nothing_is_said_when_everyone_counts(sample_copy):
    text = cli("summary", str(sample_copy), "--lang", "en")
    assert text.returncode == 0 and "counted nowhere" not in text.stdout
