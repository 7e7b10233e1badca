"""Headquarters on PostgreSQL: the same checked merge and the same figures as an SQLite HQ file.

  connect  a `postgresql://` URL to a connection that speaks the SQL the SQLite code writes
  dialect  the few SQLite spellings PostgreSQL reads otherwise, translated in one place
  schema   the HQ tables, built from the SQLite schema our migrations make (nothing per kind here)
  merge    checked exports (exchange/check.py, unchanged) copied in and merged by versions

psycopg (the `hq` extra) is imported only when a URL is used: an SQLite HQ never loads it.
"""

from __future__ import annotations


def is_url(text: object) -> bool:
    """True for a PostgreSQL URL where an HQ path is accepted."""
    return isinstance(text, str) and text.startswith(("postgresql://", "postgres://"))
