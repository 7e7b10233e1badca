"""The likely-duplicates review (the palette: 'Likely duplicates'): S merges, D is remembered."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from fieldtui.core import duplicates, summary
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.duplicates import DuplicatesScreen
from tests.core.test_duplicates import _save
from tests.core.test_store import make_cbo


def planted(path):
    with Store.open(path, create=True) as s:
        one, two = make_cbo(s, "Bright Angel Fund"), make_cbo(s, "Xin Zhi Guan")
        return [_save(s, one, "王小二", 1992), _save(s, two, "王小二", 1993),
                _save(s, one, "李丽", 1985), _save(s, two, "李莉", 1985)]


async def _open_review(pilot) -> DataTable:
    await pilot.press("ctrl+p", *"likely duplicates")
    await pilot.pause()
    await pilot.press("enter")
    for _ in range(50):  # the pairs come from a worker
        await pilot.pause(0.05)
        if "likely duplicates:" in str(pilot.app.screen.query_one("#duplicates-status", Static).render()):
            break
    assert isinstance(pilot.app.screen, DuplicatesScreen)
    return pilot.app.screen.query_one("#duplicates-table", DataTable)


async def test_same_merges_the_pair_and_the_file_counts_the_person_once(tmp_path):
    ids = planted(tmp_path / "f.db")
    app = FieldApp(tmp_path / "f.db")
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_review(pilot)
        assert table.row_count == 2 and table.has_focus
        row = [str(c) for c in table.get_row_at(1)]  # best first: the homophones score 87, these 82
        assert "王小二 · 1992 · Bright Angel Fund" in row and "same name" in row[3]
        await pilot.press("down", "s")
        for _ in range(50):
            await pilot.pause(0.05)
            if table.row_count == 1:
                break
        assert table.row_count == 1 and "Merged" in str(app.screen.query_one("#duplicates-status", Static).render())
    with Store.open_readonly(tmp_path / "f.db") as s:
        assert summary.compute(s).direct_beneficiaries == 3
        merged = s.conn.execute("SELECT merged_into FROM participants WHERE id = ?", (max(ids[:2]),)).fetchone()[0]
        assert merged == min(ids[:2])


async def test_different_is_remembered(tmp_path):
    planted(tmp_path / "f.db")
    app = FieldApp(tmp_path / "f.db")
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _open_review(pilot)
        await pilot.press("d")  # 李丽 / 李莉
        for _ in range(50):
            await pilot.pause(0.05)
            if table.row_count == 1:
                break
        assert table.row_count == 1
    with Store.open_readonly(tmp_path / "f.db") as s:
        assert [p.a.full_name for p in duplicates.pairs(s)] == ["王小二"]
        assert summary.compute(s).direct_beneficiaries == 4
