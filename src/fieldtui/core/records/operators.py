"""The people who work on this file, so every change has a name behind it (not the OS user a
shared laptop logs in as), each with an optional PIN.

A PIN is kept only as a salted scrypt hash (2^14 rounds: about 50 ms to check, costly to guess
in bulk), never in clear. It stops a colleague choosing your name in the app; it is no defence
against someone who can edit the file itself, who could write any audit row anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata

from fieldtui.core.errors import StoreError
from fieldtui.i18n import _

MAX_NAME = 60
MIN_PIN = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def operator_name(text: str) -> str:
    """A name fit for the audit (trimmed, one line, not too long); one line saying why not."""
    name = " ".join(str(text).split())
    if not name:
        raise StoreError(_("give the operator's name"))
    if len(name) > MAX_NAME:
        raise StoreError(_("an operator's name is at most {n} characters").format(n=MAX_NAME))
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise StoreError(_("an operator's name cannot hold control characters"))
    return name


def _pin_hash(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, **_SCRYPT).hex()


class Operators:
    """Named operators of a file, and who is working now (`self.operator`)."""

    def operators(self) -> list[tuple[str, bool]]:
        """(name, has a PIN) of everyone who works on this file, by name."""
        return [(str(n), p is not None) for n, p in self.conn.execute(
            "SELECT name, pin_hash FROM operators ORDER BY name COLLATE NOCASE")]

    def add_operator(self, name: str, pin: str | None = None) -> str:
        """Register someone (a PIN of at least MIN_PIN characters, or none); returns the name as kept."""
        name = operator_name(name)
        if pin is not None and len(pin) < MIN_PIN:
            raise StoreError(_("a PIN has at least {n} characters").format(n=MIN_PIN))
        salt = os.urandom(16) if pin else None
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM operators WHERE name = ?", (name,)).fetchone():
                raise StoreError(_("{name} is already an operator of this file").format(name=name))
            self.conn.execute(
                "INSERT INTO operators (name, pin_salt, pin_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, salt.hex() if salt else None, _pin_hash(pin, salt) if pin and salt else None, self.clock()))
        return name

    def sign_in(self, name: str, pin: str | None = None) -> str:
        """Work as `name` from now on (its PIN checked, if it has one); returns the name as kept."""
        row = self.conn.execute("SELECT name, pin_salt, pin_hash FROM operators WHERE name = ?",
                                (operator_name(name),)).fetchone()
        if row is None:
            raise StoreError(_("{name} is not an operator of this file").format(name=name))
        kept, salt, stored = row
        if stored is not None:
            try:
                given = _pin_hash(pin or "", bytes.fromhex(salt))
            except (TypeError, ValueError):  # a damaged salt: no PIN can match
                given = ""
            if not hmac.compare_digest(given, str(stored)):
                raise StoreError(_("wrong PIN for {name}").format(name=kept))
        self.operator = str(kept)
        return self.operator

    def needs_pin(self, name: str) -> bool:
        """Whether `name` is an operator of this file with a PIN (so not to be taken on trust)."""
        return self.conn.execute("SELECT 1 FROM operators WHERE name = ? AND pin_hash IS NOT NULL",
                                 (name,)).fetchone() is not None

    def has_operators(self) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM operators)").fetchone()[0] == 1
