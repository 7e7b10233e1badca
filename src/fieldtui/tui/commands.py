"""Command palette (Ctrl+P): every screen, and every action of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from fieldtui.core import kinds
from fieldtui.i18n import N_, _

#: (list kind or "summary"/"home", label msgid) in menu order: the kinds from the registry.
NAVIGATION: list[tuple[str, str]] = [
    *((k.key, k.title) for k in kinds.KINDS),
    ("summary", N_("Summary")),
    ("conflicts", N_("Conflicts to review")),
    ("duplicates", N_("Likely duplicates")),
    ("home", N_("Home")),
]


def write_report_from(app: App) -> None:
    """The donor report of the whole file, from any screen: the summary screen opens and writes it
    (a form with unsaved changes asks first, and then nothing is written)."""
    from fieldtui.tui.screens.summary import SummaryScreen

    if not isinstance(app.screen, SummaryScreen):
        app.action_open_summary()  # type: ignore[attr-defined]  (FieldApp)
    screen = app.screen
    if isinstance(screen, SummaryScreen):
        screen.call_after_refresh(screen.action_write_report)  # once its filters are composed


def find_record_from(app: App) -> None:
    """The id a headquarters refusal names, to the record's form (screens/find_record.py)."""
    from fieldtui.tui.screens.find_record import find_record_from as ask

    ask(app)


class FieldCommands(Provider):
    """Screens to go to, then the calling screen's own actions (new, remove, sort…)."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        app = self.app
        for kind, label in NAVIGATION:
            yield (_("Go to: {screen}").format(screen=_(label)), "",
                   partial(app.run_action, f"open({kind!r})"))
        seen = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if (not binding.description or binding.system or not active.enabled
                    or not isinstance(active.node, (Screen, App))  # not a widget's cursor keys
                    or binding.action.startswith("open") or binding.action in seen):
                continue
            seen.add(binding.action)
            yield (binding.description, app.get_key_display(binding),
                   partial(app.run_action, binding.action, active.node))
        yield (_("Who is working…"), "", app.action_choose_operator)  # type: ignore[attr-defined]
        yield (_("Headquarters' key…"), "", app.action_hq_key)  # type: ignore[attr-defined]
        yield (_("Open a record by its id…"), "", partial(find_record_from, app))
        if "write_report" not in seen:  # elsewhere than the summary screen: go there, then write
            yield (_("Write donor report…"), "", partial(write_report_from, app))

    async def discover(self) -> Hits:
        for text, key, command in self._commands():
            yield DiscoveryHit(text, command, help=key or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, key, command in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=key or None)
