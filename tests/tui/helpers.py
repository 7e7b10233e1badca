"""Driving the app like a person: focus a field, type into it, pick from a Select, save."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select
from textual.worker import WorkerCancelled

from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.widgets.choice import ChoiceField
from fieldtui.tui.widgets.picker import PickerField


def form_screen(pilot: Pilot) -> RecordFormScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RecordFormScreen), f"expected a form, got {screen!r}"
    return screen


async def fill(pilot: Pilot, path: str, value: str | bool) -> None:
    """Put `value` in the field at `path` with key presses (clearing what was there)."""
    widget = form_screen(pilot).form.widget_for(path)
    widget.focus()
    await pilot.pause()
    if isinstance(widget, ChoiceField):
        values = [o.value for o in widget.options]
        if widget.inline:  # one key: the choice's number
            await pilot.press(str(values.index(value) + 1))
        else:  # type an ASCII name of the choice until it is the only match (as people do), then Enter
            target = values.index(value)
            option = widget.options[target]
            typed = next((t for t in (option.label, *option.also, option.value) if t.isascii()), option.label)
            for character in typed:
                await pilot.press(character)
                if widget.matches() == [target]:
                    break
            await pilot.press("enter")
    elif isinstance(widget, Select):
        values = [v for _label, v in widget._options]  # index 0 is the blank prompt
        await pilot.press("enter")
        await pilot.pause()
        current = values.index(widget.value) if widget.value in values else 0
        target = values.index(value) if value else 0
        key = "down" if target >= current else "up"
        await pilot.press(*[key] * abs(target - current), "enter")
    elif isinstance(widget, Checkbox):
        if widget.value != value:
            await pilot.press("space")
    elif isinstance(widget, PickerField):
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*value)
        await pilot.pause()
        await pilot.press("enter")
    else:
        assert isinstance(widget, Input)
        await pilot.press("end", "ctrl+u")
        if value:
            await pilot.press(*value)
    await pilot.pause()


async def fill_all(pilot: Pilot, values: dict[str, str | bool]) -> None:
    for path, value in values.items():
        await fill(pilot, path, value)


def error_text(pilot: Pilot, path: str) -> str:
    form = form_screen(pilot).form
    field = next(f for f in form.fields if f.path == path)
    error = form.query_one(f"#{field.error_id}")
    return str(error.render()) if error.has_class("-shown") else ""


def person(cbo_id: str, name: str = "王小明", year: str = "1990") -> dict[str, str | bool]:
    return {
        "participant.cbo_id": cbo_id,
        "participant.full_name": name,
        "participant.gender": "male",
        "participant.birth_year": year,
        "participant.province": "Henan",
        "participant.origin": "recent_arrival",
    }


async def settle(pilot: Pilot) -> None:
    """Let the app finish what a key started, lists' background queries included. A worker
    superseded meanwhile (an exclusive one started again: home's figures refresh twice at start)
    ends cancelled, not failed: Textual's `wait_for_complete` raises WorkerCancelled for it and
    stops waiting for the rest (a failure on a loaded machine, 2026-12-01); a failed one raises."""
    await pilot.pause()
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()
