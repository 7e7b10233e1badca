"""Every list screen, the same way: search as you type, Esc from the search box, edit in place."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.listing import RecordListScreen
from tests.core.test_merge_rules import sqlite3_cli

from .helpers import fill, form_screen, settle

#: kind -> (key that opens its list, the row field searched, a field edited in its form, a new value)
LISTS = {
    "cbos": ("f2", "name_en", "city", "Tianjin"),
    "trainees": ("f3", "full_name", "training.course", "电工"),
    "children": ("f4", "full_name", "enrolment.school", "新公民学校"),
    "placements": ("f6", "full_name", "job_title", "厨师长"),
    "others": ("f7", "full_name", "participant.province", "Hebei"),
}


@pytest.mark.parametrize("kind", sorted(LISTS))
async def test_search_escape_and_edit_on_every_list(sample_copy, kind):
    key, name_field, edit_path, new_value = LISTS[kind]
    with Store.open(sample_copy) as store:
        before = store.count(kind)
        first = store.page(kind, limit=1)[0]
    name = first[name_field]
    app = FieldApp(sample_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordListScreen) and kind == screen.KIND
        # search: the rows follow the typing; Esc goes back to the rows with the search kept
        await pilot.press("ctrl+f", *name)
        await settle(pilot)
        await pilot.pause(0.4)  # the search applies after a short pause in typing
        await settle(pilot)
        rows = list(screen.table.rows_by_id.values())
        assert rows and all(r[name_field].startswith(name) for r in rows)
        assert screen.table.total < before
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and app.focused is screen.table
        assert screen.query_one("#search", Input).value == name
        # edit the first match in place
        screen.table.move_to(first["id"])
        await pilot.press("enter")
        await settle(pilot)
        assert form_screen(pilot).record_id == first["id"]
        await fill(pilot, edit_path, new_value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.table.current_row()["id"] == first["id"]
        await pilot.press("escape")  # from the rows, Esc leaves the list
        await settle(pilot)
        assert app.screen is not screen
    with Store.open(sample_copy) as store:
        assert store.count(kind) == before  # edited in place, nothing added
        saved = {"cbos": store.get_cbo, "trainees": store.get_trainee, "children": store.get_child,
                 "placements": store.get_placement, "others": store.get_other}[kind](first["id"])
    node = saved
    for part in edit_path.split("."):
        node = getattr(node, part)
    assert node == new_value


async def test_a_trainee_added_with_the_sqlite3_program_is_in_the_list(sample_copy):
    """Someone adds a person and their training with the sqlite3 program (copying another
    trainee's rows). The app never wrote that person's pinyin keys, which lists are ordered and
    searched by: at start it keys them, so the trainee can be found like any other, and the
    list's count and the people in it agree."""
    with Store.open(sample_copy) as store:
        before = store.count("trainees")
        source = store.page("trainees", limit=1)[0]
    sqlite3_cli(sample_copy, f"""
        INSERT INTO participants SELECT '0190aaaa-0000-7000-8000-00000000000a', cbo_id, '新来的学员', gender,
            birth_year, birth_date, province, origin, NULL, household_members, registered_on, registered_by,
            created_at, updated_at, 0, NULL FROM participants WHERE id = '{source["participant_id"]}';
        INSERT INTO trainings SELECT '0190aaaa-0000-7000-8000-00000000000b', '0190aaaa-0000-7000-8000-00000000000a',
            course, start_date, end_date, status, income_before_cny, created_at, updated_at, 0
            FROM trainings WHERE id = '{source["id"]}';""")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+f", *"新来的")
        await pilot.pause(0.4)  # the search applies after a short pause in typing
        await settle(pilot)
        table = app.screen.table
        assert [str(table.get_row_at(n)[0]) for n in range(table.row_count)] == ["新来的学员"]
    with Store.open_readonly(sample_copy) as store:
        assert store.count("trainees") == len(store.page("trainees", limit=10_000)) == before + 1


async def test_a_name_and_phone_corrected_with_the_sqlite3_program_are_searched_by(sample_copy):
    """Someone corrects a trainee's name and phone with the sqlite3 program (or a database
    browser). The app's pinyin keys, which lists are ordered and searched by, still held the old
    ones: a search for the new name's pinyin or initials found nobody, the old pinyin found the
    person under the new name, and the list kept them at the old name's place (the new phone was
    found: that search reads the person's row). At the next start the app keys them again."""
    with Store.open(sample_copy) as store:
        person = store.page("trainees", limit=1)[0]
    old_name = person["full_name"]
    sqlite3_cli(sample_copy, f"UPDATE participants SET full_name = '欧阳修文', phone = '13900001234' "
                             f"WHERE id = '{person['participant_id']}'")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        for typed, expected in (("ouyangxiuwen", ["欧阳修文"]), ("oyxw", ["欧阳修文"]),
                                ("13900001234", ["欧阳修文"])):
            await pilot.press("ctrl+f", "ctrl+a", "ctrl+k", *typed)  # the search box emptied, then typed
            await pilot.pause(0.4)  # the search applies after a short pause in typing
            await settle(pilot)
            table = app.screen.table
            assert [str(table.get_row_at(n)[0]) for n in range(table.row_count)] == expected, typed
    with Store.open_readonly(sample_copy) as store:
        assert old_name not in [r["full_name"] for r in store.page("trainees", search=old_name)]
        ordered = [r["full_name"] for r in store.page("trainees", limit=10_000)]
        assert ordered.index("欧阳修文") > 0  # no longer first, at the old name's place
