"""A choice people make with the keyboard alone: one key per choice, or a list that filters as
they type (ODK Collect's and CommCare's selects).

- A short list (`INLINE` choices or fewer) shows every choice on one line, numbered: "1 Female
  2 Male 3 Other". A digit or a label's first letter (in either language, or its pinyin) chooses
  at once; Left/Right move; the form then moves on to the next field.
- A long list (CBOs, provinces) shows the choice; typing opens the matches under it, filtered by
  each letter (name in either language, pinyin, initials: "hn", "henan", "河南"), Up/Down move,
  Enter takes the highlighted one, Esc closes the list. Down opens the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from fieldtui.core import formatting as fmt
from fieldtui.i18n import _

#: Lists this short are chosen with one key.
INLINE = 5
#: Matches shown under a long list while filtering.
SHOWN = 6


@dataclass(frozen=True)
class Option:
    """One choice: what is shown, what is stored, and what else finds it when typed."""

    label: str
    value: str
    also: tuple[str, ...] = ()

    def keys(self) -> list[str]:
        from fieldtui.core import pinyin

        words = [self.label, *self.also]
        out = [w.casefold() for w in words]
        for word in words:
            if not word.isascii():  # its pinyin and initials: "henan", "hn" find 河南
                _sort, full, initials = pinyin.keys(word)
                out += [full, initials]
        return out


class ChoiceField(Widget, can_focus=True):
    """A select for forms and filters, driven entirely from the keyboard."""

    DEFAULT_CSS = """
    ChoiceField { height: auto; width: 1fr; }
    """
    BINDINGS = [
        Binding("down", "move(1)", _("Next choice"), show=False),
        Binding("up", "move(-1)", _("Previous choice"), show=False),
        Binding("right", "move(1)", show=False),
        Binding("left", "move(-1)", show=False),
        Binding("backspace", "erase", show=False),
    ]

    @dataclass
    class Changed(Message):
        """A choice was made; `by_key` when a key made it (the form then moves on)."""

        field: ChoiceField
        by_key: bool = False

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(self, options: Sequence[Option], *, prompt: str = "", inline: bool | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.options = list(options)
        self.prompt = prompt
        self.inline = len(self.options) <= INLINE if inline is None else inline
        self.value = ""
        self.filter: str | None = None  # None: the long list is closed
        self.highlight = 0
        self._keys: list[list[str]] | None = None

    # ---- value ----------------------------------------------------------------------------

    def set_options(self, options: Sequence[Option]) -> None:
        self.options = list(options)
        self._keys = None
        if self.value and self.value not in {o.value for o in self.options}:
            self.value = ""
        self.refresh(layout=True)

    def set_value(self, value: str, *, announce: bool = False, by_key: bool = False) -> None:
        """Choose `value`; a value that is not among the options (an older record's) is kept
        and shown as stored, so opening and saving a record never loses it."""
        value = value or ""
        if value and value not in {o.value for o in self.options}:
            self.options.append(Option(fmt.shown(value), value))
            self._keys = None
        changed = value != self.value
        self.value = value
        self.filter = None
        self.refresh(layout=True)
        if (announce and changed) or by_key:
            self.post_message(self.Changed(self, by_key=by_key))

    @property
    def label(self) -> str:
        return next((o.label for o in self.options if o.value == self.value), "")

    # ---- matching -------------------------------------------------------------------------

    def _option_keys(self) -> list[list[str]]:
        if self._keys is None:
            self._keys = [o.keys() for o in self.options]
        return self._keys

    def matches(self) -> list[int]:
        """Indexes of the options the filter finds: those that start with it first."""
        text = (self.filter or "").casefold().replace(" ", "")
        if not text:
            return list(range(len(self.options)))
        starts, inside = [], []
        for i, keys in enumerate(self._option_keys()):
            flat = [k.replace(" ", "") for k in keys]
            if any(k.startswith(text) for k in flat):
                starts.append(i)
            elif any(text in k for k in flat):
                inside.append(i)
        return starts + inside

    def _one_key(self, character: str) -> int | None:
        """The choice one key names: its number, else the first whose label, then alias, then
        any of their pinyin (`Option.keys`) starts with the letter; None when none does."""
        if character.isdigit():
            n = int(character) - 1
            return n if 0 <= n < len(self.options) else None
        ch = character.casefold()
        for keys in (lambda o: [o.label.casefold()], lambda o: [a.casefold() for a in o.also],
                     Option.keys):
            for i, option in enumerate(self.options):
                if any(k.startswith(ch) for k in keys(option)):
                    return i
        return None

    # ---- keys -----------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.filter is not None:
            event.stop()
            event.prevent_default()
            self.filter = None
            self.refresh(layout=True)
            return
        if event.key == "enter" and self.filter is not None:
            event.stop()
            event.prevent_default()
            found = self.matches()
            if found:
                self.set_value(self.options[found[min(self.highlight, len(found) - 1)]].value, by_key=True)
            return
        if event.character and event.is_printable and event.character != " ":
            event.stop()
            event.prevent_default()
            if self.inline:
                index = self._one_key(event.character)
                if index is not None:
                    self.set_value(self.options[index].value, by_key=True)
                return
            self.filter = (self.filter or "") + event.character
            self.highlight = 0
            self.refresh(layout=True)

    def action_move(self, step: int) -> None:
        if self.inline:
            values = [o.value for o in self.options]
            current = values.index(self.value) if self.value in values else (-1 if step > 0 else len(values))
            index = current + step
            if 0 <= index < len(values):
                self.set_value(values[index], announce=True)
            return
        if self.filter is None:
            if step < 0:
                return
            self.filter = ""
            values = [o.value for o in self.options]
            self.highlight = values.index(self.value) if self.value in values else 0
        else:
            found = self.matches()
            self.highlight = max(0, min(len(found) - 1, self.highlight + step))  # no wrapping round
        self.refresh(layout=True)

    def action_erase(self) -> None:
        if self.filter:
            self.filter = self.filter[:-1]
            self.highlight = 0
        elif not self.inline and self.value:
            self.set_value("", announce=True)
            return
        self.refresh(layout=True)

    def _on_blur(self, event: events.Blur) -> None:
        if self.filter is not None:
            self.filter = None
            self.refresh(layout=True)

    # ---- drawing --------------------------------------------------------------------------

    def render(self) -> Text:
        """Labels drawn safe (fmt.shown): a CBO's name is data, edited in a file it may hold ESC."""
        if self.inline:
            return self._render_inline()
        current = Text(fmt.shown(self.label), no_wrap=True, overflow="ellipsis") if self.value else \
            Text(self.prompt, style="dim", no_wrap=True)
        if self.filter is None:
            return current
        lines = [Text.assemble(("› ", "bold"), (self.filter or "", "bold"), ("▏", "blink"),
                               (f"  {_('type to filter · ↑↓ · Enter')}", "dim"))]
        found = self.matches()
        if not found:
            lines.append(Text(_("(nothing matches)"), style="dim"))
        top = max(0, min(self.highlight - SHOWN + 1, len(found) - SHOWN))
        for row, index in enumerate(found[top:top + SHOWN], start=top):
            style = "reverse" if row == self.highlight else ""
            lines.append(Text(fmt.shown(self.options[index].label), style=style, no_wrap=True, overflow="ellipsis"))
        return Text("\n").join(lines)

    def _render_inline(self) -> Text:
        parts: list[Text] = []
        for i, option in enumerate(self.options, start=1):
            chosen = option.value == self.value
            parts.append(Text.assemble((f"{i}", "bold" if not chosen else "bold reverse"), " ",
                                       (fmt.shown(option.label), "reverse" if chosen else "")))
        return Text("  ").join(parts)

    def get_content_height(self, container, viewport, width: int) -> int:
        if self.inline:
            return max(1, len(self._render_inline().wrap(self.app.console, max(width, 1))))
        if self.filter is None:
            return 1
        return 1 + max(1, min(SHOWN, len(self.matches())))
