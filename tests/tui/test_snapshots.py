"""SVG snapshots of every data-entry screen at 80×24 and 120×40 on a copy of the sample data.

Today's date is frozen (form defaults) and the cursor does not blink, so the pictures are the same
on every run and machine. Regenerate with `make snapshot-update` after an intended change.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp

from .helpers import fill_all, person, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def _stable(frozen_today, monkeypatch):
    monkeypatch.setattr(Input, "cursor_blink", False)


#: name -> keys pressed after start (each screen reached as a person would).
SCREENS = {
    "home": [],
    "cbos": ["f2"],
    "trainees": ["f3"],
    "children": ["f4"],
    "placements": ["f6"],
    "participants": ["f7"],
    "cbo_form": ["f2", "enter"],
    "trainee_new": ["f3", "ctrl+n"],
    "trainee_edit": ["f3", "enter"],
    "trainee_errors": ["f3", "ctrl+n", "ctrl+s"],
    "child_edit": ["f4", "enter"],
    "participant_new": ["f7", "ctrl+n"],
    "placement_edit": ["f6", "enter"],
    "trainee_picker": ["f6", "ctrl+n", "enter"],
    "help": ["f3", "f1"],
    "confirm_remove": ["f3", "f8"],
    "removed_shown": ["f3", "f8", "y", "ctrl+t"],
    "cbo_new": ["f2", "ctrl+n"],
    "person": ["f3", "space"],
    "person_enrol": ["f3", "space", "o"],
    "child_new": ["f4", "ctrl+n"],
    "province_filter": ["f3", "ctrl+n", *"xin", "enter", *"王小明", "enter", "2", *"1990", "enter", "h", "n"],
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name, size, sample_copy, snap_compare):
    async def reach(pilot):
        await settle(pilot)
        for key in SCREENS[name]:
            await pilot.press(key)
            await settle(pilot)

    assert snap_compare(FieldApp(sample_copy), terminal_size=size, run_before=reach)


@pytest.mark.parametrize("size", SIZES)
def test_exchange_screen(size, sample_copy, snap_compare, monkeypatch):
    """F10. The screen shows the export's path: the file is opened by a relative name, so the
    picture is the same on every machine (the date in the name is frozen)."""
    monkeypatch.chdir(sample_copy.parent)

    async def reach(pilot):
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(FieldApp(sample_copy.name), terminal_size=size, run_before=reach)


@pytest.mark.parametrize("size", SIZES)
def test_duplicates_dialog(size, sample_copy, snap_compare):
    with Store.open(sample_copy) as store:
        existing = store.page("trainees", limit=1)[0]

    async def register_again(pilot):
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(existing["cbo_id"], name=existing["full_name"],
                                        year=str(existing["birth_year"])), "training.course": "厨师"})
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(FieldApp(sample_copy), terminal_size=size, run_before=register_again)
