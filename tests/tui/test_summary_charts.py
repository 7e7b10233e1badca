"""The hand-made chart widgets: bar arithmetic, CJK-aware labels, stable rendering at any width."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from fieldtui.tui.widgets.charts import BarChart, ColumnChart, Meters, fit, hbar


def test_hbar_in_eighths():
    assert hbar(0, 10, 8) == ""
    assert hbar(10, 10, 8) == "█" * 8
    assert hbar(5, 10, 8) == "█" * 4
    assert hbar(1, 2, 1) == "▌"
    assert hbar(1, 1000, 1) == "▏"  # tiny but not zero: still visible
    assert hbar(20, 10, 4) == "████"  # clipped at the maximum
    assert hbar(5, 0, 4) == ""  # no division by zero


def test_fit_counts_chinese_as_two_cells():
    assert cell_len(fit("中国儿童少年基金会", 10).plain) == 10
    assert fit("中国儿童少年基金会", 10).plain == "中国儿童… "  # never half a character
    assert fit("中国儿童少年基金会", 11).plain == "中国儿童少…"
    assert fit("光明", 8).plain == "光明    "


class Charts(App[None]):
    def compose(self) -> ComposeResult:
        yield BarChart(id="bars")
        yield ColumnChart(rows=4, id="columns", short=lambda p: p[2:])
        yield Meters(id="meters")


async def test_lines_line_up_with_cjk_labels_at_several_widths():
    app = Charts()
    async with app.run_test(size=(80, 30)) as pilot:
        bars = app.query_one(BarChart)
        bars.set_data(["中国儿童少年基金会", "光明天使基金", "Xin Zhi Guan"],
                      [("direct", [3174, 200, 2650]), ("indirect", [8900, 600, None])])
        meters = app.query_one(Meters)
        meters.set_data([("中国儿童少年基金会", 3174, 3700, False), ("All", 8231, 9100, True)])
        columns = app.query_one(ColumnChart)
        columns.set_data(["2010Q1", "2010Q2", "2010Q3"], [746, 814, 0])
        await pilot.pause()
        for width in (30, 60, 100):
            lines = [line.plain for line in bars._lines(width)]
            assert lines[0].startswith("■ direct")
            assert {cell_len(line) for line in lines[1:]} == {width}  # every bar row ends at the edge
            assert lines[-1].endswith("—")  # a missing value is shown, not drawn
            assert {cell_len(line.plain) for line in meters._lines(width)} == {width}
        rows = [line.plain for line in columns._lines(40)]
        assert len(rows) == 4 + 2  # bars, axis, labels
        assert rows[0].startswith("814┤") and rows[3].startswith("  0┤")
        assert "2010Q1" in rows[-1]


async def test_empty_data_draws_a_dash():
    app = Charts()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        for widget in (app.query_one(BarChart), app.query_one(ColumnChart), app.query_one(Meters)):
            assert [line.plain for line in widget._lines(40)] == ["—"]
