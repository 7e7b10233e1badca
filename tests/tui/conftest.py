"""TUI fixtures: a fresh file with one CBO, a stable clock and lasting toasts for snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core.models import CBO
from fieldtui.core.store import Store


@pytest.fixture
def fresh_db(tmp_path):
    """A new fieldtui file with a single CBO; returns (path, cbo_id)."""
    path = tmp_path / "fresh.db"
    with Store.open(path, create=True) as store:
        cbo = store.save_cbo(CBO(name_zh="新希望", name_en="New Hope", grant_usd=10000, target_direct=100,
                                 programmes=["vocational_training", "after_school"]))
    return path, cbo.id


def _english_originals() -> dict:
    """Every TUI class's bindings as made at import, in English (every module imported now).

    A language switch rewrites the bindings of every class (tui/language.py); two msgids may share
    a translation ("Removed" and "removed" are both 已删除), and the switch back reads the msgid
    from what it produced first in this process. In one app that is the app's own history; in a
    test process it is every earlier test's, so whether a footer read "Removed" or a Chinese form
    "Save" depended on which tests one xdist worker had run before."""
    import importlib
    import pkgutil

    import fieldtui.tui
    from fieldtui.i18n import set_language
    from fieldtui.tui.language import _all_node_classes

    set_language("en")
    for module in pkgutil.walk_packages(fieldtui.tui.__path__, "fieldtui.tui."):
        importlib.import_module(module.name)
    return {cls: cls.__dict__["_merged_bindings"] for cls in set(_all_node_classes())
            if cls.__dict__.get("_merged_bindings") is not None}


_ORIGINAL_BINDINGS = _english_originals()


def _restore_english() -> None:
    from fieldtui.i18n import set_language
    from fieldtui.tui import language

    set_language("en")
    for cls, merged in _ORIGINAL_BINDINGS.items():
        cls._merged_bindings = merged
    language._PRODUCED.clear()


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """Each TUI test starts (and leaves) the interface in English, as a new process would."""
    _restore_english()
    yield
    _restore_english()


@pytest.fixture(autouse=True)
def _lasting_toasts(monkeypatch):
    """Toasts stay until the test ends.

    Textual removes a toast after 5 s; on a loaded CI machine a snapshot of a screen that shows one
    ("Removed ...") was taken after it had gone, and failed. A picture must not depend on speed.
    """
    from textual.app import App

    monkeypatch.setattr(App, "NOTIFICATION_TIMEOUT", 3600)


@pytest.fixture
def frozen_today(monkeypatch):
    """Today's date as 2025-06-02 (form defaults, validation) so snapshots do not change daily."""
    from fieldtui.core import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 6, 2))
    return dt.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _steady_cursors(monkeypatch):
    """Text cursors that do not blink: a blink every 0.5 s made a snapshot taken on a busy
    machine show the cursor or not (test_f12_in_a_typed_form_keeps_it failed once so)."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: setattr(self, "_cursor_visible", True))
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
