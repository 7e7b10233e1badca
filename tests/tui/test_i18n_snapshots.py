"""Every screen, in English and in Chinese, at 80×24 (`make snapshot-update` after a deliberate change).

To cover a new screen, add it to SCREENS with the keys that reach it from the home screen.
"""

from __future__ import annotations

import pytest

from fieldtui.app import FieldApp
from fieldtui.i18n import set_language
from fieldtui.language import retranslate_classes

#: screen name -> keys pressed from the home screen to reach it
SCREENS: dict[str, list[str]] = {
    "home": [],
    "summary": ["f5"],
}


@pytest.fixture(autouse=True)
def _english_bindings_after():
    yield
    set_language("en")
    retranslate_classes()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen_snapshot(snap_compare, sample_copy, screen, lang):
    set_language(lang)
    assert snap_compare(FieldApp(sample_copy), press=SCREENS[screen], terminal_size=(80, 24))


def test_switching_to_chinese_in_the_app(snap_compare, sample_copy):
    """F12 on the home screen: Chinese figures and footer, same layout as starting in Chinese."""
    assert snap_compare(FieldApp(sample_copy), press=["f12"], terminal_size=(80, 24))
