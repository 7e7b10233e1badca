""""Write donor report…" on the summary screen (F9, and the command palette).

The report covers the filters on screen and is written in the app's language into
`reports/<YYYY-MM-DD>/` beside the database (`core.report.default_out_dir`). A thread worker
does the work on its own read-only connection (tui/workers.py), never the app's writer;
a line under the filters shows its progress, then where the files are (a toast says it too).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual import work
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from fieldtui.core.errors import StoreError
from fieldtui.core.summary import Filters
from fieldtui.i18n import _, language
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged
from fieldtui.tui.workers import deliver, reading


class ReportStatus(Horizontal):
    """One line: what the report writer is doing, with a bar while it works."""

    DEFAULT_CSS = """
    ReportStatus { height: auto; padding: 0 2; }
    ReportStatus > Label { width: 1fr; }
    ReportStatus > ProgressBar { width: auto; }
    ReportStatus.-failed > Label { color: $error; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Made here, not in compose: the first `show` comes before this line is mounted.
        self.text = Label(markup=False)  # quotes a path, which may hold any character
        self.bar = ProgressBar(total=3, show_eta=False, id="report-progress")

    def compose(self):
        yield self.text
        yield self.bar

    def show(self, text: str, step: int | None = None, failed: bool = False) -> None:
        self.text.update(text)
        bar = self.bar
        bar.display = step is not None
        if step is not None:
            bar.update(progress=step)
        self.set_class(failed, "-failed")


class DonorReportScreen(RedrawsOnlyWhatChanged, Screen[None]):
    """SummaryScreen's base: the action (bound to F9 there), its worker and what they tell the person."""

    def current_filters(self) -> Filters | None:
        """The filters on screen, or None when they are not valid (the screen says why)."""
        raise NotImplementedError

    def action_write_report(self) -> None:
        """Write report.html and report.xlsx of the figures for the filters on screen."""
        from fieldtui.core.report import default_out_dir

        filters = self.current_filters()
        if filters is None:
            return  # a date is not valid: the screen says which
        self._report_status().show(_("Writing the donor report…"), step=0)
        self._write_report(filters, default_out_dir(self.app.db_path), language())

    def _report_status(self) -> ReportStatus:
        found = self.query(ReportStatus)
        if found:
            return found.first()
        status = ReportStatus(id="report-status")
        self.mount(status, before="#summary-body")
        return status

    @work(thread=True, exclusive=True, group="report")
    def _write_report(self, filters: Filters, out: Path, lang: str) -> None:
        """The thread rule (tui/workers.py): its own read-only connection, results via deliver()."""
        from fieldtui.core.report import write_report

        def progress(step: int, of: int, what: str) -> None:
            deliver(self.app, self._show_progress, step, of, what)

        try:
            with reading(self.app) as store:
                paths = write_report(store, out, filters, lang, progress=progress)
        except (StoreError, sqlite3.Error) as exc:
            deliver(self.app, self._show_done, None, str(exc))
            return
        deliver(self.app, self._show_done, paths.html, "")

    def _show_progress(self, step: int, of: int, what: str) -> None:
        what = _("the figures") if what == "figures" else what
        self._report_status().show(_("Writing the donor report: {what} ({step} of {of})…").format(
            what=what, step=step, of=of), step=step - 1)

    def _show_done(self, path: Path | None, reason: str) -> None:
        if path is None:
            text = _("Could not write the donor report: {reason}").format(reason=reason)
            self._report_status().show(text, failed=True)
            self.notify(text, severity="error")
            return
        folder = path.parent
        self._report_status().show(_("Donor report written to {folder} (report.html, report.xlsx)").format(
            folder=folder))
        self.notify(_("Donor report written to {folder}").format(folder=folder), title=_("Donor report"))
