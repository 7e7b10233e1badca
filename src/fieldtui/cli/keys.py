"""`fieldtui keys init | use | identity | show`: headquarters' key pair and who keeps which half."""

from __future__ import annotations

import click

from fieldtui.cli import main
from fieldtui.cli.common import TranslatedGroup, lang_option, say


@main.group("keys", cls=TranslatedGroup)
def keys_group() -> None:
    """Headquarters' key pair: exports sealed on field laptops open only at headquarters."""


@keys_group.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@lang_option
def init_cmd(folder: str) -> None:
    """Make headquarters' key pair in FOLDER: hq-identity.txt (secret) and hq-public.txt."""
    from fieldtui.core.exchange import keys
    from fieldtui.i18n import _

    identity, public = keys.init(folder)
    say(_("Wrote {identity} (secret: keep it at headquarters, with a backup) and {public}.").format(
        identity=identity, public=public))
    say(_("On each field laptop: fieldtui keys use {public}").format(public=public.name))
    say(_("Here: fieldtui merge --identity {identity} HQ.db FILES, or fieldtui keys identity {identity}"
          ).format(identity=identity))


@keys_group.command("use")
@click.argument("file_or_text")
@lang_option
def use_cmd(file_or_text: str) -> None:
    """Seal this laptop's exports to headquarters' public key (hq-public.txt, or its text)."""
    from fieldtui.core import settings
    from fieldtui.core.exchange import keys
    from fieldtui.i18n import _

    public = keys.recipient(file_or_text)
    settings.save_setting(keys.PUBLIC_KEY_SETTING, public)
    click.echo(_("Exports from this computer are now sealed to {key}.").format(key=public))


@keys_group.command("identity")
@click.argument("file", type=click.Path(dir_okay=False))
@lang_option
def identity_cmd(file: str) -> None:
    """At headquarters: open sealed exports with FILE when merging (app and CLI)."""
    from pathlib import Path

    from fieldtui.core import settings
    from fieldtui.core.exchange import keys
    from fieldtui.i18n import _

    path = Path(file).expanduser().resolve()
    keys.identities(path)  # one line unless it holds an identity
    settings.save_setting(keys.IDENTITY_SETTING, str(path))
    say(_("Merges on this computer open sealed exports with {path}.").format(path=path))


@keys_group.command("show")
@lang_option
def show_cmd() -> None:
    """Print the keys this computer uses (the public key exports are sealed to, the identity file)."""
    from fieldtui.core import settings
    from fieldtui.core.exchange import keys
    from fieldtui.i18n import _

    public = settings.setting(keys.PUBLIC_KEY_SETTING)
    identity = settings.setting(keys.IDENTITY_SETTING)
    click.echo(_("Exports sealed to: {key}").format(key=public or _("nobody (plain exports)")))
    say(_("Identity for merges: {path}").format(path=identity or _("none")))
