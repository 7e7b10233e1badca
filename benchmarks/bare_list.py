"""The baseline of "F3 to first page shown" (issue 19): a bare Textual app whose F3 pushes a
screen with a DataTable of the same 100 rows the trainees list shows first (pinyin order, live
enrolments), read with plain sqlite3 from the same file. It is what Textual itself costs to
show a page: no store, no worker thread, no paging, no count, no styles of ours.

    python -m benchmarks.bare_list DB        try it in a terminal (F3, then Ctrl+Q)

benchmarks/probe.py measures it exactly as it measures fieldtui's list (`probe.py bare-list`).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

#: The trainees list's first page, hand-written: the columns it shows, in its order.
FIRST_PAGE_SQL = (
    "SELECT t.id, p.full_name, c.name_zh, t.course, t.status, t.start_date, p.birth_year, p.phone "
    "FROM participant_keys k JOIN participants p ON p.id = k.participant_id "
    "JOIN trainings t ON t.participant_id = p.id JOIN cbos c ON c.id = p.cbo_id "
    "WHERE t.deleted = 0 AND k.sort_key >= '' ORDER BY k.sort_key, t.id LIMIT 100")
COLUMNS = ("Name", "CBO", "Course", "Status", "Start", "Born", "Phone")


def first_page(db: str | Path) -> list[tuple]:
    conn = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(FIRST_PAGE_SQL).fetchall()
    finally:
        conn.close()


class BareListScreen(Screen[None]):
    def __init__(self, db: str) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        for row in first_page(self.db):
            table.add_row(*row[1:], key=row[0])
        table.focus()


class BareListApp(App[None]):
    BINDINGS = [("f3", "open_list", "List"), ("ctrl+q", "quit", "Quit")]

    def __init__(self, db: str) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield Header()
        yield Footer()

    def action_open_list(self) -> None:
        self.push_screen(BareListScreen(self.db))


if __name__ == "__main__":
    BareListApp(sys.argv[1]).run()
