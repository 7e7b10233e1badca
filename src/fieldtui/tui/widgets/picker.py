"""Searchable pickers: choose one row of a long list (a trainee for a placement, a placement for a
follow-up, a volunteer or a session for hours) by typing.

A form field of kind "trainee", "placement", "volunteer" or "session" is a `PickerField`; Enter
opens a `Picker` over that kind's list (`Store.page`, searched as the list screen searches it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.core import formatting as fmt
from fieldtui.core import vocabulary
from fieldtui.i18n import N_, _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.paged_list import search_placeholder

#: What a picker returns: (value, label shown in the form).
Choice = tuple[str, str]
PAGE = 50


def trainee_label(row: dict[str, Any]) -> str:
    """Enough to tell two 王建国 apart: birth year and phone beside the name, then the course,
    its start and the CBO (in the reader's language)."""
    cbo = fmt.cbo_name(row.get("cbo_zh"), row.get("cbo_en"))
    parts = [row["full_name"], str(row.get("birth_year") or ""), row.get("phone") or "",
             row.get("course") or "", row.get("start_date") or "", cbo]
    return fmt.shown(" · ".join(p for p in parts if p))


def placement_label(row: dict[str, Any]) -> str:
    return fmt.shown(f"{row['full_name']} · {row.get('employer') or ''} · {row.get('start_date') or ''}")


def volunteer_label(row: dict[str, Any]) -> str:
    """The name, school or workplace and the CBO (in the reader's language)."""
    cbo = fmt.cbo_name(row.get("cbo_zh"), row.get("cbo_en"))
    return fmt.shown(" · ".join(p for p in (row["full_name"], row.get("affiliation") or "", cbo) if p))


def session_label(row: dict[str, Any]) -> str:
    """The day, the programme and the CBO (in the reader's language)."""
    cbo = fmt.cbo_name(row.get("cbo_zh"), row.get("cbo_en"))
    return fmt.shown(" · ".join(p for p in (row["held_on"], vocabulary.choice_label(row["programme"]), cbo) if p))


@dataclass(frozen=True)
class Source:
    """Where a picker's choices come from: a list kind, what to keep of it, how a row reads,
    whether the newest rows come first (sessions: today's is the one hours are logged for), and
    whether the field shows the chosen row as the list reads it now (`PickerField._show`)."""

    title: str  # msgid
    kind: str
    label: Callable[[dict[str, Any]], str]
    keep: Callable[[dict[str, Any]], bool] = lambda row: True
    newest_first: bool = False
    shown_as_listed: bool = False
    #: the source of another field of the form whose chosen row's CBO this one's rows must be at
    #: (hours: the volunteer's; the save refuses a session at another CBO)
    within: str | None = None


SOURCES: dict[str, Source] = {
    "trainee": Source(N_("Choose a trainee"), "trainees", trainee_label, lambda r: r["status"] != "dropped"),
    "placement": Source(N_("Choose a job placement"), "placements", placement_label),
    "volunteer": Source(N_("Choose a volunteer"), "volunteers", volunteer_label, shown_as_listed=True),
    "session": Source(N_("Choose a session"), "sessions", session_label, lambda r: bool(r["held"]),
                      newest_first=True, shown_as_listed=True, within="volunteer"),
}


def row_label(store: Any, source: str, value: str) -> str | None:
    """The chosen row as its picker lists it now, in the language shown; None if the list no
    longer holds it (removed)."""
    rows = store.page(SOURCES[source].kind, only=value, limit=1)
    return SOURCES[source].label(rows[0]) if rows else None


class Picker(RedrawsOnlyWhatChanged, ModalScreen[Choice | None]):
    """Type part of a name, phone or ID; Enter takes the highlighted row."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]
    SOURCE = "trainee"

    def __init__(self, search: str = "", *, source: str | None = None, cbo_id: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.source = SOURCES[source or self.SOURCE]
        self.cbo_id = cbo_id  # only that CBO's rows, if given
        self.initial = search
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(_(self.source.title), classes="dialog-title")
            yield Input(self.initial, placeholder=search_placeholder(self.source.kind), id="picker-search")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.refresh_options()
        self.query_one("#picker-search", Input).focus()

    def refresh_options(self) -> None:
        rows = self._kept_rows(self.query_one("#picker-search", Input).value)
        self.rows = {r["id"]: r for r in rows}
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        options.add_options([Option(Text(self.source.label(r)), id=r["id"]) for r in rows])  # never markup
        if rows:
            options.highlighted = 0

    def _kept_rows(self, search: str) -> list[dict[str, Any]]:
        """Up to PAGE rows the source keeps, read page after page: the rows it hides (dropped
        trainees, sessions not held) no longer shorten the list (50 not held: an empty picker)."""
        kept: list[dict[str, Any]] = []
        after = None
        for _page in range(20):  # at most 20 pages read for one keystroke
            rows = self.app.store.page(self.source.kind, search=search, limit=PAGE, cbo_id=self.cbo_id,
                                       descending=self.source.newest_first, after=after)
            kept += [r for r in rows if self.source.keep(r)]
            if len(kept) >= PAGE or len(rows) < PAGE:
                break
            after = (rows[-1]["_sort"], rows[-1]["id"])
        return kept[:PAGE]

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_options()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event: Any) -> None:
        # Up/down move through the choices while the cursor stays in the search box.
        if event.key in ("up", "down") and self.focused is self.query_one("#picker-search", Input):
            options = self.query_one("#picker-options", OptionList)
            at = options.highlighted
            if event.key == "down" and at is not None and at < options.option_count - 1:
                options.action_cursor_down()  # never from the last back to the first
            elif event.key == "up" and at:
                options.action_cursor_up()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, row_id: str | None) -> None:
        if row_id is not None and row_id in self.rows:
            self.dismiss((row_id, self.source.label(self.rows[row_id])))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TraineePicker(Picker):
    """The placement form's picker: live trainees who did not drop out."""

    SOURCE = "trainee"


class PickerField(Static, can_focus=True):
    """A form field whose value is chosen in a picker modal (Enter or Space opens it)."""

    BINDINGS = [Binding("enter,space", "pick", _("Choose"))]

    @dataclass
    class Changed(Message):
        """A choice was made in the picker."""

        field: PickerField

        @property
        def control(self) -> PickerField:
            return self.field

    def __init__(self, *, source: str = "trainee", id: str | None = None) -> None:
        super().__init__("", id=id, classes="picker-field", markup=False)  # shows a name
        self.source = source
        self.value: str = ""
        self.label: str = ""

    def on_mount(self) -> None:
        self._show()

    def set_choice(self, value: str, label: str) -> None:
        self.value, self.label = value, label
        self._show()

    def _show(self) -> None:
        """The label given (what a draft keeps and a save compares), or for a volunteer or a
        session the row as its picker lists it now: in the language shown (F12 composes the form
        again), the CBO's name in the reader's language, whatever language it was chosen in."""
        listed = self.value and SOURCES[self.source].shown_as_listed
        shown = row_label(self.app.store, self.source, self.value) if listed else None
        self.update(shown or self.label or _("(press Enter to choose)"))
        self.set_class(not self.value, "-empty")

    def action_pick(self) -> None:
        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.set_choice(*choice)
                self.post_message(self.Changed(self))

        picker = TraineePicker() if self.source == "trainee" else Picker(source=self.source, cbo_id=self._within())
        self.app.push_screen(picker, chosen)

    def _within(self) -> str | None:
        """The CBO of the row chosen in the field this one's source is `within` (none chosen: any)."""
        within = SOURCES[self.source].within
        chosen = next((f.value for f in self.screen.query(PickerField) if f.source == within and f.value), None)
        if not chosen:
            return None
        rows = self.app.store.page(SOURCES[within].kind, only=chosen, limit=1)
        return rows[0]["cbo_id"] if rows else None

    def on_click(self) -> None:
        self.action_pick()
