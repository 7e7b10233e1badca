"""Pieces every command shares: the error exit, the --lang option, help in the chosen language."""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

import click

from fieldtui.i18n import N_

EXIT_USAGE = 2


def read_hq(db: str) -> Any:
    """The file (read-only) or the PostgreSQL HQ (a `postgresql://` URL, core/pg/) a reading
    command opens: a context manager giving something with the store's `conn`."""
    from fieldtui.core.pg import is_url

    if is_url(db):
        from fieldtui.core.pg.connect import opened

        return opened(db)
    from fieldtui.core.store import Store

    return Store.open_readonly(db)


def json_text(data: Any) -> str:
    """The JSON a command prints: Chinese as it is, but every character a terminal would act on
    or hide (controls, zero-width and direction-override marks a name may hold if edited with
    the sqlite3 program) written as a \\u escape, so the screen shows what the file holds and a
    parser reads the same value; so is what the terminal's encoding cannot show (Latin-1)."""
    import json

    from fieldtui.core.formatting import UNPRINTABLE

    def escaped(m: re.Match[str]) -> str:  # JSON's own line breaks (indent) stay; in a string it escaped them
        return m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}"

    def unshowable(m: re.Match[str]) -> str:  # a terminal that cannot show Chinese: the JSON escape
        try:
            m.group().encode(encoding)
        except UnicodeEncodeError:
            return json.dumps(m.group())[1:-1]
        return m.group()

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    out = UNPRINTABLE.sub(escaped, json.dumps(data, ensure_ascii=False, indent=2))
    return out if encoding.lower().replace("-", "") in ("utf8", "utf16", "utf32") else re.sub(
        r"[^\x00-\x7f]", unshowable, out)


def say(text: str, *, err: bool = False) -> None:
    """A line for a person, drawn safe (`shown`): it may quote a file's name, which can hold an
    escape sequence, a line break or bytes that are no UTF-8 (a GBK name on a stick)."""
    from fieldtui.core.formatting import shown

    click.echo(shown(text), err=err)


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2: the contract for every error a person can cause."""
    say(f"fieldtui: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from fieldtui.core.settings import resolve_language
    from fieldtui.i18n import set_language

    set_language(resolve_language(value))
    return value


lang_option = click.option(
    "--lang", type=click.Choice(["en", "zh"]), default=None, expose_value=False, is_eager=True,
    callback=_set_lang, help="Interface language (default: settings file, then $LANG).",
)


operator_option = click.option(
    "--operator", metavar="NAME",
    help="Who is working, for the audit and 'registered by' (default: $FIELDTUI_OPERATOR, the settings, the OS user).",
)


def language_from_args(args: list[str]) -> str | None:
    """The value of a `--lang X` / `--lang=X` anywhere on the command line (before `--help` runs)."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


#: click's own option help that fieldtui's commands show (its headings, "Usage:", stay English)
CLICK_STRINGS = (N_("Show this message and exit."), N_("Show the version and exit."))


@contextlib.contextmanager
def _translated_help(command: click.Command, ctx: click.Context | None = None) -> Iterator[None]:
    """Help texts are fixed at import; show them in the current language while help is written.

    Docstrings and `help=` strings are extracted by tools.i18n_extract, so they need no `_()`.
    """
    from fieldtui.i18n import _

    saved = [(command, "help", command.help), (command, "short_help", command.short_help)]
    params = command.get_params(ctx) if ctx is not None else command.params
    saved += [(param, "help", getattr(param, "help", None)) for param in params]
    try:
        for owner, attr, text in saved:
            if text:
                setattr(owner, attr, _(inspect.cleandoc(text)))
        yield
    finally:
        for owner, attr, text in saved:
            setattr(owner, attr, text)


class TranslatedHelp:
    """Mixin for click commands and groups: --help and command lists in the chosen language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self, ctx):  # type: ignore[arg-type]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]


class TranslatedCommand(TranslatedHelp, click.Command):
    pass


class TranslatedGroup(TranslatedHelp, click.Group):
    command_class = TranslatedCommand
    group_class = type  # subgroups are TranslatedGroups too
