"""What the summary screen looks like on sample data at the two sizes people use (SVG baselines).

Regenerate with `make snapshot-update` after an intended visual change, and look at the diff.
"""

from __future__ import annotations

import pytest

from fieldtui.tui.app import FieldApp
from tests.tui.test_summary_screen import open_summary, settle


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
