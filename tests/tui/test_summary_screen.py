"""The summary screen as a coordinator uses it: F5, read the figures, filter, come back after edits."""

from __future__ import annotations

import json

from click.testing import CliRunner
from textual.widgets import DataTable, Input, Select, Static

from fieldtui.cli import main
from fieldtui.core import formatting as fmt
from fieldtui.core.models import ChildRecord, validate
from fieldtui.tui.app import FieldApp
from fieldtui.tui.screens.home import HomeScreen
from fieldtui.tui.screens.summary import SummaryScreen
from fieldtui.tui.widgets.charts import BarChart, ColumnChart, Meters
from tests.core.test_merge_rules import delete_with_sqlite3


def text(app: FieldApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def figures(app: FieldApp) -> dict[str, str]:
    keys = ("direct", "indirect", "trainees", "placed", "after-school", "grants", "cost", "sii", "progress")
    return {key: text(app, f"#fig-{key}").splitlines()[0] for key in keys}


def project_rows(app: FieldApp) -> list[list[str]]:
    table = app.screen.query_one("#projects", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(pilot) -> None:
    """Until the figures computed off the UI thread are on screen (no loading indicator left)."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.screen.query_one("#summary-body").loading:
            return
    raise AssertionError("the summary never finished loading")


async def settle_home(pilot) -> None:
    """Until the home screen's figures are drawn (computed off the UI thread)."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if "Direct beneficiaries" in text(pilot.app, "#headline"):
            return
    raise AssertionError("the home screen's figures never came")


async def open_summary(pilot) -> SummaryScreen:
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SummaryScreen)
    return pilot.app.screen


async def type_dates(pilot, date_from: str, date_to: str) -> None:
    for selector, value in (("#filter-from", date_from), ("#filter-to", date_to)):
        pilot.app.screen.query_one(selector, Input).focus()
        await pilot.press("home", "ctrl+k", *value, "enter")
    await settle(pilot)


async def test_screen_shows_the_donor_figures(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_summary(pilot)
        assert figures(app) == {
            "direct": "8,231", "indirect": "20,985", "trainees": "4,395", "placed": "3,245 (74%)",
            "after-school": "1,758", "grants": "US$1,087,406", "cost": "US$132.11", "sii": "52.70",
            "progress": "90% (8,231 / 9,100)",
        }
        assert [(r[0], r[1], r[2], r[3], r[4]) for r in project_rows(app)] == [
            ("57.00", "China Children and Teenagers' Fund", "US$467,400", "3,174", "US$147.26"),
            ("54.00", "Compassion for Migrant Children", "US$208,490", "2,207", "US$94.47"),
            ("50.40", "Xin Zhi Guan", "US$306,516", "2,650", "US$115.67"),
            ("49.40", "Bright Angel Fund", "US$105,000", "200", "US$525.00"),
        ]
        meters = screen.query_one("#progress-meters", Meters)
        assert meters.rows[-1] == ("All CBOs", 8231, 9100, True)
        rendered = [line.plain for line in meters._lines(80)]
        assert rendered[-1].rstrip().endswith("90% 8,231 / 9,100")
        assert not screen.query_one("#summary-note").has_class("-shown")
        assert not screen.query_one("#uncounted-note").display
        assert not screen.query_one("#summary-body").loading
        chart = screen.query_one("#chart-beneficiaries", BarChart)
        assert chart.series[0][1] == [3174, 2207, 2650, 200] and chart.series[1][1] == [8900, 5200, 6285, 600]
        regs = screen.query_one("#chart-registrations", ColumnChart)
        assert sum(regs.values) == 8231 and regs.labels[0] == "2008Q3" and regs.labels[-1] == "2011Q3"
        for chart in screen.query("BarChart, ColumnChart, Meters"):  # layout gives every line room
            assert chart.content_size.height == len(chart._lines(chart.content_size.width)), chart.id
            assert chart.region.bottom <= chart.parent.region.bottom, chart.id  # not clipped by its section


async def test_people_a_deleted_cbo_left_behind_are_said_to_be_counted_nowhere(sample_copy):
    """A CBO deleted with the sqlite3 program: its 200 people drop out of the figures, and the
    screen says so instead of showing 8,031 as if that were everyone."""
    delete_with_sqlite3(sample_copy, "cbos", "DELETE FROM cbos WHERE name_en = 'Bright Angel Fund'")
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_home(pilot)
        assert "200 registered people are counted nowhere" in text(app, "#headline")  # the first screen too
        screen = await open_summary(pilot)
        assert figures(app)["direct"] == "8,031"
        note = screen.query_one("#uncounted-note", Static)
        assert note.display and str(note.render()).startswith("200 registered people are counted nowhere")


async def test_filter_by_one_cbo_shows_its_row_of_the_donor_table(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_summary(pilot)
        screen.query_one("#filter-cbo", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # blank, CCTF, CMC
        await settle(pilot)
        assert project_rows(app) == [["54.00", "Compassion for Migrant Children", "US$208,490", "2,207", "US$94.47"]]
        assert figures(app)["direct"] == "2,207"
        assert figures(app)["cost"] == "US$94.47"
        assert figures(app)["after-school"] == "1,758"
        assert screen.query_one("#chart-beneficiaries", BarChart).labels == ["Compassion for Migrant Children"]


async def test_a_date_range_without_data_shows_zeros_and_says_so(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_summary(pilot)
        await type_dates(pilot, "2001-01-01", "2001-12-31")
        shown = figures(app)
        assert shown["direct"] == shown["indirect"] == shown["trainees"] == shown["after-school"] == "0"
        assert shown["cost"] == "—" and shown["progress"].startswith("0%")
        note = screen.query_one("#summary-note", Static)
        assert note.has_class("-shown") and str(note.render()) == fmt.no_data_note()
        assert screen.query_one("#chart-registrations", ColumnChart).labels == []


async def test_a_bad_date_says_what_is_wrong_and_keeps_the_figures(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_summary(pilot)
        await type_dates(pilot, "2010-13-01", "")
        message = screen.query_one("#filter-message", Static)
        assert message.has_class("-shown")
        assert "2010-13-01 is not a date" in str(message.render())
        assert "the figures below are for the filters before" in str(message.render())
        body = screen.query_one("#summary-body")
        assert body.has_class("-stale") and not body.has_class("-hidden")  # the old figures, marked
        assert figures(app)["direct"] == "8,231"
        await type_dates(pilot, "2011-01-01", "")
        from_2011 = figures(app)
        assert from_2011["direct"] == "1,210" and not message.has_class("-shown")
        await type_dates(pilot, "2011-01-01", "2010-01-01")
        assert "To (2010-01-01) is before From (2011-01-01)" in str(message.render())
        assert body.has_class("-hidden")  # no figures shown for a range that cannot have any
        assert screen.query_one("#filter-period", Select).value == "custom"
        await type_dates(pilot, "", "")
        assert not message.has_class("-shown") and not body.has_class("-stale") and not body.has_class("-hidden")
        assert screen.query_one("#filter-period", Select).is_blank()  # "All time" again
        assert figures(app)["direct"] == "8,231"


async def test_quarter_preset_fills_the_dates_and_matches_the_cli(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_summary(pilot)
        period = screen.query_one("#filter-period", Select)
        period.focus()
        await pilot.press("enter", *["down"] * 7, "enter")  # All time, 2008 Q3 ... 2010 Q1
        await settle(pilot)
        assert period.value == "2010Q1"
        assert screen.query_one("#filter-from", Input).value == "2010-01-01"
        assert screen.query_one("#filter-to", Input).value == "2010-03-31"
        shown = figures(app)
        result = screen.figures.result
    cli = CliRunner().invoke(main, ["summary", str(sample_copy), "--json", "--quarter", "2010Q1"])
    assert cli.exit_code == 0, cli.output
    data = json.loads(cli.output)
    assert data == result.to_json()
    assert shown["direct"] == fmt.number(data["direct_beneficiaries"]) == "746"
    assert shown["cost"] == fmt.usd(data["cost_per_life_usd"], 2)


async def test_figures_follow_a_save_made_elsewhere(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_summary(pilot)
        assert figures(app)["after-school"] == "1,758"
        await app.push_screen(HomeScreen())  # another screen on top, where a save happens
        cbo_id = app.store.cbos()[0].id
        app.store.save_child(validate(ChildRecord, dict(
            participant=dict(cbo_id=cbo_id, full_name="李小明", gender="male", birth_year=2001, province="河南",
                             origin="recent_arrival", household_members=2, registered_on="2010-03-01",
                             registered_by="李老师"),
            enrolment=dict(school="行知学校", grade=3, start_date="2010-03-01",
                           guardian_name="李大明", guardian_consent=True))))
        await app.pop_screen()
        await settle(pilot)
        assert app.screen is screen
        assert figures(app)["direct"] == "8,232"
        assert figures(app)["after-school"] == "1,759"
        assert figures(app)["indirect"] == "20,987"


async def test_a_new_empty_file_shows_zeros_and_the_note(tmp_path):
    app = FieldApp(tmp_path / "new.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_summary(pilot)
        assert figures(app)["direct"] == "0" and figures(app)["grants"] == "US$0"
        assert screen.query_one("#summary-note").has_class("-shown")
        assert project_rows(app) == []
        assert not screen.query_one("#filter-message").has_class("-shown")


async def test_ctrl_r_reloads_from_the_file(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot)
        bright = next(c.id for c in app.store.cbos() if c.name_en == "Bright Angel Fund")
        training = app.store.page("trainees", cbo_id=bright, limit=1)[0]
        app.store.delete("trainees", training["id"])  # a write the screen was not told about
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert figures(app)["trainees"] == "4,394"


def test_cli_quarter_is_checked_like_the_screen_dates(sample_copy):
    bad = CliRunner().invoke(main, ["summary", str(sample_copy), "--quarter", "2010Q5"])
    assert bad.exit_code == 2 and "2010Q5 is not a quarter: write it like 2010Q1" in bad.output
    both = CliRunner().invoke(main, ["summary", str(sample_copy), "--quarter", "2010Q1", "--from", "2010-01-01"])
    assert both.exit_code == 2 and "--quarter cannot be combined with --from or --to" in both.output


async def test_screen_shows_the_outcomes_and_breakdowns_that_sum_to_the_totals(sample_copy):
    app = FieldApp(sample_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_summary(pilot)
        shown = {key: text(app, f"#out-{key}").splitlines() for key in (
            "retention_6m", "income_change_cny", "attendance_rate", "volunteers", "volunteer_hours")}
        assert shown == {
            "retention_6m": ["70.9%", "Still employed at 6 months"],
            "income_change_cny": ["+¥950", "Change in monthly income"],
            "attendance_rate": ["86.0%", "Attendance (held sessions)"],
            "volunteers": ["50", "Volunteers"], "volunteer_hours": ["393", "Volunteer hours"],
        }
        table = app.screen.query_one("#breakdowns", DataTable)
        rows = [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]
        titles = [i for i, r in enumerate(rows) if r[1] == ""]
        assert [rows[i][0] for i in titles] == ["By sex", "By age at registration", "By origin",
                                                "By province of origin"]
        for start, end in zip(titles, [*titles[1:], len(rows)], strict=True):
            groups = rows[start + 1:end]
            assert sum(int(r[1].replace(",", "")) for r in groups) == 8231  # lives changed, each person once
            assert sum(int(r[4].replace(",", "")) for r in groups) == 1758  # after-school children
        assert rows[1][:2] == ["Female", "5,164"]
