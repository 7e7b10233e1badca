"""FieldApp: the Textual application. Thin on purpose: styles, bindings, first screen, the store."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from fieldtui import language
from fieldtui.core.store import Store
from fieldtui.i18n import _


def styles_dir() -> Path:
    """styles/ ships inside the wheel (fieldtui/styles); in a checkout it sits at the root."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "styles"


class FieldApp(App[None]):
    """Field data entry over one SQLite file, opened for the app's lifetime (one writer)."""

    TITLE = "fieldtui"
    CSS_PATH = [styles_dir() / "app.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", _("Quit"), id="quit"),
        Binding("f5", "open_summary", _("Summary"), id="summary"),
        language.SWITCH_BINDING,
        Binding("f6", "open_exchange", _("Export / merge"), id="exchange"),
    ]

    def __init__(self, db_path: str | Path, *, operator: str | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        self.store = Store.open(self.db_path, create=True, operator=operator)
        self.sub_title = str(self.db_path.name)

    def on_mount(self) -> None:
        from fieldtui.screens.home import HomeScreen

        language.retranslate_bindings(self)  # classes made before the language was chosen
        self.push_screen(HomeScreen())

    def action_open_summary(self) -> None:
        from fieldtui.screens.summary import SummaryScreen

        self.push_screen(SummaryScreen())

    async def action_switch_language(self) -> None:
        await language.toggle(self)

    def action_open_exchange(self) -> None:
        from fieldtui.screens.exchange import ExchangeScreen

        self.push_screen(ExchangeScreen())

    def on_unmount(self) -> None:
        self.store.close()
