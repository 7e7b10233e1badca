"""`PagedList`: the search box, the CBO filter and the row count over a `PagedTable`
(widgets/paged_table.py), the list of every list screen."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, Select
from textual.widgets.select import InvalidSelectValueError

from fieldtui.core import kinds
from fieldtui.i18n import N_, _, listed
from fieldtui.tui.widgets.paged_table import Column, PagedTable

SEARCH_DEBOUNCE = 0.3
#: The table's reactives that make its query (with its `params`).
QUERY = ("search", "cbo_id", "include_deleted", "sort", "descending")


#: What a list's search box says it finds, by the column searched (the registry's `search`).
SEARCH_WORDS = {"full_name": N_("name"), "name_en": N_("CBO name"), "name_zh": N_("CBO name"), "phone": N_("phone"),
                "guardian_name": N_("guardian"), "employer": N_("employer"), "city": N_("city"),
                "held_on": N_("date"), "worked_on": N_("date"), "topic": N_("topic"), "id": N_("ID")}


def search_placeholder(kind: str) -> str:
    """"Search name, phone or ID…", naming what this kind's search looks in (ID last)."""
    columns = [c.rsplit(".", 1)[-1] for c in kinds.kind(kind).list.search]
    words = list(dict.fromkeys(SEARCH_WORDS[c] for c in sorted(columns, key=lambda c: c == "id")))
    said = [_(w) for w in words]
    what = _("{some} or {last}").format(some=listed(said[:-1]), last=said[-1]) if len(said) > 1 else said[0]
    return _("Search {what}…").format(what=what)


class PagedList(Vertical):
    """Search box, CBO filter and row count over a PagedTable."""

    DEFAULT_CSS = """
    PagedList { height: 1fr; }
    PagedList > .paged-list-bar { height: auto; }
    PagedList PagedTable { height: 1fr; }
    """

    def __init__(self, kind: str, columns: list[Column], noun: tuple[str, str], *, cbo_filter: bool = True,
                 search: bool = True, source: str | None = None, params: dict[str, Any] | None = None,
                 descending: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.descending = descending
        self.kind = kind
        self.columns = columns
        self.noun = noun
        self.cbo_filter = cbo_filter
        self.searchable = search
        self.source, self.params = source, params
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="paged-list-bar"):
            if self.searchable:
                yield Input(placeholder=search_placeholder(self.kind), id="search", compact=True)
            if self.cbo_filter:
                options = [(Text(name), cbo_id) for name, cbo_id in self.app.store.cbo_choices()]
                yield Select(options, prompt=_("All CBOs"), id="cbo-filter", compact=True)
            yield Label(id="row-count")
        table = PagedTable(self.kind, self.columns, source=self.source, params=self.params, id="table")
        table.set_reactive(PagedTable.descending, self.descending)  # the first query's order (no reload yet)
        yield table

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def on_mount(self) -> None:
        self.table.reload()

    def kept(self) -> dict[str, Any]:
        """What a rebuild of the screen (F12, tui/language.py) must not lose: the query (with the
        search box's text), the row under the cursor and where it is."""
        table, row = self.table, self.table.current_row()
        kept = {name: getattr(table, name) for name in QUERY}
        if self.searchable:  # typed, perhaps not applied yet (SEARCH_DEBOUNCE)
            kept["search"] = self.query_one("#search", Input).value
        return {**kept, "params": dict(table.params), "row": row and row["id"], "place": table.cursor_row,
                "far": table.windowed or table.cursor_row >= table.page_size}

    def restore(self, kept: dict[str, Any]) -> None:
        """The list as `kept()` found it, by one query: the cursor on its row, even far down."""
        table = self.table
        for name in QUERY:
            table.set_reactive(getattr(PagedTable, name), kept[name])
        table.params = kept["params"]
        with self.prevent(Input.Changed, Select.Changed):
            if self.searchable:
                self.query_one("#search", Input).value = kept["search"]
            if kept["cbo_id"] is not None:  # a CBO removed meanwhile is no longer offered: all CBOs
                try:
                    self.query_one("#cbo-filter", Select).value = kept["cbo_id"]
                except InvalidSelectValueError:
                    table.set_reactive(PagedTable.cbo_id, None)
        if kept["row"] and kept["far"] and table.source is None:  # not in the first page
            table.show_row(kept["row"])
        else:
            table.reload(keep_id=kept["row"], place=kept["place"])

    def on_paged_table_reloaded(self, event: PagedTable.Reloaded) -> None:
        one, many = self.noun  # (singular, plural) msgids: "1 trainee", "4,395 trainees"
        noun = _(one if event.table.total == 1 else many)
        self.query_one("#row-count", Label).update(f"{event.table.total_text()} {noun}")

    def on_paged_table_filters_cleared(self, event: PagedTable.FiltersCleared) -> None:
        event.stop()
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#search", Input).value = ""
            if self.cbo_filter:
                self.query_one("#cbo-filter", Select).clear()
        self.notify(_("The search was cleared to show the record just saved."))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self._apply_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        event.stop()
        self._apply_search()
        self.table.focus()

    def _apply_search(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self.table.search = self.query_one("#search", Input).value

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "cbo-filter":
            return
        event.stop()
        self.table.cbo_id = None if event.value is Select.NULL else str(event.value)
