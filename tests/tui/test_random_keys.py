"""Random keys on the sample file, as someone who does not know the app would press them.

A fixed seed (the same keys every run) drawn from the app's own keys, letters, digits, Chinese
characters and full-width digits: no internal error, Escape (and "y" on a question) always leads
home, the file stays sound, and no live record goes (F8, the one key that removes, is not among
them). It found a crash a person meets in their first minutes: a letter that names no choice in
Gender (test_registration.py); `make soak` runs more seeds."""

from __future__ import annotations

import random
import sqlite3

import pytest

from fieldtui.tui.app import FieldApp

from .helpers import settle

KEYS = ([f"f{i}" for i in range(1, 13) if i != 8]
        + ["ctrl+n", "ctrl+s", "ctrl+f", "ctrl+r", "ctrl+g", "ctrl+z", "ctrl+y", "ctrl+t", "ctrl+p"]
        + ["escape", "enter", "tab", "shift+tab", "up", "down", "left", "right", "pageup", "pagedown",
           "home", "end", "delete", "backspace", "space"])
CHARACTERS = list("ynakspdoeqz0123456789") + list("张王李丽明小") + list("１９９０") + ["-", "/", "."]
TABLES = ("cbos", "participants", "trainings", "after_school", "other_programmes", "placements", "followups",
          "sessions", "attendance", "volunteers", "volunteer_hours")


@pytest.fixture(autouse=True)
def _started_in_the_tests_folder(tmp_path, monkeypatch):
    """What the keys write with a name typed (an export once named "1０") stays in the test's folder."""
    monkeypatch.chdir(tmp_path)


def _live(path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


#: In a form: moving between fields, typing, choosing, the other language, saving.
IN_A_FORM = ["tab"] * 6 + ["shift+tab", "up", "down", "enter", "backspace", "space", "f12", "ctrl+s"] + CHARACTERS


async def _press_at_random(path, seed: int, count: int, start: tuple[str, ...] = (),
                           keys_from: list[str] = KEYS * 2 + ["escape", "enter", "tab", "down"] * 3 + CHARACTERS
                           ) -> None:
    rng = random.Random(seed)
    keys = [*start, *(rng.choice(keys_from) for _ in range(count))]
    before = _live(path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        for i, key in enumerate(keys):
            await pilot.press(key)
            if i % 7 == 0:
                await settle(pilot)
        for _ in range(25):  # back home as a person would: Escape, "y" to leave a form's question
            if len(app.screen_stack) == 1:
                break
            await pilot.press("y" if type(app.screen).__name__ == "Confirm" else "escape")
            await settle(pilot)
        assert len(app.screen_stack) == 1, [type(s).__name__ for s in app.screen_stack]
    assert app.return_code in (0, None)
    after = _live(path)
    assert all(after[t] >= before[t] for t in TABLES), (before, after)


async def test_random_keys_in_a_new_trainees_form_lose_nothing_and_stop_nothing(sample_copy):
    await _press_at_random(sample_copy, seed=1, count=120, start=("f3", "ctrl+n"), keys_from=IN_A_FORM)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 110))
async def test_soak_random_keys(sample_copy, seed):
    await _press_at_random(sample_copy, seed=seed, count=300)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 105))
async def test_soak_random_keys_in_forms(sample_copy, seed):
    await _press_at_random(sample_copy, seed=seed, count=200, start=("f4", "ctrl+n"), keys_from=IN_A_FORM)
