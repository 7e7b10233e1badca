"""`Store`: one open fieldtui file, the only way records are read and written.

Its parts live in core/records/, one capability each: base (opening, schema, transactions, the
journal), saves (writes, removal), lists (the list and search planner), people (duplicates, a
person's enrolments), drafts, audit (and each record's history), operators (who is working);
followups (checks and the due list), attendance (sessions, marks, rosters, rates), volunteers
(and their hours), redating (changes a clock set ahead dated in the future). Screens and commands call a `Store`; nothing else writes
SQL for records, except the exchange (core/exchange/), which copies whole tables between files.
"""

from __future__ import annotations

from fieldtui.core.db.connect import APPLICATION_ID
from fieldtui.core.db.migrations import SCHEMA_VERSION
from fieldtui.core.errors import (
    DiskError,
    DiskFull,
    JournalLost,
    NotFieldtuiFile,
    NotFound,
    SchemaTooNew,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
)
from fieldtui.core.kinds import RECORD_TABLES
from fieldtui.core.records.attendance import Attendances
from fieldtui.core.records.base import StoreBase
from fieldtui.core.records.dependants import Dependants
from fieldtui.core.records.drafts import Drafts
from fieldtui.core.records.followups import Followups
from fieldtui.core.records.lists import Lists
from fieldtui.core.records.operators import Operators
from fieldtui.core.records.people import People
from fieldtui.core.records.redating import Redating
from fieldtui.core.records.saves import Saves
from fieldtui.core.records.volunteers import Volunteers


class Store(StoreBase, Saves, Dependants, Lists, People, Drafts, Operators, Followups, Attendances, Volunteers,
            Redating):
    """One open fieldtui file. Create with `Store.open(path)`; use as a context manager."""


__all__ = [
    "APPLICATION_ID", "RECORD_TABLES", "SCHEMA_VERSION", "DiskError", "DiskFull", "JournalLost", "NotFieldtuiFile",
    "NotFound", "SchemaTooNew", "Store", "StoreBusy", "StoreDamaged", "StoreError", "StoreReadOnly",
]
