"""Registration as a queue needs it (issue 14): few keys, nothing lost on F12, the saved record in
view, the person view's second programme, skip logic and every error at once, selects that filter."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from fieldtui.core.store import Store
from fieldtui.i18n import language
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.person import PersonScreen
from fieldtui.tui.screens.trainees import TraineeForm, TraineeListScreen
from fieldtui.tui.widgets.choice import ChoiceField

from .helpers import error_text, fill, fill_all, form_screen, person, settle

#: One trainee from the home screen, as in the README: (keys, typed text?). Typed text is the
#: name, the birth year, the province's pinyin and the course; everything else is counted.
TRAINEE_KEYS: list[tuple[str, bool]] = [
    ("f3", False), ("ctrl+n", False),
    ("王小明", True), ("enter", False),
    ("2", False),  # gender: one key (2 male) chooses and moves on
    ("1990", True), ("enter", False),
    ("henan", True), ("enter", False),  # the province list filters as the letters come
    ("1", False), ("enter", False),  # origin: 1 recent arrival; Enter skips the optional phone
    ("厨师", True), ("ctrl+s", False),
]


async def test_one_trainee_takes_at_most_twelve_keys_beyond_the_typed_text(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys, typed in TRAINEE_KEYS:
            await pilot.press(*(keys if typed else [keys]))
            await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    assert sum(1 for _keys, typed in TRAINEE_KEYS if not typed) <= 12
    with Store.open(path) as store:
        row = store.page("trainees")[0]
    assert (row["full_name"], row["gender"], row["birth_year"], row["province"], row["course"]) == (
        "王小明", "male", 1990, "Henan", "厨师")


async def test_f12_in_an_open_form_keeps_what_was_typed(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await pilot.press(*"王小明", "enter", "2", *"1990")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert language() == "zh"
        screen = form_screen(pilot)
        assert isinstance(screen, TraineeForm)
        values = screen.form.values()
        assert (values["participant.full_name"], values["participant.gender"],
                values["participant.birth_year"]) == ("王小明", "male", "1990")
        assert str(screen.query_one(".form-title").render()) == "新建学员"
        assert app.focused is screen.form.widget_for("participant.birth_year")  # where the typing was
        await pilot.press("f12")
        await settle(pilot)
        assert language() == "en" and form_screen(pilot).form.values()["participant.full_name"] == "王小明"



async def test_a_draft_kept_while_f12_rebuilds_the_form_holds_what_was_typed(fresh_db, monkeypatch):
    """A busy machine: the draft timer fires while F12 is rebuilding the form in the other language
    (CI saw the app stop with "internal error" there). The rebuild is slowed at that exact point."""
    import asyncio

    from fieldtui.tui.screens import form as form_module

    monkeypatch.setattr(form_module, "DRAFT_DELAY", 0.2)
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        screen = form_screen(pilot)
        mount_all = screen.mount_all

        async def busy_mount_all(*widgets, **kwargs):
            mounting = mount_all(*widgets, **kwargs)  # the new form is in the screen, not yet built
            await asyncio.sleep(0.6)  # the machine is busy: the draft timer fires now
            await mounting

        monkeypatch.setattr(screen, "mount_all", busy_mount_all)
        await pilot.press(*"王小明", "f12")
        await settle(pilot)
        await pilot.pause(0.2)
        assert language() == "zh" and app.is_running
        assert form_screen(pilot).form.values()["participant.full_name"] == "王小明"
    with Store.open(path) as store:
        (draft,) = store.drafts()
    assert draft["data"]["values"]["participant.full_name"] == "王小明"

async def test_the_saved_record_is_under_the_cursor_even_with_a_search(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+f", *"zzzz", "enter")
        await settle(pilot)
        assert app.screen.table.total == 0
        await pilot.press("ctrl+n")
        await settle(pilot)
        cbo_id = app.store.cbo_choices()[0][1]
        await fill_all(pilot, {**person(cbo_id, name="丁一新"), "training.course": "育婴师"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
        assert app.screen.query_one("#search", Input).value == ""  # cleared, and said so
        assert app.screen.table.current_row()["full_name"] == "丁一新"


async def test_person_view_enrols_the_same_person_in_another_programme(fresh_db):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        await fill_all(pilot, {**person(cbo_id), "training.course": "厨师"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.query_one("#person-enrolments", DataTable).row_count == 1
        await pilot.press("o")
        await settle(pilot)
        form = form_screen(pilot).form
        assert form.widget_for("participant.full_name").disabled  # the stored person, shown
        assert app.focused is form.widget_for("programme.programme")
        await fill(pilot, "programme.programme", "low_cost_school")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.query_one("#person-enrolments", DataTable).row_count == 2
    with Store.open(path) as store:
        assert store.count("participants") == 1
        assert store.count("trainees") == 1 and store.count("others") == 1


async def test_child_form_asks_guardian_only_of_a_child_and_says_every_error_at_once(fresh_db, frozen_today):
    path, cbo_id = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4", "ctrl+n")
        await settle(pilot)
        form = form_screen(pilot).form
        guardian_row = form.query_one(f"#{next(f for f in form.fields if f.path == 'enrolment.guardian_name').row_id}")
        await fill_all(pilot, {**person(cbo_id, name="小红", year="1990")})
        assert not guardian_row.display  # an adult: no guardian questions
        await fill(pilot, "participant.birth_year", "2016")
        assert guardian_row.display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_text(pilot, "enrolment.guardian_name") and error_text(pilot, "enrolment.guardian_consent")
        assert error_text(pilot, "enrolment.school")  # the field errors beside the child rules, together


async def test_a_key_that_names_no_choice_in_a_one_line_choice_changes_nothing(fresh_db):
    """Gender shows its choices on one numbered line: a key that is no number and starts no label
    or alias ("z", a Chinese character) is ignored, and pinyin still picks ("n": 女). Before, such
    a key stopped the app on an internal error (TypeError) with the form open (found by random keys)."""
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        widget = form_screen(pilot).form.widget_for("participant.gender")
        assert isinstance(widget, ChoiceField) and widget.inline
        widget.focus()
        await pilot.press("z", "张")
        await settle(pilot)
        assert app.is_running and form_screen(pilot).form.values()["participant.gender"] in (None, "")
        await pilot.press("o")
        await settle(pilot)
        assert form_screen(pilot).form.values()["participant.gender"] == "other"
        await pilot.press("f12")  # the form in Chinese: 女 男 其他
        await settle(pilot)
        form_screen(pilot).form.widget_for("participant.gender").focus()
        await pilot.press("n")  # no label or alias starts with it; the pinyin of 女 (nv) does
        await settle(pilot)
        assert form_screen(pilot).form.values()["participant.gender"] == "female"


async def test_a_long_select_filters_as_you_type_in_pinyin_initials(fresh_db):
    path, _cbo = fresh_db
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        widget = form_screen(pilot).form.widget_for("participant.province")
        assert isinstance(widget, ChoiceField) and not widget.inline
        widget.focus()
        await pilot.press("h", "l", "j")  # 黑龙江
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert form_screen(pilot).form.values()["participant.province"] == "Heilongjiang"


async def test_the_trainee_picker_tells_two_namesakes_apart_and_does_not_wrap(fresh_db):
    from textual.widgets import OptionList

    from fieldtui.tui.widgets.picker import TraineePicker

    from .test_placements import add_trainee

    path, cbo_id = fresh_db
    add_trainee(path, cbo_id, "王建国")
    add_trainee(path, cbo_id, "王建国")
    with Store.open(path) as store:
        for row, (year, phone) in zip(store.page("trainees"), (("1985", "13800001111"), ("1990", None)), strict=True):
            store.conn.execute("UPDATE participants SET birth_year = ?, phone = ? WHERE id = ?",
                               (year, phone, row["participant_id"]))
    app = FieldApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6", "ctrl+n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TraineePicker)
        options = app.screen.query_one(OptionList)
        labels = {str(options.get_option_at_index(i).prompt) for i in range(options.option_count)}
        assert labels == {"王建国 · 1985 · 13800001111 · 厨师 · 2024-01-10 · New Hope",
                          "王建国 · 1990 · 厨师 · 2024-01-10 · New Hope"}
        await pilot.press("down", "down", "down")
        assert options.highlighted == 1  # stays on the last one
