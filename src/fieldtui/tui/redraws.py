"""A screen redraws what changed: a focus move its widgets, a new screen styled once.

Textual's `Screen.focused` is a reactive that repaints the whole screen whenever it changes: at
every Tab in a form the compositor sent the whole screen again (Textual's render_full_update),
from the lines each widget had already rendered, so it showed nothing new: a widget draws its
focus through its own refresh. `set_focus` updates the styles of the widget focused, the one
left and their ancestors (`:focus`, `:focus-within`), which refreshes them. Redefining the
reactive without a repaint (a subclass's reactive replaces its base's: Textual reads them along
the class's MRO) keeps that. CPU a Tab in a new trainee form: 46.9 ms -> 33.0 ms (medians of 5
runs, 2026-12-02). tests/multiprocess/test_terminal_focus.py reads a real terminal's screen.

Textual styles a pushed screen's widgets as they mount, then again at its ScreenResume (it
restyles a screen coming back, for whatever changed while it was hidden). The first resume of
a screen comes right after its compose, with nothing changed between: it is told not to restyle.
Later resumes restyle as Textual decides. Style applications to open a new trainee form from the
sample's list: 765 -> 259 with the form's own focus and footer changes (tests/tui/test_redraws.py).
"""

from __future__ import annotations

from textual import events
from textual.reactive import Reactive
from textual.widget import Widget


class RedrawsOnlyWhatChanged:
    """Mixed in before Screen/ModalScreen in every screen of the app."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    _resumed_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Screen's own handler (the MRO), which reads `refresh_styles`."""
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False
