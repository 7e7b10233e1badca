"""F12 switches the whole app between English and Chinese without a restart, and remembers it."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.widgets._footer import FooterKey

from fieldtui.core.settings import config_dir, load_config, resolve_language
from fieldtui.i18n import N_, language, set_language
from fieldtui.tui.app import FieldApp
from fieldtui.tui.language import retranslate_classes

from .helpers import settle as finished


@pytest.fixture(autouse=True)
def _english_bindings_after():
    """A switch retranslates class-level bindings process-wide: leave them English for other tests."""
    yield
    set_language("en")
    retranslate_classes()


def footer_labels(app: FieldApp) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


def headline(app: FieldApp) -> str:
    return str(app.screen.query_one("#headline", Static).render())


async def test_f2_switches_headings_and_bindings_and_back(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await finished(pilot)  # home's figures are counted in a worker (sample.db is large)
        assert "Direct beneficiaries" in headline(app)
        assert {"Summary", "中文"} <= footer_labels(app)

        await pilot.press("f12")
        await finished(pilot)  # home's figures are counted in a worker (sample.db is large)
        assert language() == "zh"
        text = headline(app)
        assert "直接受益人" in text and "8,231" in text and "US$132.11" in text
        assert "Direct" not in text
        assert {"汇总", "English"} <= footer_labels(app)
        assert load_config()["language"] == "zh"

        await pilot.press("f12")
        await finished(pilot)  # home's figures are counted in a worker (sample.db is large)
        assert language() == "en"
        assert "Direct beneficiaries" in headline(app) and "直接" not in headline(app)
        assert {"Summary", "中文"} <= footer_labels(app)
        assert load_config()["language"] == "en"


async def settle(pilot) -> None:
    """Until the summary's figures, computed off the UI thread, are on screen."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        body = pilot.app.screen.query("#summary-body")
        if not body or (not body.first().loading and body.first().query_one("#projects", DataTable).row_count):
            return
    raise AssertionError("the summary never finished loading")


def summary_text(app: FieldApp) -> str:
    """What the summary shows: its headings and figures, and the rows of the projects table."""
    body = app.screen.query_one("#summary-body")
    parts = [str(static.render()) for static in body.query(Static)]
    table = body.query_one("#projects", DataTable)
    parts += [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
    parts += [str(column.label) for column in table.columns.values()]
    return "\n".join(parts)


#: the footer of every screen names the other language and the keys everyone has
COMMON_EN = {"Quit", "Help", "中文", "Export / merge"}
COMMON_ZH = {"退出", "帮助", "English", "导出 / 合并"}


async def test_switch_on_a_pushed_screen_relabels_it_and_the_one_below(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        text = summary_text(app)
        assert "Featured projects" in text and "Lives changed (direct)" in text
        assert {"Back", "Reload"} | COMMON_EN <= footer_labels(app)
        await pilot.press("f12")
        await settle(pilot)
        text = summary_text(app)
        assert "资助项目" in text and "光明天使基金" in text and "US$525.00" in text
        assert "受益人数（直接）" in text and "8,231" in text
        assert "Bright Angel Fund" not in text and "Featured" not in text  # CBO names follow the language too
        assert app.screen.title == "汇总"
        assert {"返回", "刷新", "生成捐助方报告…"} | COMMON_ZH == footer_labels(app) - {"命令"}
        app.pop_screen()
        await pilot.pause()
        assert "直接受益人" in headline(app)
        assert {"汇总", "机构", "学员"} | COMMON_ZH <= footer_labels(app)


#: screen -> keys from home, and one footer label of its own in each language
SWITCH_SCREENS = {
    "cbos": (["f2"], "New", "新建"),
    "trainees": (["f3"], "Sort", "排序"),
    "children": (["f4"], "Removed", "已删除"),
    "placements": (["f6"], "Edit", "编辑"),
    "participants": (["f7"], "Remove", "删除"),
    "exchange": (["f10"], "Back", "返回"),
    "trainee form": (["f3", "ctrl+n"], "Save", "保存"),
}


@pytest.mark.parametrize("screen", list(SWITCH_SCREENS))
async def test_f12_switches_every_screen_and_back(sample_copy, screen):
    keys, english, chinese = SWITCH_SCREENS[screen]
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        kind = type(app.screen)
        assert {english} | COMMON_EN <= footer_labels(app)
        await pilot.press("f12")
        await settle(pilot)
        assert type(app.screen) is kind and language() == "zh"
        labels = footer_labels(app)
        assert {chinese} | COMMON_ZH <= labels and english not in labels and "Quit" not in labels
        await pilot.press("f12")
        await settle(pilot)
        assert {english} | COMMON_EN <= footer_labels(app) and "退出" not in footer_labels(app)


async def test_app_started_in_chinese_labels_bindings_made_in_english(sample_copy):
    """Binding descriptions are fixed when a class is created: startup must retranslate them."""
    set_language("zh")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert footer_labels(app) == {"机构", "学员", "儿童", "就业", "其他", "汇总"} | COMMON_ZH
        assert "直接受益人" in headline(app)


def test_language_setting_order(monkeypatch):
    assert resolve_language(None) == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_language(None) == "zh"
    monkeypatch.setenv("LC_ALL", "C")
    assert resolve_language(None) == "en"  # LC_ALL wins over LANG
    folder = config_dir()
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('operator = "王芳"\nlanguage = "zh"\n[ui]\ntheme = "x"\n', encoding="utf-8")
    assert resolve_language(None) == "zh"  # the config file wins over the environment
    assert resolve_language("en") == "en"  # and --lang over everything


def test_saving_the_language_keeps_the_rest_of_the_config():
    from fieldtui.core.settings import save_language

    folder = config_dir()
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    path.write_text('# mine\noperator = "王芳"\n\n[ui]\nlanguage = "not this one"\n', encoding="utf-8")
    save_language("zh")
    assert load_config()["language"] == "zh" and load_config()["operator"] == "王芳"
    assert load_config()["ui"]["language"] == "not this one"
    save_language("en")
    text = path.read_text(encoding="utf-8")
    assert text.count('language = "en"') == 1 and "# mine" in text and 'language = "zh"' not in text


class TitledScreen(Screen[None]):
    TITLE = N_("Summary")
    BINDINGS = [Binding("f9", "noop", N_("Quit"))]

    def compose(self):
        yield Footer()


async def test_screen_titles_and_bindings_made_at_import_follow_the_switch(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TitledScreen())
        await pilot.pause()
        assert app.screen.title == "Summary" and "Quit" in footer_labels(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.title == "汇总" and "退出" in footer_labels(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.title == "Summary" and "Quit" in footer_labels(app)


def list_state(screen) -> dict:
    """What a list shows: its search (box and query), filters, order, count and the row under the cursor."""
    table = screen.table
    row = table.current_row()
    return {"box": screen.query_one("#search", Input).value if screen.query("#search") else None,
            "search": table.search, "cbo": table.cbo_id, "removed": table.include_deleted, "sort": table.sort,
            "descending": table.descending, "params": dict(table.params), "total": table.total,
            "row": row["id"] if row else None}


def row_count(screen) -> str:
    return str(screen.query_one("#row-count", Label).render())


async def search(pilot, text: str) -> None:
    """Ctrl+F, the text, a pause (the search applies after one), Esc back to the rows."""
    await pilot.press("ctrl+f", *text)
    await pilot.pause(0.4)
    await pilot.press("escape")
    await finished(pilot)


async def test_f12_on_a_list_keeps_its_search_removed_records_order_row_and_focus(sample_copy):
    """F12 rebuilds a list's widgets: before, the search, Ctrl+T and the order were dropped while
    the subtitle still said "showing removed records", and nothing had the focus (Enter and the
    arrows did nothing until Tab)."""
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await finished(pilot)
        screen = app.screen
        await search(pilot, "wang")
        await pilot.press("ctrl+t", "ctrl+s", "ctrl+r", "down", "down")
        await finished(pilot)
        before = list_state(screen)
        assert before["box"] == before["search"] == "wang" and before["removed"] and before["descending"]
        assert before["row"] is not None and screen.sub_title == "showing removed records"

        await pilot.press("f12")
        await finished(pilot)
        assert app.screen is screen and language() == "zh"
        assert list_state(screen) == before
        assert screen.sub_title == "正在显示已删除的记录"
        assert row_count(screen) == f"{screen.table.total_text()} 学员"
        assert app.focused is screen.table
        place = screen.table.cursor_row
        await pilot.press("down")
        assert screen.table.cursor_row == place + 1

        await pilot.press("up", "f12")
        await finished(pilot)
        assert list_state(screen) == before and app.focused is screen.table
        assert screen.sub_title == "showing removed records"


async def test_f12_keeps_the_row_far_down_a_list_and_the_search_box_focused(sample_copy):
    """A row past the first page is found again (the rebuilt list starts from its top), and the
    focus stays in the search box when it was there."""
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await finished(pilot)
        screen = app.screen
        for _ in range(12):  # past the first page of rows
            await pilot.press("pagedown")
            await finished(pilot)
        before = list_state(screen)
        assert screen.table.cursor_row > screen.table.page_size
        await pilot.press("ctrl+f", "f12")
        await finished(pilot)
        assert isinstance(app.focused, Input)  # the search box, as before F12
        await pilot.press("escape")
        await finished(pilot)
        assert app.focused is screen.table and list_state(screen) == before


async def test_f12_on_attendance_keeps_the_children_often_absent(sample_copy):
    """Before, the subtitle still said "children often absent" over every child."""
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_open("attendance")
        await finished(pilot)
        screen = app.screen
        everyone = screen.table.total
        await pilot.press("ctrl+t")
        await finished(pilot)
        before = list_state(screen)
        assert before["params"] == {"often_absent": True} and before["total"] < everyone

        await pilot.press("f12")
        await finished(pilot)
        assert list_state(screen) == before
        assert screen.sub_title == "经常缺席的儿童" and app.focused is screen.table


async def test_f12_in_a_form_keeps_the_search_of_the_list_under_it(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await finished(pilot)
        screen = app.screen
        await search(pilot, "wang")
        before = list_state(screen)
        await pilot.press("enter")  # the form of the row under the cursor
        await finished(pilot)
        assert app.screen is not screen
        await pilot.press("f12")
        await finished(pilot)
        await pilot.press("escape")  # nothing typed: the form closes without asking
        await finished(pilot)
        assert app.screen is screen
        assert list_state(screen) == before and app.focused is screen.table


async def test_f12_on_a_list_keeps_the_cbo_chosen_in_its_filter(sample_copy):
    """The CBO filter chosen with the keyboard is kept by F12 (the list and its Select), the
    rows still that CBO's (stop 41 left this without a test)."""
    from textual.widgets import Select

    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        await finished(pilot)
        screen = app.screen
        every = screen.table.total
        screen.query_one("#cbo-filter", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # past "All CBOs": the second CBO
        await finished(pilot)
        before = list_state(screen)
        assert before["cbo"] is not None and before["total"] < every
        await pilot.press("f12")
        await finished(pilot)
        assert list_state(screen) == before
        assert screen.query_one("#cbo-filter", Select).value == before["cbo"]
