"""Marking attendance as staff do: Enter on a session opens its roster, P and A mark each child
and move down; a session that was not held takes no marks."""

from __future__ import annotations

from textual.widgets import Static

from fieldtui.core.models import Volunteer, validate
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.roster import RosterScreen
from fieldtui.tui.screens.sessions import SessionListScreen
from fieldtui.tui.widgets.picker import Picker
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


async def test_the_hours_form_names_the_cbo_in_the_language_shown_and_offers_the_newest_session_first(fresh_db):
    """In Chinese, the hours form's volunteer and session named the CBO in English ("New Hope"
    where every other screen says 新希望); a session chosen kept that language after F12; and the
    session picker began with the oldest sessions, today's perhaps not among its 50."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo_id, full_name="马丹", joined_on="2011-01-05")))
        for day in ("2011-03-02", "2011-03-16", "2011-03-09"):
            session(store, cbo_id, day)
    app = FieldApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f12")  # 中文
        await settle(pilot)
        app.action_open("volunteers")
        await settle(pilot)
        await pilot.press("ctrl+l")  # log hours of the one volunteer
        await settle(pilot)

        def shown(path: str) -> str:
            return str(form_screen(pilot).form.widget_for(path).render())

        assert shown("volunteer_id") == "马丹 · 新希望"
        form_screen(pilot).form.widget_for("session_id").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Picker)
        options = app.screen.query_one("#picker-options")
        offered = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert offered == ["2011-03-16 · 课后项目 · 新希望", "2011-03-09 · 课后项目 · 新希望",
                           "2011-03-02 · 课后项目 · 新希望"]
        await pilot.press("enter")
        await settle(pilot)
        assert shown("session_id") == "2011-03-16 · 课后项目 · 新希望"
        await pilot.press("f12")  # English
        await settle(pilot)
        assert shown("volunteer_id") == "马丹 · New Hope"
        assert shown("session_id") == "2011-03-16 · After school · New Hope"


async def sessions_offered(pilot) -> list[str]:
    """From the volunteers list, Ctrl+L (log hours of the one volunteer), Enter on the session
    field: the picker's rows as shown."""
    pilot.app.action_open("volunteers")
    await settle(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)
    form_screen(pilot).form.widget_for("session_id").focus()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, Picker)
    options = pilot.app.screen.query_one("#picker-options")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_session_picker_offers_the_chosen_volunteers_cbo_only_and_says_what_it_searches(fresh_db):
    """The session picker listed every CBO's sessions (another's was refused only at the save,
    "the session is at another CBO") and its search box said "name, phone or ID"."""
    from tests.core.test_store import make_cbo

    path, cbo_id = fresh_db
    with Store.open(path) as store:
        other = make_cbo(store, "Xin Zhi Guan")
        store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo_id, full_name="马丹", joined_on="2011-01-05")))
        session(store, cbo_id, "2011-03-02")
        session(store, other, "2011-03-09")  # newer, at the other CBO
    app = FieldApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await sessions_offered(pilot) == ["2011-03-02 · After school · New Hope"]
        assert app.screen.query_one("#picker-search").placeholder == "Search date, topic or ID…"


async def test_saved_hours_edited_after_f12_are_not_said_to_be_changed_elsewhere(fresh_db):
    """The form compares the record as stored with the one it opened to take what another
    program saved meanwhile. A session's and a volunteer's [id, label] were compared whole, and
    the label follows the language: after F12, a session chosen on the form was "also changed
    elsewhere" (a warning about nothing); now a picker compares by its id."""
    from fieldtui.core.models import VolunteerHours

    path, cbo_id = fresh_db
    with Store.open(path) as store:
        volunteer = store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo_id, full_name="马丹",
                                                                  joined_on="2011-01-05")))
        first = session(store, cbo_id, "2011-03-02")
        later = session(store, cbo_id, "2011-03-09")
        hours = store.save_volunteer_hours(validate(VolunteerHours, dict(
            volunteer_id=volunteer.id, activity="after_school", worked_on="2011-03-02", hours=2, session_id=first)))
    app = FieldApp(path)
    said: list[str] = []
    app.notify = lambda message, **_kw: said.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 30)) as pilot:
        app.action_open("volunteer_hours")
        await settle(pilot)
        app.screen.open_form(hours.id)
        await settle(pilot)
        await pilot.press("f12")  # 中文
        await settle(pilot)
        form_screen(pilot).form.widget_for("session_id").focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the newest session first
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert said == ["已保存。"]
    with Store.open_readonly(path) as store:
        assert store.get_volunteer_hours(hours.id).session_id == later


async def test_enter_or_space_on_a_child_of_the_attendance_list_opens_their_page(sample_copy):
    """The attendance list (Ctrl+T: children often absent) is where a coordinator finds whom to
    call; it offered no way to the child: Enter and Space did nothing. Now both open the child's
    page (their programmes, the guardian), as Space does on every list of people."""
    from fieldtui.tui.screens.person import PersonScreen

    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 30)) as pilot:
        app.action_open("attendance")
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+t")  # the children often absent
        await settle(pilot)
        child = screen.table.current_row()
        assert child is not None
        assert "Person" in {key.description for key in screen.query("FooterKey")}
        for key in ("enter", "space"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, PersonScreen) and app.screen.participant_id == child["participant_id"], key
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen


async def test_the_session_picker_finds_a_held_session_behind_many_not_held(fresh_db):
    """The picker read one page of 50 and then hid the sessions not held: with 50 newer ones not
    held (a term of cancelled Saturdays), it offered nothing. It now reads on until it has rows
    to show."""
    import datetime as dt

    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo_id, full_name="马丹", joined_on="2011-01-05")))
        session(store, cbo_id, "2011-01-08")
        for day in range(55):
            session(store, cbo_id, (dt.date(2011, 2, 1) + dt.timedelta(days=day)).isoformat(), held=False)
    app = FieldApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await sessions_offered(pilot) == ["2011-01-08 · After school · New Hope"]


async def test_volunteers_are_in_pinyin_order_and_found_by_pinyin_and_initials(fresh_db):
    """The volunteers list sorted names by their characters' code points (张 before 李 before 王)
    and a search for "wang" or "zw" found nobody, where every list of people is in pinyin order
    and found by pinyin and initials."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        for name in ("王芳", "张伟", "李明", "安娜", "Zoe Li"):
            store.save_volunteer(validate(Volunteer, dict(cbo_id=cbo_id, full_name=name, joined_on="2011-01-05")))
    app = FieldApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        app.action_open("volunteers")
        await settle(pilot)
        table = app.screen.table

        def names() -> list[str]:
            return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]

        assert names() == ["安娜", "李明", "王芳", "张伟", "Zoe Li"]
        for typed, expected in (("wang", ["王芳"]), ("zw", ["张伟"]), ("Li", ["李明"]), ("王", ["王芳"]),
                                ("zoe", ["Zoe Li"])):
            await pilot.press("ctrl+f", "ctrl+a", "ctrl+k", *typed)  # the search box emptied, then typed
            await pilot.pause(0.4)  # the search applies after a short pause in typing
            await settle(pilot)
            assert names() == expected, typed
