"""A list over `Store.page()`: one keyset page at a time, never every row.

`PagedTable` is the DataTable that pages; `PagedList` (widgets/paged_list.py) adds the search
box, the CBO filter and the row count around it. Screens configure both with `Column`s and a
store list kind, or with a `source`: lists that are not a kind's rows (the follow-ups due, a
session's roster, attendance rates) page through `Store.<source>_page` and count through
`Store.<source>_count`, which take the same query (and the table's `params`) and the same keyset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.cache import LRUCache
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable

from fieldtui.core import formatting as fmt
from fieldtui.i18n import _
from fieldtui.tui.widgets.tables import measure_rows_now
from fieldtui.tui.workers import deliver, reading

#: Rows a page reads: three screenfuls at 40 lines; every row read is measured and laid out before
#: the first page shows (150 made F3 1.5x a bare DataTable of 100 rows, issue 19).
PAGE_SIZE = 100
#: Fetch the next page when the cursor is this close to the last loaded row.
PREFETCH_MARGIN = 30
#: Counting stops past these ("10,000+"): an exact count of a million rows costs more than the page.
COUNT_LIMIT = 10_000
SEARCH_COUNT_LIMIT = 1_000
#: DataTable's render caches sized for a screenful or two, not 10,000 cells: every row the cursor
#: passed stayed rendered (~14 MiB after paging 20 screens of a big list), and a repaint of the
#: visible rows is cheap. Caches keyed by the table's update count, so nothing goes stale.
CELL_CACHE = 1_000
ROW_CACHE = 120


@dataclass(frozen=True)
class Column:
    """One column: the row key it shows, its (untranslated) label, the store sort key if sortable."""

    key: str
    label: str
    sort: str | None = None
    render: Callable[[dict[str, Any]], str] | None = None
    #: at most this many cells wide (longer text ends in "…"), so every column fits at 80 columns
    max_width: int | None = None

    def text(self, row: dict[str, Any]) -> str:
        if self.render is not None:
            return self.render(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


class PagedTable(DataTable):
    """Rows of one store list, loaded a page at a time as the cursor moves down."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | {"paged-table--removed"}
    DEFAULT_CSS = """
    PagedTable > .paged-table--removed {
        color: $text-muted;
        text-style: strike;
    }
    """

    #: The query. Each is a reactive whose watcher reloads the rows (see `order_by` for sorting).
    search: var[str] = var("", init=False)
    cbo_id: var[str | None] = var(None, init=False)
    sort: var[str | None] = var(None, init=False)
    descending: var[bool] = var(False, init=False)
    include_deleted: var[bool] = var(False, init=False)

    @dataclass
    class FiltersCleared(Message):
        """The search and CBO filter were dropped to show a saved record."""

        table: PagedTable

    @dataclass
    class Reloaded(Message):
        """The query changed and the first page is in; `total` rows match (more if `capped`)."""

        table: PagedTable
        total: int
        capped: bool = False

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, kind: str, columns: list[Column], *, page_size: int = PAGE_SIZE, source: str | None = None,
                 params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.source = source
        #: Extra query parameters of a `source` (a session id, "often absent only"); reload() after a change.
        self.params: dict[str, Any] = dict(params or {})
        self._cell_render_cache = LRUCache(CELL_CACHE)
        self._row_render_cache = LRUCache(ROW_CACHE)
        self._row_renderable_cache = LRUCache(ROW_CACHE)
        self._line_cache = LRUCache(ROW_CACHE)
        self.kind = kind
        self.spec_columns = columns
        self.page_size = page_size
        self.set_reactive(PagedTable.sort, next((c.sort for c in columns if c.sort), None))
        self.total = 0
        #: The count stopped at this limit: `total` is limit + 1 and shows as "limit+".
        self.count_limit: int | None = None
        self.rows_by_id: dict[str, dict[str, Any]] = {}
        self._after: tuple[Any, str] | None = None
        self._exhausted = False
        self._pending = False
        #: the rows start somewhere down the list (around a saved record), not at its top
        self.windowed = False

    def watch_search(self) -> None:
        self.reload()

    watch_cbo_id = watch_sort = watch_descending = watch_include_deleted = watch_search

    # ---- querying (in a thread: a query on a big file must never freeze typing) ----------------

    def _query(self) -> dict[str, Any]:
        return {"search": self.search, "cbo_id": self.cbo_id, "include_deleted": self.include_deleted,
                "sort": self.sort, "descending": self.descending, "params": dict(self.params)}

    def reload(self, keep_id: str | None = None, place: int | None = None) -> None:
        """Run the query again from the first page (after a search, filter, sort or save).

        The rows on screen stay until the new ones arrive; a query still running is superseded."""
        self._pending = True
        self.windowed = False
        self._fetch(self._query(), None, (keep_id, place))

    def show_row(self, row_id: str) -> None:
        """Reload with the cursor on `row_id`: the page that holds it (wherever it is in the
        list), and no search or CBO filter if they would hide it (PagedList clears its boxes)."""
        self._pending = True
        self._locate(self._query(), row_id)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def _locate(self, query: dict[str, Any], row_id: str) -> None:
        filters = {k: query[k] for k in ("search", "cbo_id", "include_deleted")}
        sort = {"sort": query["sort"], "descending": query["descending"]}
        with reading(self.app) as store:
            if not store.page(self.kind, only=row_id, **sort, **filters):
                filters = {"search": "", "cbo_id": None, "include_deleted": query["include_deleted"]}
            target = store.page(self.kind, only=row_id, **sort, **filters)
            before = store.page(self.kind, after=(target[0]["_sort"], row_id), limit=PREFETCH_MARGIN,
                                **{**sort, "descending": not sort["descending"]}, **filters) if target else []
            start = (before[-1]["_sort"], before[-1]["id"]) if len(before) == PREFETCH_MARGIN else None
            rows = store.page(self.kind, after=start, limit=self.page_size, **sort, **filters)
            total = store.count(self.kind, limit=COUNT_LIMIT if not filters["search"] else SEARCH_COUNT_LIMIT,
                                **filters)
        deliver(self.app, self._located, filters, total, rows, row_id, start is not None)

    def _located(self, filters: dict[str, Any], total: int, rows: list[dict[str, Any]], row_id: str,
                 window: bool) -> None:
        if (filters["search"], filters["cbo_id"]) != (self.search, self.cbo_id):
            self.set_reactive(PagedTable.search, filters["search"])
            self.set_reactive(PagedTable.cbo_id, filters["cbo_id"])
            self.post_message(self.FiltersCleared(self))
        limit = SEARCH_COUNT_LIMIT if filters["search"] else COUNT_LIMIT
        self._arrived(True, total, rows, (row_id, None), limit)
        self.windowed = window

    def total_text(self) -> str:
        """The row count as shown: "10,000+" once counting stopped at the limit."""
        if self.count_limit is not None and self.total > self.count_limit:
            return fmt.number(self.count_limit) + "+"
        return fmt.number(self.total)

    def load_next_page(self) -> None:
        """Ask for the next keyset page (at most one request in flight)."""
        if self._exhausted or self._pending:
            return
        self._pending = True
        self._fetch(self._query(), self._after, (None, None))

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def _fetch(self, query: dict[str, Any], after: tuple[Any, str] | None,
               keep: tuple[str | None, int | None]) -> None:
        """A page (with the count, for a new query) on the worker's own connection (tui/workers.py).
        Errors are not raised: a damaged page leaves the list as it was, never a crash."""
        first = after is None
        filters = {k: query[k] for k in ("search", "cbo_id", "include_deleted")}
        limit = SEARCH_COUNT_LIMIT if query["search"].strip() else COUNT_LIMIT
        with reading(self.app) as store:
            if self.source is not None:
                filters.update(query["params"])
                count = getattr(store, f"{self.source}_count")
                total = count(limit=limit, **filters) if first else None
                rows = getattr(store, f"{self.source}_page")(after=after, limit=self.page_size, **filters)
            else:
                total = store.count(self.kind, limit=limit, **filters) if first else None
                rows = store.page(self.kind, sort=query["sort"], descending=query["descending"], after=after,
                                  limit=self.page_size, **filters)
        deliver(self.app, self._arrived, first, total, rows, keep, limit)

    def _arrived(self, first: bool, total: int | None, rows: list[dict[str, Any]],
                 keep: tuple[str | None, int | None], limit: int) -> None:
        self._pending = False
        if first:
            self._reset_columns(rows)
            self.total = total or 0
            self.count_limit = limit
        self._add_rows(rows)
        if first:
            keep_id, place = keep
            if keep_id is not None and keep_id in self.rows_by_id:
                self.move_to(keep_id)
            elif place is not None and self.row_count:
                self.move_cursor(row=min(place, self.row_count - 1))
            self.post_message(self.Reloaded(self, self.total, self.total > limit))
        elif self.cursor_row >= self.row_count - PREFETCH_MARGIN:
            self.load_next_page()

    def _reset_columns(self, rows: list[dict[str, Any]]) -> None:
        self.clear(columns=True)
        for col in self.spec_columns:
            label = _(col.label)
            if col.sort and col.sort == self.sort:
                label += " ▼" if self.descending else " ▲"
            width = None
            if col.max_width:
                widest = max([cell_len(label)] + [cell_len(fmt.shown(col.text(r))) for r in rows])
                width = min(widest, max(col.max_width, cell_len(label)))
            # Text, not str: a str label is parsed as Rich markup, which loads Rich's emoji table
            # (~1 MiB held for good; benchmarks: peak RSS) for labels that never hold markup.
            self.add_column(Text(label), key=col.key, width=width)
        self.rows_by_id = {}
        self._after = None
        self._exhausted = False

    def _add_rows(self, rows: list[dict[str, Any]]) -> None:
        if len(rows) < self.page_size:
            self._exhausted = True
        if rows:
            self._after = (rows[-1]["_sort"], rows[-1]["id"])
        removed = self.get_component_rich_style("paged-table--removed", partial=True)
        for row in rows:
            self.rows_by_id[row["id"]] = row
            # Text, never str: DataTable parses a str as Rich markup, and these are people's own
            # words ("[/]" in a course raised MarkupError and the list could not be shown).
            style = removed if row.get("deleted") else ""
            cells: list[Any] = [self._cell(col, row, style) for col in self.spec_columns]
            if row.get("deleted"):  # struck through, and marked for terminals without strikethrough
                cells[0] = Text.assemble(("✕ ", "bold"), cells[0])
            self.add_row(*cells, key=row["id"])
        measure_rows_now(self)

    def _cell(self, col: Column, row: dict[str, Any], style: str) -> Text:
        text = Text(fmt.shown(col.text(row)), style=style, no_wrap=True)
        if col.max_width:
            width = self.columns[col.key].width if col.key in self.columns else col.max_width  # type: ignore[index]
            text.truncate(width, overflow="ellipsis")
        return text

    def move_to(self, row_id: str) -> None:
        """Put the cursor on a row if it is loaded (after an edit, keep the place)."""
        if row_id in self.rows_by_id:
            self.move_cursor(row=self.get_row_index(row_id))

    # ---- what the cursor is on ----------------------------------------------------------

    def current_row(self) -> dict[str, Any] | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self.rows_by_id.get(key.value)

    # ---- paging and sorting ---------------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Up on the first row of rows that start down the list (around a saved record): the
        list again from its top."""
        if self.windowed and self.cursor_row == 0:
            self.reload()
            return
        super().action_cursor_up()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self._exhausted and event.cursor_row >= self.row_count - PREFETCH_MARGIN:
            self.load_next_page()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        col = next(c for c in self.spec_columns if c.key == event.column_key.value)
        if col.sort:
            self.sort_by(col.sort)

    def order_by(self, sort: str, descending: bool = False) -> None:
        """Set both halves of the order with one reload (the watchers would otherwise run twice)."""
        if sort != self.sort:
            self.set_reactive(PagedTable.descending, descending)
            self.sort = sort
        else:
            self.descending = descending

    def sort_by(self, sort: str) -> None:
        """Sort by a column; choosing the current one again reverses the order."""
        self.order_by(sort, not self.descending if sort == self.sort else False)

    def cycle_sort(self) -> None:
        """Keyboard sorting: each press moves to the next sortable column (ascending)."""
        sorts = [c.sort for c in self.spec_columns if c.sort]
        if not sorts:
            return
        self.order_by(sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts else sorts[0])

    def reverse_sort(self) -> None:
        self.descending = not self.descending
