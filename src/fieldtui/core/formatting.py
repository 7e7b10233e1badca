"""How numbers, money and dates read to people (shared by the TUI and the CLI).

Patterns follow CLDR (what Babel's format_decimal/format_currency give for en_GB and zh_CN;
tests/test_i18n_formatting.py checks that), written out here so that formatting costs no
locale-data load at run time:
- numbers group thousands with commas in both languages ("8,231");
- US dollars are "US$132.11" in both (CLDR zh_CN writes US$ too), yuan "¥3,500" (English
  CLDR says "CN¥", but fieldtui's readers all work in China and the donor's report writes ¥);
- percentages "74%"; in Chinese a count of people carries 人 and notes go in full-width
  brackets: "3,245 人（74%）";
- dates are ISO in tables and forms (sortable, what people type); in prose, long_date gives
  "5 March 2024" / "2024年3月5日".
"""

from __future__ import annotations

import datetime as dt
import re

from fieldtui.i18n import _, language

DASH = "—"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


#: Control and direction-override characters, and lone surrogates (how Python names bytes that are
#: no UTF-8: a GBK file name on a stick mounted as UTF-8; no terminal, file or database takes them):
#: the models refuse them on the way in (`clean_text`), `shown` draws any that got in some other way
#: as "�".
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


#: Longer than any text the models accept (the longest allows a few hundred characters).
SHOWN_MAX = 1000


#: A Chinese input method in full-width mode (全角) types "１９８５", "２０１０－０３－０１": the
#: ASCII characters' full-width forms (U+FF01..U+FF5E) and the ideographic space, mapped back.
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def half_width(text: str) -> str:
    """`text` with full-width ASCII forms as ASCII: for digits, dates and amounts, never names."""
    return text.translate(_HALF_WIDTH)


def shown(text: str) -> str:
    """Stored text made safe to draw: a control character (an escape sequence would reach the
    terminal) or a direction override in a file edited behind fieldtui's back becomes "�", and
    text longer than the models allow is cut at SHOWN_MAX with "…" (a 2 MB name put in with
    sqlite3 held the placement form for 6 s while a label laid out 666,000 characters)."""
    if len(text) > SHOWN_MAX:
        text = text[:SHOWN_MAX] + "…"
    return UNPRINTABLE.sub("\ufffd", text)


def cbo_name(name_zh: str | None, name_en: str | None) -> str:
    """A CBO's name in the reader's language (the English one where no Chinese is stored), drawn
    safe (`shown`): every caller shows it to a person."""
    return shown((name_zh if language() == "zh" and name_zh else name_en) or "")


def device(device_id: str) -> str:
    """A device id short enough for a table: a uuid7's tail tells devices apart (its head is a time)."""
    return shown("…" + device_id[-8:] if len(device_id) > 13 else device_id)


def number(value: int | float | None) -> str:
    if value is None:
        return DASH
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def people(value: int | None) -> str:
    """A head count: "8,231"; in Chinese "8,231 人"."""
    if value is None:
        return DASH
    return f"{value:,} 人" if language() == "zh" else f"{value:,}"


def with_note(text: str, note: str) -> str:
    """"3,245 (74%)"; in Chinese full-width brackets: "3,245 人（74%）"."""
    return f"{text}（{note}）" if language() == "zh" else f"{text} ({note})"


def usd(value: float | None, places: int = 0) -> str:
    if value is None:
        return DASH
    return f"US${value:,.{places}f}"


def cny(value: float | None, places: int = 0) -> str:
    if value is None:
        return DASH
    return f"¥{value:,.{places}f}"


def percent(ratio: float | None, places: int = 0) -> str:
    """"74%"; `places` where a tenth matters ("73.8%", the donor report's placement rate)."""
    if ratio is None:
        return DASH
    return f"{ratio * 100:.{places}f}%"


def sii(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}"


def date(value: dt.date | None) -> str:
    """Tables and forms: ISO 8601 in both languages."""
    return DASH if value is None else value.isoformat()


def month_year(year: int, month: int) -> str:
    """"February 1990" / "1990年2月"."""
    return f"{year}年{month}月" if language() == "zh" else f"{MONTHS[month - 1]} {year}"


def long_date(value: dt.date | None, lang: str | None = None) -> str:
    """Prose and reports: "5 March 2024" / "2024年3月5日". `lang` overrides the process-wide
    language (the donor report is written in its own, from a worker thread)."""
    if value is None:
        return DASH
    if (lang or language()) == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# Kinds of figure: how a column of figures reads (`figure`); the donor report formats Excel cells by them too.
COUNT, USD, USD2, PCT, PCT1, SII, CNY, CNY_CHANGE, HOURS = (
    "count", "usd", "usd2", "pct", "pct1", "sii", "cny", "cny_change", "hours")


def signed_cny(value: float | None) -> str:
    """A change of money: "+¥950", "−¥120", "¥0"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{cny(abs(value))}"


def hours(value: float | None) -> str:
    """Hours in quarters: "393", "5.5", "2.75"."""
    if value is None:
        return DASH
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def figure(kind: str, value: object) -> str:
    """A figure of the given kind as people read it."""
    if kind in (USD, USD2):
        return usd(value, 2 if kind == USD2 else 0)  # type: ignore[arg-type]
    if kind in (PCT, PCT1):
        return percent(value, 1 if kind == PCT1 else 0)  # type: ignore[arg-type]
    writers = {COUNT: number, SII: sii, CNY: cny, CNY_CHANGE: signed_cny, HOURS: hours}
    if kind in writers:
        return writers[kind](value)  # type: ignore[operator]
    return DASH if value is None else str(value)


def no_data_note() -> str:
    return _("No participants match these filters: every figure is zero.")


def to_review(pairs: int) -> str:
    """The summary's line about likely duplicates nobody has decided about yet."""
    if pairs == 1:
        return _("1 possible duplicate to review (command palette: Likely duplicates).")
    return _("{n} possible duplicates to review (command palette: Likely duplicates).").format(n=number(pairs))


def counted_nowhere(people: int) -> str:
    """The summary's line about live people the figures leave out (summary.uncounted): the
    figures must never drop a person without saying so."""
    if people == 1:
        return _("1 registered person is counted nowhere, for review (command palette: Conflicts to review).")
    return _("{n} registered people are counted nowhere, for review (command palette: Conflicts to review).").format(
        n=number(people))
