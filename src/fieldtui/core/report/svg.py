"""Inline SVG charts for report.html: no script, no font or image to fetch, they print as drawn.

Each chart is a `<svg viewBox=...>` that scales to the page width; text takes the page's font
(CSS `svg text { font: inherit }`), so Chinese names use the same CJK font as the tables. Every
label is data or a translation and is escaped here. Text widths are estimated (a CJK character
is about one em, others about 0.56 em): there is no layout engine to ask, and a long name is
shortened with "…" (its full text is in the table beside the chart and in the SVG `<title>`).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Sequence

WIDTH = 720
FONT = 12  # px in viewBox units
ROW = 18
PALETTE = ("#1b6ca8", "#f0a04b", "#5aa469", "#8e6bbf")
GRID = "#d5dbe1"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


def fit(text: str, width: float, size: float = FONT) -> str:
    """`text`, shortened with "…" to fit `width`."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _legend(names: Sequence[str], y: float) -> str:
    parts, x = [], 0.0
    for i, name in enumerate(names):
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 14:.1f}" y="{y:.1f}">{_e(name)}</text>')
        x += 14 + text_width(name) + 18
    return "".join(parts)


def _svg(height: float, body: str, label: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{_e(label)}">'
            f"<title>{_e(label)}</title>{body}</svg>")


def bars(label: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
         fmt: Callable[[float | None], str]) -> str:
    """Horizontal bars, one group per category (a CBO), one bar per series, value at the bar's end."""
    values = [v for _name, vs in series for v in vs if v is not None]
    top = max(values, default=0) or 1
    name_w = min(max((text_width(c) for c in categories), default=0) + 8, WIDTH * 0.36)
    value_w = max((text_width(fmt(v)) for v in values), default=0) + 8
    plot_w = WIDTH - name_w - value_w
    group_h = ROW * len(series) + 10
    y0 = 26 if len(series) > 1 else 4
    parts = [_legend([name for name, _vs in series], 14)] if len(series) > 1 else []
    for gi, category in enumerate(categories):
        gy = y0 + gi * group_h
        parts.append(f'<text x="{name_w - 8:.1f}" y="{gy + group_h / 2:.1f}" text-anchor="end" '
                     f'dominant-baseline="middle">{_e(fit(category, name_w - 8))}<title>{_e(category)}</title></text>')
        for si, (_name, vs) in enumerate(series):
            v = vs[gi]
            y = gy + si * ROW
            w = 0 if v is None else plot_w * v / top
            parts.append(f'<rect x="{name_w:.1f}" y="{y:.1f}" width="{w:.1f}" height="{ROW - 4}" '
                         f'fill="{PALETTE[si % len(PALETTE)]}"/>'
                         f'<text x="{name_w + w + 4:.1f}" y="{y + ROW / 2 - 1:.1f}" dominant-baseline="middle">'
                         f"{_e(fmt(v))}</text>")
    parts.append(f'<line x1="{name_w:.1f}" y1="{y0 - 2}" x2="{name_w:.1f}" '
                 f'y2="{y0 + group_h * len(categories) - 8:.1f}" stroke="{GRID}"/>')
    return _svg(y0 + group_h * len(categories), "".join(parts), label)


def columns(label: str, periods: Sequence[str], values: Sequence[int], fmt: Callable[[float], str]) -> str:
    """Vertical columns over time (registrations per quarter); every label that fits is written."""
    height, base, left = 220, 190, 48
    top = max(values, default=0) or 1
    step = (WIDTH - left) / max(len(values), 1)
    parts = []
    for tick in (0, 0.5, 1):
        y = base - (base - 16) * tick
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle">'
                     f"{_e(fmt(round(top * tick)))}</text>")
    every = max(1, int(text_width("2010 Q1") // step) + 1)
    for i, (period, v) in enumerate(zip(periods, values, strict=True)):
        h = (base - 16) * v / top
        x = left + i * step
        parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{PALETTE[0]}"><title>{_e(period)}: {_e(fmt(v))}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{base + 16}" text-anchor="middle">{_e(period)}</text>')
    return _svg(height, "".join(parts), label)


def meters(label: str, rows: Sequence[tuple[str, float | None, str]]) -> str:
    """Progress bars: (name, progress ratio, progress as written) per row; a bar stops at 100%."""
    name_w = min(max((text_width(r[0]) for r in rows), default=0) + 8, WIDTH * 0.36)
    note_w = max((text_width(r[2]) for r in rows), default=0) + 12
    plot_w = WIDTH - name_w - note_w
    parts = []
    for i, (name, progress, note) in enumerate(rows):
        y = 4 + i * (ROW + 6)
        share = min(progress or 0, 1)
        parts.append(f'<text x="{name_w - 8:.1f}" y="{y + ROW / 2 - 1:.1f}" text-anchor="end" '
                     'dominant-baseline="middle">'
                     f"{_e(fit(name, name_w - 8))}<title>{_e(name)}</title></text>"
                     f'<rect x="{name_w:.1f}" y="{y:.1f}" width="{plot_w:.1f}" height="{ROW - 4}" fill="#e8edf2"/>'
                     f'<rect x="{name_w:.1f}" y="{y:.1f}" width="{plot_w * share:.1f}" height="{ROW - 4}" '
                     f'fill="{PALETTE[2]}"/>'
                     f'<text x="{name_w + plot_w + 6:.1f}" y="{y + ROW / 2 - 1:.1f}" dominant-baseline="middle">'
                     f"{_e(note)}</text>")
    return _svg(8 + len(rows) * (ROW + 6), "".join(parts), label)
