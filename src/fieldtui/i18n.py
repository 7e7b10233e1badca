"""Translation hook used by every user-facing string.

`_()` is gettext's: catalogues live in `fieldtui/locale/<lang>/LC_MESSAGES/fieldtui.po`.
Kept free of Textual so the core and the CLI can use it.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "fieldtui"
LANGUAGES = ("en", "zh")

_current: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"


def set_language(lang: str) -> None:
    """Switch the process-wide language ("en" or "zh")."""
    global _current, _lang
    lang = "zh" if lang.lower().startswith("zh") else "en"
    _lang = lang
    if lang == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)


def language() -> str:
    return _lang


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (class-level constants)."""
    return message
