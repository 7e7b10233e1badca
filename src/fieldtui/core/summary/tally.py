"""Rows of the figure queries into CBO figures and breakdowns: one place adds them up.

Every query groups its rows by CBO and, when the breakdowns are wanted, by the person's traits
(sex, origin, province, age band at registration) too. The same row is added to its CBO and to
each of its groups, so each breakdown sums to the CBO totals by construction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from fieldtui.core.summary.figures import DIMENSIONS, CBOFigures, GroupFigures
from fieldtui.core.vocabulary import AgeBand, Gender, Origin, values

#: Age bands by their first age (core.vocabulary.AgeBand, in order).
BAND_STARTS = (0, 14, 18, 25, 45)
_AGE = ("CAST(substr(p.registered_on, 1, 4) AS INTEGER) - p.birth_year"
        " - (CASE WHEN substr(p.registered_on, 6, 5) < coalesce(substr(p.birth_date, 6, 5), '07-01') "
        "THEN 1 ELSE 0 END)")
#: Age -> band digit, for ages 0-99 (the age is computed once: a lookup, not a chain of comparisons).
_BAND_DIGITS = "".join(str(sum(age >= start for start in BAND_STARTS) - 1) for age in range(100))
#: The age band at registration, as `models.age_on` counts years (1 July when only the year is known).
AGE_BAND = (f"CASE substr('{_BAND_DIGITS}', max(0, min({_AGE}, 99)) + 1, 1) "
            + " ".join(f"WHEN '{i}' THEN '{band}'" for i, band in enumerate(values(AgeBand)[:-1]))
            + f" ELSE '{values(AgeBand)[-1]}' END")
#: GROUP BY keys: the CBO alone, or the CBO and the person's traits in DIMENSIONS order.
BY_CBO = ("p.cbo_id",)
BY_TRAITS = ("p.cbo_id", "p.gender", AGE_BAND, "p.origin", "p.province")
_ORDER = {"sex": values(Gender), "age_band": values(AgeBand), "origin": values(Origin)}


class Tally:
    """Adds query rows (CBO id, [traits,] values...) to the CBOs' figures and the groups. Rows
    are taken from the cursor one at a time: by traits a query has up to ~30,000 groups at 1M,
    which as one fetchall() list raised the app's peak memory by ~20 MiB."""

    def __init__(self, figures: dict[str, CBOFigures], traits: bool):
        self.figures = figures
        self.traits = traits
        #: live people counted nowhere (rows without LIVE, and every person of a CBO not kept)
        self.uncounted = 0
        self.groups: dict[str, dict[str, GroupFigures]] = {d: {} for d in DIMENSIONS} if traits else {}

    @property
    def key_list(self) -> tuple[str, ...]:
        return BY_TRAITS if self.traits else BY_CBO

    @property
    def keys(self) -> str:
        """The GROUP BY list (and the first columns of every row `add` takes)."""
        return ", ".join(self.key_list)

    def add(self, rows: Iterable[Any], *fields: str) -> None:
        """Add each row's values to its CBO and groups. With LIVE among `fields` (the pass over
        people, whose first field counts them), a row of people none of whose programmes is live,
        or of a CBO not kept, adds to `uncounted` instead: the filters keep only kept CBOs'
        people, so one of another CBO is in a removed or missing one."""
        width = len(self.key_list)
        grouped = [f for f in fields if f in _GROUP_FIELDS]
        live = fields.index(LIVE) if LIVE in fields else None
        for row in rows:
            numbers = [float(v or 0) if f in _FLOATS else int(v or 0) for f, v in zip(fields, row[width:], strict=True)]
            cbo = self.figures.get(row[0])
            if live is not None and (cbo is None or not numbers[live]):
                self.uncounted += numbers[0]
                continue
            if cbo is None:  # a removed or missing CBO's people
                continue
            for field, value in zip(fields, numbers, strict=True):
                if field != LIVE:
                    setattr(cbo, field, getattr(cbo, field) + value)
            for dimension, key in zip(DIMENSIONS, row[1:width], strict=False):
                group = self.groups[dimension].setdefault(str(key), GroupFigures(str(key)))
                for field, value in zip(fields, numbers, strict=True):
                    if field in grouped:
                        setattr(group, field, getattr(group, field) + value)

    def breakdowns(self) -> dict[str, dict[str, GroupFigures]]:
        """Each dimension's groups in the order shown: the vocabulary's, provinces largest first."""
        out = {}
        for dimension, groups in self.groups.items():
            order = _ORDER.get(dimension)
            if order is not None:
                keys = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k))
            else:
                keys = sorted(groups, key=lambda k: (-groups[k].direct_beneficiaries, k))
            out[dimension] = {k: groups[k] for k in keys}
        return out


#: The field of a row that says whether its people count (1) or are counted nowhere (0): `add`.
LIVE = "live"
_FLOATS = frozenset({"volunteer_hours"})
_GROUP_FIELDS = frozenset(f.name for f in dataclasses.fields(GroupFigures)) - {"key"}
