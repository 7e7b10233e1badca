"""Who is working: asked at start when the file has operators, and from the palette.

A name from the list (or typed) signs in, its PIN checked if it has one; a name the file does
not know yet is added, with the PIN typed (if any). Every save from then on is audited with that
name and prefills "Registered by" (records/operators.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.core.errors import StoreError
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged


class OperatorScreen(RedrawsOnlyWhatChanged, ModalScreen[str | None]):
    """Choose or add the operator; dismisses with the name signed in, or None (Escape: unchanged)."""

    BINDINGS = [Binding("escape", "cancel", _("Cancel"))]

    def compose(self) -> ComposeResult:
        store = self.app.store  # type: ignore[attr-defined]  (FieldApp)
        with Vertical(classes="dialog operator"):
            yield Static(_("Who is working?"), classes="dialog-title")
            names = store.operators()
            if names:
                yield OptionList(*(Option(name, id=name) for name, _pin in names),
                                 id="operators", markup=False)
            yield Input(store.operator if any(n == store.operator for n, _p in names) else "",
                        id="operator-name", placeholder=_("Name (a new name is added to this file)"))
            yield Input(id="operator-pin", password=True, placeholder=_("PIN (optional for a new name)"))
            yield Static(id="operator-error", classes="dialog-body error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Sign in"), id="sign-in", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#operator-name" if not self.query("#operators") else "#operators").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#operator-name", Input).value = str(event.option.id)
        self.query_one("#operator-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "operator-name":
            self.query_one("#operator-pin", Input).focus()
        else:
            self.sign_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self.sign_in()
        else:
            self.dismiss(None)

    def sign_in(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]  (FieldApp)
        name = self.query_one("#operator-name", Input).value
        pin = self.query_one("#operator-pin", Input).value or None
        try:
            if not any(n.casefold() == " ".join(name.split()).casefold() for n, _p in store.operators()):
                store.add_operator(name, pin)
            kept = store.sign_in(name, pin)
        except StoreError as exc:
            self.query_one("#operator-error", Static).update(str(exc))
            self.query_one("#operator-pin", Input).value = ""
            return
        self.dismiss(kept)

    def action_cancel(self) -> None:
        self.dismiss(None)
