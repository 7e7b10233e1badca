"""F6: export the open file and merge another field's export into it, as a user would."""

from __future__ import annotations

import io
import sqlite3

from rich.console import Console
from textual.widgets import Input, Static

from fieldtui.core import exchange
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from tests.core.test_store import make_cbo, trainee


async def _wait_idle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_and_merge_from_the_app(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # short relative names to type
    mine = tmp_path / "mine.db"
    with Store.open(mine, create=True) as s:
        s.save_trainee(trainee(make_cbo(s, "Mine")))
    theirs = tmp_path / "theirs.db"
    with Store.open(theirs, create=True) as s:
        cbo = make_cbo(s, "Theirs")
        s.save_trainee(trainee(cbo, "李梅"))
        s.save_trainee(trainee(cbo, "张三"))
    exchange.export(theirs, tmp_path / "theirs-export.db")
    (tmp_path / "junk.db").write_bytes(b"junk" * 100)

    app = FieldApp(mine)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        out = tmp_path / "sent.db"
        await pilot.click("#export-path")
        await pilot.press("end", "ctrl+u", *"sent.db")
        assert screen.query_one("#export-path", Input).value == "sent.db"
        await pilot.click("#export")
        await _wait_idle(app, pilot)
        assert "Exported" in str(screen.query_one("#status", Static).render())
        assert out.exists()
        assert sqlite3.connect(out).execute("SELECT count(*) FROM participants").fetchone()[0] == 1

        await pilot.click("#merge-files")
        await pilot.press(*"theirs-export.db junk.db")
        await pilot.click("#merge")
        await _wait_idle(app, pilot)
        status = str(screen.query_one("#status", Static).render())
        assert "1 of 2 files refused" in status
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(screen.query_one("#report", Static).content)
        shown = console.export_text()
        assert "junk.db" in shown and "not a SQLite database" in shown and "theirs-export.db" in shown
        assert app.store.count("trainees") == 3
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_exporting_a_file_dated_ahead_says_what_to_do_and_writes_nothing(tmp_path, monkeypatch):
    # A trainee saved while the laptop's clock said 2062: headquarters would refuse the file, so
    # F10's export says so at once, with this computer's date and the command that mends it.
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.db"
    with Store.open(mine, create=True) as s:
        s.clock = lambda: "2062-03-01T08:00:00.000000+00:00"
        s.save_trainee(trainee(make_cbo(s, "Mine")))
    app = FieldApp(mine)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        await pilot.click("#export-path")
        await pilot.press("end", "ctrl+u", *"sent.db")
        await pilot.click("#export")
        await _wait_idle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "2062-03-01" in status and "fieldtui redate" in status, status
        assert not (tmp_path / "sent.db").exists()


async def test_a_file_name_holding_an_escape_sequence_is_drawn_safe(tmp_path, monkeypatch):
    """The status line quotes the path: an escape sequence in it (a pasted or received file's
    name) reached the terminal as it was."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "mine.db"
    with Store.open(mine, create=True) as s:
        s.save_trainee(trainee(make_cbo(s, "Mine")))
    evil = "x\x1b]0;PWNED\x07y.db"
    app = FieldApp(mine)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#export-path", Input).value = evil  # as pasted
        await pilot.click("#export")
        await _wait_idle(app, pilot)
        said = str(screen.query_one("#status", Static).render())
        assert "Exported" in said and "x\ufffd]0;PWNED\ufffdy.db" in said and "\x1b" not in said
    assert (tmp_path / evil).exists()  # the file has the name it was given


async def test_a_bare_file_name_is_written_and_read_beside_the_open_file(tmp_path, monkeypatch):
    """The export box shows the open file's folder; a bare name typed over it lands there, and the
    status says where in full. Before, it landed in whatever folder the app was started from (a
    random-keys test left a copy of the sample's 8,231 people in the repository that way)."""
    field, started_in = tmp_path / "field", tmp_path / "started-in"
    field.mkdir(), started_in.mkdir()
    monkeypatch.chdir(started_in)
    mine = field / "mine.db"
    with Store.open(mine, create=True) as s:
        s.save_trainee(trainee(make_cbo(s, "Mine")))
    theirs = field / "theirs.db"
    with Store.open(theirs, create=True) as s:
        s.save_trainee(trainee(make_cbo(s, "Theirs"), "李梅"))
    exchange.export(theirs, field / "theirs-export.db")
    app = FieldApp(mine)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        screen = app.screen
        await pilot.click("#export-path")
        await pilot.press("end", "ctrl+u", *"sent.db")
        await pilot.click("#export")
        await _wait_idle(app, pilot)
        assert (field / "sent.db").exists() and not (started_in / "sent.db").exists()
        assert str(field / "sent.db") in str(screen.query_one("#status", Static).render())
        await pilot.click("#merge-files")
        await pilot.press(*"theirs-export.db")
        await pilot.click("#merge")
        await _wait_idle(app, pilot)
        assert "merged" in str(screen.query_one("#status", Static).render())
        assert app.store.count("trainees") == 2
    assert list(started_in.iterdir()) == []
