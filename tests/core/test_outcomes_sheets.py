"""The outcomes' kinds go out to a spreadsheet and come back in (CSV and XLSX): a file whose
follow-ups, marks and hours were lost gets the same figures back from its own export."""

from __future__ import annotations

import csv
import shutil
import sqlite3

import pytest

from fieldtui.core import sheets
from fieldtui.core.store import Store
from tests.core.test_outcomes_exchange import figures, fill
from tests.core.test_store import make_cbo

LOST = ("attendance", "followups", "volunteer_hours")


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_outcomes_round_trip_through_a_spreadsheet(tmp_path, ext):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        fill(s)
        for kind in LOST:
            assert sheets.export_table(s, kind, tmp_path / f"{kind}.{ext}") > 0
    lost = tmp_path / "lost.db"
    shutil.copyfile(field, lost)
    conn = sqlite3.connect(lost)
    for table in LOST:  # our guard dropped, as a restore from a partial backup would be done
        conn.execute(f"DROP TRIGGER {table}_never_deleted")
        conn.execute(f"DELETE FROM {table}")
    conn.commit()
    conn.close()
    assert figures(lost)["volunteer_hours"] == 0
    with Store.open(lost) as s:
        for kind in reversed(LOST):  # hours, follow-ups, then marks
            report = sheets.import_table(s, kind, tmp_path / f"{kind}.{ext}")
            assert report.ok and report.written == 1 + (kind == "attendance"), report.errors
    assert figures(lost) == figures(field)


def test_sessions_and_volunteers_name_their_cbo_in_the_sheet(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as s:
        fill(s)
        for kind in ("sessions", "volunteers"):
            sheets.export_table(s, kind, tmp_path / f"{kind}.csv")
    with Store.open(tmp_path / "other.db", create=True) as other:
        make_cbo(other, "Xin Zhi Guan")
        make_cbo(other)  # the sheet names "Bright Angel Fund"
        for kind, n in (("sessions", 2), ("volunteers", 1)):
            report = sheets.import_table(other, kind, tmp_path / f"{kind}.csv")
            assert (report.ok, report.written) == (True, n), report.errors
        assert {r[0] for r in other.conn.execute(
            "SELECT c.name_en FROM sessions s JOIN cbos c ON c.id = s.cbo_id")} == {"Bright Angel Fund"}


def test_outcome_sheets_imported_again_change_nothing(tmp_path):
    """Marks, checks and hours imported a second time (the same sheets): nothing written again,
    the figures as they were. Before, the marks and checks were refused as already recorded
    (nothing of the sheet written) and the hours counted twice."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        fill(s)
        for kind in (*LOST, "placements", "volunteers"):
            sheets.export_table(s, kind, tmp_path / f"{kind}.csv")
    before = figures(field)
    with Store.open(field) as s:
        for kind in (*LOST, "placements", "volunteers"):
            report = sheets.import_table(s, kind, tmp_path / f"{kind}.csv")
            assert report.ok and report.written == 0 and report.already_stored > 0, (kind, report.errors)
    assert figures(field) == before


def test_a_sheets_own_equal_hours_are_two_stints(tmp_path):
    """Two equal rows of hours in one sheet (a morning and an afternoon) are both written; the
    same sheet again writes neither."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        fill(s)
        sheets.export_table(s, "volunteer_hours", tmp_path / "hours.csv")
        s.conn.execute("UPDATE volunteer_hours SET deleted = 1")  # as if never recorded here
    lines = (tmp_path / "hours.csv").read_text(encoding="utf-8-sig").splitlines()
    (tmp_path / "twice.csv").write_text("\n".join([lines[0], lines[1], lines[1]]) + "\n", encoding="utf-8-sig")
    with Store.open(field) as s:
        first = sheets.import_table(s, "volunteer_hours", tmp_path / "twice.csv")
        again = sheets.import_table(s, "volunteer_hours", tmp_path / "twice.csv")
    assert (first.written, first.already_stored) == (2, 0), first.errors
    assert (again.written, again.already_stored) == (0, 2), again.errors


def test_a_wage_written_with_thousands_separators_in_a_sheet_is_read(tmp_path):
    """A follow-up sheet typed by hand ("3,500", "３，５００" in full width): each check's wage is
    read as 3500, as the form reads it; before, each row was refused ("must be a number")."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        fill(s)
        sheets.export_table(s, "followups", tmp_path / "followups.csv")
    conn = sqlite3.connect(field)
    conn.execute("DROP TRIGGER followups_never_deleted")  # as if never recorded here (the round trip's way)
    conn.execute("DELETE FROM followups")
    conn.commit()
    conn.close()
    for typed in ("3,500", "３，５００"):
        with open(tmp_path / "followups.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows[0]["wage_cny"] = typed
        with open(tmp_path / "typed.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        with Store.open(field) as s:
            report = sheets.import_table(s, "followups", tmp_path / "typed.csv")
            assert report.ok and report.written + report.already_stored == 1, report.errors
            assert [r[0] for r in s.conn.execute("SELECT wage_cny FROM followups")] == [3500]
