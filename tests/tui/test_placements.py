"""Job placements: the trainee comes from a searchable picker; add, reject, edit, remove, restore."""

from __future__ import annotations

from fieldtui.core.models import Participant, TraineeRecord, Training
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.placements import PlacementListScreen
from fieldtui.tui.widgets.picker import TraineePicker

from .helpers import error_text, fill, fill_all, form_screen, settle


def add_trainee(path, cbo_id, name, status="completed"):
    with Store.open(path) as store:
        return store.save_trainee(TraineeRecord(
            participant=Participant(cbo_id=cbo_id, full_name=name, gender="female", birth_year=1995,
                                    province="河南", origin="recent_arrival", registered_on="2024-01-05",
                                    registered_by="t"),
            training=Training(course="厨师", start_date="2024-01-10", end_date="2024-04-10", status=status),
        ))


async def test_add_edit_remove_restore_a_placement(fresh_db):
    path, cbo_id = fresh_db
    trainee = add_trainee(path, cbo_id, "陈静")
    add_trainee(path, cbo_id, "刘洋")
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, PlacementListScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("enter")  # the trainee field has the focus: open the picker
        await settle(pilot)
        assert isinstance(app.screen, TraineePicker)
        await pilot.press("陈")
        await settle(pilot)
        assert len(app.screen.rows) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert form_screen(pilot).form.values()["training_id"][0] == trainee.training.id
        await fill_all(pilot, {"employer": "海底捞", "job_title": "服务员", "start_date": "2024-01-01",
                               "wage_cny": "0"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        assert error_text(pilot, "wage_cny") == "Monthly wage (¥): must be more than 0"
        await fill(pilot, "wage_cny", "4500")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # a rule needing the trainee's enrolment is checked by the store and shown at its field
        assert "cannot be before the training started (2024-01-10)" in error_text(pilot, "start_date")
        await fill(pilot, "start_date", "2024-05-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlacementListScreen)
        table = app.screen.table
        assert table.total == 1
        placement_id = table.current_row()["id"]
        await pilot.press("enter")
        await settle(pilot)
        assert form_screen(pilot).form.values()["training_id"][1].startswith("陈静")
        await fill(pilot, "verified", True)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f8", "y")
        await settle(pilot)
        assert table.total == 0
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
    with Store.open(path) as store:
        placement = store.get_placement(placement_id)
    assert placement.verified and placement.wage_cny == 4500 and not placement.deleted


async def test_placement_needs_a_trainee(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {"employer": "A", "job_title": "B", "wage_cny": "3000"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "a placement is only for a trainee" in error_text(pilot, "training_id")
    with Store.open(path) as store:
        assert store.count("placements") == 0
