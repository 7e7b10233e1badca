"""The app on a damaged or tampered file of its own: every screen opens, nothing crashes.

A file edited behind fieldtui's back (tests/fixtures/make_hostile.py: values the models refuse,
control characters, flipped pages, extra tables...) is either refused at open with one line or
shown: a row that breaks today's rules still opens in its form, to be corrected."""

from __future__ import annotations

import re
import sqlite3

import pytest

from fieldtui.core.models import Placement
from fieldtui.core.store import Store, StoreError
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.trainees import TraineeListScreen
from tests.core.test_merge_rules import sqlite3_cli
from tests.core.test_store import trainee
from tests.fixtures.make_hostile import DB_BUILDERS, build_databases

from .helpers import error_text, fill, form_screen, settle

#: Every screen, and a record's form on each list: back from the first form by Escape, from the
#: others by the next screen's key (which leaves a form as Escape does, then goes home and on).
WALK = ["f3", "enter", "escape", "escape", "f4", "enter", "f6", "enter", "f7", "enter", "f2", "enter", "f5", "ctrl+g"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return build_databases(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", sorted(DB_BUILDERS))
async def test_every_screen_of_a_hostile_file_opens_or_the_file_is_refused(hostile, name, tmp_path):
    path = tmp_path / hostile[name].name
    for p in hostile[name].parent.glob(hostile[name].name + "*"):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    try:
        app = FieldApp(path)
    except StoreError as exc:
        assert len(str(exc).splitlines()) == 1
        return
    async with app.run_test(size=(100, 30)) as pilot:
        for key in WALK:
            await pilot.press(key)
            await settle(pilot)
        assert app.screen.is_current  # still running, back home


async def first_trainee_form(pilot) -> RecordFormScreen:
    """F3, then Enter on the first trainee: their form, as a person opens it."""
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return form_screen(pilot)


async def test_a_stored_row_that_breaks_a_rule_opens_and_is_corrected(fresh_db):
    """Saved before a rule was tightened (or edited outside): the form shows it as stored; a save
    names the broken rule beside its field; corrected, it saves."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.save_trainee(trainee(cbo_id))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE participants SET phone = '12345', household_members = -2")
    conn.commit()
    conn.close()
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await first_trainee_form(pilot)
        assert form.form.values()["participant.phone"] == "12345"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        assert "11-digit" in error_text(pilot, "participant.phone")
        await fill(pilot, "participant.phone", "13812345678")
        await fill(pilot, "participant.household_members", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    with Store.open(path) as store:
        saved = store.get_trainee(store.page("trainees")[0]["id"]).participant
    assert (saved.phone, saved.household_members) == ("13812345678", 2)


async def test_control_characters_in_a_tampered_name_are_not_sent_to_the_terminal(hostile, tmp_path):
    path = tmp_path / "control_chars.db"
    path.write_bytes(hostile["control_chars"].read_bytes())
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        cells = [str(c) for r in range(app.screen.table.row_count) for c in app.screen.table.get_row_at(r)]
        assert not any("\x1b" in c or "\x00" in c or "\u202e" in c for c in cells)
        assert any(c == "王\ufffd建\ufffd国\ufffd[31m" for c in cells)


async def test_a_name_made_invalid_utf8_with_sqlite3_opens_and_is_corrected(fresh_db):
    """Bytes pasted as text with the sqlite3 program: the list and the form show U+FFFD where
    they are (not "internal error" or "damaged"); the name corrected, it saves."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        person_id = store.save_trainee(trainee(cbo_id)).participant.id
    sqlite3_cli(path, f"UPDATE participants SET full_name = CAST(x'e78e8bff41' AS TEXT) WHERE id = '{person_id}'")
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert (await first_trainee_form(pilot)).form.values()["participant.full_name"] == "王\ufffdA"
        await fill(pilot, "participant.full_name", "王阿")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TraineeListScreen)
    with Store.open(path) as store:
        assert store.get_participant(person_id).full_name == "王阿"


async def test_a_tampered_name_in_a_placement_forms_trainee_is_drawn_safe(fresh_db):
    """The placement form names its trainee from the stored name: an escape sequence put in with
    sqlite3 is drawn as "�" there too, and a 2 MB name is cut (the label once laid out all of it)."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        saved = store.save_trainee(trainee(cbo_id))
        store.save_placement(Placement(training_id=saved.training.id, employer="京东", job_title="厨师",
                                       start_date="2011-09-01", wage_cny=3000, verified=True))
    for name, expected in (("王\x1b[31m国\u202e", "王\ufffd[31m国\ufffd"), ("王" * 700_000, "王" * 1000 + "…")):
        conn = sqlite3.connect(path)
        conn.execute("UPDATE participants SET full_name = ?", (name,))
        conn.commit()
        conn.close()
        app = FieldApp(path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f6")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            label = form_screen(pilot).form.widget_for("training_id").label
            assert label.startswith(expected + " · "), label[:40]


async def test_a_tampered_name_opens_in_its_form_drawn_safe_and_a_save_names_the_rule(fresh_db):
    """A name with an escape sequence, a NUL and a direction override put in with sqlite3: the
    form's field draws them as "�" (nothing reaches the terminal), holds the stored value, and a
    save says what is wrong beside the field instead of storing "�"."""
    path, cbo_id = fresh_db
    with Store.open(path) as store:
        store.save_trainee(trainee(cbo_id))
    sqlite3_cli(path, "UPDATE participants SET full_name = "
                      "'王' || char(0) || '建' || char(8238) || '国' || char(27) || '[31m'")  # NUL, U+202E, ESC
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await first_trainee_form(pilot)
        field = form.form.widget_for("participant.full_name")
        drawn = field.render_line(0).text
        assert "王\ufffd建\ufffd国\ufffd[31m" in drawn and not any(c in drawn for c in "\x00\x1b\u202e"), repr(drawn)
        assert form.form.values()["participant.full_name"] == "王\x00建\u202e国\x1b[31m"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "control or invisible" in error_text(pilot, "participant.full_name")
    with Store.open(path) as store:
        assert store.get_trainee(store.page("trainees")[0]["id"]).participant.full_name == "王\x00建\u202e国\x1b[31m"


#: Text columns a person reads on some screen, each given an escape sequence and a direction override.
TAMPERED = {"cbos": ("name_zh", "name_en", "city"), "participants": ("full_name", "phone", "registered_by"),
            "trainings": ("course",), "placements": ("employer", "job_title")}
#: Every list, a record's form on each, the person view, the trainee picker and the summary.
READING_WALK = ["f2", "enter", "f3", "enter", "escape", "space", "escape", "escape", "f4", "enter", "f6", "enter",
                "f7", "f6", "ctrl+n", "enter", "escape", "f5"]


def drawn(app) -> str:
    """The whole screen as the terminal would receive it, without colours and cursor moves (so any
    ESC left is the data's)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=app.size.width)
    console.print(app.screen._compositor.render_update(full=True))
    return re.sub(r"\x1b\[\d+;\d+H", "", console.file.getvalue())  # Textual's own: where each line goes


async def test_no_screen_sends_a_tampered_value_to_the_terminal(sample_copy):
    """Names, phones, courses, employers and a CBO's names edited in with sqlite3 to end in ESC[31m
    and U+202E: on every screen a person walks through, they are drawn as "�"."""
    tail = "char(27, 91, 51, 49, 109, 8238)"  # ESC [31m U+202E
    sqlite3_cli(sample_copy, "; ".join(f"UPDATE {table} SET " + ", ".join(f"{c} = {c} || {tail}" for c in columns)
                                       for table, columns in TAMPERED.items()))
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = []
        for key in READING_WALK:
            await pilot.press(key)
            await settle(pilot)
            seen.append(type(app.screen).__name__)
            screen = drawn(app)
            assert "\x1b" not in screen and "\u202e" not in screen, f"after {key} on {seen[-1]}"
        assert "\ufffd[31m\ufffd" in screen  # the summary's CBO names, drawn safe
    assert {"CBOForm", "TraineeForm", "PersonScreen", "ChildForm", "PlacementForm", "TraineePicker",
            "ParticipantListScreen", "SummaryScreen"} <= set(seen), seen
