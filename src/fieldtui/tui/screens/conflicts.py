"""Review what merges left for a person: fields changed two ways, and what is no longer counted.

Each conflict is one field of one record with every value that was made for it side by side
(core/exchange/conflicts.py). A row per value: Enter takes the highlighted value, K keeps the one
shown now; each choice is saved through `exchange.resolve_conflict` (audited, checked against the
rules, carried in the next export). Below, the live people the figures no longer count (their
CBO was removed, or every programme of theirs was) and the records let in under one removed
elsewhere (a job of a removed trainee), each by its id: Enter opens it to be corrected.

The lists are small and read on the UI thread through `app.store` (tui/workers.py rule 1).
`core.exchange` (and with it pydantic) is imported when the screen is shown, not with the app.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core import kinds, summary, vocabulary
from fieldtui.core.errors import StoreError
from fieldtui.i18n import _
from fieldtui.tui import STYLES
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.tables import measure_rows_now, plain


def _cbo(row: dict[str, Any]) -> str:
    return fmt.cbo_name(row["cbo_zh"], row["cbo_en"])


class ConflictsScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """Conflicts from merges, one row per value; people and records no longer counted below."""

    CSS_PATH = [STYLES / "exchange.tcss"]
    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("enter", "take", _("Take this value"), priority=True),
        Binding("k", "keep", _("Keep the value shown now")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[tuple[dict[str, Any], int]] = []  # per table row: (conflict, version number)
        self._uncounted: list[str] = []  # per row of the second table: the id of what it lists

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="conflicts"):
            yield Static(id="conflicts-status", markup=False)
            yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="uncounted-title", classes="title", markup=False)
            yield DataTable(id="uncounted-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Conflicts to review")
        self.refresh_lists()
        self.query_one("#conflicts-table", DataTable).focus()

    def refresh_lists(self, message: str = "") -> None:
        """Read both lists again (after a choice, or on arrival)."""
        from fieldtui.core import exchange

        conflicts = exchange.conflicts(self.app.store)  # type: ignore[attr-defined]
        self._fill_conflicts(conflicts)
        self._fill_uncounted(summary.uncounted(self.app.store))  # type: ignore[attr-defined]
        if not message:
            message = (_("No conflicts.") if not conflicts else
                       _("{n} fields were changed two ways: Enter takes the highlighted value, K keeps the "
                         "one shown now.").format(n=len(conflicts)))
        self.query_one("#conflicts-status", Static).update(message)

    def _fill_conflicts(self, conflicts: list[dict[str, Any]]) -> None:
        from fieldtui.core import exchange

        table = self.query_one("#conflicts-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Record"), _("Person"), _("CBO"), _("Field"), "#", _("Value"), _("Device"),
                          _("When"), "")
        ids = exchange.short_ids(conflicts)
        self._rows = []
        for c in conflicts:
            for n, v in enumerate(c["versions"], start=1):
                first = n == 1
                table.add_row(*plain(
                    ids[c["row_id"]] if first else "",
                    fmt.shown(c["person"] or "") if first else "",
                    _cbo(c) if first else "",
                    _(vocabulary.label(c["field"])) if first else "",
                    str(n),
                    fmt.DASH if v["value"] is None else fmt.shown(str(v["value"])),
                    fmt.device(str(v["device"])),
                    v["stamp"][:16].replace("T", " "),
                    _("shown now") if v["kept"] else "",
                ))
                self._rows.append((c, n))
        measure_rows_now(table)

    def _fill_uncounted(self, people: list[dict[str, Any]]) -> None:
        """People and records the figures leave out, each by its id too (a record let in under
        a removed one may have no live person to name): Enter opens it."""
        from fieldtui.core import exchange

        self.query_one("#uncounted-title", Static).update(
            _("Not counted ({n}): please review; Enter opens one").format(n=len(people)) if people else "")
        table = self.query_one("#uncounted-table", DataTable)
        table.clear(columns=True)
        table.display = bool(people)
        table.add_columns(_("Record"), _("Person"), _("CBO"), _("Why"))
        ids = exchange.short_ids([{"row_id": p["id"]} for p in people])
        self._uncounted = [p["id"] for p in people]
        for p in people:
            table.add_row(*plain(ids[p["id"]], fmt.shown(p["full_name"] or ""), _cbo(p),
                                 _(summary.UNCOUNTED_WHY[p["why"]])))
        measure_rows_now(table)

    def _highlighted(self) -> tuple[dict[str, Any], int] | None:
        table = self.query_one("#conflicts-table", DataTable)
        if not table.has_focus or not self._rows:
            return None
        return self._rows[min(table.cursor_row, len(self._rows) - 1)]

    def action_take(self) -> None:
        """Enter: on a conflict, take the highlighted value; on a record not counted, open it."""
        uncounted = self.query_one("#uncounted-table", DataTable)
        if uncounted.has_focus and self._uncounted:
            self._open(self._uncounted[min(uncounted.cursor_row, len(self._uncounted) - 1)])
            return
        picked = self._highlighted()
        if picked is not None:
            self._settle(picked[0], str(picked[1]))

    def _open(self, row_id: str) -> None:
        """The record's form (or the person's page), as Ctrl+P's "Open a record by its id" does."""
        from fieldtui.tui.screens.find_record import open_record

        found = self.app.store.find_record(row_id)  # type: ignore[attr-defined]
        if found is not None:
            open_record(self.app, found[0], found[1])

    def action_keep(self) -> None:
        picked = self._highlighted()
        if picked is not None:
            self._settle(picked[0], "current")

    def _settle(self, conflict: dict[str, Any], take: str) -> None:
        from fieldtui.core import exchange

        try:
            exchange.resolve_conflict(self.app.store, conflict["row_id"], conflict["field"], take)  # type: ignore[attr-defined]
        except StoreError as exc:
            self.query_one("#conflicts-status", Static).update(str(exc))
            return
        label = _(kinds.TABLE[conflict["tbl"]].label) if conflict["tbl"] in kinds.TABLE else conflict["tbl"]
        self.refresh_lists(_("Saved: {field} of {what}.").format(field=_(vocabulary.label(conflict["field"])),
                                                                  what=label))
