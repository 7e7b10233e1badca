"""Before a person is saved, the people already in the file who may be them (every CBO, a typo
or a homophone apart: core/duplicates), so staff open or enrol the existing person rather than
count one life twice. A mixin of RecordFormScreen: it holds the form's part of that decision."""

from __future__ import annotations

from typing import Any, ClassVar

from fieldtui.core import kinds
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.core.lazy import lazy_module
from fieldtui.tui.widgets.duplicates import DuplicateChoice, Duplicates

#: Loaded with the first save, not when a list screen imports its form (pinyin, rapidfuzz).
duplicates = lazy_module("fieldtui.core.duplicates")


class DuplicateCheck:
    """For forms that register a person (`PERSON`): `offer_duplicates` before writing, and the
    decisions ("not the same person") recorded once the person is saved. Lives on a
    RecordFormScreen (its app, notify, discard and _write)."""

    PERSON: ClassVar[str | None]
    KIND: ClassVar[str]
    record_id: str | None
    person_id: str | None

    def offer_duplicates(self, record: Any) -> bool:
        """Show the candidates for the person in `record`; True when the dialog was opened (the
        save then waits for the answer), False when there is nobody to ask about."""
        if not self.PERSON or self.person_id:
            return False
        person = getattr(record, self.PERSON).model_dump(mode="json")
        found = duplicates.candidates(self.app.store, person)
        if not found:
            return False
        can_enrol = self.record_id is None and kinds.kind(self.KIND).enrols_person
        self.app.push_screen(Duplicates(found, can_enrol=can_enrol),
                             lambda choice: self._after_duplicates(choice, record))
        return True

    def _after_duplicates(self, choice: DuplicateChoice | None, record: Any) -> None:
        if choice is None:
            return
        if choice.action == "save":
            self._write(record, different=choice.different)
            return
        if choice.action == "enrol":  # staff's choice, even in a programme they already follow (a second course)
            self._write(record, enrol=choice.person_id, different=choice.different)
            return
        existing = self.app.store.enrolment_of(self.KIND, choice.person_id)
        self.discard()
        if existing is None:  # registered in another programme: the person view offers to enrol them
            from fieldtui.tui.screens.person import PersonScreen

            self.app.switch_screen(PersonScreen(choice.person_id))
            return
        self.app.switch_screen(type(self)(existing))

    def remember_different(self, person: str | None, others: tuple[str, ...]) -> None:
        """Record "not the same person" for each of `others` and the saved `person`."""
        for other in others:
            if not person or other == person:
                continue
            try:
                duplicates.decide(self.app.store, person, other, "different")
            except (StoreError, RecordInvalid) as exc:  # the other was removed meanwhile: nothing left to decide
                self.notify(str(exc), severity="warning")
