"""The schema's history: one frozen `.sql` text per version, applied by `apply()` everywhere.

`PRAGMA user_version` is the number of scripts a file has seen. A script is never edited once
released (a file written by it exists somewhere); a change is a new script. One exception,
2026-12-01: 0009 and 0011 pass names to the key functions as bytes (`CAST(... AS BLOB)`), as
`pinyin.refresh_keys` does. A name that is not UTF-8 (overwritten with the sqlite3 program)
stopped the upgrade, so the file could not be opened at all; for every other name the keys, and
the schema, are the same as before, so no file upgraded by the old text differs. Exports rebuild
their expected schema from the same texts (exchange/schema.py), the benchmarks key their cached
files by them. Statements are split with `sqlite3.complete_statement`, so a `;` inside a string
or a trigger body cannot cut one in two.

1. 0001_first_release: meta, cbos, participants, trainings, after_school, other_programmes,
   placements (every record: created_at, updated_at, deleted as a tombstone flag).
2. 0002_consent_audit_phone: guardian consent (PIPL: children under 14), the audit trail, phone
   search, date filters.
3. 0003_exchange: what headquarters has merged (core/exchange/versions.py has the semantics).
   merges: one row per export merged (re-merging it is a no-op); row_versions: every version of
   every row seen, per device (a device's history is linear: that is how "newer" is known), with
   device -> devices.seq and export -> merges.seq (0: headquarters' own edit), small on purpose;
   row_data: the content of versions that lost to another device's (kept for review);
   conflicts: the current unresolved conflicts, both versions as JSON.
4. 0004_drafts: drafts of unsaved forms, offered again after a crash. Personal data: they live
   only in this file, are never audited or exported, and go when the form is saved or discarded.
5. 0005_speed: speed at 1M participants (benchmarks/): covering indexes for the summary's
   per-person probes and enrolment -> person lookups, a BINARY name index that gives lists their
   order, NOCASE indexes for the other prefix-searched columns. Each replaced index is a prefix of
   its successor. No triggers (merged files stay inert).
6. 0006_field_history: field_changes, one row per change of one field (table, row, field, the
   version it made and the version it was made on; stamps only, no values), so copies of one
   file edited apart are told apart by their history, not by a claimed device id;
   field_conflicts: each side's value of a field changed two ways, kept for review.
7. 0007_merge_by_field: the device that made each field version (shown in conflict review);
   the row-level tables of 0003 (row_versions, row_data, conflicts, devices) go: the merge
   reads field_changes (core/exchange/versions.py).
8. 0008_operators_history: audit_changes, each audit row's fields with their old and new values
   (JSON, keyed by audit.seq: personal data, so in this file only, never exported); operators,
   the people who work on this file (a name, an optional PIN as a salted scrypt hash). New
   tables only, so older exports still upgrade (they have no audit table to alter).
9. 0009_pinyin_keys: `participant_keys`, each person's name in pinyin order and their pinyin and
   initials for search (core/pinyin.py), filled for the people already there by SQL functions
   `apply()` registers on the connection. Local to the file like `audit` (not a record table:
   never exported, merged or checked), kept current by every write of a person.
10. 0010_outcomes: what happened after the programmes (core/models/outcomes.py): followups (a
   placement checked 3/6/12 months on), sessions and attendance (after-school; a session not held
   has no marks), volunteers and volunteer_hours. Indexes for the follow-ups due list (placements
   walked by start date, checks looked up per placement), the figures at 1M (a person's traits
   beside their id for the breakdowns; a placement's start and wage beside its training for the
   medians; attendance per child) and the new lists. placements_live and participants_key are
   prefixes of their successors.
11. 0011_duplicates: one person counted once (core/duplicates/): `duplicate_decisions` (a pair
   of people in id order, 'same' or 'different', when, who; exchanged), `participants.merged_into`
   (a person merged into another: a tombstone pointing at the one kept), and two blocking keys
   in `participant_keys` (birth year beside the initials; `bag`, the syllables sorted, so
   王二小 meets 王小二), filled by SQL functions like those of 0009.
12. 0012_search_keys: a search walks the list in pinyin order and tests each person against what
   was typed; the walk's index now holds the initials, pinyin and phone beside the sort key
   (phone copied into `participant_keys`), so a person is read only when they match: "138" at 1M
   walked ~13,000 people through their rows (~90 ms), now through the index alone. The pinyin
   and initials indexes of 0009 go (0011's, with the birth year, serve the same ranges).
13. 0013_keys_follow_edits: the first triggers. A person's keys are deleted when their name, birth
   year, phone or id changes, or a row is inserted under their id, whoever writes it: a name
   corrected with the sqlite3 program kept its old keys, so a search for the new name found
   nobody. The app's own writes key the person again in the same transaction; a person left
   without keys is keyed at the next start (records/lists.py `key_unkeyed_people`). The store
   refuses any other trigger (`our_triggers`); exports carry none.
14. 0014_records_kept: every record table refuses a DELETE, whoever runs it (the sqlite3
   program, a database browser, a script): fieldtui removes a record by marking it, a tombstone
   the next export carries; a row deleted outright left nothing to carry, so headquarters, which
   had it from an earlier export, counted it for ever. Duplicate decisions too (headquarters keeps
   every decision: a pair decided different was asked again on the laptop alone). The app never
   deletes either. Nor does a record's id change: headquarters knows a record by it, and a person
   renumbered with sqlite3 came in as a second person beside the first. A trigger of ours
   dropped outside fieldtui is made again when a writer opens the file (`restore_triggers`).
   Exports carry none, so an export of 14 has the schema of 13.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from importlib import resources

#: The scripts in order; SCRIPTS[n] takes a file from version n to n + 1.
SCRIPTS: tuple[str, ...] = tuple(
    entry.read_text(encoding="utf-8")
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name)
    if entry.name.endswith(".sql")
)
SCHEMA_VERSION = len(SCRIPTS)


def statements(script: str) -> list[str]:
    """The complete SQL statements of a script, in order."""
    out, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError("a migration script ends inside a statement")
    return out


def apply(conn: sqlite3.Connection, start: int, end: int = SCHEMA_VERSION,
          transaction: Callable[[], AbstractContextManager] | None = None) -> None:
    """Run scripts `start`..`end - 1` on `conn`, each with its version stamp, each inside
    `transaction()` (the store's BEGIN IMMEDIATE) or, without one, in the caller's own.
    A script another process applied meanwhile (two programs opening one older or new file at
    once) is skipped: the version is read again under the write lock.
    The SQL functions scripts call (core/pinyin.py) are registered on `conn` first."""
    from fieldtui.core import pinyin

    pinyin.register(conn)
    for n in range(start, end):
        with transaction() if transaction is not None else nullcontext():
            if conn.execute("PRAGMA user_version").fetchone()[0] > n:
                continue
            for statement in statements(SCRIPTS[n]):
                conn.execute(statement.rstrip(";"))
            conn.execute(f"PRAGMA user_version = {n + 1}")


def restore_triggers(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager]) -> None:
    """Make again each of our triggers the file lacks (dropped with the sqlite3 program, as one
    does to delete a row anyway): a file opened by the app is guarded again. Every trigger a
    script made is still in today's schema (none was dropped by a later script). Nothing is
    written when none is missing, so opening a file leaves it as it is."""
    if len(present(conn)) == len(our_triggers()):
        return
    with transaction():
        have = present(conn)  # read again under the write lock: another program may have made them
        for name, sql in sorted(our_triggers()):
            if name not in have:
                conn.execute(sql)


def present(conn: sqlite3.Connection) -> set[str]:
    """The names of the triggers a file holds."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")}


@cache
def our_triggers() -> frozenset[tuple[str, str]]:
    """(name, SQL with white space folded) of each trigger the scripts make: the only triggers a
    file may hold (records/base.py), byte for byte, so a trigger written under one of these names
    with another body is refused like any foreign one."""
    found = set()
    for script in SCRIPTS:
        for statement in statements(script):
            words = statement.split()
            if [w.upper() for w in words[:2]] == ["CREATE", "TRIGGER"]:
                found.add((words[2], " ".join(statement.rstrip(";").split())))
    return frozenset(found)


@cache
def table_names() -> frozenset[str]:
    """Every table name any version of the schema has had (a view by one of these names in a
    file is not fieldtui's: records/base.py refuses it). Built once, only when a file has views."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    names: set[str] = set()
    try:
        for n in range(SCHEMA_VERSION):
            apply(conn, n, n + 1)
            names.update(r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"))
    finally:
        conn.close()
    return frozenset(names)
