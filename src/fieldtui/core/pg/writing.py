"""A PostgreSQL HQ opened for a person's change (settling a conflict, exchange/conflicts.py).

The change is the SQLite code's own, run through the translating connection (connect.py); what
it asks of a store beyond a reading HQ is `transaction()`: all or nothing, and one writer at a
time as in an SQLite file. A settlement takes the lock a merge takes, so it never interleaves
with a merge settling the same field. Errors of the server or of the role are one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fieldtui.core.pg.connect import HQ, Connection, opened
from fieldtui.i18n import _


class WritingHQ(HQ):
    """A reading HQ that also changes records, in transactions."""

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.conn.transaction():
            self.conn.raw.execute("LOCK TABLE merges IN SHARE ROW EXCLUSIVE MODE")  # merge.py's: one at a time
            yield self.conn


@contextmanager
def opened_for_writing(url: str, operator: str | None = None) -> Iterator[WritingHQ]:
    """The HQ database at `url` for a change by `operator`; no HQ there yet is a StoreError."""
    refusals = (_("this PostgreSQL role may not change headquarters' records (connect as the role that merges)"),
                _("the PostgreSQL server stopped the change, so nothing was changed: {reason}"))
    with opened(url, refusals) as hq:
        yield WritingHQ(hq.conn, operator)
