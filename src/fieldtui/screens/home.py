"""The first screen: where am I (file, headline figures) and where can I go."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from fieldtui.commands import NAVIGATION
from fieldtui.core import formatting as fmt
from fieldtui.core import summary
from fieldtui.i18n import _

#: The key shown beside each menu entry (the app's bindings do the work).
MENU_KEYS = {"cbos": "F2", "trainees": "F3", "children": "F4", "placements": "F6", "participants": "F7",
             "summary": "F5"}


class HomeScreen(Screen[None]):
    """Headline figures of the open file and the way to each area."""

    # The app's F-keys, shown in this screen's footer (elsewhere they would crowd out local actions).
    BINDINGS = [
        Binding("f2", "app.open('cbos')", _("CBOs")),
        Binding("f3", "app.open('trainees')", _("Trainees")),
        Binding("f4", "app.open('children')", _("Children")),
        Binding("f6", "app.open('placements')", _("Jobs")),
        Binding("f7", "app.open('participants')", _("Others")),
        Binding("f5", "app.open_summary", _("Summary")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            menu = OptionList(id="menu")
            menu.border_title = _("Go to")
            yield menu
            with Vertical(id="home-side"):
                yield Static(id="headline", classes="card")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        menu = self.query_one("#menu", OptionList)
        for kind, label in NAVIGATION:
            if kind in MENU_KEYS:
                menu.add_option(Option(f"{MENU_KEYS[kind]:<4}{_(label)}", id=kind))
        menu.highlighted = 0
        menu.focus()
        self.refresh_figures()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.app.run_action(f"open({event.option.id!r})")

    def refresh_figures(self) -> None:
        self._compute_figures()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _compute_figures(self) -> None:
        """In a thread: on a large file the figures take a moment, and the menu must not wait."""
        result = summary.compute(self.app.store)
        lines = [
            f"[b]{_('Direct beneficiaries')}[/b]  {fmt.people(result.direct_beneficiaries)}",
            f"[b]{_('Indirect beneficiaries')}[/b]  {fmt.people(result.indirect_beneficiaries)}",
            f"[b]{_('Trainees')}[/b]  {fmt.people(result.trainees)}   "
            f"[b]{_('Placed')}[/b]  {fmt.people(result.trainees_placed)}",
            f"[b]{_('After-school children')}[/b]  {fmt.people(result.after_school_children)}",
            f"[b]{_('Cost per life')}[/b]  {fmt.usd(result.cost_per_life_usd, 2)}",
        ]
        self.app.call_from_thread(self.query_one("#headline", Static).update, "\n".join(lines))
