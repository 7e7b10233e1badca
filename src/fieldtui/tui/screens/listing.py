"""The list screen shared by every record kind: search, filter, sort, add, edit, remove, restore."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds, relations, vocabulary
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.screens.form import RecordFormScreen
from fieldtui.tui.screens.help import LIST_NOTES
from fieldtui.tui.screens.history import show_history
from fieldtui.tui.widgets.confirm import Confirm
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.paged_list import PagedList
from fieldtui.tui.widgets.paged_table import Column, PagedTable


def cbo_name(row: dict[str, Any]) -> str:
    return fmt.cbo_name(row.get("cbo_zh"), row.get("cbo_en"))


def person_columns() -> list[Column]:
    """The person's name (姓名) and CBO, first in every list of people; a CBO's long name is cut
    short so the columns after it fit at 80 columns."""
    return [Column("full_name", vocabulary.LABELS["full_name"], "name", max_width=14),
            Column("cbo", vocabulary.LABELS["cbo_id"], "cbo", render=cbo_name, max_width=12)]


class RecordListScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """One store list kind in a PagedList; the form class handles add and edit."""

    HELP_NOTES = LIST_NOTES

    #: Its kind in core/kinds.py, which gives the title and the nouns ("1 trainee", "12 trainees").
    KIND: ClassVar[str]
    COLUMNS: ClassVar[list[Column]]
    FORM: ClassVar[type[RecordFormScreen]]
    CBO_FILTER: ClassVar[bool] = True
    #: Newest first (a list whose first sort column is a date people want recent).
    DESCENDING: ClassVar[bool] = False
    #: The table has the focus from the start: focusing the first focusable widget (the search)
    #: and then the table was two focus changes, each recomposing the footer (~10% of F3).
    AUTO_FOCUS = "PagedTable"

    BINDINGS = [
        Binding("ctrl+n", "new", _("New")),
        Binding("ctrl+o", "edit", _("Edit")),
        Binding("space", "person", _("Person")),
        Binding("f8", "delete", _("Remove")),
        Binding("f9", "restore", _("Restore")),
        Binding("ctrl+t", "toggle_removed", _("Removed")),
        Binding("ctrl+y", "history", _("History"), show=False),
        Binding("ctrl+s", "cycle_sort", _("Sort")),
        Binding("ctrl+r", "reverse_sort", _("Reverse"), show=False),
        Binding("ctrl+f", "search", _("Search"), show=False),
        Binding("escape", "back", _("Back"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="list-screen")

    def compose(self) -> ComposeResult:
        yield Header()
        kind = kinds.kind(self.KIND)
        yield PagedList(self.KIND, self.COLUMNS, (kind.singular, kind.plural), cbo_filter=self.CBO_FILTER,
                        descending=self.DESCENDING, id="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = _(kinds.kind(self.KIND).title)

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def refresh_rows(self, keep_id: str | None = None) -> None:
        """Reload after a change, keeping the cursor on the same row (or at the same place)."""
        table = self.table
        current = table.current_row()
        table.reload(keep_id=keep_id or (current["id"] if current else None), place=table.cursor_row)

    # ---- add and edit ------------------------------------------------------------------------

    def form_defaults(self) -> dict[str, Any]:
        """Prefill a new record with the CBO the list is filtered by."""
        return {}

    def action_new(self) -> None:
        self.app.push_screen(self.FORM(defaults=self.form_defaults()), self._saved)

    def action_edit(self) -> None:
        row = self.live_row()
        if row is not None:
            self.open_form(row["id"])

    def open_form(self, row_id: str) -> None:
        """The form of one of this list's records; back from it, the list shows that record."""
        self.app.push_screen(self.FORM(row_id), self._saved)

    def live_row(self) -> dict[str, Any] | None:
        """The row under the cursor if it can be opened; a removed one says how to restore it."""
        row = self.table.current_row()
        if row is not None and row.get("deleted"):
            self.notify(_("This record was removed; restore it (F9) to edit it."), severity="warning")
            return None
        return row

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _saved(self, row_id: str | None) -> None:
        """Back from a form: the list shows the record just saved, with the cursor on it, even
        where it is far down the list or the search on screen would hide it."""
        if row_id is None:
            self.refresh_rows()
            return
        self.table.show_row(row_id)

    def action_person(self) -> None:
        """Space: the person on this row across programmes (screens/person.py)."""
        row = self.table.current_row()
        if row is None or not row.get("participant_id"):
            return
        from fieldtui.tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(row["participant_id"]))

    # ---- remove and restore ------------------------------------------------------------------

    def row_name(self, row: dict[str, Any]) -> str:
        return fmt.shown(row.get("full_name") or row.get("name_en") or row["id"])

    def action_delete(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        if row.get("deleted"):
            self.notify(_("Already removed; F9 restores it."), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.app.store.delete(self.KIND, row["id"])
            except (RecordInvalid, StoreError) as exc:
                message = str(exc)
                self.notify(message, severity="error")
                return
            self.notify(_("Removed {name}. Ctrl+T shows removed records; F9 restores.").format(
                name=self.row_name(row)))
            self.refresh_rows()

        self.app.push_screen(Confirm(_("Remove {name}? It can be restored later.").format(name=self.row_name(row)),
                                     yes=_("Remove"), no=_("Cancel")), answered)

    def action_restore(self) -> None:
        row = self.table.current_row()
        if row is None or not row.get("deleted"):
            self.notify(_("Choose a removed record (Ctrl+T shows them) to restore."), severity="warning")
            return
        try:
            self.app.store.restore(self.KIND, row["id"])
        except (RecordInvalid, StoreError) as exc:
            message = str(exc)
            self.notify(message, severity="error")
            return
        self.notify(_("Restored {name}.").format(name=self.row_name(row)))
        self.refresh_rows(keep_id=row["id"])

    def action_history(self) -> None:
        row = self.table.current_row()
        if row is not None:
            show_history(self.app, self.KIND, row["id"], self.row_name(row))

    def action_toggle_removed(self) -> None:
        include = not self.table.include_deleted
        self.table.include_deleted = include  # its watcher reloads the rows
        self.sub_title = _("showing removed records") if include else ""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Restore is offered only while removed records are shown; the person view only in lists
        whose rows lead to a person (not CBOs, sessions, volunteers or their hours)."""
        if action == "person":
            return relations.reaches_person(kinds.kind(self.KIND).table)
        return action != "restore" or self.table.include_deleted

    # ---- search and sort --------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        self.table.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.table.reverse_sort()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        """Esc in the search box goes back to the rows (the search stays); Esc on the rows leaves.
        Leaving the screen from the search box threw the search away with it."""
        if isinstance(self.focused, Input):
            self.table.focus()
            return
        self.app.pop_screen()
