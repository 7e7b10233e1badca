"""Translation hook used by every user-facing string.

`_()` is gettext's: the catalogue is `fieldtui/locale/zh_CN/LC_MESSAGES/fieldtui.po`, compiled
to `fieldtui.mo` by the build hook (hatch_build.py) at install time, wheels and editable
installs alike. In a checkout where the .po was edited after installing, the .mo is stale:
then the .po is compiled in memory with Babel (a dev/test dependency), so a translator sees
their change at once. English is the msgid itself. Kept free of Textual so the core and the
CLI can use it.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "fieldtui"
#: language code -> gettext catalogue folder
CATALOGUES = {"zh": "zh_CN"}

_current: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"
_loaded: dict[str, gettext.NullTranslations] = {}


def normalise(lang: str | None) -> str:
    """"zh", "zh_CN.UTF-8", "zh-Hans" -> "zh"; anything else -> "en"."""
    return "zh" if (lang or "").strip().lower().startswith("zh") else "en"


def catalogue_paths(lang: str) -> tuple[Path, Path]:
    """The (.po, .mo) pair of a language."""
    folder = LOCALE_DIR / CATALOGUES[lang] / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po file (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _load(lang: str) -> gettext.NullTranslations:
    po, mo = catalogue_paths(lang)
    fresh = mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime)
    if not fresh and po.is_file():
        try:
            return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
        except ImportError:  # an installed copy without Babel: fall back to the built .mo
            pass
    if mo.is_file():
        with open(mo, "rb") as fh:
            return gettext.GNUTranslations(fh)
    return gettext.NullTranslations()


def translations(lang: str) -> gettext.NullTranslations:
    lang = normalise(lang)
    if lang == "en":
        return gettext.NullTranslations()
    if lang not in _loaded:
        _loaded[lang] = _load(lang)
    return _loaded[lang]


def set_language(lang: str) -> None:
    """Switch the process-wide language ("en" or "zh"; locale names like zh_CN.UTF-8 work too)."""
    global _current, _lang
    _lang = normalise(lang)
    _current = translations(_lang)


def language() -> str:
    return _lang


def _(message: str) -> str:
    return _current.gettext(message)


def labelled(label: str, message: str) -> str:
    """A field's message for people: "Grade: must be at least 1"; in Chinese "年级：不能小于 1"."""
    # Translators: how a field's label and its message are joined (Chinese: full-width colon, no space).
    return _("{label}: {message}").format(label=label, message=message)


def listed(items: list[str]) -> str:
    """Items in a sentence: "a, b, c"; in Chinese "a、b、c" (no English comma or "or")."""
    # Translators: between the items of a list in a sentence (Chinese: the enumeration comma 、).
    return _(", ").join(items)


def joined(messages: list[str]) -> str:
    """Several messages on one line: "a; b"; in Chinese "a；b"."""
    return _("; ").join(messages)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (class-level constants)."""
    return message
