"""report.html in a real browser: headless Chromium prints it to PDF and takes a screenshot.

The PDF's text must carry the figures of `fieldtui summary --json` (the donor's) and the four
featured-project rows, on A4 pages with the sections on pages of their own; Chinese must come
out in a Chinese font; the screenshot must not be blank. Without Chromium these tests are
skipped on a developer's machine (with one line saying why) and FAIL under CI (`CI` set), so
CI can never pass without having run them.
"""

from __future__ import annotations

import os
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from fieldtui.core.report import write_report
from tests.conftest import SAMPLE_DB
from tests.report import chromium
from tests.report.expected import DONOR_STRINGS, donor_rows, headline_strings, project_rows, squash, summary_json

CJK_FONT = re.compile(r"WenQuanYi|Noto\s*Sans\s*CJK|NotoSansCJK|SourceHan|Source\s*Han|DroidSansFallback|"
                      r"YaHei|PingFang|SimHei|SimSun|Hei|Song|Ming", re.I)


def require(reason: str | None) -> None:
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module", params=["en", "zh"])
def rendered(request, tmp_path_factory):
    """sample.db's report in one language, printed to PDF and screenshotted by Chromium."""
    require(chromium.missing())
    if request.param == "zh":
        require(chromium.chinese_font_missing())
    out = tmp_path_factory.mktemp(f"browser-{request.param}")
    paths = write_report(SAMPLE_DB, out, lang=request.param)
    return request.param, chromium.pdf(paths.html, out / "report.pdf"), chromium.png(paths.html, out / "report.png")


def test_pdf_text_carries_the_summary_figures(rendered):
    lang, pdf, _png = rendered
    figures = summary_json(str(SAMPLE_DB))
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    words = set(text.split())
    assert headline_strings(figures) == list(DONOR_STRINGS)
    for figure in DONOR_STRINGS:
        assert figure in words, figure  # a word of its own ("52.7", not the table's "52.70")
    flat = squash(text)
    assert project_rows(figures, lang) == donor_rows(lang)
    for row in project_rows(figures, lang):
        assert " ".join(row) in flat, row


def test_pdf_is_a4_with_sections_on_their_own_pages(rendered):
    lang, pdf, _png = rendered
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 4
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    second, third = (reader.pages[n].extract_text().lstrip() for n in (1, 2))
    assert second.startswith("资助项目" if lang == "zh" else "Featured projects")
    assert third.startswith("各机构受益人数" if lang == "zh" else "Beneficiaries by CBO")


def test_names_are_in_the_reports_language_and_chinese_in_a_chinese_font(rendered):
    lang, pdf, _png = rendered
    reader = PdfReader(pdf)
    first = reader.pages[1].extract_text()  # the featured projects, after the headline page
    if lang == "en":
        assert "China Children and Teenagers' Fund" in first and "中国" not in first
        return
    assert "中国儿童少年基金会" in first and "China Children" not in first
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any(CJK_FONT.search(name) for name in fonts), fonts  # not empty boxes


def test_screenshot_is_not_blank(rendered):
    _lang, _pdf, png = rendered
    with Image.open(png) as image:
        assert image.size == chromium.PNG_SIZE
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
    assert len(colours) > 200  # text, bars and tables, anti-aliased: hundreds of shades
    white = sum(n for n, colour in colours if colour == (255, 255, 255))
    assert white < 0.95 * chromium.PNG_SIZE[0] * chromium.PNG_SIZE[1]
