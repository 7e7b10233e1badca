"""Small terminal charts drawn with Unicode blocks: horizontal bars, columns, progress meters.

Hand-made rather than textual-plotext (1.0.1): plotext counts a Chinese character as one cell,
so CBO names like 中国儿童少年基金会 push its axes out of line, and textual-plotext pins plotext < 6.
These widgets measure text with rich's `cell_len` (CJK = 2 cells), size themselves to their
width, draw nothing that depends on the clock, and take their colours from the app's theme
through component classes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

Formatter = Callable[[float], str]

_EIGHTHS = " ▏▎▍▌▋▊▉"  # left-to-right partial blocks, index = eighths filled
_RISING = " ▁▂▃▄▅▆▇"  # bottom-to-top partial blocks


def hbar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar `width` cells wide at most, in eighths of a cell."""
    if width <= 0 or maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(min(value, maximum) / maximum * width * 8))  # a non-zero value stays visible
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def fit(label: str, width: int) -> Text:
    """`label` cut (with …) or padded to exactly `width` terminal cells; a CJK character is 2 cells."""
    if cell_len(label) > width:
        cut = ""
        for char in label:
            if cell_len(cut + char) > width - 1:
                break
            cut += char
        label = cut + "…"
    return Text(label + " " * (width - cell_len(label)))


def _plain(value: float) -> str:
    return f"{value:,.0f}"


class _Chart(Widget):
    """Common ground: a fixed number of lines, redrawn at whatever width the layout gives."""

    DEFAULT_CSS = """
    _Chart { height: auto; }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(max(width, 10))))

    def render(self) -> Text:
        return Text("\n").join(self._lines(max(self.content_size.width, 10)))

    def _lines(self, width: int) -> list[Text]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _series_style(self, index: int) -> Style:
        return self.get_component_rich_style(f"chart--series-{index % 2}", partial=True)


class BarChart(_Chart):
    """Horizontal bars, one group per label, one bar per series (e.g. direct and indirect)."""

    COMPONENT_CLASSES = {"chart--series-0", "chart--series-1", "chart--label", "chart--empty"}
    DEFAULT_CSS = """
    BarChart { height: auto; }
    BarChart > .chart--series-0 { color: $primary; }
    BarChart > .chart--series-1 { color: $accent; }
    BarChart > .chart--label { text-style: none; }
    BarChart > .chart--empty { color: $text-muted; }
    """

    def __init__(self, *, fmt: Formatter = _plain, empty: str = "—", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.fmt = fmt
        self.empty = empty
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []

    def set_data(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> None:
        self.labels = list(labels)
        self.series = [(name, list(values)) for name, values in series]
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        if not self.labels:
            return [Text(self.empty, style=self.get_component_rich_style("chart--empty", partial=True))]
        lines: list[Text] = []
        if len(self.series) > 1:
            legend = Text()
            for index, (name, _values) in enumerate(self.series):
                legend.append("■ ", self._series_style(index)).append(name).append("   ")
            legend.rstrip()
            lines.append(legend)
        values = [v for _name, vs in self.series for v in vs if v is not None]
        maximum = max(values, default=0)
        shown = [[self.fmt(v) if v is not None else "—" for v in vs] for _name, vs in self.series]
        value_w = max((cell_len(s) for row in shown for s in row), default=1)
        label_w, bar_w = _split(width - value_w - 2, max(cell_len(label) for label in self.labels))
        for i, label in enumerate(self.labels):
            for j, (_name, vs) in enumerate(self.series):
                line = fit(label if j == 0 else "", label_w)
                line.append(" ")
                bar = hbar(vs[i] or 0, maximum, bar_w)
                line.append(bar, self._series_style(j))
                line.append(" " * (bar_w - cell_len(bar) + 1))
                line.append(shown[j][i].rjust(value_w))
                lines.append(line)
        return lines


class ColumnChart(_Chart):
    """Vertical columns over time (e.g. registrations per quarter), with a value scale at the left."""

    COMPONENT_CLASSES = {"chart--series-0", "chart--series-1", "chart--axis", "chart--empty"}
    DEFAULT_CSS = """
    ColumnChart { height: auto; }
    ColumnChart > .chart--series-0 { color: $primary; }
    ColumnChart > .chart--series-1 { color: $accent; }
    ColumnChart > .chart--axis { color: $text-muted; }
    ColumnChart > .chart--empty { color: $text-muted; }
    """

    def __init__(self, *, rows: int = 6, fmt: Formatter = _plain, empty: str = "—",
                 short: Callable[[str], str] | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows = rows
        self.fmt = fmt
        self.empty = empty
        self.short = short or (lambda label: label)
        self.labels: list[str] = []
        self.values: list[float] = []

    def set_data(self, labels: Sequence[str], values: Sequence[float]) -> None:
        self.labels = list(labels)
        self.values = list(values)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        if not self.labels:
            return [Text(self.empty, style=self.get_component_rich_style("chart--empty", partial=True))]
        axis_style = self.get_component_rich_style("chart--axis", partial=True)
        bar_style = self._series_style(0)
        labels, values = self._fitted(width)
        maximum = max(values, default=0)
        top, bottom = self.fmt(maximum), self.fmt(0)
        axis_w = max(cell_len(top), cell_len(bottom))
        n = len(labels)
        col_w = max(1, min(8, (width - axis_w - 1) // n))
        bar_w = max(1, col_w - 1) if col_w > 1 else 1
        heights = [round(v / maximum * self.rows * 8) if maximum > 0 else 0 for v in values]
        lines: list[Text] = []
        for r in range(self.rows):
            floor = (self.rows - r - 1) * 8
            scale = top if r == 0 else bottom if r == self.rows - 1 else ""
            line = Text(scale.rjust(axis_w) + "┤" if scale else " " * axis_w + "│", style=axis_style)
            for h in heights:
                filled = h - floor
                cell = "█" if filled >= 8 else _RISING[filled] if filled > 0 else " "
                line.append(cell * bar_w, bar_style)
                line.append(" " * (col_w - bar_w))
            lines.append(line)
        lines.append(Text(" " * axis_w + "└" + "─" * (col_w * n), style=axis_style))
        lines.append(self._label_line(labels, axis_w, col_w))
        return lines

    def _fitted(self, width: int) -> tuple[list[str], list[float]]:
        """More periods than columns (one registration years after the rest): neighbouring
        periods summed into one column, labelled by the first, so every column and the labels
        under them still fit (they used to run off the edge, labels and all)."""
        labels, values = self.labels, list(self.values)
        room = max(1, width - max(cell_len(self.fmt(max(values, default=0))), 1) - 1)
        if len(labels) <= room:
            return labels, values
        k = ceil(len(labels) / room)
        return ([labels[i] for i in range(0, len(labels), k)],
                [sum(values[i:i + k]) for i in range(0, len(values), k)])

    def _label_line(self, labels: list[str], axis_w: int, col_w: int) -> Text:
        """Full labels if they fit, else short ones, else every k-th short label."""
        if max(cell_len(lb) for lb in labels) >= col_w:
            labels = [self.short(lb) for lb in labels]
        need = max(cell_len(lb) for lb in labels) + 1
        step = max(1, ceil(need / col_w))
        line = " " * (axis_w + 1)
        for i, label in enumerate(labels):
            if i % step:
                continue
            start = axis_w + 1 + i * col_w
            line = line.ljust(start) + label
        return Text(line[: axis_w + 1 + col_w * len(labels) + need])


class Meters(_Chart):
    """Progress towards targets: label, a filled/empty bar, percentage and 'done / target'."""

    COMPONENT_CLASSES = {"chart--series-0", "chart--series-1", "chart--track", "chart--total", "chart--empty"}
    DEFAULT_CSS = """
    Meters { height: auto; }
    Meters > .chart--series-0 { color: $primary; }
    Meters > .chart--series-1 { color: $accent; }
    Meters > .chart--track { color: $panel-lighten-2; }
    Meters > .chart--total { text-style: bold; }
    Meters > .chart--empty { color: $text-muted; }
    """

    def __init__(self, *, fmt: Formatter = _plain, empty: str = "—", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.fmt = fmt
        self.empty = empty
        self.rows: list[tuple[str, float, float, bool]] = []

    def set_data(self, rows: Sequence[tuple[str, float, float, bool]]) -> None:
        """Rows of (label, done, target, is_total)."""
        self.rows = list(rows)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        if not self.rows:
            return [Text(self.empty, style=self.get_component_rich_style("chart--empty", partial=True))]
        track = self.get_component_rich_style("chart--track", partial=True)
        total_style = self.get_component_rich_style("chart--total", partial=True)
        counts = [f"{self.fmt(done)} / {self.fmt(target)}" for _label, done, target, _total in self.rows]
        counts_w = max(cell_len(c) for c in counts)
        tails = [f"{_percent(done, target):>4} {c.ljust(counts_w)}"
                 for (_label, done, target, _total), c in zip(self.rows, counts, strict=True)]
        tail_w = max(cell_len(t) for t in tails)
        label_w, bar_w = _split(width - tail_w - 2, max(cell_len(r[0]) for r in self.rows))
        lines = []
        for (label, done, target, is_total), tail in zip(self.rows, tails, strict=True):
            line = fit(label, label_w)
            if is_total:
                line.stylize(total_style)
            line.append(" ")
            bar = hbar(done, target, bar_w) if target > 0 else ""
            line.append(bar, self._series_style(1 if is_total else 0))
            line.append("░" * (bar_w - cell_len(bar)), track)
            line.append(" ")
            line.append(tail.rjust(tail_w), total_style if is_total else "")
            lines.append(line)
        return lines


def _split(room: int, longest_label: int) -> tuple[int, int]:
    """Share `room` cells between a label column (up to a third, at least 8 if it can) and bars."""
    label_w = min(longest_label, max(8, (room + 2) // 3))
    label_w = max(1, min(label_w, room - 4))  # leave the bar at least 4 cells when room allows
    return label_w, max(1, room - label_w)


def _percent(done: float, target: float) -> str:
    return f"{done / target * 100:.0f}%" if target > 0 else "—"
