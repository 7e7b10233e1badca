"""The TUI's one thread rule (fieldtui/tui/workers.py): workers read on their own connections, a
superseded worker's result never reaches the screen, and export/merge borrow the writer behind a
dialog that keeps every other action off it."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App
from textual.widgets import Static

from fieldtui.core import exchange
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.widgets.working import Working
from fieldtui.tui.workers import deliver, reading
from tests.core.test_store import make_cbo, trainee

from .helpers import settle


class Latest(App[None]):
    """Two requests in a row: the first finishes last, and must not win."""

    def __init__(self, db_path) -> None:
        super().__init__()
        self.db_path = db_path
        self.release_first = threading.Event()
        self.shown: list[str] = []

    def compose(self):
        yield Static()

    @work(thread=True, exclusive=True)
    def ask(self, name: str, wait: bool) -> None:
        with reading(self) as store:
            assert store.readonly and store.conn is not None
            count = store.count("trainees")
        if wait:
            self.release_first.wait(10)
        deliver(self, self.shown.append, f"{name}:{count}")


async def test_a_superseded_worker_result_is_dropped(fresh_db):
    path, _cbo = fresh_db
    app = Latest(path)
    async with app.run_test() as pilot:
        app.ask("first", True)
        await pilot.pause()
        app.ask("second", False)  # exclusive: cancels the first, still running
        await pilot.pause(0.2)
        app.release_first.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.shown == ["second:0"]


async def test_merge_borrows_the_writer_behind_a_dialog_that_refuses_every_action(tmp_path, monkeypatch):
    mine = tmp_path / "mine.db"
    with Store.open(mine, create=True) as s:
        s.save_trainee(trainee(make_cbo(s, "Mine")))
    started, release = threading.Event(), threading.Event()
    real_merge = exchange.merge_into

    def held_merge(store, files, progress, identities=()):
        started.set()
        release.wait(10)
        return real_merge(store, files, progress=progress, identities=identities)

    monkeypatch.setattr(exchange, "merge_into", held_merge)
    app = FieldApp(mine)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        await pilot.click("#merge-files")
        await pilot.press(*"nothing.db")
        await pilot.click("#merge")
        await pilot.pause()
        assert started.wait(10)
        assert app.store_lent and isinstance(app.screen, Working)
        for action in ("quit", "switch_language", "open", "help", "command_palette"):
            assert app.check_action(action, ()) is False
        await pilot.press("ctrl+q", "f12", "f3", "escape")  # nothing happens while the job runs
        assert app.is_running and isinstance(app.screen, Working)
        release.set()
        await settle(pilot)
        assert not app.store_lent and app.screen is screen
        assert "1 file refused" in str(screen.query_one("#status", Static).render())
