"""Sessions, attendance marks and volunteers are checked value by value (exchange/by_value.py):
a value a form refuses, written into an export with the sqlite3 program in a row that is not the
first, still refuses the file with that row's id and rule, and headquarters is left as it was."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationInfo, field_validator

from fieldtui.core import exchange, models
from fieldtui.core.exchange.by_value import independent
from fieldtui.core.models import Volunteer, VolunteerHours, validate
from fieldtui.core.store import Store
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_exchange import reseal
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import make_cbo

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None and not os.environ.get("CI"),
                                reason="needs the sqlite3 CLI")


@pytest.fixture
def exported(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """HQ that merged nothing yet, and an export of five sessions, their marks and two volunteers."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as s:
        cbo = make_cbo(s)
        kids = [child(s, cbo, name) for name in ("小红", "小明")]
        days = [session(s, cbo, f"2011-03-{d:02d}") for d in (2, 9, 16, 23, 30)]
        for day in days:
            for kid in kids:
                s.mark(day, kid, True)
        vols = [s.save_volunteer(validate(Volunteer, dict(cbo_id=cbo, full_name=name, joined_on="2010-09-01"))).id
                for name in ("陈同学", "刘同学")]
        s.save_volunteer_hours(validate(VolunteerHours, dict(volunteer_id=vols[1], activity="after_school",
                                                             worked_on="2011-03-02", hours=2.5, session_id=days[0])))
    out = tmp_path / "export.db"
    exchange.export(field, out)
    last = {t: sqlite3.connect(out).execute(f"SELECT max(rowid), id FROM {t}").fetchone()[1]
            for t in ("sessions", "attendance", "volunteers")}
    return tmp_path / "hq.db", out, last


@pytest.mark.parametrize("table, edit, rule", [
    ("sessions", "held_on = '2999-01-01'", "cannot be in the future"),
    ("sessions", "topic = 'art' || char(7)", "control or invisible"),
    ("sessions", "programme = 'cooking'", "Programme"),
    ("attendance", "enrolment_id = ' '", "is required"),
    ("volunteers", "full_name = '12345'", "letters"),
])
def test_a_value_a_form_refuses_in_the_last_row_refuses_the_file(exported, table, edit, rule):
    hq, out, last = exported
    sqlite3_cli(out, f"PRAGMA ignore_check_constraints = ON; UPDATE {table} SET {edit} WHERE id = '{last[table]}'")
    reseal(out)
    with Store.open(hq, create=True):
        pass
    before = hq.read_bytes()
    (result,) = exchange.merge(hq, [out]).files
    assert not result.accepted
    assert f"{table} row {last[table]} breaks a rule" in result.reason, result.reason
    assert rule in result.reason, result.reason
    assert hq.read_bytes() == before


def test_the_same_export_unedited_is_accepted(exported):
    hq, out, _last = exported
    (result,) = exchange.merge(hq, [out]).files
    assert result.accepted, result.reason


def test_which_models_are_checked_value_by_value():
    # The speed of a merge rests on these (most of an export's rows are sessions and marks).
    assert all(independent(getattr(models, m)) for m in ("Session", "Attendance", "Volunteer", "VolunteerHours"))
    # A follow-up's rules read several fields together (employed, then a wage or a reason).
    assert not independent(models.Followup)

    class Reads(BaseModel):
        a: int
        b: int

        @field_validator("b")
        @classmethod
        def _b(cls, v: int, info: ValidationInfo) -> int:
            return v

    assert not independent(Reads)

    class AfterBuilt(BaseModel):
        a: int

        def model_post_init(self, context: object) -> None:
            pass

    assert not independent(AfterBuilt)
