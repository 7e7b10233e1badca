"""Command line: `fieldtui [DB]` opens the app; subcommands read and move data.

A click group whose default command opens the TUI (as Posting and sqlite-utils do). Heavy
imports (Textual, the core) happen inside commands so `fieldtui --help` stays instant.
Every error a person can cause is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click
from click_default_group import DefaultGroup

from fieldtui.cli.common import (
    EXIT_USAGE,
    TranslatedCommand,
    TranslatedGroup,
    TranslatedHelp,
    fail,
    lang_option,
    operator_option,
)


class FieldGroup(TranslatedHelp, DefaultGroup):
    """Turns the core's people-facing errors into one line and exit status 2; help in the chosen language."""

    command_class = TranslatedCommand
    group_class = TranslatedGroup

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from fieldtui.cli.common import language_from_args
        from fieldtui.core.settings import resolve_language
        from fieldtui.i18n import set_language

        _tolerant_output()
        set_language(resolve_language(language_from_args(args)))  # before any --help is written
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage_error(exc, ctx)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from fieldtui.core.errors import RecordInvalid
        from fieldtui.core.store import StoreError

        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a command's own arguments: a bad date, a folder for a file...
            _usage_error(exc, ctx)
        except (StoreError, RecordInvalid) as exc:
            fail(str(exc))
        except (sqlite3.DatabaseError, UnicodeDecodeError):
            # Damage found while reading (a bad page, a mangled schema or text). SQLite's reason
            # may quote the damaged text, which can be a person's data: it is not printed.
            from fieldtui.core.errors import damaged_file_message

            fail(damaged_file_message())
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(130)


def _tolerant_output() -> None:
    """A terminal that cannot show Chinese (an English Windows console, a Latin-1 locale) gets
    "?" for what it cannot show: a CBO's name in the summary stopped every command there with a
    UnicodeEncodeError traceback, the figures cut off. The JSON escapes instead (`json_text`)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _usage_error(exc: click.UsageError, ctx: click.Context) -> NoReturn:
    """Click's own refusal of what was typed (a date that is none, an unknown option, a folder
    given for a file) as one line like every other error, not its usage, hint and error lines."""
    from fieldtui.i18n import _

    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # `fieldtui keys`: its help
        raise exc
    command = (exc.ctx or ctx).command_path
    reason = " ".join(exc.format_message().split())  # a choice's list comes on lines of its own
    fail(_("{reason} (see: {command} --help)").format(reason=reason.rstrip("."), command=command))


@click.group(cls=FieldGroup, default="open", default_if_no_args=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fieldtui")
def main() -> None:
    """fieldtui: offline field data entry for community programmes."""


@main.command("open")
@click.argument("db", required=False, type=click.Path(dir_okay=False))
@lang_option
@operator_option
def open_cmd(db: str | None, operator: str | None) -> None:
    """Open the app on DB (created if missing; default: your data folder)."""
    from fieldtui.core.settings import default_db_path
    from fieldtui.core.store import Store

    path = Path(db) if db else default_db_path()
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _no_terminal(path)
    # Fail before the screen takes over the terminal, with the same message as everywhere.
    Store.open(path, create=True).close()
    from fieldtui.tui.app import FieldApp

    app = FieldApp(path, operator=operator)
    app.run()
    if app.return_code:  # an internal error (its lines are already on stderr)
        sys.exit(app.return_code)


def _no_terminal(path: Path) -> NoReturn:
    """Without a terminal (a script, a cron job, output sent to a file) the app would run with
    nobody to see it, writing screen codes and never ending: one line instead. The file's own
    problems are said first, as everywhere, read only: nothing is created or upgraded."""
    from fieldtui.core.store import Store
    from fieldtui.i18n import _

    if path.exists():
        Store.open_readonly(path).close()
    fail(_("the app needs a terminal (its input or output is a pipe or a file): run it in one; "
           "for the figures without one: fieldtui summary {path}").format(path=path))


from fieldtui.cli import duplicates as _duplicates  # noqa: E402,F401  (registers its commands)
from fieldtui.cli import exchange as _exchange  # noqa: E402,F401  (registers its commands)
from fieldtui.cli import keys as _keys  # noqa: E402,F401  (registers its commands)
from fieldtui.cli import report as _report  # noqa: E402,F401  (registers its commands)
from fieldtui.cli import summary as _summary  # noqa: E402,F401  (registers its commands)

__all__ = ["EXIT_USAGE", "main"]
