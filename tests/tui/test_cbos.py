"""CBOs: add, reject, edit, remove (refused while it has people), restore, search."""

from __future__ import annotations

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.cbos import CBOListScreen
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.widgets.confirm import Confirm

from .helpers import error_text, fill, fill_all, form_screen, settle

NEW_CBO = {"name_zh": "阳光家园", "name_en": "Sunshine Home", "grant_usd": "25,000", "target_direct": "300"}


async def test_add_edit_remove_restore_a_cbo(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CBOListScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await fill_all(pilot, NEW_CBO)
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.table
        assert table.total == 2
        new = next(r for r in table.rows_by_id.values() if r["name_en"] == "Sunshine Home")
        assert table.current_row()["id"] == new["id"]  # the cursor lands on the saved row
        # edit
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert form_screen(pilot).form.values()["grant_usd"] == "25000"  # not "25000.0"
        await fill(pilot, "sii", "75.5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # remove and restore
        await pilot.press("f8", "y")
        await settle(pilot)
        assert table.total == 1
        await pilot.press("ctrl+t")
        await settle(pilot)
        table.move_to(new["id"])
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert table.total == 2
        # search by English name
        await pilot.press("ctrl+f", *"Sun", "enter")
        await settle(pilot)
        assert list(table.rows_by_id) == [new["id"]]
    with Store.open(path) as store:
        cbo = store.get_cbo(new["id"])
    assert (cbo.grant_usd, cbo.sii, cbo.deleted) == (25000, 75.5, False)


async def test_invalid_cbo_is_not_saved(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**NEW_CBO, "grant_usd": "", "sii": "5"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        assert error_text(pilot, "grant_usd") == "Grant (US$): is required"
        assert error_text(pilot, "sii") == "Social Impact Index: must be between 20 and 100 (or left empty)"
    with Store.open(path) as store:
        assert len(store.cbos()) == 1


async def test_a_cbo_with_people_cannot_be_removed(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        table = app.screen.table
        total = table.total
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert table.total == total
        assert any("still has" in str(n.message) for n in app._notifications)
    with Store.open(sample_copy) as store:
        assert len(store.cbos()) == total
