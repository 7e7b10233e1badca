"""Export the open file for headquarters, or merge field exports into it, with progress and report.

Both write through the app's one writing connection (a merge writes into this file; a
pseudonymised export may store its key), so the job runs in a thread worker that borrows
`app.store` while the modal `Working` dialog is up: the one exception in tui/workers.py.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, Static

from fieldtui.cli.reports import merge_report
from fieldtui.core import clock, exchange  # clock.today: the one clock (tests freeze it)
from fieldtui.core import formatting as fmt
from fieldtui.core.errors import StoreError
from fieldtui.core.exchange import keys
from fieldtui.i18n import _
from fieldtui.tui import STYLES
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.widgets.footer import Footer
from fieldtui.tui.widgets.working import Working


class ExchangeScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """Send data to headquarters (export) and bring files in (merge)."""

    CSS_PATH = [STYLES / "exchange.tcss"]
    BINDINGS = [Binding("escape", "app.pop_screen", _("Back")),
                Binding("ctrl+r", "app.open('conflicts')", _("Review conflicts"))]

    def compose(self) -> ComposeResult:
        store_path = self.app.store.path or Path("fieldtui.db")
        default_out = store_path.with_name(f"{store_path.stem}-export-{clock.today():%Y%m%d}.db")
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
            yield Static(id="status", markup=False)  # quotes paths and reasons
            yield Static(id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Export / merge")
        self.query_one("#export-path", Input).focus()
        self._return_to: str | None = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a file box does what its button does."""
        event.stop()
        button = {"export-path": "export", "merge-files": "merge"}.get(event.input.id or "")
        if button:
            self.query_one(f"#{button}", Button).press()

    def _status(self, text: str, error: bool = False) -> None:
        """The outcome, drawn safe: it quotes paths, which can hold an escape sequence."""
        status = self.query_one("#status", Static)
        status.set_class(error, "error")
        status.update(fmt.shown(text))

    def _lend_store(self, text: str) -> Working:
        """Hand `app.store` to the job: forms' pending drafts written first, then the dialog that
        keeps every action (and so the UI thread) off the store until `_done` closes it."""
        self.app.keep_drafts()
        working = Working(text)
        self.app.push_screen(working)
        self._status(text)
        return working

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._return_to = event.button.id  # the focus comes back here afterwards, not to the checkbox
        if event.button.id == "export":
            out = self.query_one("#export-path", Input).value.strip()
            if not out:
                self._status(_("Give the file to write."), error=True)
                return
            working = self._lend_store(_("Exporting…"))
            self.run_export(working, self._beside_the_file(out), self.query_one("#pseudonymise", Checkbox).value)
        elif event.button.id == "merge":
            try:
                files = shlex.split(self.query_one("#merge-files", Input).value)
            except ValueError as exc:
                self._status(str(exc), error=True)
                return
            if not files:
                self._status(_("Give one or more files to merge."), error=True)
                return
            working = self._lend_store(_("Merging…"))
            self.run_merge(working, [self._beside_the_file(f) for f in files])

    def _beside_the_file(self, typed: str) -> Path:
        """A name typed without a folder means the open file's folder, the one the export box
        shows, not the folder the app happened to be started from (which the screen never shows)."""
        path = Path(typed).expanduser()
        folder = self.app.store.path.parent if self.app.store.path else Path.cwd()
        return path if path.is_absolute() else (folder / path).absolute()

    @work(thread=True, exclusive=True)
    def run_export(self, working: Working, out: Path, pseudonymise: bool) -> None:
        try:
            recipient = keys.export_recipient()  # headquarters' key in the settings, if any
            result = exchange.export(self.app.store, out, pseudonymise=pseudonymise, progress=self._to(working),
                                     recipient=recipient)
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(self._done, working, str(exc), None, True)
            return
        rows = sum(result.counts.values())
        said = (_("Exported 1 row to {path}.") if rows == 1 else _("Exported {n} rows to {path}.")).format(
            n=f"{rows:,}", path=result.path)
        if result.sealed:
            said += " " + _("Sealed for headquarters: only its key opens it.")
        said += " " + (_("Pseudonymised: no names, phones or birth dates in it.") if result.pseudonymised else
                       _("Not pseudonymised: it holds names, phones and birth dates; keep it safe."))
        self.app.call_from_thread(self._done, working, said, None, False)

    @work(thread=True, exclusive=True)
    def run_merge(self, working: Working, files: list[Path]) -> None:
        try:
            report = exchange.merge_into(self.app.store, files, progress=self._to(working),
                                         identities=keys.merge_identities())
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(self._done, working, str(exc), None, True)
            return
        refused, total = len(report.refused), len(report.files)
        if refused:
            message = (_("1 file refused.") if total == 1 else _("{n} of {total} files refused.")).format(
                n=refused, total=total)
        else:
            message = _("The file was merged.") if total == 1 else _("All {total} files merged.").format(total=total)
        self.app.call_from_thread(self._done, working, message, report, bool(refused))

    def _to(self, working: Working) -> exchange.Progress:
        """The core's progress callback, shown in the dialog (from the worker thread)."""
        return lambda _stage, done, total: self.app.call_from_thread(working.progress, done, total)

    def _done(self, working: Working, message: str, report: exchange.MergeReport | None, error: bool) -> None:
        """The job has handed the store back: close the dialog, say how it went."""
        working.dismiss()
        self._status(message, error=error)
        self.query_one("#report", Static).update(merge_report(report) if report else "")
        if report is not None and (report.uncounted or any(c.conflicts for c in report.totals().values())):
            self._status(message + " " + _("Ctrl+R: review conflicts and what is no longer counted."), error=error)
        if self._return_to:
            self.call_after_refresh(self.query_one(f"#{self._return_to}", Button).focus)
