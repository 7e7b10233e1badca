"""People's own words are shown as typed everywhere, never read as Rich/Textual markup.

Names, courses, employers and CBO names may hold square brackets ("王[/]明", "[b]"): as markup
they raised MarkupError (the screen could not be shown, the app stopped) or vanished as styles.
"""

from __future__ import annotations

from textual.widgets import DataTable

from fieldtui.core import exchange
from fieldtui.core.models import CBO, Placement, TraineeRecord
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.trainees import TraineeListScreen
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.duplicates import Duplicates
from tests.core.test_exchange import clone, edit_person

from .helpers import fill_all, person, settle

NAME = "王[/]明"
COURSE = "厨师 [b]面点[/b]"
CBO_NAME = "[/]New Hope"


def hostile_file(tmp_path):
    path = tmp_path / "hostile.db"
    with Store.open(path, create=True) as store:
        cbo = store.save_cbo(CBO(name_zh="新[/]希望", name_en=CBO_NAME, grant_usd=10000, target_direct=100,
                                 programmes=["vocational_training"]))
        saved = store.save_trainee(TraineeRecord.model_validate({
            "participant": {"cbo_id": cbo.id, "full_name": NAME, "gender": "male", "birth_year": 1990,
                            "province": "Henan", "origin": "recent_arrival", "registered_on": "2011-05-01",
                            "registered_by": "[red]tester"},
            "training": {"course": COURSE, "start_date": "2011-05-02", "end_date": "2011-08-30",
                         "status": "completed"}}))
        store.save_placement(Placement(training_id=saved.training.id, employer="[i]京东[/i]", job_title="厨师[/]",
                                       start_date="2011-09-01", wage_cny=3000, verified=True))
    return path, cbo.id


async def test_remove_restore_and_edit_a_person_whose_name_looks_like_markup(tmp_path):
    path, _cbo_id = hostile_file(tmp_path)
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert NAME in str(app.screen.query_one(".dialog-body").render())
        await pilot.press("y")
        await settle(pilot)
        assert any(NAME in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+t", "f9")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.form.values()["training.course"] == COURSE


async def test_duplicate_dialog_and_summary_show_bracketed_names(tmp_path):
    path, cbo_id = hostile_file(tmp_path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id, name=NAME), "training.course": "厨师"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Duplicates)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f5")  # the form has unsaved changes: leave it
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        for _ in range(50):
            if not app.screen.query_one("#summary-body").loading:
                break
            await settle(pilot)
        assert not app.screen.query_one("#summary-body").loading
        assert CBO_NAME in [str(c) for c in app.screen.query_one("#projects").get_row_at(0)]
        await pilot.press("f6")
        await settle(pilot)
        cells = [str(c) for c in app.screen.table.get_row_at(0)]
        assert NAME in cells and "[i]京东[/i]" in cells


async def test_conflicts_screen_shows_bracketed_names_and_values(tmp_path):
    """Two laptops renamed the same person differently, both names looking like markup: the
    conflicts screen (after the HQ merge) shows both as typed, and the CBO too."""
    a, _cbo_id = hostile_file(tmp_path)
    with Store.open_readonly(a) as s:
        training_id = s.conn.execute("SELECT id FROM trainings").fetchone()[0]
    b = clone(a, tmp_path / "b.db")
    for path, name in ((a, "张[/]一"), (b, "[b]张一")):
        with Store.open(path) as s:
            edit_person(s, training_id, full_name=name)
    exports = [tmp_path / "a-export.db", tmp_path / "b-export.db"]
    for path, export in zip((a, b), exports, strict=True):
        exchange.export(path, export)
    hq = tmp_path / "hq.db"
    exchange.merge(hq, exports)
    app = FieldApp(hq)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_open("conflicts")
        await settle(pilot)
        table = app.screen.query_one("#conflicts-table", DataTable)
        cells = [str(c) for n in range(table.row_count) for c in table.get_row_at(n)]
        app.save_screenshot(str(tmp_path / "shot.svg"))  # draws every cell, as the terminal would
    assert {"张[/]一", "[b]张一", CBO_NAME} <= set(cells)
