"""Export the open file for headquarters, or merge field exports into it, with progress and report.

The work runs in a thread worker so the screen stays responsive; the store's connection is only
used by that worker while it runs (the screen disables its buttons meanwhile).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, ProgressBar, Static

from fieldtui.core import exchange, models  # models.today: the app's one clock (tests freeze it)
from fieldtui.core.store import StoreError
from fieldtui.i18n import _
from fieldtui.tui import STYLES
from fieldtui.cli.reports import merge_report


class ExchangeScreen(Screen[None]):
    """Send data to headquarters (export) and bring files in (merge)."""

    CSS_PATH = [STYLES / "exchange.tcss"]
    BINDINGS = [Binding("escape", "app.pop_screen", _("Back"))]

    def compose(self) -> ComposeResult:
        store_path = self.app.store.path or Path("fieldtui.db")
        default_out = store_path.with_name(f"{store_path.stem}-export-{models.today():%Y%m%d}.db")
        yield Header()
        with VerticalScroll(id="exchange"):
            with Vertical(classes="card"):
                yield Label(_("Export this file for headquarters"), classes="title")
                yield Input(str(default_out), id="export-path", placeholder=_("File to write"))
                with Horizontal(classes="row"):
                    yield Checkbox(_("Pseudonymise (names, phones and birth dates hidden)"), id="pseudonymise")
                    yield Button(_("Export"), id="export", variant="primary")
            with Vertical(classes="card"):
                yield Label(_("Merge exports into this file"), classes="title")
                yield Input(id="merge-files",
                            placeholder=_("Files to merge, separated by spaces (quote names with spaces)"))
                yield Button(_("Merge"), id="merge", variant="primary")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="status", markup=False)  # quotes paths and reasons
            yield Static(id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Export / merge")

    def _busy(self, busy: bool) -> None:
        if busy:
            self.query_one("#progress", ProgressBar).add_class("-started")
        for button in self.query(Button):
            button.disabled = busy

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(text)

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one("#progress", ProgressBar).update, total=total, progress=done)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            out = self.query_one("#export-path", Input).value.strip()
            if not out:
                self._status(_("Give the file to write."), error=True)
                return
            self._busy(True)
            self._status(_("Exporting…"))
            self.run_export(Path(out).expanduser(), self.query_one("#pseudonymise", Checkbox).value)
        elif event.button.id == "merge":
            try:
                files = shlex.split(self.query_one("#merge-files", Input).value)
            except ValueError as exc:
                self._status(str(exc), error=True)
                return
            if not files:
                self._status(_("Give one or more files to merge."), error=True)
                return
            self._busy(True)
            self._status(_("Merging…"))
            self.run_merge([Path(f).expanduser() for f in files])

    @work(thread=True, exclusive=True)
    def run_export(self, out: Path, pseudonymise: bool) -> None:
        try:
            result = exchange.export(self.app.store, out, pseudonymise=pseudonymise, progress=self._progress)
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(self._done, str(exc), None, True)
            return
        message = _("Exported {n} rows to {path}.").format(n=sum(result.counts.values()), path=result.path)
        self.app.call_from_thread(self._done, message, None, False)

    @work(thread=True, exclusive=True)
    def run_merge(self, files: list[Path]) -> None:
        try:
            report = exchange.merge_into(self.app.store, files, progress=self._progress)
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(self._done, str(exc), None, True)
            return
        refused = len(report.refused)
        message = (_("{n} of {total} files refused.").format(n=refused, total=len(report.files)) if refused
                   else _("All {total} files merged.").format(total=len(report.files)))
        self.app.call_from_thread(self._done, message, report, bool(refused))

    def _done(self, message: str, report: exchange.MergeReport | None, error: bool) -> None:
        self._busy(False)
        self._status(message, error=error)
        self.query_one("#report", Static).update(merge_report(report) if report else "")
