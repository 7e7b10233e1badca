"""Settings: headquarters' public key (palette: "Headquarters' key…"), the key F10 and
`fieldtui export` seal exports to; the same check as `fieldtui keys use` (exchange/keys.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from fieldtui.core.errors import StoreError
from fieldtui.i18n import _
from fieldtui.tui.redraws import RedrawsOnlyWhatChanged


class HeadquartersKeyScreen(RedrawsOnlyWhatChanged, ModalScreen[None]):
    """The settings' public key of headquarters, which F10 and `fieldtui export` seal exports to."""

    BINDINGS = [Binding("escape", "close", _("Cancel"))]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")  # centred over the dimmed screen, as every dialog

    def compose(self) -> ComposeResult:
        from fieldtui.core import settings
        from fieldtui.core.exchange import keys

        current = settings.setting(keys.PUBLIC_KEY_SETTING)
        with Vertical(classes="dialog hq-key"):
            yield Static(_("Headquarters' public key"), classes="dialog-title")
            yield Static(_("Exports are sealed to: {key}").format(key=current or _("nobody (plain exports)")),
                         id="hq-current", classes="dialog-body", markup=False)
            yield Input(id="hq-key", placeholder=_("age1… or the file hq-public.txt"))
            yield Static(id="hq-error", classes="dialog-body error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Plain exports"), id="clear")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#hq-key", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save(self.query_one("#hq-key", Input).value)
        elif event.button.id == "clear":
            self.save(None)
        else:
            self.dismiss(None)

    def save(self, text: str | None) -> None:
        from fieldtui.core import settings
        from fieldtui.core.exchange import keys

        try:
            public = keys.recipient(text) if text is not None else None
            settings.save_setting(keys.PUBLIC_KEY_SETTING, public)
        except (StoreError, OSError) as exc:
            self.query_one("#hq-error", Static).update(str(exc))
            return
        self.notify(_("Exports from this computer are now sealed to {key}.").format(key=public) if public
                    else _("Exports from this computer are plain from now on."))
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
