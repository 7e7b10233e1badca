"""The first screen: where am I (file, headline figures) and where can I go."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from fieldtui.core import formatting as fmt
from fieldtui.core import summary
from fieldtui.i18n import _


class HomeScreen(Screen[None]):
    """Headline figures of the open file and the way to each area."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="headline", classes="card")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_figures()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    def refresh_figures(self) -> None:
        result = summary.compute(self.app.store)
        lines = [
            f"[b]{_('Direct beneficiaries')}[/b]  {fmt.people(result.direct_beneficiaries)}",
            f"[b]{_('Indirect beneficiaries')}[/b]  {fmt.people(result.indirect_beneficiaries)}",
            f"[b]{_('Trainees')}[/b]  {fmt.people(result.trainees)}   "
            f"[b]{_('Placed')}[/b]  {fmt.people(result.trainees_placed)}",
            f"[b]{_('After-school children')}[/b]  {fmt.people(result.after_school_children)}",
            f"[b]{_('Cost per life')}[/b]  {fmt.usd(result.cost_per_life_usd, 2)}",
        ]
        self.query_one("#headline", Static).update("\n".join(lines))
