"""Other direct participants: add, reject, remove, restore."""

from __future__ import annotations

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.participants import ParticipantListScreen

from .helpers import error_text, fill_all, person, settle


async def test_add_and_reject_other_participants(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ParticipantListScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id, name="张盲"), "programme.start_date": "2999-01-01"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        assert error_text(pilot, "programme.programme") == "Programme: is required"
        assert error_text(pilot, "programme.start_date") == "Start date: cannot be in the future"
        await fill_all(pilot, {"programme.programme": "blind_adult_training", "programme.start_date": "2024-03-01"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ParticipantListScreen)
        table = app.screen.table
        assert table.total == 1
        await pilot.press("f8", "y")
        await settle(pilot)
        assert table.total == 0
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert table.total == 1
    with Store.open(path) as store:
        row = store.page("participants")[0]
    assert (row["full_name"], row["programme"]) == ("张盲", "blind_adult_training")
