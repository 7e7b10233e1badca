"""Locale formatting: English output unchanged, Chinese natural, both matching CLDR (via Babel)."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from fieldtui.core import formatting as fmt
from fieldtui.i18n import set_language

CLDR = {"en": "en_GB", "zh": "zh_CN"}
VALUES = [0, 7, 200, 8231, 20985, 1087406, 1_000_000_000]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_numbers_money_percent_and_dates_follow_cldr(lang):
    set_language(lang)
    loc = CLDR[lang]
    for v in VALUES:
        assert fmt.number(v) == format_decimal(v, locale=loc)
        assert fmt.usd(v) == format_currency(v, "USD", locale=loc, format="¤#,##0", currency_digits=False)
        assert fmt.usd(v + 0.11, 2) == format_currency(v + 0.11, "USD", locale=loc)
    if lang == "zh":  # English CLDR writes CN¥; fieldtui keeps ¥ (see formatting.py)
        assert fmt.cny(3500) == format_currency(3500, "CNY", locale=loc, format="¤#,##0", currency_digits=False)
    for ratio in (0, 0.0351, 0.74, 1, 1.2):
        assert fmt.percent(ratio) == format_percent(ratio, locale=loc)
    for day in (dt.date(2024, 3, 5), dt.date(1999, 12, 31)):
        assert fmt.long_date(day) == format_date(day, "long", locale=loc)
        assert fmt.date(day) == day.isoformat()


def test_english_output_is_unchanged():
    assert fmt.number(8231) == "8,231" and fmt.people(8231) == "8,231"
    assert fmt.usd(1087406) == "US$1,087,406" and fmt.usd(132.11, 2) == "US$132.11"
    assert fmt.sii(52.7) == "52.70" and fmt.percent(0.74) == "74%"
    assert fmt.with_note("3,245", "74%") == "3,245 (74%)"
    assert fmt.cny(3500) == "¥3,500" and fmt.number(None) == "—"


def test_chinese_counts_people_and_uses_full_width_brackets():
    set_language("zh")
    assert fmt.people(8231) == "8,231 人"
    assert fmt.with_note(fmt.people(3245), fmt.percent(0.74)) == "3,245 人（74%）"
    assert fmt.usd(132.11, 2) == "US$132.11" and fmt.sii(52.7) == "52.70"
    assert fmt.long_date(dt.date(2024, 3, 5)) == "2024年3月5日"
    assert fmt.people(None) == "—" and fmt.long_date(None) == "—"
