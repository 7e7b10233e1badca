"""Every screen in Chinese at 80×24, and the summary in both languages (`make snapshot-update`
after a deliberate change).

The English pictures of the other screens are test_snapshots' (same keys, same sizes: the files
were byte for byte the same, 30 tests done twice). To cover a new screen, add it to
test_snapshots.SCREENS with the keys that reach it from the home screen.
"""

from __future__ import annotations

import pytest
from textual.widgets import Footer, Input

from fieldtui.i18n import set_language
from fieldtui.tui.app import FieldApp
from fieldtui.tui.language import retranslate_classes

from .helpers import settle
from .test_snapshots import SCREENS as BASE_SCREENS

#: screen name -> keys pressed from the home screen to reach it
SCREENS: dict[str, list[str]] = {
    **BASE_SCREENS,
    "summary": ["f5"],
}


@pytest.mark.parametrize("lang", ["zh"])  # English: test_snapshots.test_exchange_screen
def test_exchange_screen_snapshot(snap_compare, sample_copy, lang, monkeypatch):
    """F10, opened by a relative file name so the export path shown is the same on every machine."""
    set_language(lang)
    monkeypatch.chdir(sample_copy.parent)

    async def reach(pilot):
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)

    assert snap_compare(FieldApp(sample_copy.name), run_before=reach, terminal_size=(80, 24))


@pytest.fixture(autouse=True)
def _english_bindings_after(frozen_today, monkeypatch):
    monkeypatch.setattr(Input, "cursor_blink", False)
    yield
    set_language("en")
    retranslate_classes()


def reaching(keys: list[str]):
    """What a person presses from the home screen, each key let finish, the summary's figures
    awaited (computed off the UI thread)."""
    async def reach(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for _ in range(50):
            body = pilot.app.screen.query("#summary-body")
            footers = pilot.app.screen.query(Footer)  # after F12 a footer recomposes, a refresh later
            if (not body or not body.first().loading) and all(footer.children for footer in footers):
                break
            await settle(pilot)

    return reach


#: (screen, language): every screen in Chinese; in English only what test_snapshots does not take.
CASES = [(screen, "zh") for screen in sorted(SCREENS)] + [(s, "en") for s in sorted(set(SCREENS) - set(BASE_SCREENS))]


@pytest.mark.parametrize(("screen", "lang"), CASES, ids=[f"{screen}-{lang}" for screen, lang in CASES])
def test_screen_snapshot(snap_compare, sample_copy, screen, lang):
    set_language(lang)
    assert snap_compare(FieldApp(sample_copy), run_before=reaching(SCREENS[screen]), terminal_size=(80, 24))


#: The registration screens (issue 14) at 120×40 in Chinese as well (test_snapshots takes English).
REGISTRATION = ("trainees", "trainee_new", "trainee_errors", "person", "cbo_new", "child_new", "province_filter")


@pytest.mark.parametrize("lang", ["zh"])
@pytest.mark.parametrize("screen", REGISTRATION)
def test_registration_snapshot_at_120x40(snap_compare, sample_copy, screen, lang):
    set_language(lang)
    assert snap_compare(FieldApp(sample_copy), run_before=reaching(SCREENS[screen]), terminal_size=(120, 40))


def test_f12_in_a_typed_form_keeps_it(snap_compare, sample_copy):
    """A new trainee's name and year typed, then F12: the same form in Chinese, still filled in."""
    keys = ["f3", "ctrl+n", *"xin", "enter", *"王小明", "enter", "2", *"1990", "f12"]  # CBO: Xin Zhi Guan
    assert snap_compare(FieldApp(sample_copy), run_before=reaching(keys), terminal_size=(80, 24))


def test_switching_to_chinese_in_the_app(snap_compare, sample_copy):
    """F12 on the home screen: Chinese figures and footer, same layout as starting in Chinese."""
    assert snap_compare(FieldApp(sample_copy), press=["f12"], terminal_size=(80, 24))
