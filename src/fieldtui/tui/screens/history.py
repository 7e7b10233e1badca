"""A record's History (Ctrl+Y on a list row or in its form, or the palette): who changed which
field, when, from what to what, newest first, from the audit kept in this file (records/audit.py).

Read on the UI thread from `app.store`: one record's audit rows, a few dozen at most.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from fieldtui.core import formatting as fmt
from fieldtui.core.records.audit import HistoryEntry
from fieldtui.core.vocabulary import choice_label, label
from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.tables import measure_rows_now, plain

ACTIONS = {"create": N_("Created"), "update": N_("Changed"), "delete": N_("Removed"),
           "restore": N_("Restored")}
#: Fields not shown as a change: the removal flag is the action itself; the links between a
#: record's rows are ids, which say nothing to people (a CBO is shown by its name).
QUIET = frozenset({"deleted", "participant_id", "training_id"})


def local_time(stamp: str) -> str:
    """A stored UTC stamp in this computer's time zone, to the minute; as stored if unreadable."""
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def shown_value(value: Any, cbos: dict[str, str]) -> str:
    """A stored value as people read it: choices and CBOs by name, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(shown_value(v, cbos) for v in value)
    if isinstance(value, str):
        return fmt.shown(cbos.get(value) or choice_label(value))
    return str(value)


def history_rows(entries: list[HistoryEntry], cbos: dict[str, str]) -> list[tuple[str, ...]]:
    """(when, who, what, field, old → new) for each changed field of each entry."""
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        head = (local_time(entry.at), fmt.shown(entry.actor), _(ACTIONS.get(entry.action, entry.action)))
        changes = [c for c in entry.changes or () if c.field not in QUIET]
        if not changes:
            note = "" if entry.changes is not None else _("(values not recorded)")
            rows.append((*head, "", note))
        for change in changes:
            rows.append((*head, _(label(change.field)),
                         f"{shown_value(change.old, cbos)} → {shown_value(change.new, cbos)}"))
    return rows


class HistoryScreen(RedrawsOnlyWhatChanged, ModalScreen[None]):
    """One record's changes as a table; Escape closes."""

    BINDINGS = [Binding("escape,ctrl+y,q", "close", _("Close"))]

    def __init__(self, title: str, rows: list[tuple[str, ...]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog history"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
            if not self.rows:
                yield Static(_("No change recorded."), classes="dialog-body")
            yield Static(_("Esc: close"), classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one("#history", DataTable)
        table.add_columns(_("When"), _("Who"), _("What"), _("Field"), _("Old → new"))
        for row in self.rows:
            table.add_row(*plain(*row))  # names are not markup
        measure_rows_now(table)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


def show_history(app: App, kind: str, row_id: str, name: str) -> None:
    """Open the History of the list row `row_id` of `kind` (the person's changes included)."""
    store = app.store  # type: ignore[attr-defined]  (FieldApp)
    cbos = {cbo_id: cbo_name for cbo_name, cbo_id in store.cbo_choices()}
    entries = store.history(store.record_rows(kind, row_id))
    app.push_screen(HistoryScreen(_("History of {name}").format(name=name), history_rows(entries, cbos)))
