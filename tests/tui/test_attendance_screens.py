"""Marking attendance as staff do: Enter on a session opens its roster, P and A mark each child
and move down; a session that was not held takes no marks."""

from __future__ import annotations

from textual.widgets import Static

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.roster import RosterScreen
from fieldtui.tui.screens.sessions import SessionListScreen
from tests.core.test_attendance_volunteers import child, session

from .helpers import fill, form_screen, settle


async def test_marking_a_roster_with_p_and_a_and_a_session_not_held(fresh_db):
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        child(store, cbo_id, "小红")
        child(store, cbo_id, "小明")
        held = session(store, cbo_id, "2011-03-02")
        not_held = session(store, cbo_id, "2011-03-09", held=False)
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open("sessions")
        await settle(pilot)
        assert isinstance(app.screen, SessionListScreen)
        sessions = app.screen
        sessions.table.move_cursor(row=sessions.table.get_row_index(held))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("p", "a")
        await settle(pilot)
        status = str(app.screen.query_one("#roster-status", Static).render())
        assert status.startswith("Present 1 · absent 1")
        await pilot.press("escape")
        await settle(pilot)
        sessions.table.move_cursor(row=sessions.table.get_row_index(not_held))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("p", "a")
        await settle(pilot)
        assert "was not held" in str(app.screen.query_one("#roster-status", Static).render())
    with Store.open_readonly(path) as store:
        marks = store.conn.execute("SELECT s.held_on, m.present FROM attendance m JOIN sessions s "
                                   "ON s.id = m.session_id WHERE m.deleted = 0 ORDER BY m.present").fetchall()
    assert [tuple(r) for r in marks] == [("2011-03-02", 0), ("2011-03-02", 1)]


async def test_a_marked_session_moved_before_its_childs_enrolment_is_refused_in_words_and_kept(fresh_db):
    """Ctrl+O on a session with a mark, its date typed a year early (before the child enrolled),
    Ctrl+S: the form stays open with a notice saying how many marks stand in the way."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        kid = child(store, cbo_id, "小红")
        sid = session(store, cbo_id, "2011-03-02")
        store.mark(sid, kid, True)
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_open("sessions")
        await settle(pilot)
        sessions = app.screen
        sessions.table.move_cursor(row=sessions.table.get_row_index(sid))
        await pilot.press("ctrl+o")
        await settle(pilot)
        await fill(pilot, "held_on", "2009-03-02")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert isinstance(form_screen(pilot), RecordFormScreen)  # still open, nothing lost
        assert any("Attendance marks at this session that would no longer fit: 1" in m for m in notices), notices
    with Store.open_readonly(path) as store:
        assert store.get_session(sid).held_on.isoformat() == "2011-03-02"
