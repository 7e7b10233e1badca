"""Review likely duplicates: pairs of records that may be one person, with the evidence.

The pairs come from `duplicates.pairs` over the whole file, in a worker (a 1M-person file
takes seconds) reading through its own connection (tui/workers.py). S says the highlighted pair
is the same person (the records are merged: the earlier registered is kept); D says they are
different people (never asked again). Each decision is saved on the UI thread through
`app.store`, audited, and carried in the next export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core.errors import RecordInvalid, StoreError
from fieldtui.i18n import _, language
from fieldtui.tui import STYLES
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.tables import measure_rows_now
from fieldtui.tui.workers import deliver, reading

if TYPE_CHECKING:  # loaded when the screen first looks (rapidfuzz, pinyin): the app's start never pays
    from fieldtui.core import duplicates

#: The screen lists at most this many pairs, best first (decide, and the next ones come up).
SHOWN = 500


def _who(c: duplicates.Candidate) -> Text:
    cbo = fmt.cbo_name(c.cbo_zh, c.cbo_en)
    return Text(f"{fmt.shown(c.full_name)} · {c.birth_year or fmt.DASH} · {fmt.shown(cbo)}")


class DuplicatesScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """Likely pairs, best first: S same person, D different people."""

    CSS_PATH = [STYLES / "exchange.tcss"]
    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back")),
        Binding("s", "decide('same')", _("Same person (merge)")),
        Binding("d", "decide('different')", _("Different people")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._pairs: list[duplicates.Pair] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="duplicates"):
            yield Static(id="duplicates-status", markup=False)
            yield DataTable(id="duplicates-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Likely duplicates")
        self.query_one("#duplicates-table", DataTable).focus()
        self.refresh_pairs()

    def refresh_pairs(self, message: str = "") -> None:
        self._status(message or _("Looking for likely duplicates…"))
        self._find(message)

    @work(thread=True, exclusive=True, group="duplicates")
    def _find(self, message: str) -> None:
        from fieldtui.core import duplicates

        with reading(self.app) as store:
            found = sorted(duplicates.pairs(store), key=lambda p: (-p.score, p.a.id, p.b.id))
        deliver(self.app, self._show, found, message)

    def _show(self, found: list[duplicates.Pair], message: str) -> None:
        self._pairs = found[:SHOWN]
        table = self.query_one("#duplicates-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Score"), _("Person"), _("Person"), _("Evidence"))
        sep = "；" if language() == "zh" else "; "
        for p in self._pairs:
            table.add_row(str(p.score), _who(p.a), _who(p.b), Text(sep.join(p.evidence.lines())))
        measure_rows_now(table)
        counted = (_("No likely duplicates.") if not found else
                   _("{n} likely duplicates: S same person (merge), D different people.").format(
                       n=fmt.number(len(found))))
        self._status(f"{message} {counted}".strip())

    def _status(self, text: str) -> None:
        self.query_one("#duplicates-status", Static).update(text)

    def action_decide(self, decision: str) -> None:
        table = self.query_one("#duplicates-table", DataTable)
        if not self._pairs or not table.has_focus:
            return
        pair = self._pairs[min(table.cursor_row, len(self._pairs) - 1)]
        from fieldtui.core import duplicates

        try:
            duplicates.decide(self.app.store, pair.a.id, pair.b.id, decision)  # type: ignore[attr-defined]
        except (StoreError, RecordInvalid) as exc:
            self._status(str(exc))
            return
        said = (_("Merged: {name} counts once.") if decision == "same" else
                _("Noted: {name} and the other record are different people."))
        self.refresh_pairs(said.format(name=fmt.shown(pair.a.full_name)))
