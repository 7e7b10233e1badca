"""F1 / ?: what the screen you came from shows (each figure's meaning) and the keys that work there.

The keys are the calling screen's active bindings, gathered by the app, less Textual's own
terminal keys (super+c copies text: nothing a field worker looks up). A screen explains its
figures or fields with `help_notes()`: (term, meaning) pairs.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.tables import measure_rows_now

#: What each headline figure means (the summary and home screens), as core/summary.py counts it.
FIGURE_NOTES: tuple[tuple[str, str], ...] = (
    (N_("Lives changed (direct)"), N_("people registered in any programme, each counted once")),
    (N_("Indirect beneficiaries"), N_("household members who benefit, added up over those people")),
    (N_("Trainees"), N_("people with a vocational-training enrolment")),
    (N_("Placed in jobs (rate)"), N_("trainees with a job placement; the rate is placed / trainees")),
    (N_("After-school children"), N_("children in after-school classes or Super Saturday")),
    (N_("Other programmes"), N_("people in other programmes: low-cost school pupils, blind adults trained…")),
    (N_("Grants"), N_("the CBOs' grants, whole projects, in US$")),
    (N_("Cost per life"), N_("grants / lives changed, for the whole grant period only (— under a date filter)")),
    (N_("SII (mean)"), N_("the mean Social Impact Index of the projects (20–100)")),
    (N_("Progress to target"), N_("lives changed / the direct beneficiaries the grants are to reach")),
)
LIST_NOTES: tuple[tuple[str, str], ...] = (
    (N_("Search"), N_("a name's start (王建), its pinyin (wangjian) or initials (wjg), a phone or an ID")),
    (N_("Order"), N_("names in pinyin order, as in a phone's contacts")),
)
FORM_NOTES: tuple[tuple[str, str], ...] = (
    (N_("*"), N_("a required field")),
    (N_("Enter"), N_("the next required field still empty; Tab: the very next field")),
    (N_("Choices"), N_("one key (its number or first letter), or type to filter a long list, then Enter")),
)


class HelpScreen(RedrawsOnlyWhatChanged, ModalScreen[None]):
    """The calling screen's notes, then its (key, description) pairs."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", _("Close"))]

    def __init__(self, keys: list[tuple[str, str]], notes: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(classes="dialog-screen")
        self.keys = keys
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            if self.notes:
                yield Static(_("What this screen shows"), classes="dialog-title")
                yield DataTable(id="help-notes", cursor_type="none", show_header=False)
            yield Static(_("Keys"), classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", show_cursor=False)
            yield Static(_("Ctrl+P: command palette · Esc: close"), classes="dialog-hint")

    def on_mount(self) -> None:
        if self.notes:
            notes = self.query_one("#help-notes", DataTable)
            notes.add_columns("", "")
            for term, meaning in self.notes:
                notes.add_row(Text(_(term), style="bold"), Text(_(meaning)), height=None)
            measure_rows_now(notes)
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("Key"), _("Action"))
        for key, description in self.keys:
            table.add_row(key, description)
        measure_rows_now(table)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
