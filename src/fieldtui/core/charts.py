"""The pictures beside the figures: registrations per period, income before training against
the wage after placement, and what the summary's filters offer. Same filters as core/summary.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from fieldtui.core.summary import Filters, _people_filter
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.core.store import Store

# Aggregates behind the summary screen's charts: same filters, one grouped SQL query each.


@dataclasses.dataclass
class PeriodCount:
    period: str  # "2010Q1" or "2010-01"
    registrations: int


@dataclasses.dataclass
class IncomeWage:
    """Placed trainees of one CBO: mean monthly income before training vs mean wage in the job."""

    cbo_id: str
    name: str
    name_zh: str
    placed: int
    income_before_cny: float | None
    wage_cny: float | None


_PERIOD_SQL = {
    "month": "substr(p.registered_on, 1, 7)",
    "quarter": "substr(p.registered_on, 1, 4) || 'Q' || ((CAST(substr(p.registered_on, 6, 2) AS INTEGER) + 2) / 3)",
}


def registrations(store: Store, filters: Filters | None = None, by: str = "quarter") -> list[PeriodCount]:
    """Participants registered per period, oldest first; periods without registrations are filled with 0."""
    if by not in _PERIOD_SQL:
        raise ValueError(f"by must be one of {sorted(_PERIOD_SQL)}")
    people, params = _people_filter(filters or Filters(), store)
    rows = store.conn.execute(
        f"SELECT {_PERIOD_SQL[by]} AS period, count(*) FROM participants p WHERE {people} "
        "GROUP BY period ORDER BY period", params,
    ).fetchall()
    counts = {period: n for period, n in rows}
    if not counts:
        return []
    return [PeriodCount(period=period, registrations=counts.get(period, 0))
            for period in _periods_between(min(counts), max(counts), by)]


def income_vs_wage(store: Store, filters: Filters | None = None) -> list[IncomeWage]:
    """Per CBO (donor's order), placed trainees' mean income before training and mean wage after.

    A person with several placements counts each placement's wage once; the income is the one
    recorded on the training the placement belongs to.
    """
    filters = filters or Filters()
    people, params = _people_filter(filters, store)
    rows = store.conn.execute(
        "SELECT c.id, c.name_en, c.name_zh, count(DISTINCT t.participant_id), avg(t.income_before_cny), "
        "avg(pl.wage_cny) FROM placements pl JOIN trainings t ON t.id = pl.training_id "
        "JOIN participants p ON p.id = t.participant_id JOIN cbos c ON c.id = p.cbo_id "
        f"WHERE pl.deleted = 0 AND t.deleted = 0 AND c.deleted = 0 AND {people} "
        "GROUP BY c.id ORDER BY c.sii DESC, c.name_en", params,
    ).fetchall()
    return [IncomeWage(cbo_id=r[0], name=r[1], name_zh=r[2], placed=r[3],
                       income_before_cny=_round(r[4]), wage_cny=_round(r[5])) for r in rows]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def choices(store: Store) -> tuple[list[tuple[str, str, str]], list[str], list[str]]:
    """What the filters offer: live CBOs (id, English, Chinese name), their cities, and the
    quarters from the first to the last registration (e.g. "2008Q3" ... "2011Q3")."""
    cbos = [(r[0], r[1], r[2]) for r in store.conn.execute(
        "SELECT id, name_en, name_zh FROM cbos WHERE deleted = 0 ORDER BY sii DESC, name_en")]
    cities = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT city FROM cbos WHERE deleted = 0 ORDER BY city")]
    # ORDER BY .. LIMIT 1 walks the registered_on index from one end and stops at the first live
    # row; min()/max() with the deleted filter would read the whole index (0.2 s at 1M people).
    first, last = (store.conn.execute(
        f"SELECT registered_on FROM participants WHERE deleted = 0 ORDER BY registered_on {order} LIMIT 1"
    ).fetchone() for order in ("ASC", "DESC"))
    first, last = (first[0] if first else None), (last[0] if last else None)
    quarters = _periods_between(_quarter_of(first), _quarter_of(last), "quarter") if first and last else []
    return cbos, cities, quarters


def _quarter_of(iso_date: str) -> str:
    return f"{iso_date[:4]}Q{(int(iso_date[5:7]) + 2) // 3}"


def _periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period label from first to last inclusive ("2010Q4" -> "2011Q1"; "2010-12" -> "2011-01")."""
    step = 3 if by == "quarter" else 1

    def months(label: str) -> int:
        if by == "quarter":
            return int(label[:4]) * 12 + (int(label[5]) - 1) * 3
        return int(label[:4]) * 12 + int(label[5:7]) - 1

    def label(m: int) -> str:
        year, month = divmod(m, 12)
        return f"{year}Q{month // 3 + 1}" if by == "quarter" else f"{year}-{month + 1:02d}"

    return [label(m) for m in range(months(first), months(last) + 1, step)]


def quarter_range(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter written "2010Q1" (also "2010-Q1", "2010 q1"); ValueError otherwise."""
    cleaned = text.strip().upper().replace("-", "").replace(" ", "")
    if len(cleaned) != 6 or not cleaned[:4].isdigit() or cleaned[4] != "Q" or cleaned[5] not in "1234":
        raise ValueError(_("{text} is not a quarter: write it like 2010Q1").format(text=text))
    year, quarter = int(cleaned[:4]), int(cleaned[5])
    first = dt.date(year, 3 * quarter - 2, 1)
    next_first = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - dt.timedelta(days=1)
