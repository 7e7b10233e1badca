"""What a donor report of sample.db must say, from `fieldtui summary --json` and from the donor's page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core import formatting as fmt

#: The donor's published figures, as the issue lists them (en and zh write them alike).
DONOR_STRINGS = ("8,231", "20,985", "4,395", "1,758", "US$1,087,406", "US$132.11", "52.7", "90%")
#: The donor's featured-projects table: SII, project (en, zh), grant, lives changed, cost per life.
DONOR_ROWS = [
    ("57.00", "China Children and Teenagers' Fund", "中国儿童少年基金会", "US$467,400", "3,174", "US$147.26"),
    ("54.00", "Compassion for Migrant Children", "关爱流动儿童中心", "US$208,490", "2,207", "US$94.47"),
    ("50.40", "Xin Zhi Guan", "新知馆（原行知学校）", "US$306,516", "2,650", "US$115.67"),
    ("49.40", "Bright Angel Fund", "光明天使基金", "US$105,000", "200", "US$525.00"),
]


def summary_json(db: str, *options: str) -> dict:
    result = CliRunner().invoke(main, ["summary", db, "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def headline_strings(figures: dict) -> list[str]:
    """The headline figures of `summary --json` as the report writes them."""
    return [fmt.number(figures["direct_beneficiaries"]), fmt.number(figures["indirect_beneficiaries"]),
            fmt.number(figures["trainees"]), fmt.number(figures["after_school_children"]),
            fmt.usd(figures["grant_usd"]), fmt.usd(figures["cost_per_life_usd"], 2),
            fmt.number(figures["sii_mean"]), fmt.percent(figures["progress"])]


def project_rows(figures: dict, lang: str) -> list[tuple[str, ...]]:
    """The featured-projects rows of `summary --json` as the report writes them."""
    return [(fmt.sii(c["sii"]), c["name_zh"] if lang == "zh" else c["name"], fmt.usd(c["grant_usd"]),
             fmt.number(c["direct_beneficiaries"]), fmt.usd(c["cost_per_life_usd"], 2)) for c in figures["cbos"]]


def donor_rows(lang: str) -> list[tuple[str, ...]]:
    return [(sii, zh if lang == "zh" else en, grant, lives, cost) for sii, en, zh, grant, lives, cost in DONOR_ROWS]


def squash(text: str) -> str:
    """Whitespace runs as one space (PDF text and HTML text wrap differently)."""
    return re.sub(r"\s+", " ", text).strip()


class _Tables(HTMLParser):
    """Cell texts of every <tr> inside each <section id=...>, as {section id: [[cell, ...], ...]}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.text: list[str] = []
        self._section: str | None = None
        self._cell: list[str] | None = None
        self._style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._style = tag in ("style", "title")
        if tag == "section" and "id" in attrs:
            self._section = attrs["id"]
        elif tag == "tr" and self._section:
            self.tables.setdefault(self._section, []).append([])
        elif tag in ("td", "th") and self._section:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._section][-1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._style:  # the style sheet and the window title are not the page's text
            self._style = False
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def html_tables(page: str) -> tuple[dict[str, list[list[str]]], str]:
    """(tables by section id, the page's text) of a report.html."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables, squash(" ".join(parser.text))
