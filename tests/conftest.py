"""Shared fixtures: isolated config/data dirs, a fresh store, the committed sample data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldtui.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DB = ROOT / "sample.db"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Never touch the developer's own settings or data; always start in English."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FIELDTUI_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("FIELDTUI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("FIELDTUI_WORK_DIR", str(home / "work"))
    monkeypatch.setenv("FIELDTUI_OPERATOR", "tester")
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of sample.db (tests must never modify the committed file)."""
    dest = tmp_path / "sample.db"
    shutil.copyfile(SAMPLE_DB, dest)
    return dest
