"""What every DataTable in the app needs beyond Textual's own."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


def plain(*cells: str) -> list[Text]:
    """Cells as Text, never markup: DataTable parses a str cell as Rich markup, so a name typed as
    "张[/]一" stopped the app (MarkupError) and "[b]张一" lost its brackets."""
    return [Text(cell) for cell in cells]


def measure_rows_now(table: DataTable) -> None:
    """Measure rows just added to `table` now, as DataTable would on its next idle (the same calls).

    Until that idle the columns are as narrow as their headings: a busy machine showed that to
    people, and a snapshot caught it in CI. Private DataTable API, safe while Textual is pinned
    exactly; tests/tui/test_paged_table.py fails if it changes."""
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        new_rows = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(new_rows)
