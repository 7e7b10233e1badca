"""The app opens on a file and shows its figures."""

from __future__ import annotations

from textual.widgets import Static

from fieldtui.tui.app import FieldApp

from .helpers import settle


async def test_app_opens_on_sample_copy_and_shows_figures(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#headline", Static).render())
        assert "8,231" in text and "20,985" in text and "US$132.11" in text
        await pilot.press("ctrl+q")
    assert app.return_code == 0 or app.return_code is None


async def test_app_creates_a_new_private_file(tmp_path):
    path = tmp_path / "new.db"
    app = FieldApp(path)
    async with app.run_test() as pilot:
        await pilot.pause()
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600


async def test_figures_of_a_large_file_are_counted_off_the_ui_thread(sample_copy, monkeypatch):
    from fieldtui.tui.screens import home

    monkeypatch.setattr(home, "SMALL_FILE_BYTES", 0)  # treat the sample as a headquarters file
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Counting" in str(app.screen.query_one("#headline", Static).render())
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#headline", Static).render())
        assert "8,231" in text and "20,985" in text
