"""Fields <-> model: one labelled widget per model field, each with its hint and error line.

A form is described by `Field`s whose `path` is the model's field path ("participant.full_name");
its label is the field's in core/vocabulary.py (LABELS) and its choices `vocabulary.options`.
`RecordForm.values()` gives the raw field values (what a draft keeps); `data()` nests them for
`models.validate`; `show_errors()` puts each `RecordInvalid` message under its field.

What field workers expect of ODK Collect or CommCare: required fields marked (*) from the start,
a hint under a field where the format or the meaning is not obvious, Enter moving on to the next
required question still empty (Tab to the very next field), choices made with one key or by
typing (widgets/choice.py), and fields that do not apply hidden (`show_if`: a guardian only for
a child under 14).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from fieldtui.core import vocabulary
from fieldtui.core.formatting import UNPRINTABLE, half_width
from fieldtui.i18n import _
from fieldtui.tui.widgets.choice import ChoiceField, Option
from fieldtui.tui.widgets.picker import SOURCES, PickerField


class FieldInput(Input):
    """A text field that draws a control or direction-override character as "�" (one for one, so
    the cursor stays where it is), while holding the value as stored: a name edited in with
    sqlite3 opens without sending an escape sequence to the terminal, and a save names the rule
    it breaks instead of quietly storing "�"."""

    def replace(self, text: str, start: int, end: int) -> None:
        """A number or date field takes what a Chinese input method types in full-width mode
        ("１９８５") as ASCII; before, its restriction dropped each key without a sign."""
        super().replace(half_width(text) if self.restrict else text, start, end)

    @property
    def _value(self) -> Text:
        text = super()._value
        if UNPRINTABLE.search(text.plain):
            text.plain = UNPRINTABLE.sub("\ufffd", text.plain)
        return text


@dataclass(frozen=True)
class Field:
    """One form field. `kind`: text, date, int, number, select, cbo, province, check, heading, or
    a picker's source (trainee, placement, volunteer, session: widgets/picker.py). The label is
    the field's own (vocabulary.LABELS) unless `title` says otherwise."""

    path: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""  # a format ("YYYY-MM-DD"), never something that looks like data
    hint: str = ""  # msgid: one line under the field
    title: str = ""  # msgid: a heading's text, or a label other than the field's own
    #: skip logic: the field is shown only when this says so of the form's raw values
    show_if: Callable[[dict[str, Any]], bool] | None = None

    @property
    def label(self) -> str:
        return self.title or vocabulary.label(self.path)

    @property
    def widget_id(self) -> str:
        return "f-" + self.path.replace(".", "--")

    @property
    def error_id(self) -> str:
        return "e-" + self.path.replace(".", "--")

    @property
    def row_id(self) -> str:
        return "r-" + self.path.replace(".", "--")


def heading(text: str) -> Field:
    return Field(path="heading-" + text.lower().replace(" ", "-"), kind="heading", title=text)


_PLACEHOLDERS = {"date": "YYYY-MM-DD"}


def province_options() -> list[Option]:
    """Every province in the reader's language, found by its name in either and its pinyin."""
    from fieldtui.core.models.fields import PROVINCES  # a plain dict: no validation model loaded
    from fieldtui.i18n import language

    zh = language() == "zh"
    return [Option(name_zh if zh else name_en, name_en, also=(name_en, name_zh) if zh else (name_zh,))
            for name_en, name_zh in PROVINCES.items()]


class RecordForm(VerticalScroll):
    """The fields of one record; knows nothing about saving (the form screen does that)."""

    @dataclass
    class Edited(Message):
        """Any field changed (the screen marks itself dirty and schedules a draft)."""

    def __init__(self, fields: list[Field], *, cbo_options: list[tuple[str, str]] | None = None,
                 required: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields = fields
        self.cbo_options = cbo_options or []
        self.required = required
        self._loading = False

    def compose(self) -> ComposeResult:
        if self.required:
            yield Static(_("* required · Enter: next question · Tab: next field · Ctrl+S: save"),
                         classes="form-legend")
        for field in self.fields:
            if field.kind == "heading":
                yield Static(_(field.label), classes="form-heading")
                continue
            with Horizontal(classes="field-row", id=field.row_id):
                mark = " *" if field.path in self.required else ""
                yield Label(_(field.label) + mark, classes="field-label")
                with Vertical(classes="field-value"):
                    yield self._widget(field)
                    if field.hint:
                        yield Static(_(field.hint), classes="field-hint", markup=False)
                    yield Static("", id=field.error_id, classes="field-error", markup=False)

    def _widget(self, field: Field) -> Widget:
        wid = field.widget_id
        if field.kind == "select":
            return ChoiceField([Option(_(label), value, also=(label,)) for label, value in field.options],
                               id=wid, prompt=_("Choose…"))
        if field.kind == "cbo":
            return ChoiceField([Option(name, value, also=(en,)) for name, value, en in self._cbos()], id=wid,
                               prompt=_("type part of the name to choose"), inline=False)
        if field.kind == "province":
            return ChoiceField(province_options(), id=wid, prompt=_("type part of the name to choose"))
        if field.kind == "check":
            return Checkbox(_("yes"), id=wid, compact=True)
        if field.kind in SOURCES:
            return PickerField(source=field.kind, id=wid)
        placeholder = field.placeholder or _PLACEHOLDERS.get(field.kind, "")
        # A date year first, as digits and - / . or as Chinese writes it ("2012年3月5日": the models read both)
        restrict = {"int": r"[0-9]*", "date": r"[0-9\-/. 年月日]*", "number": r"[0-9.,]*"}.get(field.kind)
        return FieldInput(placeholder=placeholder, id=wid, compact=True, restrict=restrict)

    def _cbos(self) -> list[tuple[str, str, str]]:
        """(name shown, id, other name) of each CBO: its name in either language finds it."""
        return [(c[0], c[1], c[2] if len(c) > 2 else "") for c in self.cbo_options]  # type: ignore[misc]

    def as_stored(self, path: str, value: Any) -> Any:
        """A value of `values()` as stored: a picker's [id, label] is its id. The label is in the
        language shown, so after F12 a record loaded again differed from the one the form opened
        with, and a session chosen on the form was said to be "changed elsewhere" too."""
        field = next((f for f in self.fields if f.path == path), None)
        if field is not None and field.kind in SOURCES and isinstance(value, (list, tuple)) and value:
            return value[0]
        return value

    def widget_for(self, path: str) -> Widget:
        field = next(f for f in self.fields if f.path == path)
        return self.query_one(f"#{field.widget_id}")

    @property
    def input_fields(self) -> list[Field]:
        return [f for f in self.fields if f.kind != "heading"]

    def shown(self, field: Field) -> bool:
        return self.query_one(f"#{field.row_id}").display

    # ---- values --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Raw values by path (strings, bools; a picker as [value, label]) — what a draft stores."""
        out: dict[str, Any] = {}
        for field in self.input_fields:
            w = self.widget_for(field.path)
            if isinstance(w, ChoiceField):
                out[field.path] = w.value
            elif isinstance(w, Checkbox):
                out[field.path] = bool(w.value)
            elif isinstance(w, PickerField):
                out[field.path] = [w.value, w.label]
            else:
                out[field.path] = w.value  # type: ignore[attr-defined]
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill fields from raw values (a draft) without announcing edits."""
        self._loading = True
        try:
            for field in self.input_fields:
                if field.path not in values:
                    continue
                value = values[field.path]
                w = self.widget_for(field.path)
                if isinstance(w, ChoiceField):
                    w.set_value("" if value is None else str(value))
                elif isinstance(w, Checkbox):
                    w.value = bool(value)
                elif isinstance(w, PickerField):
                    w.set_choice(*(value or ["", ""]))
                else:
                    w.value = "" if value is None else str(value)  # type: ignore[attr-defined]
        finally:
            self.call_after_refresh(self._done_loading)
        self.apply_skip_logic()

    def _done_loading(self) -> None:
        self._loading = False

    def data(self, hidden: dict[str, Any]) -> dict[str, Any]:
        """Nested data for `models.validate`: blank and hidden fields left out, so defaults and
        'is required' apply."""
        flat: dict[str, Any] = dict(hidden)
        values = self.values()
        for field in self.input_fields:
            if not self.shown(field):
                continue
            value = values[field.path]
            path = field.path
            if isinstance(value, list):  # a picker: kept even when empty, its model rule explains why
                flat[path] = value[0]
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            flat[path] = value
        nested: dict[str, Any] = {}
        for path, value in flat.items():
            *parents, leaf = path.split(".")
            node = nested
            for p in parents:
                node = node.setdefault(p, {})
            node[leaf] = value
        return nested

    # ---- skip logic and moving on ---------------------------------------------------------------

    def apply_skip_logic(self) -> None:
        values = self.values()
        for field in self.input_fields:
            if field.show_if is not None:
                self.query_one(f"#{field.row_id}").display = bool(field.show_if(values))

    @staticmethod
    def is_empty(value: Any) -> bool:
        return value in ("", None, False) or (isinstance(value, list) and not value[0])

    def advance(self, after: Widget, *, required_only: bool) -> None:
        """Focus the next field after `after` (the next required one still empty, if asked;
        else simply the next one)."""
        fields = [f for f in self.input_fields if self.shown(f)]
        paths = [f.path for f in fields]
        here = next((i for i, f in enumerate(fields) if self.widget_for(f.path) is after), -1)
        values = self.values()
        candidates = fields[here + 1:] + fields[:here + 1] if required_only else fields[here + 1:]
        for field in candidates:
            if not required_only or (field.path in self.required and self.is_empty(values[field.path])):
                target = self.widget_for(field.path)
                target.focus()
                self.scroll_to_widget(target, animate=False)
                return
        if required_only and paths:  # every required question is answered
            self.app.notify(_("Every required field is filled in: Ctrl+S saves."), timeout=4)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.advance(event.input, required_only=True)

    async def on_key(self, event: events.Key) -> None:
        """Enter on a choice that is not filtering, or on a checkbox, moves on as in a text field."""
        focused = self.screen.focused
        if event.key == "enter" and isinstance(focused, ChoiceField) and focused.filter is None:
            event.stop()
            self.advance(focused, required_only=True)

    # ---- errors --------------------------------------------------------------------------

    def clear_errors(self) -> None:
        for field in self.input_fields:
            self.query_one(f"#{field.error_id}", Static).update("")
            self.query_one(f"#{field.error_id}").remove_class("-shown")
            self.widget_for(field.path).remove_class("-invalid")

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show each message beside its field, focus the first bad field; returns unplaced messages."""
        self.clear_errors()
        unplaced: list[str] = []
        first: Widget | None = None
        by_path = {f.path: f for f in self.input_fields}
        for path, message in errors.items():
            field = by_path.get(path)
            if field is None or not self.shown(field):
                unplaced.append(message)
                continue
            error = self.query_one(f"#{field.error_id}", Static)
            error.update(message)
            error.add_class("-shown")
            self.widget_for(path).add_class("-invalid")
        for field in self.input_fields:  # the first bad field in form order, not message order
            if field.path in errors and self.shown(field):
                first = self.widget_for(field.path)
                break
        if first is not None:
            first.focus()
            self.scroll_to_widget(first, animate=False)
        return unplaced

    # ---- edits ---------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self.apply_skip_logic()
            self.post_message(self.Edited())

    def on_input_changed(self, event: Input.Changed) -> None:
        self._edited()

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        self._edited()
        if event.by_key:
            self.advance(event.field, required_only=False)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._edited()

    def on_picker_field_changed(self, event: PickerField.Changed) -> None:
        self._edited()
