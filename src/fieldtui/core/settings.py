"""Where files live and which language to use; nothing is created at import time."""

from __future__ import annotations

import os
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
    if not path.is_file():  # most starts: tomllib is not loaded (a few ms of start-up)
        return {}
    import tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _is_text(value: str) -> bool:
    """Whether `value` is text a UTF-8 file can hold: not a path Python named with surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _toml_string(value: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    escaped = "".join(c if c >= " " and c not in '"\\\x7f' else f"\\u{ord(c):04x}" for c in value)
    return f'"{escaped}"'


def save_setting(key: str, value: str | bool | None) -> Path:
    """Set (or, with None, remove) one top-level setting in config.toml, keeping every other line
    as written; the file is replaced atomically, 0600 whatever the umask."""
    if isinstance(value, str) and not _is_text(value):
        from fieldtui.core.errors import StoreError
        from fieldtui.core.formatting import shown
        from fieldtui.i18n import _

        raise StoreError(_("{value}: its name holds bytes that are not UTF-8 (written by another system), which "
                           "the settings cannot keep: rename it, then try again").format(value=shown(value)))
    path = config_dir() / "config.toml"
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        lines = []
    if value is None:
        setting = ""
    elif isinstance(value, bool):
        setting = f"{key} = {'true' if value else 'false'}\n"
    else:
        setting = f"{key} = {_toml_string(value)}\n"
    at, found = len(lines), False
    for index, text in enumerate(lines):
        stripped = text.strip()
        if stripped.startswith("["):  # top-level keys end at the first table
            at = index
            break
        if stripped.split("=", 1)[0].strip() == key:
            lines[index], found = setting, True
            break
    if not found and setting:
        if at and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, setting)
    write_private_text(path, "".join(lines))
    return path


def save_language(lang: str) -> Path:
    """Remember the interface language in config.toml."""
    return save_setting("language", lang)


def setting(key: str) -> str | None:
    """A text setting of config.toml, or None (missing, empty, or not text)."""
    value = load_config().get(key)
    return value if isinstance(value, str) and value else None


def flag(key: str) -> bool:
    """A true/false setting of config.toml (false when missing)."""
    return load_config().get(key) is True


def resolve_language(explicit: str | None = None) -> str:
    """--lang, then the config file's `language`, then $LANG / $LC_ALL; default English."""
    if explicit:
        return "zh" if explicit.lower().startswith("zh") else "en"
    configured = load_config().get("language")
    if isinstance(configured, str) and configured:
        return "zh" if configured.lower().startswith("zh") else "en"
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "zh" if env.lower().startswith("zh") else "en"
