"""After a merge wrote a file's rows: every rule holds for what it wrote, read against
headquarters' own rows (rules.py holds the rules and the file's own check). On either engine:
on PostgreSQL its SQL is translated (pg/merge.py)."""

from __future__ import annotations

import dataclasses
import sqlite3

from fieldtui.core import clock, kinds
from fieldtui.core.exchange import beside_parents
from fieldtui.core.exchange.rules import LetIn, RowCheck, check_table


def check_merged(conn: sqlite3.Connection, written: dict[str, list[str]], pseudonymised: bool, *,
                 file_checked: bool = False) -> None:
    """After a file's rows are written (inside its transaction): every rule holds for what it
    wrote, read against headquarters' own rows: an enrolment of a person not here, a birth year
    that makes a trainee 9, a placement on a training not here (one under a record removed here
    is let in, counted nowhere, as `_let_in` says). The first broken rule refuses the file
    (Refused: the transaction rolls back).

    `file_checked` (the merge; `temp.incoming` says what each of the file's rows became, and
    `written` holds only the rows settled field by field, and those duplicates.settle_same wrote): a row
    inserted exactly as the file has it, whose person (or training) is here exactly as the file
    has it and live, was validated with that same neighbour by check_rows, so it is not validated
    again (a merge of new people: ~half its time); every other row written, and every row that
    reads one written otherwise, is."""
    conn.execute("DROP TABLE IF EXISTS temp.written")
    conn.execute("CREATE TEMP TABLE written (tbl TEXT NOT NULL, id TEXT NOT NULL, trusted INTEGER NOT NULL, "
                 "PRIMARY KEY (tbl, id)) WITHOUT ROWID")
    conn.executemany("INSERT OR IGNORE INTO temp.written VALUES (?, ?, 0)",
                     ((t, i) for t, ids in written.items() for i in ids))
    if file_checked:  # the rows inserted as the file has them (not in `written`: one SQL statement)
        # Not INSERT OR IGNORE: PostgreSQL's ON CONFLICT inserts each row speculatively (~3 s of a
        # 20-file merge); `incoming` holds each (tbl, id) once, so an anti-join is the same thing.
        # Only of the tables whose rows are read beside a neighbour (_written_or_depends): the
        # rest (sessions, marks: most of a file) would be written here for nothing.
        conn.execute("INSERT INTO temp.written SELECT i.tbl, i.id, 1 FROM temp.incoming i WHERE i.state = 'new' "
                     f"AND i.tbl IN ({', '.join(repr(t) for t in _BESIDE)}) "
                     "AND NOT EXISTS (SELECT 1 FROM temp.written w WHERE w.tbl = i.tbl AND w.id = i.id)")
    try:
        with clock.anywhere_on_earth():  # as check_rows
            for table in kinds.TABLES:
                check = RowCheck.of(table, _let_in(file_checked))
                where = _written_or_depends(table, file_checked)
                check = dataclasses.replace(check, select=f"{check.select} AND {where}", person_required=True,
                                            value_wise=False)
                check_table(conn, check, pseudonymised)
                if table.name in beside_parents.TABLES:
                    beside_parents.check_beside_parents(conn, table.name, beside_parents.at_headquarters(
                        table.name, lambda t: _touched(t, file_checked)))
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.written")


def _let_in(file_checked: bool) -> LetIn:
    """At headquarters, a row under a parent removed here is let in (counts nowhere) unless this
    file inserted it under a parent the file does not hold live (put there by hand: refused).
    Let in: a row headquarters had (the file removed its parent, or found two people one and moved
    it to the one another copy removed), and a new row whose parent the file has live (another
    copy removed it): two copies of one file, each sound, in either order."""
    if not file_checked:  # a conflict settled: no file, every row is headquarters'
        return lambda *_args: "1 = 1"
    return lambda table, alias, parent, fk: (
        f"NOT EXISTS (SELECT 1 FROM temp.incoming i WHERE i.tbl = '{table}' AND i.id = {alias}.id "
        f"AND i.state = 'new') "
        f"OR EXISTS (SELECT 1 FROM temp.incoming i WHERE i.tbl = '{parent}' AND i.id = {fk} AND i.live = 1)")


def _touched(table: str, file_checked: bool) -> str:
    """The ids of `table` the merge wrote otherwise than the file has them (not `trusted`), or
    (`file_checked`: a merge) that its file has otherwise than headquarters had them ('changed',
    whatever was kept)."""
    changed = f" UNION SELECT id FROM temp.incoming WHERE tbl = '{table}' AND state = 'changed'" if file_checked else ""
    return f"(SELECT id FROM temp.written WHERE tbl = '{table}' AND trusted = 0{changed})"


#: The tables whose rows, inserted as the file has them, are checked again when their neighbour
#: (person, training) here is not as the file has it.
_BESIDE = (*(t.name for t in kinds.TABLES if t.person_column), "placements")


def _written_or_depends(table: kinds.Table, file_checked: bool) -> str:
    """The rows of `table` to check again: written by the merge otherwise than the file has them,
    reading a row written so, or written as the file has them beside a neighbour that is not."""
    def mine(name: str, trusted: int = 0) -> str:
        return f"(SELECT id FROM temp.written WHERE tbl = '{name}' AND trusted = {trusted})"

    def as_in_file(name: str) -> str:  # here, live, and as the file has it
        return (f"(SELECT i.id FROM temp.incoming i JOIN main.{name} m ON m.id = i.id AND m.deleted = 0 "
                f"WHERE i.tbl = '{name}' AND i.state IN ('new', 'same'))")
    if table.name == "placements":
        beside = f" OR (pl.id IN {mine('placements', 1)} AND pl.training_id NOT IN {as_in_file('trainings')})"
        return (f"(pl.id IN {mine('placements')} OR pl.training_id IN {mine('trainings')}"
                f"{beside if file_checked else ''})")
    if table.person_column:
        person = f"e.{table.person_column}"
        beside = f" OR (e.id IN {mine(table.name, 1)} AND {person} NOT IN {as_in_file('participants')})"
        return (f"(e.id IN {mine(table.name)} OR {person} IN {mine('participants')}"
                f"{beside if file_checked else ''})")
    if table.name == "followups":  # a check reads its placement's start
        return f"(f.id IN {mine('followups')} OR f.placement_id IN {mine('placements')})"
    return f"id IN {mine(table.name)}"
