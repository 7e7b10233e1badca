"""Digits typed with a Chinese input method in full-width mode (全角, one Shift+Space away):
"１９９０", "１３８１２３４５６７８". Before, a number field's restriction dropped each such key
without a sign (nothing appeared), and the phone field refused the number; a sheet with such cells
was refused ("must be a whole number") or, for a phone mixing both widths, stored full-width
digits that no search or duplicate check matched."""

from __future__ import annotations

import csv

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.trainees import TraineeListScreen
from tests.cli.test_duplicates_imported import HEADER, cli, sheet
from tests.core.test_store import make_cbo

from .helpers import error_text, fill_all, person, settle

KEYS = [["f3"], ["ctrl+n"], list("王小明"), ["enter"], ["2"], list("１９９０"), ["enter"], list("henan"), ["enter"],
        ["1"], list("１３８ １２３４ ５６７８"), ["enter"], list("厨师"), ["ctrl+s"]]


async def test_a_trainee_typed_in_full_width_digits_is_saved_with_ascii_ones(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in KEYS:
            await pilot.press(*keys)
            await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen), type(app.screen).__name__
    with Store.open_readonly(path) as store:
        row = store.page("trainees")[0]
    assert (row["full_name"], row["birth_year"], row["phone"]) == ("王小明", 1990, "13812345678")


def test_a_sheet_with_full_width_digits_is_imported_with_ascii_ones(tmp_path):
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    rows = [("赵敏", "１９８８", "139１２３４５６７８"), ("王小二", "１９９２", "")]
    imported = cli("import", db, sheet(tmp_path / "march.csv", "Bright Angel Fund", rows), "--kind", "trainees")
    assert imported.returncode == 0 and "2 written" in imported.stdout, imported.stdout + imported.stderr
    with Store.open_readonly(db) as store:
        found = {(r["full_name"], r["birth_year"], r["phone"]) for r in store.page("trainees")}
        assert store.page("trainees", search="13912345678")  # the phone is found by what is typed,
        assert [r["full_name"] for r in store.page("trainees", search="１３９１２")] == ["赵敏"]  # in either width
    assert found == {("赵敏", 1988, "13912345678"), ("王小二", 1992, None)}


def test_dates_as_chinese_excel_saves_them_are_imported(tmp_path):
    """Excel with Chinese regional settings saves a CSV's dates as "2012/3/1", and people type
    "2012年3月1日" or "2012.03.01": year first, so unambiguous. Before, every such row was refused
    ("must be a date written YYYY-MM-DD"), so the whole sheet was. Day- or month-first stays refused."""
    db = tmp_path / "field.db"
    with Store.open(db, create=True) as s:
        make_cbo(s, "Bright Angel Fund")
    dates = (("2012/3/1", "2012/3/5"), ("2012年3月1日", "２０１２.０３.０６"))
    rows = [["Bright Angel Fund", "赵敏", "female", "1988", "Henan", "recent_arrival", "", "3", registered, "厨师",
             start, "enrolled"] for registered, start in dates]
    path = tmp_path / "march.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    imported = cli("import", db, path, "--kind", "trainees")
    assert imported.returncode == 0 and "2 written" in imported.stdout, imported.stdout + imported.stderr
    with Store.open_readonly(db) as store:
        assert sorted(tuple(r) for r in store.conn.execute("SELECT p.registered_on, t.start_date FROM trainings t "
                                                           "JOIN participants p ON p.id = t.participant_id")) == [
            ("2012-03-01", "2012-03-05"), ("2012-03-01", "2012-03-06")]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([HEADER, [*rows[0][:8], "3/1/2012", *rows[0][9:]]])
    refused = cli("import", db, path, "--kind", "trainees")
    assert refused.returncode == 2 and "YYYY-MM-DD" in refused.stdout + refused.stderr


async def test_a_date_typed_year_first_with_slashes_is_saved(fresh_db):
    """The date field took only digits and "-": "2024/3/5" typed became "202435" (each "/" dropped
    without a sign), refused as not a date."""
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), "training.course": "厨师", "training.start_date": "2024/3/5"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen), error_text(pilot, "training.start_date")
    with Store.open_readonly(path) as store:
        assert store.page("trainees")[0]["start_date"] == "2024-03-05"


async def test_a_date_typed_as_chinese_is_written_and_saved(fresh_db):
    """"2012年3月5日" typed into a date field: before, the field dropped 年, 月 and 日 as typed (its
    restriction), leaving "201235", which the save refused; a sheet's cell was read (above)."""
    from .helpers import fill

    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in KEYS[:-1]:
            await pilot.press(*keys)
            await settle(pilot)
        await fill(pilot, "training.start_date", "2012年3月5日")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen), type(app.screen).__name__
    with Store.open_readonly(path) as store:
        assert store.conn.execute("SELECT start_date FROM trainings").fetchall()[0][0] == "2012-03-05"


async def test_a_date_typed_as_eight_digits_is_saved_and_a_lone_number_is_explained(fresh_db):
    """"20120305" typed into a date field was read as a Unix time (1970-08-22) and refused as
    "must be on or after 1990-01-01"; "0" too. Eight digits are year, month and day; any other
    number is refused saying how a date is written."""
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), "training.course": "厨师", "training.start_date": "0"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "training.start_date") == \
            "Start date: must be a date written YYYY-MM-DD, e.g. 2010-03-01"
        await fill_all(pilot, {"training.start_date": "20120305"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen), error_text(pilot, "training.start_date")
    with Store.open_readonly(path) as store:
        assert store.conn.execute("SELECT start_date FROM trainings").fetchall()[0][0] == "2012-03-05"
