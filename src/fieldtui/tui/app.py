"""FieldApp: the Textual application. Thin on purpose: styles, bindings, navigation, the store.

`store` is the file's one writing connection, used from the UI thread only; workers read through
their own connections (tui/workers.py has the rule and its one exception, export and merge).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from fieldtui.core import clock, kinds
from fieldtui.core.errors import damaged_file_message
from fieldtui.core.store import Store, StoreError
from fieldtui.i18n import _
from fieldtui.tui import STYLES, language
from fieldtui.tui.arenas import use_one_arena
from fieldtui.tui.commands import FieldCommands
from fieldtui.tui.widgets.working import Working
from fieldtui.tui.workers import deliver, reading

#: Top-level screens that are not a kind's list: key -> "module:Class".
_OTHER_SCREENS = {
    "summary": "fieldtui.tui.screens.summary:SummaryScreen",
    "conflicts": "fieldtui.tui.screens.conflicts:ConflictsScreen",
    "duplicates": "fieldtui.tui.screens.duplicates:DuplicatesScreen",
}


def screen_class(key: str) -> Any | None:
    """The screen class of a kind key (or "summary", "conflicts", "duplicates"), importing only
    its own module when first needed: the first F3 does not pay for every other screen's imports."""
    spec = next((k.screen for k in kinds.KINDS if k.key == key), None) or _OTHER_SCREENS.get(key)
    if spec is None:
        return None
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def _open_forms(screens: list[Screen]) -> list[Any]:
    """The forms among `screens`; none if no form module was ever imported (start-up, F3)."""
    form = sys.modules.get("fieldtui.tui.screens.form")
    return [] if form is None else [s for s in screens if isinstance(s, form.RecordFormScreen)]


def _kind_bindings() -> list[Binding]:
    """F2, F3, F4, F6, F7: each kind's list, from the registry (F5 is the summary; kinds without a
    key of their own open from the home menu and the command palette)."""
    return [Binding(k.key_binding, f"open({k.key!r})", k.short, id=k.key, show=False)
            for k in kinds.KINDS if k.key_binding]


class FieldApp(App[None]):
    """Field data entry over one SQLite file, opened for the app's lifetime (one writer)."""

    TITLE = "fieldtui"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "forms.tcss"]
    COMMANDS = App.COMMANDS | {FieldCommands}
    # F-keys and Ctrl combinations, because a focused Input takes every letter.
    BINDINGS = [
        Binding("ctrl+q", "quit", _("Quit"), id="quit", priority=True),
        Binding("f1", "help", _("Help"), id="help", priority=True),
        Binding("question_mark", "help", _("Help"), show=False),
        *_kind_bindings(),
        Binding("f5", "open_summary", _("Summary"), id="summary", show=False),
        Binding("ctrl+g", "open('home')", _("Home"), id="home", show=False),
        language.SWITCH_BINDING,
        Binding("f10", "open_exchange", _("Export / merge"), id="exchange"),
    ]

    def __init__(self, db_path: str | Path, *, operator: str | None = None):
        use_one_arena()
        super().__init__()
        self.db_path = Path(db_path)
        self.store = Store.open(self.db_path, create=True, operator=operator)
        self.sub_title = str(self.db_path.name)
        self._fatal_error_shown = False

    def get_default_screen(self) -> Screen:
        from fieldtui.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        language.retranslate_bindings(self)  # classes made before the language was chosen
        self.call_after_refresh(self.ask_operator if self.store.has_operators() else self.offer_drafts)
        # Edited or removed personal data leaves the write-ahead log soon after the last save.
        self.set_interval(1.0, self._truncate_log_if_idle, name="truncate-log")
        self._data_version = self.store.conn.execute("PRAGMA data_version").fetchone()[0]
        self.call_after_refresh(self._find_unkeyed_people)
        self.call_after_refresh(self._warn_of_a_clock_behind)

    def _warn_of_a_clock_behind(self) -> None:
        """A clock behind this file's last save (fallen back: a flat battery; or right now, after
        saves made while it was ahead): said before anything is recorded, since forms take their
        dates from it and refuse a later one as in the future."""
        try:
            latest = self.store.clock_behind()
        except sqlite3.DatabaseError:
            return  # the home screen says what is wrong with the file
        if clock.today() < clock.NOT_BEFORE:  # whatever the file's last save: not a case for redate
            self.notify(_("This computer's clock says {today}, before this version of fieldtui was written: the clock "
                          "is wrong. Please set it right before recording anything: new records take their dates "
                          "from it.").format(today=clock.today().isoformat()), severity="warning", timeout=60)
        elif latest is not None:
            self.notify(_("This computer's clock says {today}, but this file was last saved on {latest}. If the "
                          "clock is wrong, set it right before recording anything: new records take their dates from "
                          "it, and a later date is refused as in the future. If it is right, those saves were made "
                          "while it was ahead: run fieldtui redate {path}.").format(
                today=clock.today().isoformat(), latest=latest, path=self.db_path), severity="warning", timeout=60)

    def _truncate_log_if_idle(self) -> None:
        """Every second: also notices what another program wrote meanwhile (_notice_outside_writes)."""
        if not self.store_lent:  # an export or merge worker has the connection meanwhile
            self.store.truncate_log_if_idle()
            self._notice_outside_writes()

    # ---- navigation ---------------------------------------------------------------------

    @property
    def store_lent(self) -> bool:
        """An export or merge worker holds `store` behind its Working dialog (tui/workers.py)."""
        return bool(self.screen_stack) and isinstance(self.screen_stack[-1], Working)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Nothing while a job holds the store; no jumping between screens from inside a dialog."""
        in_dialog = isinstance(self.screen, ModalScreen)
        return not (self.store_lent or (in_dialog and action in ("open", "open_summary", "open_exchange", "help")))

    def action_open_summary(self) -> None:
        self.action_open("summary")

    def action_open(self, kind: str) -> None:
        """Go to a top-level screen; a form with unsaved changes asks first."""
        self.leave_form_then(lambda: self.go_to_list(kind))

    def leave_form_then(self, then: Any) -> None:
        """Call `then` once the form on screen (if any) is left: one with unsaved changes asks
        first, and `then` is not called if the answer is to keep editing."""
        form = next(iter(_open_forms([self.screen])), None)
        if form is not None and form.dirty:
            from fieldtui.tui.widgets.confirm import Confirm

            def answered(leave: bool | None) -> None:
                if leave:
                    form.discard()
                    then()

            self.push_screen(Confirm(_("This form has unsaved changes. Leave and discard them?"),
                                     yes=_("Discard"), no=_("Keep editing")), answered)
            return
        if form is not None:
            form.discard()
        then()

    def go_to_list(self, kind: str) -> Screen | None:
        """The screen of `kind` on top, every screen above the home one closed."""
        target = screen_class(kinds.ALIASES.get(kind, kind))
        if target is not None and type(self.screen) is target:
            return self.screen
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if target is None:
            return None
        screen = target()
        self.push_screen(screen)
        return screen

    def action_help(self) -> None:
        from fieldtui.tui.screens.help import HelpScreen

        keys: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        # The screen's and the app's own actions first; the focused widget's cursor keys after them.
        actives = sorted(self.screen.active_bindings.values(),
                         key=lambda a: (not isinstance(a.node, (Screen, App)), not a.binding.show))
        for active in actives:
            binding = active.binding
            if not binding.description or binding.system or "super" in binding.key:
                continue  # super+c: Textual's own copy key, nothing to look up
            row = (self.get_key_display(binding), binding.description)
            if row not in seen:
                seen.add(row)
                keys.append(row)
        keys.append(("Ctrl+P", _("Command palette")))
        notes = getattr(self.screen, "HELP_NOTES", ())
        self.push_screen(HelpScreen(keys, notes))

    # ---- who is working, headquarters' key -------------------------------------------------

    def ask_operator(self) -> None:
        """At start (a file with operators): who is working; then any unsaved form is offered.
        A name with a PIN given by --operator or the settings is not taken on trust: until its PIN
        is typed, the work is the OS user's."""
        if self.store.needs_pin(self.store.operator):
            import getpass

            self.store.operator = getpass.getuser()
        self.action_choose_operator(then=self.offer_drafts)

    def action_choose_operator(self, then: Any = None) -> None:
        from fieldtui.tui.screens.operator import OperatorScreen

        def chosen(name: str | None) -> None:
            if name:
                self.notify(_("Working as {name}.").format(name=name))
            if then is not None:
                then()

        self.push_screen(OperatorScreen(), chosen)

    def action_hq_key(self) -> None:
        from fieldtui.tui.screens.hq_key import HeadquartersKeyScreen

        self.push_screen(HeadquartersKeyScreen())

    # ---- people written into the file by another program -----------------------------------

    def _notice_outside_writes(self) -> None:
        """Another program committed to the file since last asked (SQLite's data_version on the
        writer's connection, which this app's own saves do not move; microseconds): people it
        wrote or whose name it changed (the sqlite3 program) lost their keys, so they are looked
        for again. Before, only at start: such a person was missing from every list and search
        until the app was restarted."""
        try:
            version = self.store.conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return
        if version != self._data_version:
            self._data_version = version
            self._find_unkeyed_people()

    @work(thread=True, exclusive=True, group="keys")
    def _find_unkeyed_people(self) -> None:
        """Asked on a read connection (tui/workers.py), after the first screen: people written into
        the file by another program have no pinyin keys, so no list would show them."""
        try:
            with reading(self) as store:
                unkeyed = store.unkeyed_people()
        except (StoreError, sqlite3.DatabaseError):
            return  # the home screen says what is wrong with the file
        if unkeyed:
            deliver(self, self._key_unkeyed_people)

    def _key_unkeyed_people(self) -> None:
        """Key them with the one writer, on the UI thread (asked again at the next start if an
        export or merge holds the store now)."""
        if self.store_lent:
            return
        try:
            keyed = self.store.key_unkeyed_people()
        except (StoreError, sqlite3.DatabaseError) as exc:  # SQLite's own text could quote the data
            self.notify(str(exc) if isinstance(exc, StoreError) else damaged_file_message(), severity="warning")
            return
        if keyed:
            from fieldtui.tui.screens.listing import RecordListScreen

            for screen in self.screen_stack:  # a list opened meanwhile shows them now, not at its next reload
                if isinstance(screen, RecordListScreen):
                    screen.refresh_rows()
            self.notify(_("People written or changed in this file by another program were keyed again for the "
                          "lists and search: {n}.").format(n=keyed))

    # ---- drafts left by a crash ----------------------------------------------------------------

    def offer_drafts(self) -> None:
        """Offer each unsaved form left behind (by a crash or a closed terminal), one at a time."""
        try:
            if self.store.set_aside_damaged_drafts():
                self.notify(_("An unsaved form could not be read (the file is damaged there) and was set aside."),
                            severity="warning")
        except StoreError as exc:
            self.notify(str(exc), severity="error")
        drafts = self.store.left_behind_drafts()  # not another copy's open forms
        if not drafts:
            return
        draft = drafts[0]
        what = _(kinds.kind(draft["kind"]).singular)  # drafts() returns only drafts of known kinds
        when = dt.datetime.fromisoformat(draft["saved_at"]).astimezone().strftime("%Y-%m-%d %H:%M")

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore_draft(draft)
            else:
                self.store.forget_draft(draft["form"])
                self.offer_drafts()

        from fieldtui.tui.widgets.confirm import Confirm

        self.push_screen(Confirm(_("An unsaved {what} form from {when} was kept. Restore it?").format(
            what=what, when=when), yes=_("Restore"), no=_("Discard"), title=_("Unsaved form")), answered)

    def restore_draft(self, draft: dict[str, Any]) -> None:
        self.store.adopt_draft(draft["form"])
        listing = self.go_to_list(draft["kind"])
        form_cls = listing.FORM  # type: ignore[union-attr]
        self.push_screen(form_cls(draft["record_id"], draft=draft), listing._saved)  # type: ignore[union-attr]

    # ---- closing ---------------------------------------------------------------------------

    def keep_drafts(self) -> None:
        """Write every open form's typing as a draft now, whatever its timer (quitting, lending the store)."""
        for screen in _open_forms(self.screen_stack):
            screen.flush_draft()

    async def action_quit(self) -> None:
        """Quit; an open form's typing is kept as a draft, offered again at the next start."""
        self.keep_drafts()
        self.exit()

    async def action_switch_language(self) -> None:
        await language.toggle(self)

    def action_open_exchange(self) -> None:
        from fieldtui.tui.screens.exchange import ExchangeScreen

        self.push_screen(ExchangeScreen())

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Toasts are plain text, never markup: they quote people's names ("Removed 王[/]明."),
        and markup would raise or restyle them. Screens' `notify` lands here too."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_unmount(self) -> None:
        self.store.close()

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: say where it happened, never what. Textual's own report is a
        traceback with local variables (a form's values, a draft) and the error's text, which
        would print people's names and phones on the terminal; ours names code only."""
        import traceback

        from rich.text import Text

        frames = traceback.extract_tb(error.__traceback__)
        where = "\n".join(f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames[-8:])
        self._exit_renderables.append(Text(_(
            "fieldtui stopped on an internal error ({kind}). Every record saved before it is safe in {path}. "
            "Please report this, with these lines:").format(kind=type(error).__name__, path=self.db_path)
            + "\n" + where))
        self._fatal_error_shown = True
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual's traceback with locals is never rendered (see `_handle_exception`)."""
        self.bell()
        self._close_messages_no_wait()

    def panic(self, *renderables: Any) -> None:
        """An error with its own rich rendering goes the same safe way: not rendered."""
        if self._fatal_error_shown:
            self._close_messages_no_wait()
            return
        super().panic(*renderables)
