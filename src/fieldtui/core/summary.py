"""The initiative's figures, computed once, here, for the TUI, the CLI table and the JSON alike.

Each figure group is one SQL aggregate grouped by CBO (no Python loop over people); totals are
sums of the per-CBO rows, which is exact because a person belongs to exactly one CBO.

Definitions (the donor's):
- direct beneficiaries: distinct live participants (a person counts once, whatever they joined);
- indirect beneficiaries: sum of household members who benefit;
- trainees / completed / placed: distinct live people with a live training / a completed one /
  a live placement on a live training; placement rate = placed / trainees;
- after-school children: distinct live people with a live after-school enrolment;
- cost per life: grant / direct beneficiaries (US$, 2 decimals), over the whole grant period
  only: grants are whole-project amounts, so a date filter narrows people, not money, and one
  quarter's people against the whole grant (US$1,363.64 for Bright Angel in 2009) would read as
  comparable when it is not: under a date filter it is None, with `COST_PER_LIFE_NOTE` saying why;
  SII mean: mean of the projects' scores; progress: direct / target.
Filters: CBO, city (of the CBO) and a date range on the participant's registration date.

The results are plain dataclasses, not pydantic models: they come from our own SQL, not from a
person, so there is nothing to validate, and the home and summary screens then never load the
validation models (~15 MiB of the app's memory, benchmarks/).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from typing import Any

from fieldtui.core import kinds
from fieldtui.core.store import Store, StoreError
from fieldtui.i18n import N_, _

#: Why cost per life is not given under a date filter (translated where shown).
COST_PER_LIFE_NOTE = N_("Cost per life is for the whole grant period: grants are not split by date.")


@dataclasses.dataclass(frozen=True)
class Filters:
    cbo_id: str | None = None
    city: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.cbo_id, self.city, self.date_from, self.date_to))


@dataclasses.dataclass
class CBOFigures:
    id: str
    name: str
    name_zh: str
    city: str
    grant_usd: float
    sii: float | None
    target_direct: int
    direct_beneficiaries: int = 0
    indirect_beneficiaries: int = 0
    trainees: int = 0
    trainees_completed: int = 0
    trainees_placed: int = 0
    after_school_children: int = 0
    other_participants: int = 0
    #: a date filter narrows the people: cost per life is then not given (module docstring)
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
class Summary:
    cbos: list[CBOFigures]
    filters: Filters = dataclasses.field(default_factory=Filters)

    def _total(self, field: str) -> Any:
        return sum(getattr(c, field) for c in self.cbos)

    @property
    def direct_beneficiaries(self) -> int:
        return self._total("direct_beneficiaries")

    @property
    def indirect_beneficiaries(self) -> int:
        return self._total("indirect_beneficiaries")

    @property
    def trainees(self) -> int:
        return self._total("trainees")

    @property
    def trainees_completed(self) -> int:
        return self._total("trainees_completed")

    @property
    def trainees_placed(self) -> int:
        return self._total("trainees_placed")

    @property
    def after_school_children(self) -> int:
        return self._total("after_school_children")

    @property
    def other_participants(self) -> int:
        return self._total("other_participants")

    @property
    def grant_usd(self) -> float:
        return round(self._total("grant_usd"), 2)

    @property
    def target_direct(self) -> int:
        return self._total("target_direct")

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
    def is_empty(self) -> bool:
        """No people match (e.g. a date range before any registration): figures are zeros."""
        return self.direct_beneficiaries == 0

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
                }
                for c in self.cbos
            ],
        }


def _cbo_figures(r: Any) -> CBOFigures:
    """A CBO row as figures. The store only ever writes numbers and text here, so anything else
    (NULL, a BLOB) is a damaged page read without an error: reported as damage, never a traceback."""
    texts = (r["id"], r["name_en"], r["name_zh"], r["city"])
    numbers = (r["grant_usd"], r["target_direct"])
    if not all(isinstance(v, str) for v in texts) or not all(_is_number(v) for v in numbers) \
            or not (r["sii"] is None or _is_number(r["sii"])):
        raise sqlite3.DatabaseError("damaged: a CBO row holds a value of the wrong type")
    return CBOFigures(id=r["id"], name=r["name_en"], name_zh=r["name_zh"], city=r["city"],
                      grant_usd=float(r["grant_usd"]), sii=None if r["sii"] is None else float(r["sii"]),
                      target_direct=int(r["target_direct"]))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ratio(num: float, den: float, places: int) -> float | None:
    return round(num / den, places) if den else None


def _money(value: float) -> float | int:
    value = round(value, 2)
    return int(value) if value == int(value) else value


_LIVE_TRAINING = "t.participant_id = p.id AND t.deleted = 0"


def resolve_cbo(store: Store, text: str) -> str:
    """A CBO id from its id, English or Chinese name (case-insensitive), or a clear error."""
    rows = store.conn.execute(
        "SELECT id FROM cbos WHERE deleted = 0 AND (id = :t OR lower(name_en) = lower(:t) OR name_zh = :t)",
        {"t": text.strip()},
    ).fetchall()
    if len(rows) != 1:
        raise StoreError(_("no CBO called {name}").format(name=text))
    return rows[0][0]


#: A person with at least one live enrolment (each probe is a covering index: participant, deleted).
LIVE_ENROLMENT = "(" + " OR ".join(
    f"EXISTS (SELECT 1 FROM {t.name} e WHERE e.{t.person_column} = p.id AND e.deleted = 0)"
    for t in kinds.TABLES if t.person_column) + ")"


def uncounted(store: Store) -> list[dict[str, Any]]:
    """Live people counted nowhere, for review: no live enrolment (each laptop removed a
    different one), or a removed CBO (another laptop added them after it was removed)."""
    return [dict(r) for r in store.conn.execute(
        "SELECT p.id, p.full_name, p.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh, "
        f"CASE WHEN c.deleted THEN 'cbo_removed' ELSE 'no_enrolment' END AS why FROM participants p "
        f"JOIN cbos c ON c.id = p.cbo_id WHERE p.deleted = 0 AND (c.deleted = 1 OR NOT {LIVE_ENROLMENT}) "
        "ORDER BY c.name_en, p.full_name, p.id")]


def _people_filter(filters: Filters) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (and its parameters) for participants, alias p, shared by every aggregate.

    A person counts (a direct beneficiary, their household indirect ones) only while at least
    one of their enrolments is live. On a laptop removing the last enrolment removes the person
    too; at headquarters two laptops may each remove one of a person's two enrolments, and the
    person must then count nowhere, as on any laptop (they are listed by `uncounted`)."""
    person_where = ["p.deleted = 0", LIVE_ENROLMENT]
    params: dict[str, Any] = {}
    if filters.cbo_id:
        person_where.append("p.cbo_id = :cbo")
        params["cbo"] = filters.cbo_id
    if filters.city:
        person_where.append("p.cbo_id IN (SELECT id FROM cbos WHERE deleted = 0 AND lower(city) = lower(:city))")
        params["city"] = filters.city
    if filters.date_from:
        person_where.append("p.registered_on >= :from")
        params["from"] = filters.date_from.isoformat()
    if filters.date_to:
        person_where.append("p.registered_on <= :to")
        params["to"] = filters.date_to.isoformat()
    return " AND ".join(person_where), params


def _cbos(store: Store, filters: Filters) -> dict[str, CBOFigures]:
    """The CBOs the filters keep, highest SII first, with their figures still to count."""
    cbo_where, cbo_params = ["deleted = 0"], {}
    if filters.cbo_id:
        cbo_where.append("id = :cbo")
        cbo_params["cbo"] = filters.cbo_id
    if filters.city:
        cbo_where.append("lower(city) = lower(:city)")
        cbo_params["city"] = filters.city
    cbo_rows = store.conn.execute(
        "SELECT id, name_en, name_zh, city, grant_usd, sii, target_direct FROM cbos WHERE "
        + " AND ".join(cbo_where) + " ORDER BY sii DESC, name_en",
        cbo_params,
    ).fetchall()
    dated = filters.date_from is not None or filters.date_to is not None
    out = {r["id"]: _cbo_figures(r) for r in cbo_rows}
    for figures in out.values():
        figures.dated = dated
    return out


def compute(store: Store, filters: Filters | None = None) -> Summary:
    """All figures, per CBO and in total, for the given filters."""
    filters = filters or Filters()
    figures = _cbos(store, filters)
    if not figures:
        return Summary(filters=filters, cbos=[])

    people, params = _people_filter(filters)

    def grouped(sql: str) -> list[Any]:
        return store.conn.execute(sql, params).fetchall()

    def put(rows: list[Any], *fields: str) -> None:
        for cbo_id, *values in rows:
            if cbo_id in figures:
                for field, value in zip(fields, values, strict=True):
                    setattr(figures[cbo_id], field, int(value or 0))

    # Two shapes of the same figures, chosen for speed (benchmarks/): a filter narrows the people
    # to a slice of one index, so walk those people and probe each one's enrolments (covering
    # indexes: milliseconds); without one, read each enrolment table once in person order and
    # look the distinct people up, which beats a million probes per table.
    if filters.cbo_id or filters.date_from or filters.date_to:
        put(grouped(
            "SELECT p.cbo_id, count(*), total(p.household_members), "
            f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {_LIVE_TRAINING})), "
            f"sum(EXISTS (SELECT 1 FROM trainings t WHERE {_LIVE_TRAINING} AND t.status = 'completed')), "
            f"sum(EXISTS (SELECT 1 FROM trainings t JOIN placements pl ON pl.training_id = t.id "
            f"WHERE {_LIVE_TRAINING} AND pl.deleted = 0)), "
            "sum(EXISTS (SELECT 1 FROM after_school e WHERE e.participant_id = p.id AND e.deleted = 0)), "
            "sum(EXISTS (SELECT 1 FROM other_programmes e WHERE e.participant_id = p.id AND e.deleted = 0)) "
            f"FROM participants p WHERE {people} GROUP BY p.cbo_id"),
            "direct_beneficiaries", "indirect_beneficiaries", "trainees", "trainees_completed",
            "trainees_placed", "after_school_children", "other_participants")
        return Summary(filters=filters, cbos=list(figures.values()))

    put(grouped(f"SELECT p.cbo_id, count(*), total(p.household_members) FROM participants p WHERE {people} "
                "GROUP BY p.cbo_id"), "direct_beneficiaries", "indirect_beneficiaries")
    put(grouped(
        "SELECT p.cbo_id, count(*), total(x.completed), total(x.placed) FROM ("
        "SELECT t.participant_id AS pid, max(t.status = 'completed') AS completed, max(EXISTS ("
        "SELECT 1 FROM placements pl WHERE pl.training_id = t.id AND pl.deleted = 0)) AS placed "
        "FROM trainings t WHERE t.deleted = 0 GROUP BY t.participant_id) x "
        f"JOIN participants p ON p.id = x.pid WHERE {people} GROUP BY p.cbo_id"),
        "trainees", "trainees_completed", "trainees_placed")
    for table, field in (("after_school", "after_school_children"), ("other_programmes", "other_participants")):
        put(grouped(f"SELECT p.cbo_id, count(*) FROM participants p WHERE {people} AND p.id IN ("
                    f"SELECT participant_id FROM {table} WHERE deleted = 0) GROUP BY p.cbo_id"), field)

    return Summary(filters=filters, cbos=list(figures.values()))
