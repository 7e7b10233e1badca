"""Chinese from the command line and from the models: same figures, Chinese words, no broken tables."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

from fieldtui.cli import main
from fieldtui.cli.render import summary_table
from fieldtui.core import summary
from fieldtui.core.models import CBO, RecordInvalid, TraineeRecord, validate
from fieldtui.core.store import Store
from fieldtui.i18n import set_language
from tests.conftest import SAMPLE_DB

ZH_HEADINGS = ("中国流动人口援助计划：汇总", "直接受益人", "间接受益人", "资助项目", "各机构受益人数", "人均成本",
               "社会影响指数")
FIGURES = ("8,231", "20,985", "4,395", "1,758", "US$1,087,406", "US$132.11", "52.70", "US$525.00", "74%", "90%")


def test_summary_in_chinese_has_the_same_figures():
    result = CliRunner().invoke(main, ["summary", str(SAMPLE_DB), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    for text in ZH_HEADINGS + FIGURES + ("8,231 人", "光明天使基金"):
        assert text in result.output, text
    for english in ("Featured projects", "Direct beneficiaries", "Bright Angel Fund"):
        assert english not in result.output
    english = CliRunner().invoke(main, ["summary", str(SAMPLE_DB), "--lang", "en"])
    assert all(text in english.output for text in FIGURES)


def test_json_contract_does_not_change_with_the_language():
    outputs = [CliRunner().invoke(main, ["summary", str(SAMPLE_DB), "--json", "--lang", lang]).output
               for lang in ("en", "zh")]
    assert json.loads(outputs[0]) == json.loads(outputs[1])


def test_language_from_environment_and_config(monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "资助项目" in CliRunner().invoke(main, ["summary", str(SAMPLE_DB)]).output
    from fieldtui.core.settings import config_dir, save_language

    save_language("en")
    assert "Featured projects" in CliRunner().invoke(main, ["summary", str(SAMPLE_DB)]).output
    assert config_dir().joinpath("config.toml").exists()


def test_cli_errors_in_chinese(tmp_path):
    result = CliRunner().invoke(main, ["summary", str(tmp_path / "x.db"), "--lang", "zh"])
    assert result.exit_code == 2 and "文件不存在" in result.output
    result = CliRunner().invoke(main, ["summary", str(SAMPLE_DB), "--cbo", "Nobody", "--lang", "zh"])
    assert result.exit_code == 2 and "没有名为 Nobody 的机构" in result.output


BORDERS = set("┏┳┓┃┡╇┩│└┴┘")


def tables(text: str) -> list[list[str]]:
    """Boxed tables of a rendering, as lists of their lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.lstrip()[:1] in BORDERS:
            current.append(line.rstrip())
        elif current:
            found.append(current)
            current = []
    return found + ([current] if current else [])


def border_cells(line: str) -> list[int]:
    return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in BORDERS]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 60])
def test_summary_tables_stay_aligned_with_wide_characters(lang, width):
    set_language(lang)
    with Store.open_readonly(SAMPLE_DB) as store:
        result = summary.compute(store)
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(summary_table(result))
    text = console.export_text()
    assert "…" not in text  # nothing cut: long names fold onto a second line
    boxed = tables(text)
    assert len(boxed) >= 2  # the donor's tables, then the outcomes' and breakdowns'
    for table in boxed:
        widths = {cell_len(line) for line in table}
        assert len(widths) == 1 and widths.pop() <= width, table
        columns = {tuple(border_cells(line)) for line in table}
        assert len(columns) == 1, "column borders move between rows:\n" + "\n".join(table)
    assert all(cell_len(line) <= width for line in text.splitlines())
    if lang == "zh":
        names = [c.name_zh for c in result.cbos]
        flat = "".join(text.split()).replace("│", "")
        assert all(name in text or name[:4] in flat for name in names)


def test_validation_messages_in_chinese():
    set_language("zh")
    with pytest.raises(RecordInvalid) as err:
        validate(CBO, {"name_zh": "", "name_en": "X", "grant_usd": "abc", "target_direct": 1, "sii": 200})
    assert err.value.errors["name_zh"] == "中文名称：不能为空"
    assert err.value.errors["grant_usd"] == "资助金额（美元）：必须是数字"
    assert err.value.errors["sii"] == "社会影响指数：必须在 20 到 100 之间（或留空）"
    record = {
        "participant": {"cbo_id": "c", "full_name": "李雷", "gender": "男", "birth_year": 2015,
                        "province": "河南", "origin": "new", "registered_on": "2024-03-01",
                        "registered_by": "王芳", "phone": "123"},
        "training": {"start_date": "2024-03-01", "course": "电工"},
    }
    with pytest.raises(RecordInvalid) as err:
        validate(TraineeRecord, record)
    assert err.value.errors["participant.phone"].startswith("手机号：必须是 11 位中国大陆手机号码")
    set_language("en")
    with pytest.raises(RecordInvalid) as err:
        validate(CBO, {"name_zh": "", "name_en": "X", "grant_usd": 1, "target_direct": 1})
    assert err.value.errors["name_zh"] == "Chinese name: is required"


def test_cbo_display_name_follows_the_language():
    cbo = CBO(name_zh="光明天使基金", name_en="Bright Angel Fund", grant_usd=1, target_direct=1)
    assert cbo.display_name == "Bright Angel Fund"
    set_language("zh")
    assert cbo.display_name == "光明天使基金"


def test_help_in_chinese_whatever_the_order_of_options(monkeypatch):
    for args in (["summary", "--help", "--lang", "zh"], ["summary", "--lang=zh", "--help"]):
        out = CliRunner().invoke(main, args).output
        assert "显示 DB 文件的汇总数字" in out and "只统计该城市的机构" in out and "显示此帮助并退出" in out
        assert "Only CBOs in this city" not in out
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = CliRunner().invoke(main, ["--help"]).output
    assert "社区项目的离线数据录入工具" in out and "显示 DB 文件的汇总数字" in out
    out = CliRunner().invoke(main, ["summary", "--help", "--lang", "en"]).output
    assert "Only CBOs in this city." in out and "Show this message and exit." in out
