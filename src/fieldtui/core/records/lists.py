"""The list and search planner: one page of any list by keyset, at the same cost at 10k or 1M.

Lists page by keyset (`WHERE (sort, id) > (?, ?) ORDER BY sort, id LIMIT n`), never OFFSET.
Search means "a search column starts with the text" (case-insensitive, wildcards literal), or
the name's pinyin or initials start with the letters typed ("wangjianguo", "wjg":
core/pinyin.py), answered per column through its own index; lists of people are in pinyin
order; `count(..., limit=n)` stops at n + 1 so a list shows "10,000+" without counting a million
rows. What each list selects lives in core/kinds.py.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from fieldtui.core import kinds, pinyin
from fieldtui.core.formatting import half_width
from fieldtui.core.kinds import ListSpec

#: A record id as fieldtui writes them (core/ids.py: UUID text), wherever it is in a pasted line.
_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

#: The table alias a search column reads: "k" of k.pinyin, "v" of fieldtui_pinyin(v.full_name).
_ALIAS = re.compile(r"(\w+)\.")
#: Above this many index matches a search walks the list in sort order instead (see page()).
SEARCH_INDEX_CAP = 2000
_AFTER = pinyin.AFTER  # "starts with x" is the key range [x, x + _AFTER)
#: First syllables read for initials before walking the letter's whole stretch instead.
MAX_SYLLABLES = 80


#: An initials arm: one stretch of the name order, filtered by the initials typed.
_INITIALS_STRETCH = [f"{kinds.NAME_SORT} >= ?", f"{kinds.NAME_SORT} < ?", "+k.initials >= ?", "+k.initials < ?"]


class _Arm(NamedTuple):
    """One query of a search: its conditions and params; `ranged` when they already bound the
    walk to one stretch of the order; `stretch`: where that stretch starts, for arms whose
    stretches never overlap (read in order until a page is full)."""

    conds: list[str]
    params: list[Any]
    ranged: bool
    stretch: str | None = None


def _like_prefix(search: str) -> str:
    """A LIKE pattern for "starts with `search`", its wildcards taken literally (ESCAPE '\\')."""
    return search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Lists:
    """Pages and counts of the lists people browse and search."""

    def _where(self, spec: ListSpec, cbo_id: str | None, include_deleted: bool) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if not include_deleted:
            where.append(f"{spec.table_alias}.deleted = 0")
        if cbo_id:
            where.append(f"{spec.cbo_column} = ?")
            params.append(cbo_id)
        return where, params

    def _search_parts(self, spec: ListSpec, search: str) -> list[tuple[str, str, list[Any]]]:
        """Search = "one of the search columns starts with the text" (case-insensitive, wildcards
        literal). One part per column: (column, condition, params), each condition answerable
        from one index: NOCASE-indexed columns by LIKE, BINARY-indexed ones (ids: lower-case hex;
        phones: digits) by a key range with LIKE kept for exactness."""
        like = _like_prefix(search)
        parts = []
        letters = pinyin.query_letters(search) if "p.full_name" in spec.search or spec.name_keys else None
        if letters:  # pinyin ("wangjianguo") and initials ("wjg"): key ranges of their own indexes
            # (one letter: the names whose initials start with it are those whose pinyin does)
            keyed = ("k.pinyin", "k.initials") if spec.name_keys is None else (
                f"fieldtui_pinyin({spec.name_keys})", f"fieldtui_initials({spec.name_keys})")
            for col in keyed if len(letters) > 1 else keyed[:1]:
                parts.append((col, f"{col} >= ? AND {col} < ?", [letters, letters + _AFTER]))
        for col in spec.search:
            if col in kinds.NOCASE_INDEXED or spec.table_alias == "c":
                parts.append((col, f"{col} LIKE ? ESCAPE '\\'", [like]))
            else:  # ids and phones are ASCII: "１３８" typed in full width (全角) reads as "138"
                text = half_width(search)
                low = text.lower() if col.endswith(".id") else text
                parts.append((col, f"{col} >= ? AND {col} < ? AND {col} LIKE ? ESCAPE '\\'",
                              [low, low + "\U0010ffff", _like_prefix(text)]))
        return parts

    def _from(self, spec: ListSpec) -> str:
        return spec.select[spec.select.index(" FROM "):]

    def _counted_from(self, spec: ListSpec, conds: list[str] | None = None) -> str:
        """The list's FROM for finding and counting rows: every person has their CBO (a foreign
        key), so the CBO's row is joined only where a CBO column is searched (one lookup less per
        row: a capped count of "w" at 1M 28 -> 18 ms). With `conds`, for finding matches only
        (the rows shown still join the keys): the keys joined only where a condition reads them
        (a capped count of "王" at 1M 11 -> 4 ms); and an enrolment's keys joined on its own
        person column, without the person's row, where no condition reads that row (a pinyin or
        initials search: one lookup less per row, a capped count of "zz" at 1M 7.1 -> 3.75 ms)."""
        frm = self._from(spec)
        if not any(col.startswith("c.") for col in spec.search):
            frm = frm.replace(" JOIN cbos c ON c.id = p.cbo_id", "")
        if conds is not None and not any("k." in cond for cond in conds):
            frm = frm.replace(kinds.KEYS_JOIN, "")
        elif conds is not None and not any("p." in cond for cond in conds):
            a = spec.table_alias
            frm = frm.replace(f" JOIN participants p ON p.id = {a}.participant_id{kinds.KEYS_JOIN}",
                              f" JOIN participant_keys k ON k.participant_id = {a}.participant_id")
        return frm

    def _matches(self, spec: ListSpec, parts: list[tuple[str, str, list[Any]]]) -> tuple[str, list[Any]]:
        """A subquery of the rowids matching any part (a UNION of index lookups)."""
        sql = " UNION ".join(f"SELECT {spec.table_alias}.rowid {self._counted_from(spec, [cond])} WHERE {cond}"
                             for _, cond, _ in parts)
        return sql, [p for _, _, ps in parts for p in ps]

    def page(self, kind: str, *, search: str = "", cbo_id: str | None = None, sort: str | None = None,
             descending: bool = False, after: tuple[Any, str] | None = None, limit: int = 200,
             include_deleted: bool = False, only: str | None = None) -> list[dict[str, Any]]:
        """One page of a list, by keyset: rows after `after` = (sort value, id) of the last row seen.

        A search is answered per column: columns with few matches (at most SEARCH_INDEX_CAP in
        their index) are looked up and sorted; a column with many is filtered while walking the
        list in sort order, which finds a page within a few thousand rows. Each arm returns one
        page and the arms are merged, so a keystroke costs about the same at 10k and 1M rows.
        `only`: just that row, if the list and its search hold it (with its sort value)."""
        spec = kinds.kind(kind).list
        sort_expr = spec.sorts[sort or spec.default_sort]
        key = f"{spec.table_alias}.id"
        where, params = self._where(spec, cbo_id, include_deleted)
        if only is not None:
            where.append(f"{key} = ?")
            params.append(only)
        if after is not None:
            where.append(f"({sort_expr}, {key}) {'<' if descending else '>'} (?, ?)")
            params += list(after)
        order = "DESC" if descending else "ASC"
        arms = self._arms(spec, search.strip(), sort_expr)
        stretches = sorted((a for a in arms if a.stretch is not None), key=lambda a: a.stretch, reverse=descending)
        rows = self._union(spec, [a for a in arms if a.stretch is None], where, params, sort_expr, order, limit,
                           after is not None)
        if not stretches:
            return rows
        # Stretches of the order that do not overlap: read in order, each only while the page is
        # not full ("zz": "zhang z…" alone usually fills it, the other 7 first syllables are not read).
        found: list[dict[str, Any]] = []
        for arm in stretches:
            if len(found) >= limit:
                break
            found += self._union(spec, [arm], where, params, sort_expr, order, limit - len(found), True)
        both = {r["id"]: r for r in rows + found}.values()  # a row an index arm found too, once
        return sorted(both, key=lambda r: (r["_sort"], r["id"]), reverse=descending)[:limit]

    def _union(self, spec: ListSpec, arms: list[_Arm], where: list[str], params: list[Any], sort_expr: str,
               order: str, limit: int, after: bool) -> list[dict[str, Any]]:
        """The first `limit` rows of the union of `arms`, each arm one query with its own LIMIT."""
        if not arms:
            return []
        key = f"{spec.table_alias}.id"
        selects, all_params = [], []
        for extra, ps, ranged, _ in arms:
            conds = where + extra
            walk = sort_expr == kinds.NAME_SORT and not any(c.startswith(f"{spec.table_alias}.rowid IN")
                                                            for c in extra)
            if walk and not after and not ranged:
                # Always true (sort keys are NOT NULL text), but it tells the planner to walk the
                # name index in order and stop after one page instead of sorting every row.
                conds = [*conds, f"{sort_expr} < x''" if order == "DESC" else f"{sort_expr} >= ''"]
            select = spec.select
            if walk and spec.name_walk_from:
                select = select[:select.index(" FROM ")] + spec.name_walk_from
            selects.append(f"SELECT * FROM (SELECT {sort_expr} AS _sort, {select[len('SELECT '):]}"
                           f"{' WHERE ' + ' AND '.join(conds) if conds else ''} "
                           f"ORDER BY {sort_expr} {order}, {key} {order} LIMIT ?)")
            all_params += [*params, *ps, limit]
        if len(selects) == 1:
            sql = selects[0]
        else:
            sql = " UNION ".join(selects) + f" ORDER BY _sort {order}, id {order} LIMIT ?"
            all_params.append(limit)
        return [dict(r) for r in self.conn.execute(sql, all_params)]

    def _arms(self, spec: ListSpec, search: str, sort_expr: str) -> list[_Arm]:
        """The queries a search needs: one for the columns with few matches (an index lookup),
        one or more per column with many (a filter on the walk in sort order)."""
        if not search:
            return [_Arm([], [], False)]
        arms: list[_Arm] = []
        few, many = [], []
        for part in self._search_parts(spec, search):
            col, cond, ps = part
            # Counted in the column's own table and index (no joins): a cheap estimate that
            # only picks the faster path; either path returns the same rows.
            alias = _ALIAS.search(col).group(1)  # type: ignore[union-attr]  # "v" of fieldtui_pinyin(v.full_name)
            found = self.conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {kinds.ALIAS_TABLE[alias]} {alias} WHERE {cond} "
                f"LIMIT {SEARCH_INDEX_CAP + 1})", ps).fetchone()[0]
            (many if found > SEARCH_INDEX_CAP and spec.table_alias != "c" else few).append(part)
        if few:
            sql, ps = self._matches(spec, few)
            arms.append(_Arm([f"{spec.table_alias}.rowid IN ({sql})"], ps, True))
        for col, cond, ps in many:
            letters = pinyin.query_letters(search) or ""
            if col == "k.initials" and sort_expr == kinds.NAME_SORT and len(letters) > 1:
                arms += self._initials_arms(letters, ps)
                continue
            arms += self._walk_arms(col, cond, ps, search, sort_expr)
        if len({tuple(a.conds) for a in arms if a.stretch is not None}) > 1:
            # stretches of two columns may overlap each other: every arm in one union then
            return [a._replace(stretch=None) for a in arms]
        return arms

    def _initials_arms(self, letters: str, ps: list[Any]) -> list[_Arm]:
        """Initials of two letters or more ("zz", "wjg") with many matches: a name's second
        syllable follows its first after a space, so the matches lie in one narrow stretch per
        first syllable ("zhang z…", "zhao z…"). Those syllables are read by hopping the sort-key
        index (one lookup each, a few dozen per letter) rather than walking the whole letter."""
        first, arms = letters[0], []
        at = first
        for _ in range(MAX_SYLLABLES):
            row = self.conn.execute("SELECT sort_key FROM participant_keys WHERE sort_key >= ? AND sort_key < ? "
                                    "ORDER BY sort_key LIMIT 1", (at, first + _AFTER)).fetchone()
            if row is None:
                return arms
            head = row[0].split(pinyin.SEPARATOR, 1)[0].split(" ", 1)[0]
            lo = f"{head} {letters[1]}"
            arms.append(_Arm(_INITIALS_STRETCH, [lo, lo + _AFTER, *ps], True, lo))
            at = head + " " + _AFTER
        # more first syllables than Mandarin has (Latin names): the letter's whole stretch
        return [_Arm(_INITIALS_STRETCH, [first, first + _AFTER, *ps], True)]

    @staticmethod
    def _walk_arms(col: str, cond: str, ps: list[Any], search: str, sort_expr: str) -> list[_Arm]:
        """A search column with many matches, filtered while walking the list in sort order. In
        pinyin order its matches lie in a few stretches of the walk (core/pinyin.py): a name's
        pinyin in `pinyin_ranges`, its initials within its first letter, a name that starts with
        Chinese characters where the pinyin of those characters starts its sort key."""
        if sort_expr == kinds.NAME_SORT:
            letters = pinyin.query_letters(search)
            if col == "k.pinyin" and letters:
                return [_Arm([f"{sort_expr} >= ?", f"{sort_expr} < ?", "+k.pinyin >= ?", "+k.pinyin < ?"],
                             [lo, hi, *ps], True, lo) for lo, hi in pinyin.pinyin_ranges(letters)]
            if col == "k.initials" and letters:
                return [_Arm(_INITIALS_STRETCH, [letters[0], letters[0] + _AFTER, *ps], True)]
            prefix = pinyin.han_prefix(search) if col == "p.full_name" else None
            if prefix:
                return [_Arm([f"+{col} LIKE ? ESCAPE '\\'", f"{sort_expr} >= ?", f"{sort_expr} < ?"],
                             [_like_prefix(search), prefix, prefix + _AFTER], True)]
            if col == "p.phone":  # tested in the walk's own index (a copy in participant_keys)
                return [_Arm(["+k.phone >= ?", "+k.phone < ?", "+k.phone LIKE ? ESCAPE '\\'"], ps, False)]
        if col.startswith("k."):  # "+": a filter on the walk, not an index
            return [_Arm([f"+{col} >= ?", f"+{col} < ?"], ps, False)]
        return [_Arm([f"+{col} LIKE ? ESCAPE '\\'"], [_like_prefix(search)], False)]

    def count(self, kind: str, *, search: str = "", cbo_id: str | None = None,
              include_deleted: bool = False, limit: int | None = None) -> int:
        """Rows in a list; with `limit`, stop counting past it and return limit + 1 (a list shows
        "10,000+"), which keeps opening and searching a list flat in the size of the file."""
        spec = kinds.kind(kind).list
        where, params = self._where(spec, cbo_id, include_deleted)
        from_part = self._counted_from(spec)
        search = search.strip()

        def counted(conds: list[str], ps: list[Any], frm: str = from_part) -> int:
            sql = f"SELECT 1 {frm}{' WHERE ' + ' AND '.join(conds) if conds else ''}"
            if limit is not None:
                sql += f" LIMIT {int(limit) + 1}"
            return self.conn.execute(f"SELECT count(*) FROM ({sql})", ps).fetchone()[0]

        if not search:
            if limit is None and not cbo_id and spec.table_alias != "c":
                # Every row joins exactly one person and CBO (foreign keys), so count the table alone.
                return counted(where, params, f" FROM {kinds.kind(kind).table} {spec.table_alias}")
            return counted(where, params)
        parts = self._search_parts(spec, search)
        if limit is not None:
            for _, cond, ps in parts:  # one column alone past the limit: no need for the union
                if counted([*where, cond], [*params, *ps], self._counted_from(spec, [*where, cond])) > limit:
                    return limit + 1
        sql, ps = self._matches(spec, parts)
        return counted([*where, f"{spec.table_alias}.rowid IN ({sql})"], [*params, *ps])

    def trainee_choices(self, search: str = "", cbo_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Live (non-dropped) trainees for the placement form's picker."""
        rows = self.page("trainees", search=search, cbo_id=cbo_id, limit=limit)
        return [r for r in rows if r["status"] != "dropped"]

    def find_record(self, text: str) -> tuple[str, str, bool] | None:
        """The record whose id `text` is, or holds (a headquarters refusal pasted whole: "after_school
        row 0190… breaks a rule", which names no one), in whichever record table: (table, id,
        removed), or None. One lookup by key per table."""
        found = _ID.search(text)
        row_id = found.group(0) if found else text.strip()
        for table in kinds.RECORD_TABLES:
            row = self.conn.execute(f"SELECT deleted FROM {table} WHERE id = ?", (row_id,)).fetchone()
            if row is not None:
                return table, row_id, bool(row[0])
        return None

    def unkeyed_people(self) -> bool:
        """Whether the pinyin keys, by which lists order and search people, miss someone (or
        still hold someone no longer here): people written into the file by another program (the
        sqlite3 program, a database browser) have none, so no list would show them, though the
        figures count them; a name, birth year or phone changed by another program loses its keys
        too (the triggers of migration 0013), or search would miss it. Two counts, ~30 ms at 1M:
        asked by a worker at start."""
        people = self.conn.execute("SELECT count(*) FROM participants").fetchone()[0]
        return people != self.conn.execute("SELECT count(*) FROM participant_keys").fetchone()[0]

    def keys_for_reading(self) -> bool:
        """Every person keyed before a pass that reads the keys (duplicates): a writable store
        keys the unkeyed people in the file; a read-only one (the reading commands, the app's
        readers) for its connection only (pinyin.keys_for_reading), the file untouched. Returns
        True when the keys are then read through a view whose rows are not in key order."""
        shadowed = "SELECT 1 FROM temp.sqlite_master WHERE name = 'participant_keys'"
        if self.conn.execute(shadowed).fetchone() is not None:
            return True
        if not self.unkeyed_people():
            return False
        if not self.readonly:
            self.key_unkeyed_people()
            return False
        pinyin.keys_for_reading(self.conn)
        return True

    def key_unkeyed_people(self) -> int:
        """Keys for every person who has none, and none kept for people no longer here; returns
        how many people were keyed (~0.5 s at 1M: only when `unkeyed_people`)."""
        with self.transaction():
            ids = [r[0] for r in self.conn.execute(
                "SELECT p.id FROM participants p "
                "WHERE NOT EXISTS (SELECT 1 FROM participant_keys k WHERE k.participant_id = p.id)")]
            if ids:
                pinyin.refresh_keys(self.conn, "SELECT value FROM json_each(?)", (json.dumps(ids),))
            self.conn.execute("DELETE FROM participant_keys WHERE participant_id NOT IN (SELECT id FROM participants)")
        return len(ids)
