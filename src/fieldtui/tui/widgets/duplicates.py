"""Possible duplicates of a person about to be saved: the people already in the file (any CBO)
who may be them, with the evidence, so staff decide before a second record is made.

Each candidate can be opened, or the existing person enrolled here instead of a new record; or
marked "not the same person" (remembered once the new person is saved, so the pair is never
offered again); "save anyway" saves and leaves the rest to the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from fieldtui.core import formatting as fmt
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.tables import measure_rows_now

if TYPE_CHECKING:
    from fieldtui.core.duplicates import Candidate


@dataclass(frozen=True)
class DuplicateChoice:
    """What staff chose: open or enrol `person_id`, or save the new person; `different`: the
    candidates marked "not the same person" (decisions recorded once the new person exists)."""

    action: Literal["open", "enrol", "save"]
    person_id: str = ""
    different: tuple[str, ...] = ()


class Duplicates(RedrawsOnlyWhatChanged, ModalScreen[DuplicateChoice | None]):
    """Candidates from `core.duplicates.candidates`, best first. `can_enrol`: the form adds an
    enrolment (a new registration), so the existing person can be enrolled in its place."""

    BINDINGS = [
        Binding("o", "open", _("Open existing")),
        Binding("e", "enrol", _("Enrol this person here")),
        Binding("n", "not_same", _("Not the same person")),
        Binding("a", "save_anyway", _("Save anyway")),
        Binding("escape", "cancel", _("Back to form")),
    ]

    def __init__(self, candidates: list[Candidate], *, can_enrol: bool = True) -> None:
        super().__init__(classes="dialog-screen")
        self.candidates = {c.id: c for c in candidates}
        self.can_enrol = can_enrol
        self.different: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog duplicates"):
            yield Static(_("Possible duplicate"), classes="dialog-title")
            yield Static(_("People already in this file (any CBO) who may be the person you are saving "
                           "(Esc: back to the form):"), classes="dialog-body")
            yield DataTable(id="matches", cursor_type="row")
            yield Static(id="why", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Open (o)"), id="open", variant="primary")
                if self.can_enrol:
                    yield Button(_("Enrol here (e)"), id="enrol")
                yield Button(_("Not the same (n)"), id="not_same")
                yield Button(_("Save anyway (a)"), id="save")

    def on_mount(self) -> None:
        table = self.query_one("#matches", DataTable)
        for label, width in ((_("Score"), None), (_("Full name"), None), (_("Birth year"), None), (_("CBO"), 30)):
            table.add_column(label, width=width)
        for c in self.candidates.values():
            cells = (str(c.score), c.full_name, "" if c.birth_year is None else str(c.birth_year),
                     fmt.cbo_name(c.cbo_zh, c.cbo_en))
            # Text: a name is never markup; a long CBO name ends in "…" (its evidence is below)
            table.add_row(*(Text(fmt.shown(v), no_wrap=True, overflow="ellipsis") for v in cells), key=c.id)
        measure_rows_now(table)
        table.focus()
        self._show_why()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_why()

    def _show_why(self) -> None:
        """The evidence of the highlighted candidate, in words, under the table."""
        table = self.query_one("#matches", DataTable)
        why = self.query_one("#why", Static)
        if table.row_count:
            evidence = self.candidates[self._selected()].evidence
            why.update(_("Why: {evidence}").format(evidence=_(", ").join(evidence.lines())))

    def _selected(self) -> str:
        table = self.query_one("#matches", DataTable)
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"open": self.action_open, "enrol": self.action_enrol, "not_same": self.action_not_same,
         "save": self.action_save_anyway}[event.button.id]()

    def action_open(self) -> None:
        self.dismiss(DuplicateChoice("open", self._selected(), tuple(self.different)))

    def action_enrol(self) -> None:
        if self.can_enrol:
            self.dismiss(DuplicateChoice("enrol", self._selected(), tuple(self.different)))

    def action_not_same(self) -> None:
        """The selected candidate is someone else: off the list; the last one off saves."""
        table = self.query_one("#matches", DataTable)
        person = self._selected()
        self.different.append(person)
        table.remove_row(person)
        if table.row_count == 0:
            self.action_save_anyway()

    def action_save_anyway(self) -> None:
        self.dismiss(DuplicateChoice("save", "", tuple(self.different)))

    def action_cancel(self) -> None:
        self.dismiss(None)
