"""A yes/no question as a small modal: `push_screen(Confirm(...), callback)` gets True or False."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged


class Confirm(RedrawsOnlyWhatChanged, ModalScreen[bool]):
    """Ask before anything that loses work or removes a record; Escape always means no."""

    BINDINGS = [
        Binding("y", "answer(True)", _("Yes")),
        Binding("n,escape", "answer(False)", _("No")),
    ]

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None,
                 title: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")
        self.title_text = title or _("Please confirm")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.question, classes="dialog-body", markup=False)  # quotes names
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
