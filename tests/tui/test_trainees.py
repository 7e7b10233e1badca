"""Trainees: add, reject, edit, remove, restore, search, duplicates, dirty guard, drafts, summary."""

from __future__ import annotations

import json

from click.testing import CliRunner
from textual.widgets import Input

from fieldtui.cli import main
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.trainees import TraineeForm, TraineeListScreen
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.duplicates import Duplicates

from .helpers import error_text, fill, fill_all, form_screen, person, settle

VALID_TRAINING = {"training.course": "厨师"}


def trainees(path, **kw) -> int:
    with Store.open(path) as store:
        return store.count("trainees", **kw)


async def test_add_a_valid_trainee(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), **VALID_TRAINING})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
        assert app.screen.table.row_count == 1
        assert str(app.screen.query_one("#row-count").render()) == "1 trainee"
    with Store.open(path) as store:
        row = store.page("trainees")[0]
    assert (row["full_name"], row["birth_year"], row["course"], row["province"]) == ("王小明", 1990, "厨师", "Henan")


async def test_invalid_trainee_shows_messages_beside_fields_and_writes_nothing(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id, year="2015"), **VALID_TRAINING, "participant.phone": "12345"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)  # still on the form
        assert error_text(pilot, "participant.phone") == (
            "Phone: must be an 11-digit mainland mobile number, e.g. 13812345678")
        assert error_text(pilot, "participant.full_name") == ""
        # the first bad field (in form order) has the focus
        assert app.focused is form_screen(pilot).form.widget_for("participant.phone")
        # fix the phone: now the age rule (needs both person and enrolment) speaks at the birth year
        await fill(pilot, "participant.phone", "13812345678")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least 16" in error_text(pilot, "participant.birth_year")
        assert error_text(pilot, "participant.phone") == ""
        assert app.focused is form_screen(pilot).form.widget_for("participant.birth_year")
    assert trainees(path) == 0


async def test_bad_date_is_explained(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), **VALID_TRAINING, "training.start_date": "2024-13-01"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "training.start_date") == "Start date: 2024-13-01 is not a date: there is no month 13"
    assert trainees(path) == 0


async def test_edit_remove_restore_and_search(sample_copy):
    with Store.open(sample_copy) as store:
        before = store.count("trainees")
        first = store.page("trainees", limit=1)[0]
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert screen.table.current_row()["id"] == first["id"]
        # edit: Enter opens the record, change the course, save in place
        await pilot.press("enter")
        await settle(pilot)
        assert form_screen(pilot).record_id == first["id"]
        assert form_screen(pilot).form.values()["participant.full_name"] == first["full_name"]
        await fill(pilot, "training.course", "电工")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        # remove, with confirmation
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert screen.table.total == before - 1
        assert first["id"] not in screen.table.rows_by_id
        # show removed: the row is back, marked; F9 restores it
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen.table.move_to(first["id"])
        assert screen.table.current_row()["deleted"] == 1
        await pilot.press("f9")
        await settle(pilot)
        assert screen.table.current_row()["deleted"] == 0
        await pilot.press("ctrl+t")
        await settle(pilot)
        # search as you type (Enter applies at once; typing applies after a short pause)
        await pilot.press("ctrl+f", *first["full_name"], "enter")
        await settle(pilot)
        rows = list(screen.table.rows_by_id.values())
        assert rows and all(r["full_name"].startswith(first["full_name"]) for r in rows)
        assert screen.table.total < before
    with Store.open(sample_copy) as store:
        record = store.get_trainee(first["id"])
        assert record.training.course == "电工" and not record.training.deleted
        assert record.participant.id == first["participant_id"]  # saved in place, no new person
        assert store.count("trainees") == before


async def test_duplicate_warning_offers_existing_record_or_save_anyway(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            await pilot.press("f3", "ctrl+n")
            await settle(pilot)
            await fill_all(pilot, {**person(cbo_id), **VALID_TRAINING})
            await pilot.press("ctrl+s")
            await settle(pilot)
            if isinstance(app.screen, Duplicates):
                break
        assert isinstance(app.screen, Duplicates)
        assert trainees(path) == 1
        # open the existing record instead
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, TraineeForm) and app.screen.record_id is not None
        await pilot.press("escape")
        await settle(pilot)
        # again, and this time save anyway
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), **VALID_TRAINING})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Duplicates)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    assert trainees(path) == 2


async def test_leaving_a_dirty_form_asks(fresh_db):
    path, _cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await pilot.press("escape")  # clean form: leaves at once
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill(pilot, "participant.full_name", "李四")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, TraineeForm)
        assert app.screen.form.values()["participant.full_name"] == "李四"
        await pilot.press("f2")  # global navigation is guarded too
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, RecordFormScreen)
    with Store.open(path) as store:
        assert store.drafts() == []  # discarded means gone
        assert store.count("trainees") == 0


async def test_draft_survives_closing_without_saving(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {"participant.full_name": "赵六", "training.course": "育婴师"})
        await pilot.pause(0.8)  # the draft is kept shortly after typing stops (a crash loses nothing more)
        with Store.open_readonly(path) as other:
            kept = other.drafts()
        assert len(kept) == 1 and kept[0]["data"]["values"]["participant.full_name"] == "赵六"
        await fill(pilot, "participant.phone", "139")
        await pilot.press("ctrl+q")  # closing keeps the very latest typing too
        await settle(pilot)
    assert trainees(path) == 0

    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)  # offered at start
        await pilot.press("y")
        await settle(pilot)
        form = form_screen(pilot)
        values = form.form.values()
        assert (values["participant.full_name"], values["training.course"], values["participant.phone"]) == (
            "赵六", "育婴师", "139")
        assert form.dirty
        await fill_all(pilot, {**person(cbo_id, name="赵六"), "participant.phone": "13912345678"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    with Store.open(path) as store:
        assert store.drafts() == []  # deleted on save
        assert store.count("trainees") == 1


async def test_discarded_draft_is_not_offered_again(fresh_db):
    path, _cbo = fresh_db
    with Store.open(path) as store:
        store.save_draft("trainees:new", "trainees", None, {"values": {"participant.full_name": "X"}, "hidden": {}})
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
    with Store.open(path) as store:
        assert store.drafts() == []


def summary_json(path) -> dict:
    result = CliRunner().invoke(main, ["summary", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


async def test_a_trainee_added_in_the_ui_adds_one_trainee_and_one_beneficiary(sample_copy):
    before = summary_json(sample_copy)
    with Store.open(sample_copy) as store:
        cbo_id = store.page("trainees", limit=1)[0]["cbo_id"]
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id, name="Testperson Unique"), **VALID_TRAINING})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    after = summary_json(sample_copy)
    assert after["trainees"] - before["trainees"] == 1
    assert after["direct_beneficiaries"] - before["direct_beneficiaries"] == 1
    assert after["after_school_children"] == before["after_school_children"]


async def test_search_as_you_type_without_enter(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+f", "王")
        await settle(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        table = app.screen.table
        assert table.search == "王"
        assert all(r["full_name"].startswith("王") for r in table.rows_by_id.values())
        assert app.screen.query_one("#search", Input).value == "王"
