"""Issue 18 in the app: who is working (asked at start, from the palette, with a PIN), each
record's History (Ctrl+Y on a row or in its form) with old and new values, in both languages,
and F10 sealing exports to headquarters' key set in the settings screen."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Input, Static

from fieldtui.core import exchange
from fieldtui.core.db.connect import is_age_file
from fieldtui.core.exchange import keys
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.history import HistoryScreen
from fieldtui.tui.screens.operator import OperatorScreen
from fieldtui.tui.screens.trainees import TraineeListScreen

from .helpers import fill, fill_all, person, settle

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")


def history_rows(app) -> list[tuple[str, ...]]:
    assert isinstance(app.screen, HistoryScreen), app.screen
    table = app.screen.query_one("#history", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def sign_in(pilot, name: str, pin: str = "") -> None:
    assert isinstance(pilot.app.screen, OperatorScreen)
    pilot.app.screen.query_one("#operator-name", Input).focus()
    await pilot.press("end", "ctrl+u", *name, "enter")
    if pin:
        await pilot.press(*pin)
    await pilot.press("enter")
    await settle(pilot)


async def test_every_change_in_the_app_shows_in_history_with_operator_time_old_and_new(fresh_db):
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.add_operator("李老师", "2468")
        store.add_operator("张主任")
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "李老师", "1111")  # wrong PIN: told, still asked
        assert isinstance(app.screen, OperatorScreen)
        assert "wrong PIN" in str(app.screen.query_one("#operator-error", Static).render())
        await sign_in(pilot, "李老师", "2468")
        assert app.store.operator == "李老师"

        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), "training.course": "厨师", "participant.phone": "13812345678"})
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("ctrl+p", *"who is working")  # another operator takes over, from the palette
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        await sign_in(pilot, "张主任")
        assert isinstance(app.screen, TraineeListScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await fill(pilot, "participant.full_name", "王芳")
        await fill(pilot, "participant.phone", "")
        await fill(pilot, "training.course", "电工")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f8", "y")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)

        await pilot.press("ctrl+y")
        await settle(pilot)
        rows = history_rows(app)
        assert all(STAMP.match(r[0]) for r in rows)
        changed = {r[1:] for r in rows}
        assert ("张主任", "Changed", "Full name", "王小明 → 王芳") in changed
        assert ("张主任", "Changed", "Phone", "13812345678 → —") in changed
        assert ("张主任", "Changed", "Course", "厨师 → 电工") in changed
        assert ("李老师", "Created", "Full name", "— → 王小明") in changed
        assert ("李老师", "Created", "Registered by", "— → 李老师") in changed
        assert ("张主任", "Removed", "", "") in changed and ("张主任", "Restored", "", "") in changed
        assert rows[0][2] == "Restored"  # newest first
        await pilot.press("escape")

        await pilot.press("ctrl+o")  # the same History from the record's form
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert history_rows(app) == rows
        await pilot.press("escape", "f12")  # in Chinese
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert ("张主任", "修改", "姓名", "王小明 → 王芳") in {r[1:] for r in history_rows(app)}
    with Store.open(path) as store:
        assert [tuple(r) for r in store.conn.execute("SELECT registered_by FROM participants")] == [("李老师",)]


async def test_a_file_without_operators_asks_nobody_and_escape_keeps_the_operator(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path, operator="王老师")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, OperatorScreen)
        await pilot.press("ctrl+p", *"who is working")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.operator == "王老师"


async def test_a_name_with_a_pin_given_on_the_command_line_waits_for_its_pin(fresh_db):
    path, _cbo = fresh_db
    with Store.open(path) as store:
        store.add_operator("李老师", "2468")
    app = FieldApp(path, operator="李老师")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen)
        assert app.screen.query_one("#operator-name", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.operator != "李老师"


async def test_f10_seals_to_the_key_set_in_the_settings_screen(tmp_path, fresh_db, monkeypatch):
    path, cbo_id = fresh_db
    monkeypatch.chdir(tmp_path)
    identity, public = keys.init(tmp_path / "hq")
    with Store.open(path) as store:
        from tests.core.test_store import trainee

        store.save_trainee(trainee(cbo_id, "李梅"))
    app = FieldApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"headquarters")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*str(public), "enter")
        await settle(pilot)
        assert keys.export_recipient() == keys.recipient(str(public))
        await pilot.press("f10")
        await settle(pilot)
        await pilot.click("#export-path")
        await pilot.press("end", "ctrl+u", *"sent.db")
        await pilot.click("#export")
        await settle(pilot)
        assert "sealed for headquarters" in str(app.screen.query_one("#status", Static).render()).lower()
    raw = (tmp_path / "sent.db").read_bytes()
    assert is_age_file(tmp_path / "sent.db") and not raw.startswith(b"SQLite format 3")
    assert "李梅".encode() not in raw
    exchange.merge(tmp_path / "hq.db", [tmp_path / "sent.db"], identities=keys.identities(identity))
    with Store.open(tmp_path / "hq.db") as hq:
        assert [r["full_name"] for r in hq.page("trainees")] == ["李梅"]



async def test_history_from_the_palette_on_a_list(fresh_db):
    path, cbo_id = fresh_db
    from tests.core.test_store import trainee

    with Store.open(path, operator="王老师") as store:
        store.save_trainee(trainee(cbo_id, "李梅"))
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+p", *"history")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert ("王老师", "Created", "Full name", "— → 李梅") in {r[1:] for r in history_rows(app)}
