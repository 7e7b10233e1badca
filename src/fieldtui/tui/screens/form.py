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
from textual.widgets import Header, Static

from fieldtui.core import kinds
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.lazy import lazy_module
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.screens.form_duplicates import DuplicateCheck
from fieldtui.tui.screens.help import FORM_NOTES
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.record_form import Field, RecordForm

DRAFT_DELAY = 0.5

#: The validation models load when a form first validates, not when a list screen imports its form.
models = lazy_module("fieldtui.core.models")


class RecordFormScreen(RedrawsOnlyWhatChanged, DuplicateCheck, Screen[str | None]):
    """Add (record_id None) or edit one record; dismisses with the saved list-row id."""

    HELP_NOTES = FORM_NOTES
    #: No auto focus (`focus_first` in on_mount): Textual's gave the form itself (a scroll
    #: container) the focus right after compose, then the field took it: two restyles of the form.
    AUTO_FOCUS = ""

    KIND: ClassVar[str]
    NEW_TITLE: ClassVar[str]
    EDIT_TITLE: ClassVar[str]
    #: Name of the pydantic model in `core.models` (a name, so that defining a form loads nothing).
    MODEL: ClassVar[str]
    FIELDS: ClassVar[list[Field]]
    #: Attribute of the composite holding the person (for duplicate checks), or None.
    PERSON: ClassVar[str | None] = "participant"
    #: Required only where shown (skip logic), so not required by the model itself.
    REQUIRED_ALSO: ClassVar[tuple[str, ...]] = ()

    BINDINGS = [
        Binding("ctrl+s", "save", _("Save")),
        Binding("escape", "leave", _("Back")),
        Binding("ctrl+y", "history", _("History"), show=False),
    ]

    def __init__(self, record_id: str | None = None, *, draft: dict[str, Any] | None = None,
                 defaults: dict[str, Any] | None = None, person_id: str | None = None) -> None:
        super().__init__(classes="form-screen")
        self.record_id = record_id
        self.draft = draft
        self.defaults = defaults or {}
        #: a new enrolment of this existing person (the person view's "enrol in another programme")
        self.person_id = person_id
        self.hidden: dict[str, Any] = {"participant.id": person_id} if person_id else {}
        self.baseline: dict[str, Any] = {}
        #: the stored record as `load` gave it when the form opened: what another program saved
        #: since then is told from it (`take_changes_made_elsewhere`)
        self.loaded: dict[str, Any] = {}
        #: titles of the fields this form and another program both changed (told on saving)
        self.changed_on_both_sides: list[str] = []
        self.dirty = False
        self._draft_timer: Timer | None = None
        self._draft_warned = False  # a draft that cannot be written is reported once, not per keystroke
        #: what the form held when F12 began rebuilding it: a draft kept meanwhile (its timer, the
        #: app closing) reads these, not the half-built form
        self._rebuilding: dict[str, Any] | None = None

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
        """The field that has the focus when the form opens ("": the first required one still
        empty, see focus_first); a form that knows better says which (a follow-up from the due list)."""
        return ""

    # ---- helpers for subclasses ------------------------------------------------------------

    def required(self) -> frozenset[str]:
        """Paths of the fields the model requires (marked * from the start), and REQUIRED_ALSO."""
        model = getattr(models, self.MODEL)
        out = set(self.REQUIRED_ALSO)
        for name, info in model.model_fields.items():
            inner = info.annotation
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                out |= {f"{name}.{n}" for n, i in inner.model_fields.items() if i.is_required()}
            elif info.is_required():
                out.add(name)
        return frozenset(out)

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
            elif isinstance(node, float) and node.is_integer():
                out[field.path] = str(int(node))  # 2500, not "2500.0"
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
        return f"{self.KIND}:{self.record_id or ('person-' + self.person_id if self.person_id else 'new')}"

    def compose(self) -> ComposeResult:
        yield Header()
        title = _(self.EDIT_TITLE if self.record_id else self.NEW_TITLE)
        yield Static(title, classes="form-title")
        cbos = self.app.store.cbo_names()
        yield RecordForm(self.FIELDS, cbo_options=cbos, required=self.required(), id="record-form")  # type: ignore[arg-type]
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.record_id:
            try:
                values, self.hidden = self.load(self.record_id)
                self.loaded = dict(values)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                self.dismiss(None)
                return
        else:
            values = {**self.new_values(), **self.last_choices(), **self.defaults}
        self.form.set_values(values)
        self.baseline = self.form.values()
        if self.draft:
            data = self.draft["data"]
            self.form.set_values(self.typed_in_draft(data) if self.record_id else data.get("values", {}))
            self.hidden = self.draft["data"].get("hidden", self.hidden)
            self.dirty = self.form.values() != self.baseline
        self.lock_person()
        self.focus_first()

    @staticmethod
    def typed_in_draft(data: dict[str, Any]) -> dict[str, Any]:
        """What a draft of a stored record holds that was typed: its fields that differ from the
        form as it opened (its `baseline`). The rest shows the record as stored now, so a draft
        restored after another program saved the record does not undo that program's changes. A
        draft kept before drafts had a baseline gives every field. (A new record's draft is
        restored whole: its dates were shown as typed that day.)"""
        values, baseline = data.get("values", {}), data.get("baseline")
        if not isinstance(baseline, dict):
            return values
        return {path: value for path, value in values.items() if value != baseline.get(path)}

    def lock_person(self) -> None:
        """Enrolling an existing person: their fields are shown, not edited here (the enrolment
        is added to the stored person, so a change typed here would be lost)."""
        if not self.person_id:
            return
        for field in self.form.input_fields:
            if field.path.startswith("participant."):
                self.form.widget_for(field.path).disabled = True

    def focus_first(self) -> None:
        """The first required field still empty (a new record), else the first field (focused at
        once: the screen has no auto focus, see AUTO_FOCUS)."""
        form = self.form
        if self.first_field():
            self.set_focus(form.widget_for(self.first_field()))
            return
        values = form.values()
        fields = [f for f in form.input_fields if not form.widget_for(f.path).disabled]
        empty = [f for f in fields if f.path in form.required and form.shown(f) and form.is_empty(values[f.path])]
        target = empty[0] if empty and not self.record_id else fields[0]
        self.set_focus(form.widget_for(target.path))

    def last_choices(self) -> dict[str, Any]:
        """A new record starts with the CBO of the last one saved in this session (a registration
        queue is one CBO's), or the file's only CBO."""
        field = next((f for f in self.FIELDS if f.kind == "cbo"), None)
        if field is None:
            return {}
        cbos = self.app.store.cbo_names()
        last = getattr(self.app, "last_cbo", None)
        if last in {c[1] for c in cbos}:
            return {field.path: last}
        return {field.path: cbos[0][1]} if len(cbos) == 1 else {}

    async def refresh_language(self) -> None:
        """F12: the same form in the other language, with everything typed kept (and its draft)."""
        values, focused = self.form.values(), self.focused
        focused_id = focused.id if focused is not None else None
        self._rebuilding = values
        try:
            await self.recompose()
            self.form.set_values(values)
        finally:
            self._rebuilding = None
        self.form.refresh_bindings()
        self.lock_person()
        if focused_id and self.query(f"#{focused_id}"):
            # now, not after the next refresh (Widget.focus): a key typed just after F12 must
            # land where the typing was, not on no widget at all
            self.set_focus(self.query_one(f"#{focused_id}"))
        else:
            self.focus_first()

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
                values = self.form.values() if self._rebuilding is None else self._rebuilding
                store.save_draft(self.draft_key, self.KIND, self.record_id,
                                 {"values": values, "hidden": self.hidden, "baseline": self.baseline})
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """History is offered for a stored record, not a new one."""
        return action != "history" or self.record_id is not None

    def action_history(self) -> None:
        from fieldtui.tui.screens.history import show_history

        name = str(self.form.values().get("participant.full_name") or _(self.EDIT_TITLE))
        show_history(self.app, self.KIND, str(self.record_id), name)

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

    def take_changes_made_elsewhere(self) -> None:
        """Another program (a second app on this file, an import) may have saved this record since
        the form opened. Each field it changed that this form did not takes its stored value, so
        saving here does not undo it; a field both changed keeps this form's value, and is named
        when saving (both versions stay in the record's History)."""
        self.changed_on_both_sides = []
        if not self.record_id or not self.loaded:
            return
        try:
            stored, _hidden = self.load(self.record_id)
        except StoreError:  # removed meanwhile: the save itself says so
            return
        values = self.form.values()
        as_stored = self.form.as_stored  # a picker's [id, label] by its id: labels follow F12
        theirs = {path: value for path, value in stored.items()
                  if as_stored(path, value) != as_stored(path, self.loaded.get(path))}
        take = {path: value for path, value in theirs.items()
                if as_stored(path, values.get(path)) == as_stored(path, self.baseline.get(path))}
        titles = {f.path: _(f.label) for f in self.form.input_fields}
        self.changed_on_both_sides = [titles.get(p, p) for p in theirs if p not in take]
        if take:
            self.form.set_values(take)
            shown = self.form.values()
            self.baseline = {**self.baseline, **{p: shown[p] for p in take}}
        self.loaded = dict(stored)

    def action_save(self) -> None:
        self.form.clear_errors()
        self.take_changes_made_elsewhere()
        try:
            record = models.validate(getattr(models, self.MODEL), self.form.data(self.hidden))
        except RecordInvalid as exc:
            self.show_errors(exc.errors)
            return
        if not self.offer_duplicates(record):
            self._write(record)

    def _write(self, record: Any, *, enrol: str | None = None, different: tuple[str, ...] = ()) -> None:
        """Save the record (or, `enrol`, only its enrolment, for that existing person) and
        remember the people staff said this one is not."""
        person = enrol or self.person_id
        try:
            if person:
                part = kinds.kind(self.KIND).part or ""
                row_id = self.app.store.save_enrolment_of(person, getattr(record, part))
            else:
                row_id = self.save(record)
        except RecordInvalid as exc:
            self.show_errors(exc.errors)
            return
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        if different:
            self.remember_different(person or self.app.store.person_of(self.KIND, row_id), different)
        self.discard()
        cbo = self.form.values().get("participant.cbo_id")
        if cbo:
            self.app.last_cbo = cbo  # type: ignore[attr-defined]
        if self.changed_on_both_sides:
            self.notify(_("Saved. Also changed elsewhere since this form opened, saved as typed here: {fields} "
                          "(both are in its History)").format(fields=", ".join(self.changed_on_both_sides)),
                        severity="warning", timeout=10)
        else:
            self.notify(_("Saved."))
        self.dismiss(row_id)
