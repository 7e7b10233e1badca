"""Recording a job follow-up from the due list takes a few keys: Enter on the check, the answer
(still employed is already ticked), Ctrl+S; the check leaves the list."""

from __future__ import annotations

import datetime as dt

from fieldtui.core import clock
from fieldtui.core.models import Placement, validate
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.followups import FollowupScreen

from .helpers import error_text, fill, form_screen, settle
from .test_placements import add_trainee


async def test_a_check_due_is_recorded_from_the_list_in_a_few_keys(fresh_db, monkeypatch):
    path, cbo_id = fresh_db
    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 9, 10))
    trainee = add_trainee(path, cbo_id, "陈静")
    with Store.open(path) as store:
        placement = store.save_placement(validate(Placement, dict(
            training_id=trainee.training.id, employer="海底捞", job_title="服务员", start_date="2024-05-01",
            wage_cny=3000)))
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open("followups")
        await settle(pilot)
        assert isinstance(app.screen, FollowupScreen)
        rows = app.screen.table
        assert rows.row_count == 1  # the 3-month check (due 2024-08-01); the 6-month one is not due yet
        await pilot.press("enter")
        await settle(pilot)
        form = form_screen(pilot)
        assert form.form.values()["placement_id"][0] == placement.id
        await fill(pilot, "wage_cny", "3200")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FollowupScreen)
        assert app.screen.table.row_count == 0
    with Store.open_readonly(path) as store:
        saved = store.conn.execute("SELECT due_month, checked_on, employed, wage_cny FROM followups").fetchall()
    assert [tuple(r) for r in saved] == [(3, "2024-09-10", 1, 3200.0)]


async def test_a_wage_typed_with_a_thousands_comma_is_saved(fresh_db, monkeypatch):
    """"3,500" got through the field's key filter and was refused on Ctrl+S with "must be a
    number" (the CBO form's grant took "1,000"); a comma that groups no thousands is named."""
    path, cbo_id = fresh_db
    monkeypatch.setattr(clock, "today", lambda: dt.date(2024, 9, 10))
    trainee = add_trainee(path, cbo_id, "陈静")
    with Store.open(path) as store:
        store.save_placement(validate(Placement, dict(
            training_id=trainee.training.id, employer="海底捞", job_title="服务员", start_date="2024-05-01",
            wage_cny=3000)))
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open("followups")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, "wage_cny", "3,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "wage_cny") == ("Monthly wage (¥): write thousands in groups of three (3,500) "
                                                 "and decimals after a point (3.5)")
        await fill(pilot, "wage_cny", "3,500")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FollowupScreen), error_text(pilot, "wage_cny")
    with Store.open_readonly(path) as store:
        assert store.conn.execute("SELECT wage_cny FROM followups").fetchone()[0] == 3500
