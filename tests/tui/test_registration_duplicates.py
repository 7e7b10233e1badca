"""The registration warning (issue 15), driven as staff would: a trainee typed at one CBO who may
already be in the file at another (a birth-year typo, 1985 typed 1958, a homophone surname, given-name characters
swapped, the same phone) is shown with the evidence before anything is saved, in both languages;
a common name with another birth year and phone is not. Enrol the existing person, or say "not
the same person" (remembered), and see what the file holds afterwards."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from fieldtui.core import duplicates, summary
from fieldtui.core.store import Store
from fieldtui.i18n import language, set_language
from fieldtui.tui.app import FieldApp
from fieldtui.tui.language import retranslate_classes
from fieldtui.tui.screens.trainees import TraineeListScreen
from fieldtui.tui.widgets.duplicates import Duplicates
from tests.core.test_duplicates import _save
from tests.core.test_store import make_cbo

from .helpers import fill_all, settle

#: case -> (what is typed at the second CBO: name, birth year, phone; the evidence shown, en / zh)
CASES = {
    "birth-year typo": (("王小二", "1993", ""), ("birth years 1 apart", "出生年份相差 1 年")),
    "birth-year digits swapped": (("刘洋", "1958", ""),
                                  ("two digits of the birth year swapped", "出生年份两位数字颠倒")),
    "homophone surname": (("王建国", "1985", ""), ("same pinyin (homophone)", "拼音相同（同音字）")),
    "swapped given name": (("李花春", "1990", ""), ("same syllables in another order", "音节相同、顺序不同")),
    "same phone": (("赵敏", "1988", "13912345678"), ("same phone", "电话相同")),
}


@pytest.fixture
def field(tmp_path):
    """Two CBOs; at the first, the people the cases type again (and one 王伟)."""
    path = tmp_path / "field.db"
    with Store.open(path, create=True) as s:
        first, second = make_cbo(s, "Bright Angel Fund"), make_cbo(s, "Xin Zhi Guan")
        people = {"王小二": _save(s, first, "王小二", 1992), "汪建国": _save(s, first, "汪建国", 1985),
                  "李春花": _save(s, first, "李春花", 1990), "赵敏": _save(s, first, "赵敏", 1988, "13912345678"),
                  "王伟": _save(s, first, "王伟", 1980, "13800000001"), "刘洋": _save(s, first, "刘洋", 1985)}
    yield path, second, people
    set_language("en")
    retranslate_classes()


def typed(cbo: str, name: str, year: str, phone: str) -> dict[str, str]:
    values = {"participant.cbo_id": cbo, "participant.full_name": name, "participant.gender": "male",
              "participant.birth_year": year, "participant.province": "Henan",
              "participant.origin": "recent_arrival", "training.course": "厨师"}
    return {**values, "participant.phone": phone} if phone else values


async def new_trainee(pilot, values: dict[str, str], lang: str) -> None:
    if language() != lang:
        await pilot.press("f12")
        await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await fill_all(pilot, values)
    await pilot.press("ctrl+s")
    await settle(pilot)


def counts(path) -> tuple[int, int]:
    with Store.open(path) as s:
        return s.count("trainees"), summary.compute(s).direct_beneficiaries


#: Each case in one language, the two alternating: every evidence string's translation is checked by
#: tests/test_i18n_catalogue.py, so both languages for every case drew the same screen twice.
LANGUAGES = dict(zip(sorted(CASES), ["zh", "zh", "en", "en", "zh"], strict=True))


@pytest.mark.parametrize(("case", "lang"), sorted(LANGUAGES.items()))
async def test_the_warning_shows_the_person_at_another_cbo_with_the_evidence(field, case, lang):
    path, second, people = field
    (name, year, phone), evidence = CASES[case]
    before = counts(path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_trainee(pilot, typed(second, name, year, phone), lang)
        assert isinstance(app.screen, Duplicates), f"no warning for the {case}"
        table = app.screen.query_one("#matches", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        shown = rows[0]
        assert shown[1] in people and shown[3] == ("光明天使基金" if lang == "zh" else "Bright Angel Fund"), rows
        why = str(app.screen.query_one("#why").render())
        assert evidence[lang == "zh"] in why, why
        assert counts(path) == before  # nothing saved while staff look
        await pilot.press("escape")  # back to the form, still filled
        await settle(pilot)
        assert app.screen.form.values()["participant.full_name"] == name


async def test_a_common_name_with_another_birth_year_and_phone_is_saved_without_a_warning(field, lang="zh"):
    path, second, _people = field
    before = counts(path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_trainee(pilot, typed(second, "王伟", "1995", "13800000002"), lang)
        assert isinstance(app.screen, TraineeListScreen)
    assert counts(path) == (before[0] + 1, before[1] + 1)


async def test_enrol_here_adds_the_training_to_the_existing_person_and_counts_them_once(field):
    path, second, people = field
    before = counts(path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_trainee(pilot, typed(second, "王小二", "1993", ""), "en")
        assert isinstance(app.screen, Duplicates)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    assert counts(path) == (before[0] + 1, before[1])  # a second course, the same life
    with Store.open(path) as s:
        rows = s.conn.execute("SELECT course FROM trainings WHERE participant_id = ? AND deleted = 0 ORDER BY course",
                              (people["王小二"],)).fetchall()
    assert [r[0] for r in rows] == ["厨师", "电工"]  # the new course was added to the existing person


async def test_not_the_same_person_saves_and_is_never_asked_again(field):
    path, second, people = field
    before = counts(path)
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_trainee(pilot, typed(second, "王小二", "1993", ""), "en")
        assert isinstance(app.screen, Duplicates)
        await pilot.press("n")  # the only candidate: off the list, and the new person is saved
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    assert counts(path) == (before[0] + 1, before[1] + 1)
    with Store.open(path) as s:
        new = s.conn.execute("SELECT id FROM participants WHERE birth_year = 1993").fetchone()[0]
        decision = s.conn.execute("SELECT decision FROM duplicate_decisions").fetchall()
        assert [r[0] for r in decision] == ["different"]
        assert duplicates.candidates(s, {"id": new, "full_name": "王小二", "birth_year": 1993}) == []
        assert all({p.a.id, p.b.id} != {new, people["王小二"]} for p in duplicates.pairs(s))
