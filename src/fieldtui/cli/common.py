"""Pieces every command shares: the error exit, the --lang option."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 2: the contract for every error a person can cause."""
    click.echo(f"fieldtui: error: {message}", err=True)
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
