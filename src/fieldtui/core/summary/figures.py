"""The figures as plain dataclasses: per CBO, per group of people (the breakdowns), in total, and
the published JSON. Counts are summed from the per-CBO rows (a person belongs to one CBO) and
each breakdown from the same rows, so every breakdown sums to its total; ratios are computed from
summed counts, never averaged; medians cannot be summed, so the total's are computed on their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fieldtui.i18n import N_, _

#: Why cost per life is not given under a date filter (translated where shown): grants are
#: whole-project amounts, so a date filter narrows people, not money, and one period's people
#: against the whole grant (US$1,363.64 for Bright Angel in 2009) would read as comparable.
COST_PER_LIFE_NOTE = N_("Cost per life is for the whole grant period: grants are not split by date.")

#: The breakdowns, in the order they are shown: JSON key -> what groups people.
DIMENSIONS = ("sex", "age_band", "origin", "province")


@dataclasses.dataclass(frozen=True)
class Filters:
    cbo_id: str | None = None
    city: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.cbo_id, self.city, self.date_from, self.date_to))

    @property
    def narrow(self) -> bool:
        """A CBO or a date range: few enough people to walk them one by one (summary/counts.py)."""
        return bool(self.cbo_id or self.date_from or self.date_to)


def _ratio(num: float, den: float, places: int) -> float | None:
    return round(num / den, places) if den else None


def _money(value: float | None) -> float | int | None:
    if value is None:
        return None
    value = round(value, 2)
    return int(value) if value == int(value) else value


@dataclasses.dataclass
class Outcomes:
    """What happened after the programmes (counts that sum; the ratios are properties).

    reached_Nm: live placements whose N-month check has come (its due date is today or earlier);
    retained_Nm: of those, the ones whose latest N-month check says still employed (a check not
    recorded counts as not retained: the due and overdue counts say how many are unknown)."""

    followups_due: int = 0
    followups_overdue: int = 0
    reached_3m: int = 0
    reached_6m: int = 0
    reached_12m: int = 0
    retained_3m: int = 0
    retained_6m: int = 0
    retained_12m: int = 0
    median_income_before_cny: float | None = None
    median_wage_after_cny: float | None = None
    marked: int = 0  # attendance marks on held sessions
    present: int = 0
    volunteers: int = 0
    volunteer_hours: float = 0.0

    @property
    def retention_3m(self) -> float | None:
        return _ratio(self.retained_3m, self.reached_3m, 4)

    @property
    def retention_6m(self) -> float | None:
        return _ratio(self.retained_6m, self.reached_6m, 4)

    @property
    def retention_12m(self) -> float | None:
        return _ratio(self.retained_12m, self.reached_12m, 4)

    @property
    def income_change_cny(self) -> float | None:
        """Median wage after placement less median monthly income before training."""
        if self.median_income_before_cny is None or self.median_wage_after_cny is None:
            return None
        return round(self.median_wage_after_cny - self.median_income_before_cny, 2)

    @property
    def attendance_rate(self) -> float | None:
        return _ratio(self.present, self.marked, 4)

    def outcomes_json(self) -> dict[str, Any]:
        return {
            "followups_due": self.followups_due,
            "followups_overdue": self.followups_overdue,
            "retention_3m": self.retention_3m,
            "retention_6m": self.retention_6m,
            "retention_12m": self.retention_12m,
            "median_income_before_cny": _money(self.median_income_before_cny),
            "median_wage_after_cny": _money(self.median_wage_after_cny),
            "income_change_cny": _money(self.income_change_cny),
            "attendance_rate": self.attendance_rate,
            "volunteers": self.volunteers,
            "volunteer_hours": _money(self.volunteer_hours),
        }


#: Outcome counts summed into totals and groups (the medians are not sums).
SUMMED = tuple(f.name for f in dataclasses.fields(Outcomes) if not f.name.startswith("median"))


@dataclasses.dataclass
class CBOFigures(Outcomes):
    id: str = ""
    name: str = ""
    name_zh: str = ""
    city: str = ""
    grant_usd: float = 0.0
    sii: float | None = None
    target_direct: int = 0
    direct_beneficiaries: int = 0
    indirect_beneficiaries: int = 0
    trainees: int = 0
    trainees_completed: int = 0
    trainees_placed: int = 0
    after_school_children: int = 0
    other_participants: int = 0
    #: a date filter narrows the people: cost per life is then not given (COST_PER_LIFE_NOTE)
    dated: bool = False

    @property
    def cost_per_life_usd(self) -> float | None:
        return None if self.dated else _ratio(self.grant_usd, self.direct_beneficiaries, 2)

    @property
    def placement_rate(self) -> float | None:
        return _ratio(self.trainees_placed, self.trainees, 4)

    @property
    def progress(self) -> float | None:
        return _ratio(self.direct_beneficiaries, self.target_direct, 4)


@dataclasses.dataclass
class GroupFigures:
    """People of one group (women, 18-24 year olds, recent arrivals, people from Henan...)."""

    key: str
    direct_beneficiaries: int = 0
    trainees: int = 0
    trainees_placed: int = 0
    after_school_children: int = 0
    reached_6m: int = 0
    retained_6m: int = 0

    @property
    def retention_6m(self) -> float | None:
        return _ratio(self.retained_6m, self.reached_6m, 4)

    def to_json(self) -> dict[str, Any]:
        return {"direct_beneficiaries": self.direct_beneficiaries, "trainees": self.trainees,
                "trainees_placed": self.trainees_placed, "after_school_children": self.after_school_children,
                "retention_6m": self.retention_6m}


@dataclasses.dataclass
class Summary:
    cbos: list[CBOFigures]
    filters: Filters = dataclasses.field(default_factory=Filters)
    #: dimension -> group key -> figures, largest group first (empty when not computed)
    breakdowns: dict[str, dict[str, GroupFigures]] = dataclasses.field(default_factory=dict)
    median_income_before_cny: float | None = None
    median_wage_after_cny: float | None = None
    #: likely duplicate pairs still to review (None: not counted; `summary.possible_duplicates`)
    possible_duplicates: int | None = None
    #: live people the filters keep who count nowhere, for review (`summary.uncounted` lists them)
    uncounted: int = 0

    def _total(self, field: str) -> Any:
        return sum(getattr(c, field) for c in self.cbos)

    direct_beneficiaries = property(lambda self: self._total("direct_beneficiaries"))
    indirect_beneficiaries = property(lambda self: self._total("indirect_beneficiaries"))
    trainees = property(lambda self: self._total("trainees"))
    trainees_completed = property(lambda self: self._total("trainees_completed"))
    trainees_placed = property(lambda self: self._total("trainees_placed"))
    after_school_children = property(lambda self: self._total("after_school_children"))
    other_participants = property(lambda self: self._total("other_participants"))
    target_direct = property(lambda self: self._total("target_direct"))
    # The outcome figures of all CBOs together, by the names the report's sections read.
    followups_due = property(lambda self: self._total("followups_due"))
    followups_overdue = property(lambda self: self._total("followups_overdue"))
    retention_3m = property(lambda self: self.outcomes.retention_3m)
    retention_6m = property(lambda self: self.outcomes.retention_6m)
    retention_12m = property(lambda self: self.outcomes.retention_12m)
    income_change_cny = property(lambda self: self.outcomes.income_change_cny)
    attendance_rate = property(lambda self: self.outcomes.attendance_rate)
    volunteers = property(lambda self: self._total("volunteers"))
    volunteer_hours = property(lambda self: self._total("volunteer_hours"))

    @property
    def grant_usd(self) -> float:
        return round(self._total("grant_usd"), 2)

    @property
    def placement_rate(self) -> float | None:
        return _ratio(self.trainees_placed, self.trainees, 4)

    @property
    def cost_per_life_usd(self) -> float | None:
        return None if self.dated else _ratio(self.grant_usd, self.direct_beneficiaries, 2)

    @property
    def dated(self) -> bool:
        return self.filters.date_from is not None or self.filters.date_to is not None

    @property
    def cost_per_life_note(self) -> str | None:
        """Why cost per life is not given (a date filter), in the current language; else None."""
        return _(COST_PER_LIFE_NOTE) if self.dated else None

    @property
    def progress(self) -> float | None:
        return _ratio(self.direct_beneficiaries, self.target_direct, 4)

    @property
    def sii_mean(self) -> float | None:
        scores = [c.sii for c in self.cbos if c.sii is not None]
        return round(sum(scores) / len(scores), 2) if scores else None

    @property
    def outcomes(self) -> Outcomes:
        """The outcome figures of all CBOs together (summed counts, the total's own medians)."""
        return Outcomes(**{f: self._total(f) for f in SUMMED}, median_income_before_cny=self.median_income_before_cny,
                        median_wage_after_cny=self.median_wage_after_cny)

    @property
    def is_empty(self) -> bool:
        """No people match (e.g. a date range before any registration): figures are zeros."""
        return self.direct_beneficiaries == 0

    def breakdown(self, dimension: str) -> list[tuple[str, GroupFigures]]:
        """(group key, figures) of one dimension, in the order shown."""
        return list(self.breakdowns.get(dimension, {}).items())

    def to_json(self) -> dict[str, Any]:
        """The published JSON contract (keys may be added, never renamed)."""
        return {
            "direct_beneficiaries": self.direct_beneficiaries,
            "indirect_beneficiaries": self.indirect_beneficiaries,
            "trainees": self.trainees,
            "trainees_completed": self.trainees_completed,
            "trainees_placed": self.trainees_placed,
            "placement_rate": self.placement_rate,
            "after_school_children": self.after_school_children,
            "other_participants": self.other_participants,
            "grant_usd": _money(self.grant_usd),
            "cost_per_life_usd": self.cost_per_life_usd,
            "cost_per_life_note": self.cost_per_life_note,
            "sii_mean": self.sii_mean,
            "target_direct": self.target_direct,
            "progress": self.progress,
            **self.outcomes.outcomes_json(),
            **({} if self.possible_duplicates is None else {"possible_duplicates": self.possible_duplicates}),
            "uncounted": self.uncounted,
            "breakdowns": {dim: {key: group.to_json() for key, group in groups.items()}
                           for dim, groups in self.breakdowns.items()},
            "filters": {k: v.isoformat() if isinstance(v, dt.date) else v
                        for k, v in dataclasses.asdict(self.filters).items()},
            "cbos": [
                {
                    "id": c.id,
                    "name": c.name,
                    "name_zh": c.name_zh,
                    "city": c.city,
                    "grant_usd": _money(c.grant_usd),
                    "direct_beneficiaries": c.direct_beneficiaries,
                    "indirect_beneficiaries": c.indirect_beneficiaries,
                    "trainees": c.trainees,
                    "trainees_completed": c.trainees_completed,
                    "trainees_placed": c.trainees_placed,
                    "placement_rate": c.placement_rate,
                    "after_school_children": c.after_school_children,
                    "other_participants": c.other_participants,
                    "cost_per_life_usd": c.cost_per_life_usd,
                    "sii": c.sii,
                    "target_direct": c.target_direct,
                    "progress": c.progress,
                    **c.outcomes_json(),
                }
                for c in self.cbos
            ],
        }

