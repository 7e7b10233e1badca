"""A record saved by another program while its form is open here (a second app on the same file,
an import): saving the form keeps what the other program changed in the fields this form did not
touch. Before, the form wrote back every field as it was when the form opened, so the other
program's edit was silently undone (the history then showed it reverted by this operator)."""

from __future__ import annotations

import subprocess
import sys

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import trainee

from .helpers import fill, settle

_OTHER_APP = """
import sys
from fieldtui.core.store import Store
path, training_id, field, value = sys.argv[1:]
with Store.open(path) as store:
    rec = store.get_trainee(training_id)
    part, name = field.split(".")
    changed = getattr(rec, part).model_copy(update={name: value})
    store.save_trainee(rec.model_copy(update={part: changed}))
"""


def _saved_elsewhere(path, training_id: str, field: str, value: str) -> None:
    """Another program (a second fieldtui on the same file) saves one field of the trainee."""
    subprocess.run([sys.executable, "-c", _OTHER_APP, str(path), training_id, field, value], check=True, timeout=60)


async def _open_the_trainee(app, pilot) -> None:
    """Trainees, Ctrl+O on the (only) trainee: its form."""
    app.action_open("trainees")
    await settle(pilot)
    await pilot.press("ctrl+o")
    await settle(pilot)


async def _edit_while_saved_elsewhere(path, training_id: str, here: dict[str, str], elsewhere: tuple[str, str]):
    app = FieldApp(path)
    async with app.run_test(size=(110, 40)) as pilot:
        await _open_the_trainee(app, pilot)
        _saved_elsewhere(path, training_id, *elsewhere)  # while the form is open here
        for field, value in here.items():
            await fill(pilot, field, value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        notices = [n.message for n in app._notifications]
    with Store.open_readonly(path) as store:
        return store.get_trainee(training_id), notices


async def test_a_field_saved_by_another_program_while_the_form_was_open_is_kept(fresh_db):
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        tid = store.save_trainee(trainee(cbo_id, "王芳", phone="13812345678")).training.id
    saved, notices = await _edit_while_saved_elsewhere(
        path, tid, {"training.course": "厨师"}, ("participant.phone", "13987654321"))
    assert saved.training.course == "厨师"  # this form's edit
    assert saved.participant.phone == "13987654321"  # the other program's, not undone
    assert any(n.startswith("Saved.") for n in notices), notices


async def test_one_field_changed_here_and_elsewhere_keeps_this_forms_value_and_says_so(fresh_db):
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        tid = store.save_trainee(trainee(cbo_id, "王芳")).training.id
    saved, notices = await _edit_while_saved_elsewhere(
        path, tid, {"training.course": "厨师"}, ("training.course", "焊工"))
    assert saved.training.course == "厨师"
    assert any("Course" in n and "elsewhere" in n for n in notices), notices
    with Store.open_readonly(path) as store:  # both versions are in its history, oldest first
        history = store.history(store.record_rows("trainees", tid))
    courses = [c.new for entry in reversed(history) for c in entry.changes or () if c.field == "course"]
    assert courses == ["电工", "焊工", "厨师"], courses  # created, elsewhere, here


async def test_a_draft_restored_after_another_program_saved_the_record_keeps_that_programs_edit(fresh_db):
    """The form typed, the app closed unsaved (its draft kept), another program saves the phone,
    the app restarts and the draft is restored and saved: the phone stays the other program's."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        tid = store.save_trainee(trainee(cbo_id, "王芳", phone="13812345678")).training.id
    app = FieldApp(path)
    async with app.run_test(size=(110, 40)) as pilot:
        await _open_the_trainee(app, pilot)
        await fill(pilot, "training.course", "厨师")
        await pilot.press("ctrl+q")  # closing keeps the typing as a draft
        await settle(pilot)
    _saved_elsewhere(path, tid, "participant.phone", "13987654321")
    app = FieldApp(path)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")  # "An unsaved trainee form … was kept. Restore it?"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Store.open_readonly(path) as store:
        saved = store.get_trainee(tid)
        assert store.drafts() == []
    assert (saved.training.course, saved.participant.phone) == ("厨师", "13987654321")


async def test_a_name_corrected_with_sqlite3_while_the_app_is_open_stays_in_the_list(fresh_db):
    """The app is open; someone corrects a name with the sqlite3 program (which drops that
    person's pinyin keys: migration 0013's trigger), then opens the trainees list here. Before,
    the app made keys again only at its start, so the person was missing from the list and from
    search until the app was restarted, though the figures counted them. Now the list shows them
    within a second."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        for name in ("王芳", "李四"):
            store.save_trainee(trainee(cbo_id, name))
    app = FieldApp(path)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        sqlite3_cli(path, "UPDATE participants SET full_name = '汪芳' WHERE full_name = '王芳'")
        await pilot.press("f3")
        await settle(pilot)
        for _ in range(20):  # the app notices another program's writes within a second
            if app.screen.table.row_count == 2:
                break
            await pilot.pause(0.25)
            await settle(pilot)
        table = app.screen.table
        shown = [table.get_row_at(i) for i in range(table.row_count)]
        assert table.row_count == 2 and any("汪芳" in str(cell) for row in shown for cell in row), shown
