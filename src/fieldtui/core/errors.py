"""Errors every layer shares, in a module without pydantic, so screens can catch them without
loading the validation models."""

from __future__ import annotations


class RecordInvalid(ValueError):
    """A record broke one or more rules. `errors` maps field path -> a message for people."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))
