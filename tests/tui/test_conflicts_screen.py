"""Ctrl+R on F10 / the palette: conflicts from merges reviewed and settled with the keyboard."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Static

from fieldtui.core import exchange
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from tests.core.test_exchange import two_fields  # noqa: F401 - a fixture


def _phone(path, row_id):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT phone FROM participants WHERE id = ?", (row_id,)).fetchone()[0]
    finally:
        conn.close()


async def test_take_the_other_value_of_a_conflict(tmp_path, two_fields):  # noqa: F811
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    with Store.open_readonly(hq) as s:
        (conflict,) = exchange.conflicts(s)
    shown, other = (v["value"] for v in conflict["versions"])
    app = FieldApp(hq)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = app.screen.query_one("#conflicts-table", DataTable)
        assert table.row_count == 2 and table.has_focus
        cells = [str(c) for c in table.get_row_at(1)]
        assert other in cells
        assert conflict["person"] in [str(c) for c in table.get_row_at(0)]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "Saved" in str(app.screen.query_one("#conflicts-status", Static).render())
        assert table.row_count == 0
    assert _phone(hq, conflict["row_id"]) == other != shown
    with Store.open_readonly(hq) as s:
        assert not exchange.conflicts(s)
        actions = [a["action"] for a in s.audit_trail("participants", conflict["row_id"])]
    assert actions[-1] == "update"


async def test_keep_the_value_shown_now(tmp_path, two_fields):  # noqa: F811
    _a, _b, ea, eb, _ = two_fields
    hq = tmp_path / "hq.db"
    exchange.merge(hq, [ea, eb])
    with Store.open_readonly(hq) as s:
        (conflict,) = exchange.conflicts(s)
    app = FieldApp(hq)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("conflicts")
        await pilot.pause()
        await pilot.press("down", "k")
        await pilot.pause()
        assert app.screen.query_one("#conflicts-table", DataTable).row_count == 0
    assert _phone(hq, conflict["row_id"]) == conflict["versions"][0]["value"]


async def test_a_record_counted_nowhere_is_listed_by_its_id_and_enter_opens_it(tmp_path):
    """A job recorded on one copy for a trainee another copy removed is let in at headquarters
    and counted nowhere. The Conflicts screen listed it under "People no longer counted" with no
    way to it (hours of a removed volunteer: a row of blanks): it now shows the record's id, and
    Enter on it opens the record, as Ctrl+P's "Open a record by its id" does."""
    from fieldtui.tui.screens.form import RecordFormScreen
    from tests.core.test_merge_rules import REMOVED_HERE_ADDED_THERE, removed_here_added_there

    edits, _why = REMOVED_HERE_ADDED_THERE[0]  # the trainee removed, their job recorded
    files, job = removed_here_added_there(tmp_path, edits)
    hq = tmp_path / "hq.db"
    assert not exchange.merge(hq, [files["a"], files["b"]]).refused
    app = FieldApp(hq)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_open("conflicts")
        await pilot.pause()
        table = app.screen.query_one("#uncounted-table", DataTable)
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        assert job.startswith(cells[0]) and len(cells[0]) >= 8, cells
        assert "a job recorded after the trainee was removed elsewhere" in cells
        table.focus()
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, RecordFormScreen) and app.screen.record_id == job
