"""Headquarters refused a laptop's export, naming a row ("after_school row 0190… breaks a rule:
…", after the file was edited outside the app), and staff must find that record to correct it.
Before, nothing in the app found a record by its id: lists are searched by name and phone, and
the refusal quotes neither (no personal data in it). Ctrl+P "Open a record by its id" takes the
id, or the whole line pasted, and opens the record's form; corrected, the next export merges."""

from __future__ import annotations

import pytest

from fieldtui.core import exchange
from fieldtui.core.store import Store, StoreError
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.children import ChildForm
from fieldtui.tui.screens.find_record import FindRecordScreen
from fieldtui.tui.screens.person import PersonScreen
from fieldtui.tui.screens.trainees import TraineeForm
from fieldtui.tui.widgets.confirm import Confirm
from tests.core.test_attendance_volunteers import child, session
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import make_cbo, trainee

from .helpers import fill, form_screen, settle


async def open_the_dialog(pilot) -> None:
    """Ctrl+P, the command typed, Enter: the dialog that takes an id."""
    await pilot.press("ctrl+p", *"record by its id")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def refusal(field, tmp_path) -> str:
    out = tmp_path / "export.db"
    exchange.export(field, out)
    report = exchange.merge(tmp_path / "hq.db", [out])
    return report.files[0].reason or ""


async def test_the_row_a_refusal_names_is_opened_by_its_id_and_corrected(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        kid = child(store, make_cbo(store), "李小兰")
        person = store.get_child(kid).participant.id
    sqlite3_cli(field, f"UPDATE participants SET birth_year = 1990 WHERE id = '{person}'")  # a "fix" outside
    said = refusal(field, tmp_path)
    assert kid in said and "李小兰" not in said, said
    app = FieldApp(field)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_the_dialog(pilot)
        await pilot.press("0000", "enter")  # no such record: said, the dialog stays
        await settle(pilot)
        assert "No record" in str(app.screen.query_one("#find-error").render())
        await pilot.press("ctrl+a", "ctrl+k")
        app.screen.query_one("#find-id").insert_text_at_cursor(said)  # the refusal line, pasted
        await pilot.press("enter")
        await settle(pilot)
        form = form_screen(pilot)
        assert isinstance(form, ChildForm) and form.record_id == kid
        await fill(pilot, "participant.birth_year", "2001")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ChildForm)
    assert refusal(field, tmp_path) == ""


async def test_a_form_with_unsaved_changes_asks_before_the_found_record_replaces_it(tmp_path):
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        kid = child(store, make_cbo(store), "李小兰")
    app = FieldApp(field)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f4", "ctrl+n")
        await settle(pilot)
        await fill(pilot, "participant.full_name", "王新来")  # typed, not saved
        await open_the_dialog(pilot)
        app.screen.query_one("#find-id").insert_text_at_cursor(kid)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert any("unsaved changes" in str(w.render()) for w in app.screen.query("Static"))
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        form = form_screen(pilot)
        assert form.record_id is None and form.form.values()["participant.full_name"] == "王新来"


async def test_a_removed_record_and_a_mark_are_said_not_opened(tmp_path):
    """A removed record: restore it first (its form would edit a tombstone). An attendance mark
    has no form of its own: the note names the screen that holds it."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        cbo = make_cbo(store)
        gone = child(store, cbo, "李小兰")
        store.delete("children", gone)
        kid = child(store, cbo, "王小红")
        sid = session(store, cbo, "2010-10-08")
        store.mark(sid, kid, True)
        mark = store.conn.execute("SELECT id FROM attendance").fetchone()[0]
    app = FieldApp(field)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_the_dialog(pilot)
        app.screen.query_one("#find-id").insert_text_at_cursor(f"after_school row {gone} breaks a rule")
        await pilot.press("enter")
        await settle(pilot)
        assert "removed" in str(app.screen.query_one("#find-error").render())
        await pilot.press("ctrl+a", "ctrl+k")
        app.screen.query_one("#find-id").insert_text_at_cursor(mark)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FindRecordScreen)
        assert any("Attendance" in str(n.message) for n in app._notifications)


async def test_a_birth_year_mistyped_outside_as_text_is_named_found_and_corrected(tmp_path):
    """"199O" typed into a cell with a database browser: the export went out and headquarters
    said only "participants.birth_year holds values of the wrong type", naming no row. Now the
    export itself names the row, which opens in its form showing what is stored, to be corrected."""
    field = tmp_path / "field.db"
    with Store.open(field, create=True) as store:
        saved = store.save_trainee(trainee(make_cbo(store)))
    person, training = saved.participant.id, saved.training.id
    sqlite3_cli(field, f"UPDATE participants SET birth_year = '199O' WHERE id = '{person}'")
    with pytest.raises(StoreError) as refused:
        exchange.export(field, tmp_path / "export.db")
    said = str(refused.value)
    assert person in said and "wrong type" in said and "王建国" not in said, said
    assert "headquarters would refuse" in said and not (tmp_path / "export.db").exists()
    app = FieldApp(field)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_the_dialog(pilot)
        app.screen.query_one("#find-id").insert_text_at_cursor(said)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)  # a person row: their page, showing what is stored
        assert "199O" in str(app.screen.query_one("#person-card").render())
        await pilot.press("enter")  # their training: its form holds the person's fields
        await settle(pilot)
        assert form_screen(pilot).record_id == training
        assert form_screen(pilot).form.widget_for("participant.birth_year").value == "199O"  # shown as stored
        await fill(pilot, "participant.birth_year", "1990")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TraineeForm)
    assert refusal(field, tmp_path) == ""


async def test_a_programme_opened_from_the_person_page_leads_back_to_it_and_to_the_searched_list(sample_copy):
    """Enter on a programme of the person page opened its form by way of its list (every screen
    above home closed), so Escape led to a fresh trainees list: the person page gone, the search
    typed before it cleared (found by a helper). The form now opens over the page."""
    from textual.widgets import Input

    from fieldtui.tui.screens.trainees import TraineeListScreen

    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+f", *"wang", "escape")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TraineeForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
        assert app.screen.query_one("#search", Input).value == "wang"
