"""A save that cannot be written, seen from the form: a clear message, the form keeps its content,
the file keeps its rows. SQLite itself refuses the write (`PRAGMA query_only`, reported exactly
like a read-only file); disk-full and I/O failures take the same path (tests/core/test_faults.py)."""

from __future__ import annotations

from textual.widgets import Input

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from tests.tui.helpers import fill_all, form_screen, person, settle


async def open_filled_trainee_form(pilot, cbo_id: str) -> None:
    """Trainees list, New, every field filled with a valid trainee named 李娜."""
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await fill_all(pilot, {**person(cbo_id, name="李娜"), "training.course": "厨师"})


async def test_unwritable_file_while_saving_a_trainee_keeps_the_form_and_says_why(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_filled_trainee_form(pilot, cbo_id)
        conn = app.store.conn
        conn.execute("PRAGMA query_only = ON")
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = form_screen(pilot)  # still the form
        name = screen.form.widget_for("participant.full_name")
        assert isinstance(name, Input) and name.value == "李娜"
        assert any("is read-only, so nothing was saved" in n for n in notes), notes
        assert app.store.count("trainees") == 0
        conn.execute("PRAGMA query_only = OFF")
        await pilot.press("ctrl+s")  # writable again: the same form saves
        await settle(pilot)
    with Store.open(path) as store:
        assert store.count("trainees") == 1


async def test_draft_timer_on_an_unwritable_file_warns_once_and_keeps_the_form(fresh_db):
    """The draft timer fires while the file cannot be written: no crash, one warning, form intact."""
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_filled_trainee_form(pilot, cbo_id)
        app.store.conn.execute("PRAGMA query_only = ON")
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        screen = form_screen(pilot)
        screen.keep_draft()
        screen.keep_draft()
        await settle(pilot)
        assert [n for n in notes if n.startswith("No draft could be kept")] == [notes[0]], notes
        assert "read-only" in notes[0]
        assert screen.form.widget_for("participant.full_name").value == "李娜"
        assert app.is_running
        app.store.conn.execute("PRAGMA query_only = OFF")
