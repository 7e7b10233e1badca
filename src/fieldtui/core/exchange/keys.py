"""Headquarters' key pair: a public key field laptops seal exports to, an identity that opens them.

age's X25519 keys (through pyrage): the public key is one short line ("age1…") that can travel
by chat or on paper; the identity ("AGE-SECRET-KEY-1…") stays at headquarters, in a 0600 file
in the format `age-keygen` writes, so the `age` tool opens the same files. A field laptop keeps
only the public key (in its settings); a file that holds an identity is refused there, so the
secret cannot end up on a laptop by mistake.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldtui.core import settings
from fieldtui.core.clock import utc_now
from fieldtui.core.db import files as db_files
from fieldtui.core.errors import StoreError
from fieldtui.i18n import _

IDENTITY_FILE = "hq-identity.txt"
PUBLIC_FILE = "hq-public.txt"
RECIPIENT_PREFIX = "age1"
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"
#: The settings (config.toml): a field laptop's copy of headquarters' public key; at
#: headquarters, where its identity file is (for merges in the app and the CLI).
PUBLIC_KEY_SETTING = "hq_public_key"
IDENTITY_SETTING = "hq_identity_file"
#: A key file is a few lines; anything longer is not one (and is not read whole).
MAX_KEY_FILE_BYTES = 64 * 1024


def init(folder: str | os.PathLike) -> tuple[Path, Path]:
    """Make headquarters' key pair in `folder` (created 0700 if missing); never overwrites one
    (every export sealed to a lost identity is lost with it). Returns (identity, public) paths."""
    from pyrage import x25519

    folder = Path(folder)
    identity_path, public_path = folder / IDENTITY_FILE, folder / PUBLIC_FILE
    for path in (identity_path, public_path):
        if path.exists():
            raise StoreError(_("{path} exists already: headquarters' keys are never replaced "
                               "(exports sealed to them could no longer be opened)").format(path=path))
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        identity = x25519.Identity.generate()
        public = str(identity.to_public())
        db_files.write_private_text(identity_path, (
            f"# created: {utc_now()[:19]}Z\n# public key: {public}\n"
            f"# headquarters' identity: keep it at headquarters, never on a field laptop\n{identity}\n"))
        db_files.write_private_text(public_path, public + "\n")
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, folder, _("the keys were not made"))) from None
    return identity_path, public_path


def _key_lines(path: Path) -> list[str]:
    """The non-comment lines of a small key file; one line if it cannot be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, path, _("no key was read"))) from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise StoreError(_("{path} is too large to be a key file").format(path=path))
    text = data.decode("utf-8", errors="replace")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def recipient(file_or_text: str) -> str:
    """Headquarters' public key from its text ("age1…") or a file holding it (hq-public.txt);
    one line if it is neither, or if it is the secret identity."""
    from pyrage import x25519

    text = file_or_text.strip()
    if text.upper().startswith(IDENTITY_PREFIX):
        raise StoreError(_("that is headquarters' secret identity, which never leaves headquarters: "
                           "give its public key (hq-public.txt)"))
    if not text.startswith(RECIPIENT_PREFIX):
        lines = _key_lines(Path(text).expanduser())
        if any(line.upper().startswith(IDENTITY_PREFIX) for line in lines):
            raise StoreError(_("{path} is headquarters' secret identity, which never leaves headquarters: "
                               "give its public key (hq-public.txt)").format(path=text))
        keys = [line for line in lines if line.startswith(RECIPIENT_PREFIX)]
        if len(keys) != 1:
            raise StoreError(_("{path} does not hold one public key (a line starting age1)").format(path=text))
        text = keys[0]
    try:
        return str(x25519.Recipient.from_str(text))
    except Exception:  # noqa: BLE001 - pyrage's RecipientError: the text is not a key
        raise StoreError(_("not a public key: it should be one line starting age1")) from None


def identities(path: str | os.PathLike) -> list[str]:
    """The identities in headquarters' identity file, as text (what the check worker is sent);
    one line if the file holds none."""
    from pyrage import x25519

    path = Path(path).expanduser()
    found = [line for line in _key_lines(path) if line.upper().startswith(IDENTITY_PREFIX)]
    try:
        for line in found:
            x25519.Identity.from_str(line)
    except Exception:  # noqa: BLE001 - pyrage's IdentityError: a damaged line
        raise StoreError(_("{path} holds a damaged identity").format(path=path)) from None
    if not found:
        raise StoreError(_("{path} holds no identity (a line starting AGE-SECRET-KEY-1)").format(path=path))
    return found


def export_recipient(to: str | None = None, plain: bool = False) -> str | None:
    """Whom an export is sealed to: `to` (a key or its file), nobody if `plain`, else the public
    key in the settings; None means a plain export."""
    if to and plain:
        raise StoreError(_("an export is either sealed to a key (--to) or plain (--plain), not both"))
    if plain:
        return None
    if to:
        return recipient(to)
    configured = settings.setting(PUBLIC_KEY_SETTING)
    return recipient(configured) if configured else None


def merge_identities(identity_file: str | os.PathLike | None = None) -> list[str]:
    """The identities a merge may open sealed files with: `identity_file`, else the one named in
    the settings, else none (a sealed file is then refused in one line)."""
    path = identity_file or settings.setting(IDENTITY_SETTING)
    return identities(path) if path else []
