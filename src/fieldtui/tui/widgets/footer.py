"""Textual's Footer, drawn again only when what it shows changed.

Textual's Footer rebuilds its keys (a widget each) whenever the screen's bindings may have changed:
every focus move in a form, every screen pushed. Most moves keep the same keys, and a rebuild is
~20 ms of CPU (a dozen widgets mounted and styled), more than once a move: a Tab in a new trainee
form took 143.5 ms of CPU with it, 57.9 ms with this one (medians of 5 runs, 2026-12-02). This
one rebuilds when the keys it would show (key, label, action, enabled, tooltip, group, the
palette's key) differ from those it shows; a language switch changes the labels, so it rebuilds.

A screen opened from another draws its keys at its footer's first compose, from the screen's
bindings then. Textual's footer composes empty until the screen says its keys are ready: it was
composed three times as a screen opened (four for the exchange screen), each compose followed by
a layout of the whole screen (a form's layouts as it opens: 6 -> 4, 2026-12-02). Later changes of
the keys (the first focus's too) rebuild it as above. The app's first screen (home) keeps
Textual's way, so the app's first frame comes as soon as it can, its keys a moment later: drawn
before it, they put ~20 ms more before that frame (start-up 1.24x -> 1.33x the minimal app,
medians of five rounds of 9).

Keys are made compact or not as they will be: Textual's FooterKey starts compact, gets its class
after it was mounted and styled, then takes its footer's `compact` (the palette's key does not),
each change a restyle (three stylings of each key of a full footer, two of a compact one's).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """The keys of the current screen (see the module docstring)."""

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        """What compose draws, as a value to compare."""
        active = self.screen.active_bindings
        keys = tuple((binding.key, binding.description, binding.action, enabled, tooltip, binding.group)
                     for (_node, binding, enabled, tooltip) in active.values() if binding.show)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return keys, palette and (palette[1].description, palette[2]), self.show_command_palette, self.compact

    def compose(self):
        if not self._bindings_ready and self.is_attached and self.screen is not self.app.screen_stack[0]:
            self.set_reactive(TextualFooter._bindings_ready, True)  # not empty first: the screen's keys now
        self._shown = self._keys() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):  # as it will be once mounted: no restyle then
                # Textual binds every key but the palette's to `compact`; that one stays compact.
                # (Not read from the key: a reactive read before mount runs its watcher, a restyle.)
                compact = True if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if (self._shown is not None and self.is_attached and screen is self.screen
                and screen.app.app_focus and self._keys() == self._shown):
            return
        super().bindings_changed(screen)
