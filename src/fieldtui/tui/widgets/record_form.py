"""Fields <-> model: one labelled widget per model field, each with its error line beside it.

A form is described by `Field`s whose `path` is the model's field path ("participant.full_name").
`RecordForm.values()` gives the raw field values (what a draft keeps); `data()` nests them for
`models.validate`; `show_errors()` puts each `RecordInvalid` message under its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from fieldtui.i18n import _
from fieldtui.tui.widgets.picker import SOURCES, PickerField


@dataclass(frozen=True)
class Field:
    """One form field. `kind`: text, date, int, number, select, check, heading, or a picker's
    source (trainee, placement, volunteer, session: widgets/picker.py)."""

    path: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""

    @property
    def widget_id(self) -> str:
        return "f-" + self.path.replace(".", "--")

    @property
    def error_id(self) -> str:
        return "e-" + self.path.replace(".", "--")


def heading(text: str) -> Field:
    return Field(path="heading-" + text.lower().replace(" ", "-"), label=text, kind="heading")


_PLACEHOLDERS = {"date": "YYYY-MM-DD"}


class RecordForm(VerticalScroll):
    """The fields of one record; knows nothing about saving (the form screen does that)."""

    @dataclass
    class Edited(Message):
        """Any field changed (the screen marks itself dirty and schedules a draft)."""

    def __init__(self, fields: list[Field], *, cbo_options: list[tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields = fields
        self.cbo_options = cbo_options or []
        self._loading = False

    def compose(self) -> ComposeResult:
        for field in self.fields:
            if field.kind == "heading":
                yield Static(_(field.label), classes="form-heading")
                continue
            with Horizontal(classes="field-row"):
                yield Label(_(field.label), classes="field-label")
                with Vertical(classes="field-value"):
                    yield self._widget(field)
                    yield Static("", id=field.error_id, classes="field-error", markup=False)

    def _widget(self, field: Field) -> Widget:
        wid = field.widget_id
        if field.kind == "select":
            options = [(_(label), value) for label, value in field.options]
            return Select(options, id=wid, compact=True, prompt=_("Choose…"))
        if field.kind == "cbo":
            return Select([(Text(name), value) for name, value in self.cbo_options], id=wid, compact=True,
                          prompt=_("Choose a CBO…"))  # Text: CBO names are data, never markup
        if field.kind == "check":
            return Checkbox(_("yes"), id=wid, compact=True)
        if field.kind in SOURCES:
            return PickerField(source=field.kind, id=wid)
        placeholder = field.placeholder or _PLACEHOLDERS.get(field.kind, "")
        restrict = {"int": r"[0-9]*", "date": r"[0-9\-]*"}.get(field.kind)
        return Input(placeholder=placeholder, id=wid, compact=True, restrict=restrict)

    def widget_for(self, path: str) -> Widget:
        field = next(f for f in self.fields if f.path == path)
        return self.query_one(f"#{field.widget_id}")

    @property
    def input_fields(self) -> list[Field]:
        return [f for f in self.fields if f.kind != "heading"]

    # ---- values --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Raw values by path (strings, bools; a picker as [value, label]) — what a draft stores."""
        out: dict[str, Any] = {}
        for field in self.input_fields:
            w = self.widget_for(field.path)
            if isinstance(w, Select):
                out[field.path] = "" if w.value is Select.NULL else str(w.value)
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
                if isinstance(w, Select):
                    try:
                        w.value = value if value else Select.NULL
                    except InvalidSelectValueError:  # a CBO removed since the draft was kept
                        w.value = Select.NULL
                elif isinstance(w, Checkbox):
                    w.value = bool(value)
                elif isinstance(w, PickerField):
                    w.set_choice(*(value or ["", ""]))
                else:
                    w.value = "" if value is None else str(value)  # type: ignore[attr-defined]
        finally:
            self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading = False

    def data(self, hidden: dict[str, Any]) -> dict[str, Any]:
        """Nested data for `models.validate`: blank fields left out, so defaults and 'is required' apply."""
        flat: dict[str, Any] = dict(hidden)
        for path, value in self.values().items():
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
            if field is None:
                unplaced.append(message)
                continue
            error = self.query_one(f"#{field.error_id}", Static)
            error.update(message)
            error.add_class("-shown")
            self.widget_for(path).add_class("-invalid")
        for field in self.input_fields:  # the first bad field in form order, not message order
            if field.path in errors:
                first = self.widget_for(field.path)
                break
        if first is not None:
            first.focus()
            self.scroll_to_widget(first, animate=False)
        return unplaced

    # ---- edits ---------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self.post_message(self.Edited())

    def on_input_changed(self, event: Input.Changed) -> None:
        self._edited()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._edited()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._edited()

    def on_picker_field_changed(self, event: PickerField.Changed) -> None:
        self._edited()
