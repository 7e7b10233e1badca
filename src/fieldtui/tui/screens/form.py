"""The add/edit form screen shared by every record kind: validate, warn of duplicates, save, drafts.

Subclasses (one per kind, beside their list screen) declare the fields, the model and how to load
and save; this class holds the behaviour staff rely on: nothing written until valid, each message
beside its field, unsaved work kept as a draft and never silently lost.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import _
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.duplicates import DuplicateChoice, Duplicates
from fieldtui.tui.widgets.record_form import Field, RecordForm

DRAFT_DELAY = 0.5

#: The validation models load when a form first validates, not when a list screen imports its form.
models = lazy_module("fieldtui.core.models")


class RecordFormScreen(Screen[str | None]):
    """Add (record_id None) or edit one record; dismisses with the saved list-row id."""

    KIND: ClassVar[str]
    NEW_TITLE: ClassVar[str]
    EDIT_TITLE: ClassVar[str]
    #: Name of the pydantic model in `core.models` (a name, so that defining a form loads nothing).
    MODEL: ClassVar[str]
    FIELDS: ClassVar[list[Field]]
    #: Attribute of the composite holding the person (for duplicate checks), or None.
    PERSON: ClassVar[str | None] = "participant"

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save")),
        Binding("escape", "leave", _("Back")),
    ]

    def __init__(self, record_id: str | None = None, *, draft: dict[str, Any] | None = None,
                 defaults: dict[str, Any] | None = None) -> None:
        super().__init__(classes="form-screen")
        self.record_id = record_id
        self.draft = draft
        self.defaults = defaults or {}
        self.hidden: dict[str, Any] = {}
        self.baseline: dict[str, Any] = {}
        self.dirty = False
        self._draft_timer: Timer | None = None
        self._draft_warned = False  # a draft that cannot be written is reported once, not per keystroke

    # ---- per kind ------------------------------------------------------------------------

    def new_values(self) -> dict[str, Any]:
        """Field values of a blank form (today's dates, the operator...)."""
        return {}

    def load(self, record_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(field values, hidden values such as ids) of a stored record."""
        raise NotImplementedError

    def save(self, record: Any) -> str:
        """Write the validated record; return its list-row id."""
        raise NotImplementedError

    def first_field(self) -> str:
        """The field that has the focus when the form opens."""
        return self.form.input_fields[0].path

    # ---- helpers for subclasses ------------------------------------------------------------

    def values_from(self, dumped: dict[str, Any]) -> dict[str, Any]:
        """Field values from `model_dump(mode="json", warnings=False)` of a stored record (no
        warnings: a row that breaks today's rules comes back unvalidated, see `store._stored`)."""
        out: dict[str, Any] = {}
        for field in self.FIELDS:
            if field.kind == "heading":
                continue
            node: Any = dumped
            for part in field.path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, list):
                node = ", ".join(node)
            if field.kind == "check":
                out[field.path] = bool(node)
            else:
                out[field.path] = "" if node is None else str(node)
        return out

    @staticmethod
    def ids_from(dumped: dict[str, Any]) -> dict[str, Any]:
        """Hidden `id` values (top level and one level down) so a save updates in place."""
        hidden = {}
        if dumped.get("id"):
            hidden["id"] = dumped["id"]
        for key, value in dumped.items():
            if isinstance(value, dict) and value.get("id"):
                hidden[f"{key}.id"] = value["id"]
        return hidden

    # ---- lifecycle --------------------------------------------------------------------------

    @property
    def form(self) -> RecordForm:
        return self.query_one(RecordForm)

    @property
    def draft_key(self) -> str:
        return f"{self.KIND}:{self.record_id or 'new'}"

    def compose(self) -> ComposeResult:
        yield Header()
        title = _(self.EDIT_TITLE if self.record_id else self.NEW_TITLE)
        yield Static(title, classes="form-title")
        cbos = self.app.store.cbo_choices()
        yield RecordForm(self.FIELDS, cbo_options=cbos, id="record-form")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.record_id:
            try:
                values, self.hidden = self.load(self.record_id)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                self.dismiss(None)
                return
        else:
            values = {**self.new_values(), **self.defaults}
        self.form.set_values(values)
        self.baseline = self.form.values()
        if self.draft:
            self.form.set_values(self.draft["data"].get("values", {}))
            self.hidden = self.draft["data"].get("hidden", self.hidden)
            self.dirty = self.form.values() != self.baseline
        self.form.widget_for(self.first_field()).focus()

    # ---- dirty state and drafts ----------------------------------------------------------------

    def on_record_form_edited(self, event: RecordForm.Edited) -> None:
        event.stop()
        self.dirty = self.form.values() != self.baseline
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.keep_draft)

    def keep_draft(self) -> None:
        """Save what the form holds (or forget the draft when it matches the stored record again).

        Runs from a timer: a file that cannot be written (read-only, disk full) must not crash the
        app mid-typing. The form keeps its content; the person is told once why no draft is kept."""
        self._draft_timer = None
        store = self.app.store
        try:
            if self.dirty:
                store.save_draft(self.draft_key, self.KIND, self.record_id,
                                 {"values": self.form.values(), "hidden": self.hidden})
            else:
                store.delete_draft(self.draft_key)
        except StoreError as exc:
            if not self._draft_warned:
                self._draft_warned = True
                self.notify(_("No draft could be kept: {reason}").format(reason=exc), severity="warning")

    def flush_draft(self) -> None:
        """Called when the app closes: keep the latest typing, whatever the timer."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.dirty:
            with contextlib.suppress(sqlite3.Error, StoreError):
                self.keep_draft()

    def discard(self) -> None:
        """Throw the form's changes away, draft included."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.dirty = False
        self.app.store.delete_draft(self.draft_key)

    def action_leave(self) -> None:
        if not self.dirty:
            self.discard()
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.discard()
                self.dismiss(None)

        self.app.push_screen(Confirm(_("This form has unsaved changes. Leave and discard them?"),
                                     yes=_("Discard"), no=_("Keep editing")), answered)

    # ---- saving ---------------------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str]) -> None:
        unplaced = self.form.show_errors(errors)
        if unplaced:
            self.notify("\n".join(unplaced), severity="error")
        else:
            self.notify(_("Please correct the fields marked in red."), severity="warning")

    def action_save(self) -> None:
        self.form.clear_errors()
        try:
            record = models.validate(getattr(models, self.MODEL), self.form.data(self.hidden))
        except RecordInvalid as exc:
            self.show_errors(exc.errors)
            return
        if self.PERSON:
            matches = self.app.store.possible_duplicates(getattr(record, self.PERSON))
            if matches:
                self.app.push_screen(Duplicates(matches), lambda choice: self._after_duplicates(choice, record))
                return
        self._write(record)

    def _after_duplicates(self, choice: DuplicateChoice | None, record: Any) -> None:
        if choice is None:
            return
        action, participant_id = choice
        if action == "save":
            self._write(record)
            return
        existing = self.app.store.enrolment_of(self.KIND, participant_id)
        if existing is None:
            self.notify(_("That person is registered in another programme; find them in its list."),
                        severity="warning")
            return
        self.discard()
        self.app.switch_screen(type(self)(existing))

    def _write(self, record: Any) -> None:
        try:
            row_id = self.save(record)
        except RecordInvalid as exc:
            self.show_errors(exc.errors)
            return
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.discard()
        self.notify(_("Saved."))
        self.dismiss(row_id)
