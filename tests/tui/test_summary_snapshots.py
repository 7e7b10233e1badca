"""What the summary screen looks like on sample data at the two sizes people use (SVG baselines).

Regenerate with `make snapshot-update` after an intended visual change, and look at the diff.
"""

from __future__ import annotations

import pytest

from fieldtui.app import FieldApp


async def settle(pilot) -> None:
    """Until the figures computed off the UI thread are on screen (no loading indicator left)."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.screen.query_one("#summary-body").loading:
            return
    raise AssertionError("the summary never finished loading")


async def open_summary(pilot) -> None:
    await pilot.press("f5")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_summary_screen(snap_compare, sample_copy, size):
    assert snap_compare(FieldApp(sample_copy), terminal_size=size, run_before=open_summary)


def test_summary_screen_with_no_data_in_range(snap_compare, sample_copy):
    async def empty_range(pilot) -> None:
        await open_summary(pilot)
        for selector in ("#filter-from", "#filter-to"):
            pilot.app.screen.query_one(selector).cursor_blink = False  # no clock in the picture
        pilot.app.screen.query_one("#filter-from").focus()
        await pilot.press(*"2001-01-01", "tab", *"2001-12-31", "enter")
        await settle(pilot)

    assert snap_compare(FieldApp(sample_copy), terminal_size=(80, 24), run_before=empty_range)
