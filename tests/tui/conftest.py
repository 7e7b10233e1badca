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
