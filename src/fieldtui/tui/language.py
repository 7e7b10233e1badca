"""Switching the interface language while the app runs (F12), without a restart.

Textual builds each class's bindings once, when the class is created, and copies them into
every instance; a Binding's description is a plain string read by the Footer at compose time.
So a switch (1) sets the gettext language, (2) remembers it in the config file, (3) rebuilds
the bindings of every DOMNode class and of every live node with descriptions translated anew,
and (4) refreshes every screen in the stack: a screen may define `refresh_language()` to
relabel itself in place (a form keeping what was typed); otherwise it is rebuilt as if new:
`compose()` runs again, then the screen's own `on_mount()` (which usually fills in the data),
keeping what people set on it: a list's search, filters, order and row, and the focus.

Descriptions may have been made with `_()` in either language (classes are created when a
module is first imported) or with `N_()`: `msgid_of()` finds the English msgid back.

Textual 8 has no public way to change a description once a class exists: the Footer, the help
and the palette read `binding.description` from each node's bindings, and a screen of any class
(even a plain `Screen` with `N_()` bindings) must follow the switch. Hence the private
`_merged_bindings`/`_bindings` rewrite, safe while Textual is pinned exactly
(tests/tui/test_i18n_switch.py fails if it changes).
"""

from __future__ import annotations

import dataclasses
import inspect
from functools import lru_cache

from textual import events
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.screen import Screen

from fieldtui.i18n import N_, _, language, set_language, translations

# Translators: the F12 key's label: the name of the OTHER language, written in that language.
SWITCH_BINDING = Binding("f12", "switch_language", N_("中文"), id="language",
                         tooltip=N_("Switch the interface between Chinese and English"))

#: Textual's own descriptions that can reach the footer or a tooltip, so they get translated too.
TEXTUAL_STRINGS = (
    N_("palette"), N_("Open the command palette"), N_("Quit"),
    N_("Quit the app and return to the command prompt."), N_("Copy selected text"),
)


@lru_cache(maxsize=1)
def _catalogue() -> tuple[frozenset[str], dict[str, str]]:
    """(every msgid, Chinese -> msgid) from the Chinese catalogue."""
    entries = getattr(translations("zh"), "_catalog", {})
    msgids = frozenset(k for k in entries if isinstance(k, str) and k)
    reverse = {v: k for k, v in entries.items() if isinstance(k, str) and k and v and v != k}
    return msgids, reverse


#: translation we produced -> the msgid it came from; two msgids may share a translation
#: ("Trainees" and "trainees" are both 学员), and the catalogue alone cannot tell them apart
_PRODUCED: dict[str, str] = {}


def msgid_of(text: str) -> str:
    """The English msgid behind a string that may already be translated."""
    if text in _PRODUCED:
        return _PRODUCED[text]
    msgids, reverse = _catalogue()
    return text if text in msgids else reverse.get(text, text)


def translate_again(text: str) -> str:
    """`text` (English or a translation we made) in the current language, remembering its msgid."""
    msgid = msgid_of(text)
    result = _(msgid)
    if result != msgid:
        _PRODUCED.setdefault(result, msgid)
    return result


def retranslate(binding: Binding) -> Binding:
    changes = {name: translate_again(value) for name in ("description", "tooltip")
               if (value := getattr(binding, name))}
    return dataclasses.replace(binding, **changes) if changes else binding


def retranslate_map(bindings: BindingsMap) -> BindingsMap:
    return BindingsMap.from_keys(
        {key: [retranslate(b) for b in group] for key, group in bindings.key_to_bindings.items()}
    )


def _all_node_classes(root: type = DOMNode):
    for sub in root.__subclasses__():
        yield sub
        yield from _all_node_classes(sub)


def retranslate_classes() -> None:
    """The bindings every DOMNode class hands to the nodes it makes from now on."""
    for cls in set(_all_node_classes()):
        merged = cls.__dict__.get("_merged_bindings")
        if merged is not None:
            cls._merged_bindings = retranslate_map(merged)


def retranslate_bindings(app: App) -> None:
    """Every class (for nodes made later) and every live node (app, screens, widgets). In
    English with nothing translated yet (an app started in English) every binding already reads
    its msgid: nothing to do (start-up skips reading the catalogue backwards, ~10 ms)."""
    if language() == "en" and not _PRODUCED:
        return
    retranslate_classes()
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    for node in nodes:
        node._bindings = retranslate_map(node._bindings)


async def apply(app: App, lang: str, *, persist: bool = True) -> None:
    """Show the whole app in `lang` ("en" or "zh") from now on."""
    set_language(lang)
    if persist:
        from fieldtui.core.settings import save_language

        try:
            save_language(language())
        except OSError as exc:  # a read-only config folder must not stop the switch
            app.notify(_("Could not save the language setting: {reason}").format(reason=exc.strerror),
                       severity="warning")
    retranslate_bindings(app)
    for screen in list(app.screen_stack):
        hook = getattr(screen, "refresh_language", None)
        if hook is not None:
            await _call(hook)
        else:
            await rebuild(screen)
    app.screen.refresh_bindings()


async def rebuild(screen: Screen) -> None:
    """Rebuild a screen as if new: compose() again, then its own on_mount() again. What people
    set on it stays: a widget with an id and `kept()` (a list: its search, filters, order, row)
    gets it back through `restore()`, and the widget that had the focus (by id) has it again."""
    for attr in ("title", "sub_title"):  # from TITLE / SUB_TITLE, fixed at import like bindings
        if value := getattr(screen, attr, None):
            setattr(screen, attr, translate_again(value))
    kept = {node.id: node.kept() for node in screen.walk_children() if node.id and hasattr(node, "kept")}
    focused = screen.focused.id if screen.focused is not None else None
    await screen.recompose()
    on_mount = getattr(screen, "on_mount", None)  # Textual's bases define only _on_mount
    if on_mount is not None:
        args = (events.Mount(),) if inspect.signature(on_mount).parameters else ()
        await _call(on_mount, *args)
    for node in screen.walk_children():
        if node.id in kept and hasattr(node, "restore"):
            node.restore(kept.pop(node.id))
    if focused is not None and (again := screen.query(f"#{focused}")):
        again.first().focus(scroll_visible=False)  # after any focus() on_mount asked for


async def _call(function, *args) -> None:
    result = function(*args)
    if inspect.isawaitable(result):
        await result


async def toggle(app: App) -> None:
    await apply(app, "en" if language() == "zh" else "zh")
