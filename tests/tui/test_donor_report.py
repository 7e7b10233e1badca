""""Write donor report…" in the app: F9 on the summary screen, or the command palette anywhere."""

from __future__ import annotations

import datetime as dt
import stat

from textual.widgets import Label

from fieldtui.core.report import default_out_dir
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.donor_report import ReportStatus
from fieldtui.tui.screens.summary import SummaryScreen
from tests.report.expected import DONOR_STRINGS, html_tables
from tests.tui.test_summary_screen import open_summary, settle, type_dates


async def until_written(pilot) -> str:
    """The status line once the worker has finished (its bar gone)."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        status = pilot.app.screen.query(ReportStatus)
        if status and not status.first().query_one("#report-progress").display:
            return str(status.first().query_one(Label).render())
    raise AssertionError("the report was never written")


async def test_f9_writes_the_report_of_the_filters_on_screen(sample_copy):
    app = FieldApp(sample_copy)
    out = default_out_dir(sample_copy)
    assert out == sample_copy.parent / "reports" / dt.date.today().isoformat()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_summary(pilot)
        steps: list = []
        shown = screen._show_progress
        screen._show_progress = lambda *step: (steps.append(step), shown(*step))  # the steps the line shows
        binding = screen.active_bindings["f9"].binding
        assert (binding.action, binding.description, binding.show) == ("write_report", "Write donor report…", True)
        changes = app.store.conn.total_changes
        await pilot.press("f9")
        line = await until_written(pilot)
        assert steps == [(1, 3, "figures"), (2, 3, "report.html"), (3, 3, "report.xlsx")]
        assert line == f"Donor report written to {out} (report.html, report.xlsx)"
        assert any(str(out) in n.message for n in app._notifications)
        assert app.store.conn.total_changes == changes  # the app's writer was not used
        page = (out / "report.html").read_text(encoding="utf-8")
        _tables, _text = html_tables(page)
        headline = page[page.index('<section id="headline"'):page.index("</section>")]
        assert [v for v in DONOR_STRINGS if f"<dd>{v}" in headline] == list(DONOR_STRINGS)
        for name in ("report.html", "report.xlsx"):
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o600

        await type_dates(pilot, "2010-01-01", "2010-03-31")  # the filters on screen go into the report
        await pilot.press("f9")
        await until_written(pilot)
        _tables, text = html_tables((out / "report.html").read_text(encoding="utf-8"))
        assert "Registered from 2010-01-01 to 2010-03-31" in text


async def test_the_command_palette_writes_it_from_any_screen(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")  # trainees
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+p", *"donor report")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        line = await until_written(pilot)
        assert line.startswith("Donor report written to ")
        assert (default_out_dir(sample_copy) / "report.xlsx").is_file()


async def test_a_folder_that_cannot_be_made_is_one_line(sample_copy):
    (sample_copy.parent / "reports").write_text("a file where the folder would go")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_summary(pilot)
        await pilot.press("f9")
        line = await until_written(pilot)
        assert line.startswith("Could not write the donor report: a folder on the way to ")
        assert screen.query_one(ReportStatus).has_class("-failed")
        assert any(n.severity == "error" for n in app._notifications)
