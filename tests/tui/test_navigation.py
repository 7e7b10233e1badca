"""Getting around by keyboard: F-keys, the home menu, help (F1 / ?), the command palette."""

from __future__ import annotations

from textual.widgets import DataTable

from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.cbos import CBOListScreen
from fieldtui.tui.screens.children import ChildListScreen
from fieldtui.tui.screens.help import HelpScreen
from fieldtui.tui.screens.home import HomeScreen
from fieldtui.tui.screens.participants import ParticipantListScreen
from fieldtui.tui.screens.placements import PlacementListScreen
from fieldtui.tui.screens.summary import SummaryScreen
from fieldtui.tui.screens.trainees import TraineeForm, TraineeListScreen

from .helpers import settle


async def test_function_keys_reach_every_screen_even_while_typing(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        for key, screen in [("f2", CBOListScreen), ("f3", TraineeListScreen), ("f4", ChildListScreen),
                            ("f6", PlacementListScreen), ("f7", ParticipantListScreen), ("f5", SummaryScreen)]:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)
            assert len(app.screen_stack) == 2  # screens replace each other above home, never pile up
        await pilot.press("f3", "ctrl+f", *"abc")  # typing in the search box
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CBOListScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_home_menu_opens_screens_with_enter(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # second entry: Trainees
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)


async def test_help_lists_the_current_screens_keys(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("^n", "New") in rows and ("f8", "Remove") in rows and ("^s", "Sort") in rows
        await pilot.press("escape")
        await settle(pilot)
        # in a form, help lists the form's keys (F1 works while an Input has the focus)
        await pilot.press("ctrl+n", "f1")
        await settle(pilot)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("^s", "Save") in rows
        assert ("^n", "New") not in rows
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TraineeForm)


async def test_question_mark_opens_help_outside_inputs(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_screens_and_actions(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"placements")
        await settle(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlacementListScreen)
        await pilot.press("ctrl+p", *"new")
        await settle(pilot)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "PlacementForm"
