"""A modal progress dialog shown while a worker borrows the app's writing connection.

Export and merge write through `app.store`; while this dialog is up the app refuses every action
(`FieldApp.store_lent`), so the UI thread leaves the store to the worker (tui/workers.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from fieldtui.tui.redraws import RedrawsOnlyWhatChanged


class Working(RedrawsOnlyWhatChanged, ModalScreen[None]):
    """"Exporting…" with a progress bar; no keys, closed by the job when it is done."""

    def __init__(self, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.text = text

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # loaded with the first export or merge, not at start-up

        with Vertical(classes="dialog"):
            yield Static(self.text, classes="dialog-title", markup=False)
            yield ProgressBar(id="working-progress", show_eta=False)

    def progress(self, done: int, total: int) -> None:
        self.query_one("#working-progress").update(total=total, progress=done)
