"""F12 switches the whole app between English and Chinese without a restart, and remembers it."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from fieldtui.app import FieldApp
from fieldtui.core.settings import config_dir, load_config, resolve_language
from fieldtui.i18n import N_, language, set_language
from fieldtui.language import retranslate_classes


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
        await pilot.pause()
        assert "Direct beneficiaries" in headline(app)
        assert {"Summary", "中文"} <= footer_labels(app)

        await pilot.press("f12")
        await pilot.pause()
        assert language() == "zh"
        text = headline(app)
        assert "直接受益人" in text and "8,231" in text and "US$132.11" in text
        assert "Direct" not in text
        assert {"汇总", "English"} <= footer_labels(app)
        assert load_config()["language"] == "zh"

        await pilot.press("f12")
        await pilot.pause()
        assert language() == "en"
        assert "Direct beneficiaries" in headline(app) and "直接" not in headline(app)
        assert {"Summary", "中文"} <= footer_labels(app)
        assert load_config()["language"] == "en"


def summary_text(app: FieldApp) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#summary-body", Static).content)
    return console.export_text()


async def test_switch_on_a_pushed_screen_relabels_it_and_the_one_below(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert "Featured projects" in summary_text(app)
        await pilot.press("f12")
        await pilot.pause()
        text = summary_text(app)
        assert "资助项目" in text and "光明天使基金" in text and "US$525.00" in text
        assert "Bright Angel Fund" not in text  # CBO names in the chosen language too
        assert {"汇总", "English"} <= footer_labels(app)
        app.pop_screen()
        await pilot.pause()
        assert "直接受益人" in headline(app)
        assert "English" in footer_labels(app)


async def test_app_started_in_chinese_labels_bindings_made_in_english(sample_copy):
    """Binding descriptions are fixed when a class is created: startup must retranslate them."""
    set_language("zh")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert footer_labels(app) == {"退出", "汇总", "English", "命令"}
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
