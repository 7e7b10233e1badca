"""The paged list: one page at a time, the next when the cursor nears the end; sorting; CBO filter."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable

from fieldtui.core import pinyin
from fieldtui.core.models import TraineeRecord
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.widgets.paged_table import PAGE_SIZE
from tests.conftest import SAMPLE_DB

from .helpers import settle


async def test_loads_a_page_at_a_time(sample_copy):
    with Store.open(sample_copy) as store:
        total = store.count("trainees")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.table
        assert table.total == total > 3 * PAGE_SIZE
        assert table.row_count == PAGE_SIZE  # never every row
        await pilot.press("ctrl+end")  # to the last loaded row: the next page comes
        await settle(pilot)
        assert table.row_count == 2 * PAGE_SIZE
        names = [r["full_name"] for r in table.rows_by_id.values()]
        assert names == sorted(names, key=pinyin.sort_key)  # pinyin order; the keyset continues it seamlessly
        assert len(set(table.rows_by_id)) == table.row_count


async def test_sort_by_key_and_by_header_click(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.table
        await pilot.press("ctrl+s")  # next sortable column: CBO
        await settle(pilot)
        assert table.sort == "cbo"
        await pilot.press("ctrl+r")
        await settle(pilot)
        cbos = [r["cbo_en"] for r in table.rows_by_id.values()]
        assert table.descending and cbos == sorted(cbos, reverse=True)
        # clicking the Start header sorts by start date
        await pilot.click(table, offset=(_x(table, "start_date"), 0))
        await settle(pilot)
        assert table.sort == "start"
        starts = [r["start_date"] for r in table.rows_by_id.values()]
        assert starts == sorted(starts)


def _x(table, key: str) -> int:
    """The x offset of a column's header inside the table."""
    x = 0
    for col in table.ordered_columns:
        if col.key.value == key:
            return x + 1
        x += col.get_render_width(table)
    raise KeyError(key)


async def test_filter_by_cbo(sample_copy):
    with Store.open(sample_copy) as store:
        cbo = store.cbos()[0]
        expected = store.count("trainees", cbo_id=cbo.id)
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+f", "tab")  # from the search box to the CBO filter
        await settle(pilot)
        await pilot.press("enter", "down", "enter")  # the first CBO
        await settle(pilot)
        table = app.screen.table
        assert table.cbo_id == cbo.id and table.total == expected
        assert {r["cbo_id"] for r in table.rows_by_id.values()} == {cbo.id}
        assert f"{expected:,} trainees" in str(app.screen.query_one("#row-count").render())


async def test_count_stops_at_the_limit_and_shows_a_plus(sample_copy, monkeypatch):
    """A big file is not counted to the last row: past the limit the list says "N+"."""
    from fieldtui.tui.widgets import paged_table

    monkeypatch.setattr(paged_table, "COUNT_LIMIT", 1000)
    monkeypatch.setattr(paged_table, "SEARCH_COUNT_LIMIT", 3)
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert "1,000+ trainees" in str(app.screen.query_one("#row-count").render())
        assert app.screen.table.row_count == PAGE_SIZE  # the rows themselves are not capped
        await pilot.press("ctrl+f", "1", "enter")  # phone digits: many matches
        await settle(pilot)
        assert "3+ trainees" in str(app.screen.query_one("#row-count").render())


async def test_text_that_looks_like_markup_is_shown_as_typed(fresh_db):
    """Cells are people's own words: "[/]" in a course once reached Rich's markup parser, which
    raised (the list could not be shown) or swallowed "[b]" as a style."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.save_trainee(TraineeRecord.model_validate({
            "participant": {"cbo_id": cbo_id, "full_name": "王[b]明", "gender": "male", "birth_year": 1990,
                            "province": "Henan", "origin": "recent_arrival", "registered_on": "2011-05-01",
                            "registered_by": "tester"},
            "training": {"course": "厨师 [/] 面点", "start_date": "2011-05-02", "status": "enrolled"}}))
    app = FieldApp(path)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.table
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[0] == "王[b]明" and cells[2].startswith("厨师 [/] ")  # a long course ends in "…"


async def _list_picture(path, keys) -> str:
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())  # an id that differs per run


@pytest.mark.parametrize("keys", [["f3"], ["f2"], ["f6"], ["f3", "f8", "y", "ctrl+t"]], ids="-".join)
async def test_a_list_is_fully_drawn_before_datatable_measures_on_idle(sample_copy, monkeypatch, keys):
    """Rows are measured as they arrive: on a loaded CI machine a snapshot was once taken before
    DataTable's idle pass, with every column as narrow as its heading. Same picture without it."""
    expected = await _list_picture(sample_copy, keys)

    async def no_idle(self, event):
        pass

    monkeypatch.setattr(DataTable, "_on_idle", no_idle)
    copy = sample_copy.parent / "again" / sample_copy.name  # same name: the header shows it
    copy.parent.mkdir()
    copy.write_bytes(SAMPLE_DB.read_bytes())
    assert await _list_picture(copy, keys) == expected
