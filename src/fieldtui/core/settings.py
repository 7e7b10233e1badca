"""Where files live and which language to use; nothing is created at import time."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs

from fieldtui.core.db.files import write_private_text

APP = "fieldtui"


def config_dir() -> Path:
    return Path(os.environ.get("FIELDTUI_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    return Path(os.environ.get("FIELDTUI_DATA_DIR") or platformdirs.user_data_dir(APP))


def default_db_path() -> Path:
    """The field file used when none is named; its folder is made (0700) on first use."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / "field.db"


def load_config() -> dict:
    path = config_dir() / "config.toml"
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def save_language(lang: str) -> Path:
    """Remember the interface language in config.toml, keeping every other line as written."""
    path = config_dir() / "config.toml"
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        lines = []
    setting = f'language = "{lang}"\n'
    at, found = len(lines), False
    for index, text in enumerate(lines):
        stripped = text.strip()
        if stripped.startswith("["):  # top-level keys end at the first table
            at = index
            break
        if stripped.split("=", 1)[0].strip() == "language":
            lines[index], found = setting, True
            break
    if not found:
        if at and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, setting)
    write_private_text(path, "".join(lines))  # 0600 whatever the umask, replaced atomically
    return path


def resolve_language(explicit: str | None = None) -> str:
    """--lang, then the config file's `language`, then $LANG / $LC_ALL; default English."""
    if explicit:
        return "zh" if explicit.lower().startswith("zh") else "en"
    configured = load_config().get("language")
    if isinstance(configured, str) and configured:
        return "zh" if configured.lower().startswith("zh") else "en"
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if env.lower().startswith("zh") else "en"
