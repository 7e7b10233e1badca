"""Job follow-ups: recording a check, and the list of checks due and overdue.

A placement has three checks, 3, 6 and 12 months after it started (core/schedule.py says when
each is due). Checks are not stored until they are done: the due list is computed from the
live placements and the follow-ups recorded, so nothing has to be created when a placement is
saved, imported or merged.

The due list is keyset-paged like every list. Its order is (due date, start date, placement id,
month), newest first. One arm per month walks placements by start date (index placements_start),
which is also due-date order within a month because `due_on` never decreases in the start date;
the index bounds come from `last_start_due_by`, so a page reads about a page of placements per
arm. With a CBO filter the arms start from that CBO's people instead (SQLite's own plan): walking
every placement by date and skipping other CBOs' made the capped count 40 times slower.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from fieldtui.core import clock, schedule
from fieldtui.core.errors import RecordInvalid
from fieldtui.core.lazy import lazy_module
from fieldtui.core.records.saves import _row_for, stored
from fieldtui.i18n import _, labelled

if TYPE_CHECKING:
    from fieldtui.core.models import Followup

_models = lazy_module("fieldtui.core.models")


_ROW = ("pl.id AS placement_id, {n} AS due_month, {due} AS due_on, pl.start_date AS placement_start, pl.employer, "
        "pl.job_title, pl.wage_cny AS placement_wage, t.participant_id, p.full_name, p.phone, p.cbo_id, "
        "c.name_en AS cbo_en, c.name_zh AS cbo_zh")
#: {walk}: all CBOs walk placements by start date; one CBO's checks are found from its people
#: (measured at 1M, benchmarks/outcomes_figures.py: the capped count 0.36 s instead of 15 s).
_FROM = (" FROM placements pl{walk} JOIN trainings t ON t.id = pl.training_id "
         "JOIN participants p ON p.id = t.participant_id JOIN cbos c ON c.id = p.cbo_id")


class Followups:
    """Recording follow-ups, and the checks due and overdue."""

    def save_followup(self, followup: Followup) -> Followup:
        """Save a check; a second live record of the same check of the same placement is refused."""
        with self.transaction():
            placement = self._parent(_models.Placement, "placements", followup.placement_id, "placement_id",
                                     _("Job placement"))
            _models.check_followup_against_placement(followup, placement)
            twin = self.conn.execute(
                "SELECT checked_on FROM followups WHERE placement_id = ? AND due_month = ? AND deleted = 0 "
                "AND id != ?", (followup.placement_id, followup.due_month, followup.id or "")).fetchone()
            if twin is not None:
                raise RecordInvalid({"due_month": labelled(_("Check"), _(
                    "this check was already recorded on {date}; edit that record instead").format(date=twin[0]))})
            fid = self._write("followups", _row_for(followup), self.clock())
        return followup.model_copy(update={"id": fid})

    def get_followup(self, followup_id: str) -> Followup:
        return stored(_models.Followup, self._require("followups", followup_id))

    # ---- the due list ------------------------------------------------------------------

    def _due_arms(self, cbo_id: str | None, after: tuple[str, str] | None, today: dt.date,
                  limit: int | None) -> tuple[list[str], list[Any]]:
        """One SELECT per month of the checks due by `today` and not recorded, newest first."""
        arms, params = [], []
        for n in schedule.FOLLOWUP_MONTHS:
            due = schedule.due_sql("pl.start_date", n)
            where = ["pl.deleted = 0", "t.deleted = 0", "p.deleted = 0", "pl.start_date <= ?",
                     "NOT EXISTS (SELECT 1 FROM followups f WHERE f.placement_id = pl.id AND f.due_month = "
                     f"{n} AND f.deleted = 0)"]
            ps: list[Any] = [schedule.last_start_due_by(today, n).isoformat()]
            if cbo_id:
                where.append("p.cbo_id = ?")
                ps.append(cbo_id)
            if after is not None:
                (a_due, a_start), (a_id, a_month) = after[0].split(" "), after[1].rsplit(":", 1)
                bound = schedule.last_start_due_by(dt.date.fromisoformat(a_due), n).isoformat()
                where += ["pl.start_date <= ?", f"({due}, pl.start_date, pl.id, {n}) < (?, ?, ?, ?)"]
                ps += [bound, a_due, a_start, a_id, int(a_month)]
            walk = "" if cbo_id else " INDEXED BY placements_start"
            select = f"SELECT {_ROW.format(n=n, due=due)}{_FROM.format(walk=walk)} WHERE {' AND '.join(where)}"
            if limit is not None:
                select = f"SELECT * FROM ({select} ORDER BY pl.start_date DESC, pl.id DESC LIMIT {int(limit)})"
            arms.append(select)
            params += ps
        return arms, params

    def followups_due_page(self, *, cbo_id: str | None = None, after: tuple[str, str] | None = None,
                           limit: int = 150, today: dt.date | None = None, **_ignored: Any) -> list[dict[str, Any]]:
        """A page of the checks due and overdue (not yet recorded), most recently due first.

        Each row: the placement and its person, `due_month`, `due_on`, `status` ("due" within
        FOLLOWUP_GRACE_DAYS of its date, then "overdue"), `id` = "<placement id>:<month>" and
        `_sort` = "<due date> <start date>": `after` = (_sort, id) of the last row seen."""
        today = today or clock.today()
        arms, params = self._due_arms(cbo_id, after, today, limit)
        sql = (" UNION ALL ".join(arms) + " ORDER BY due_on DESC, placement_start DESC, placement_id DESC, "
               f"due_month DESC LIMIT {int(limit)}")
        overdue_before = schedule.overdue_before(today).isoformat()
        rows = []
        for r in self.conn.execute(sql, params):
            row = dict(r)
            row["id"] = f"{row['placement_id']}:{row['due_month']}"
            row["_sort"] = f"{row['due_on']} {row['placement_start']}"
            row["status"] = "overdue" if row["due_on"] < overdue_before else "due"
            rows.append(row)
        return rows

    def followups_due_count(self, *, cbo_id: str | None = None, limit: int | None = None,
                            today: dt.date | None = None, **_ignored: Any) -> int:
        """How many checks are due or overdue; with `limit`, stop past it and return limit + 1."""
        arms, params = self._due_arms(cbo_id, None, today or clock.today(), None)
        cap = f" LIMIT {int(limit) + 1}" if limit is not None else ""
        return self.conn.execute(f"SELECT count(*) FROM ({' UNION ALL '.join(arms)}{cap})", params).fetchone()[0]
