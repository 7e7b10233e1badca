"""The initiative's figures, computed once, here, for the TUI, the CLI table, the JSON and the
donor report alike: `compute()` returns one `Summary`.

Each figure group is one SQL aggregate grouped by CBO (and by the person's sex, age band, origin
and province for the breakdowns; no Python loop over people); totals are sums of the per-CBO
rows, which is exact because a person belongs to exactly one CBO, and each breakdown sums the
same rows. The modules: figures.py (the dataclasses and the JSON), counts.py (people reached),
outcomes.py (follow-ups, medians, attendance, volunteers), tally.py (rows into figures).

Definitions (the donor's):
- direct beneficiaries: distinct live participants (a person counts once, whatever they joined);
- indirect beneficiaries: sum of household members who benefit;
- trainees / completed / placed: distinct live people with a live training / a completed one /
  a live placement on a live training; placement rate = placed / trainees;
- after-school children: distinct live people with a live after-school enrolment;
- cost per life: grant / direct beneficiaries (US$, 2 decimals); SII mean: mean of the projects'
  scores; progress: direct / target;
- outcomes (retention at 3/6/12 months, median income before and wage after, attendance rate,
  volunteers and their hours): outcomes.py; volunteers are never beneficiaries;
- breakdowns: direct beneficiaries, trainees, placed, after-school children and retention at 6
  months per sex, age band at registration (0-13, 14-17, 18-24, 25-44, 45+), origin, province.
Filters: CBO, city (of the CBO) and a date range on the participant's registration date.
Grants are whole-project amounts, so a date filter narrows people, not money.

The results are plain dataclasses, not pydantic models: they come from our own SQL, not from a
person, so there is nothing to validate, and the home and summary screens then never load the
validation models (~15 MiB of the app's memory, benchmarks/).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fieldtui.core import kinds, relations
from fieldtui.core.store import Store, StoreError
from fieldtui.core.summary import counts, outcomes
from fieldtui.core.summary.figures import (
    COST_PER_LIFE_NOTE,
    DIMENSIONS,
    CBOFigures,
    Filters,
    GroupFigures,
    Outcomes,
    Summary,
)
from fieldtui.core.summary.tally import Tally
from fieldtui.i18n import N_, _

__all__ = ["COST_PER_LIFE_NOTE", "COUNT_DUPLICATES_UP_TO", "DIMENSIONS", "LIVE_ENROLMENT", "UNCOUNTED_WHY",
           "CBOFigures", "Filters", "GroupFigures", "Outcomes", "Summary", "compute", "duplicate_pair_cbos",
           "possible_duplicates", "resolve_cbo", "uncounted"]


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


def resolve_cbo(store: Store, text: str) -> str:
    """A CBO id from its id, English or Chinese name (case-insensitive), or a clear error."""
    wanted = text.strip()
    rows = [cbo_id for cbo_id, name_en, name_zh in store.conn.execute(
        "SELECT id, name_en, name_zh FROM cbos WHERE deleted = 0")
        if wanted in (cbo_id, name_zh) or _same_words(name_en, wanted)]
    if len(rows) != 1:
        raise StoreError(_("no CBO called {name}").format(name=text))
    return rows[0]


def _same_words(stored: str | None, typed: str) -> bool:
    """Case-insensitive in every script, in Python: SQLite's lower() folds ASCII only, and
    PostgreSQL's folds the text typed fully but a COLLATE "C" column by ASCII only, so 'Ürümqi'
    was a CBO on one engine and none on the other (CBOs are few: read them all)."""
    return stored is not None and stored.strip().casefold() == typed.strip().casefold()


def _city_cbos(store: Store, city: str) -> list[str]:
    """The ids of the live CBOs in `city` (see _same_words)."""
    return [cbo_id for cbo_id, name in store.conn.execute("SELECT id, city FROM cbos WHERE deleted = 0")
            if _same_words(name, city)]


#: A person with at least one live enrolment (each probe is a covering index: participant, deleted).
LIVE_ENROLMENT = "(" + " OR ".join(
    f"EXISTS (SELECT 1 FROM {t.name} e WHERE e.{t.person_column} = p.id AND e.deleted = 0)"
    for t in kinds.TABLES if t.person_column) + ")"


#: Why `uncounted` lists a person or a record (msgids, translated where shown).
UNCOUNTED_WHY = {"cbo_removed": N_("their CBO was removed"), "no_enrolment": N_("no programme left (all removed)"),
                 "cbo_missing": N_("their CBO is not in the file (deleted outside fieldtui)"),
                 "person_removed": N_("a programme recorded after the person was removed elsewhere"),
                 "training_removed": N_("a job recorded after the trainee was removed elsewhere"),
                 "placement_removed": N_("a follow-up recorded after the job was removed elsewhere"),
                 "child_removed": N_("attendance marked after the child was removed elsewhere"),
                 "session_removed": N_("attendance or hours recorded at a session removed elsewhere"),
                 "volunteer_removed": N_("hours logged after the volunteer was removed elsewhere")}

def uncounted(store: Store) -> list[dict[str, Any]]:
    """Live people counted nowhere, for review: no live enrolment (each laptop removed a
    different one), a removed CBO (another laptop added them after it was removed), or a CBO
    not in the file at all (a row deleted with the sqlite3 program: the figures dropped them
    without a word); then live records under a removed one (relations.under_removed: a job, a
    mark, hours...) of anyone not listed already, each once, by its own id and its person's name
    while the person is live; `why` is a key of UNCOUNTED_WHY."""
    people = [dict(r) for r in store.conn.execute(
        "SELECT p.id, p.full_name, p.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh, "
        "CASE WHEN c.id IS NULL THEN 'cbo_missing' WHEN c.deleted = 1 THEN 'cbo_removed' ELSE 'no_enrolment' END "
        f"AS why FROM participants p LEFT JOIN cbos c ON c.id = p.cbo_id WHERE p.deleted = 0 "
        f"AND (c.id IS NULL OR c.deleted = 1 OR NOT {LIVE_ENROLMENT}) ORDER BY c.name_en, p.full_name, p.id")]
    listed = {p["id"] for p in people}
    records = [dict(r) for r in store.conn.execute(
        "SELECT x.id, x.pid, CASE WHEN p.deleted = 0 THEN p.full_name END AS full_name, p.cbo_id, "
        f"c.name_en AS cbo_en, c.name_zh AS cbo_zh, x.why FROM ({relations.under_removed()}) x "
        "LEFT JOIN participants p ON p.id = x.pid LEFT JOIN cbos c ON c.id = p.cbo_id ORDER BY c.name_en, x.why, x.id")]
    for r in records:  # a mark under a removed session and a removed child: listed once
        if r["id"] not in listed and (r["pid"] is None or r["pid"] not in listed):
            listed.add(r["id"])
            people.append({k: v for k, v in r.items() if k != "pid"})
    return people


def _people_filter(filters: Filters, store: Store, live: bool = True) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (and its parameters) for participants, alias p, shared by every aggregate.

    A person counts (a direct beneficiary, their household indirect ones) only while at least
    one of their enrolments is live. On a laptop removing the last enrolment removes the person
    too; at headquarters two laptops may each remove one of a person's two enrolments, and the
    person must then count nowhere, as on any laptop (they are listed by `uncounted`). `live=False`
    leaves that rule to the caller (the counts read it off their own probes; the outcomes reach
    people through a live enrolment)."""
    person_where = ["p.deleted = 0", LIVE_ENROLMENT] if live else ["p.deleted = 0"]
    params: dict[str, Any] = {}
    if filters.cbo_id:
        person_where.append("p.cbo_id = :cbo")
        params["cbo"] = filters.cbo_id
    if filters.city:
        ids = {f"city{i}": cbo_id for i, cbo_id in enumerate(_city_cbos(store, filters.city))}
        person_where.append(f"p.cbo_id IN ({', '.join(':' + k for k in ids)})" if ids else "0 = 1")
        params.update(ids)
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
    cbo_rows = store.conn.execute(  # id last: two CBOs alike in SII and name, one order on both engines
        "SELECT id, name_en, name_zh, city, grant_usd, sii, target_direct FROM cbos WHERE "
        + " AND ".join(cbo_where) + " ORDER BY sii DESC NULLS LAST, name_en, id",
        cbo_params,
    ).fetchall()
    if filters.city:
        cbo_rows = [r for r in cbo_rows if _same_words(r["city"], filters.city)]
    dated = filters.date_from is not None or filters.date_to is not None
    out = {r["id"]: _cbo_figures(r) for r in cbo_rows}
    for figures in out.values():
        figures.dated = dated
    return out


#: Above this many people the summary does not count possible duplicates: the count is a pass
#: over the whole file (5 s at 100k people on a 2-core laptop, minutes at 1M); `fieldtui
#: duplicates` and the review screen list them at any size.
COUNT_DUPLICATES_UP_TO = 100_000


def duplicate_pair_cbos(store: Store) -> list[tuple[str, str]] | None:
    """The CBOs of the two people of every likely pair nobody has decided about yet
    (core/duplicates.pairs at its default score); None when the file has more than
    COUNT_DUPLICATES_UP_TO people. What `possible_duplicates` counts, kept by the summary screen
    so that changing a filter does not pass over the file again."""
    people = store.conn.execute("SELECT count(*) FROM participants WHERE deleted = 0").fetchone()[0]
    if people > COUNT_DUPLICATES_UP_TO:
        return None
    # Only when counted: rapidfuzz and the duplicates package are ~4.5 MiB a big file's summary
    # need not hold (benchmarks: peak RSS).
    from fieldtui.core import duplicates
    return [(pair.a.cbo_id, pair.b.cbo_id) for pair in duplicates.pairs(store)]


def possible_duplicates(store: Store, filters: Filters | None = None,
                        pair_cbos: list[tuple[str, str]] | None = None) -> int | None:
    """Likely pairs still to review with at least one of the two in a CBO the filters keep: "n
    possible duplicates to review" (None: not counted, see COUNT_DUPLICATES_UP_TO). Until
    decided, both people count (a pair under review is counted as it stands). Dates do not
    narrow it: it is a queue of work, not a figure of a period. `pair_cbos`: from
    `duplicate_pair_cbos`, when the caller already has them."""
    pair_cbos = duplicate_pair_cbos(store) if pair_cbos is None else pair_cbos
    if pair_cbos is None:
        return None
    keep = set(_cbos(store, filters or Filters()))
    return sum(1 for a, b in pair_cbos if a in keep or b in keep)


def compute(store: Store, filters: Filters | None = None, *, outcomes_too: bool = True,
            duplicates_too: bool = False) -> Summary:
    """All figures, per CBO and in total, for the given filters. `outcomes_too=False` counts the
    people reached and nothing else (the home screen's headline: no breakdowns, no outcomes);
    `duplicates_too` counts the possible duplicates to review as well (`possible_duplicates`)."""
    filters = filters or Filters()
    figures = _cbos(store, filters)
    if not figures:
        return Summary(filters=filters, cbos=[], possible_duplicates=0 if duplicates_too else None)
    people, params = _people_filter(filters, store, live=False)
    tally = Tally(figures, traits=outcomes_too)
    counts.count_people(store.conn, tally, filters.narrow, people, params)
    if not outcomes_too:
        return Summary(filters=filters, cbos=list(figures.values()), uncounted=tally.uncounted)
    outcomes.followups(store.conn, tally, people, params, narrow=filters.narrow)
    totals = outcomes.medians(store.conn, figures, filters.narrow, people, params)
    outcomes.attendance(store.conn, tally, filters.narrow, people, params)
    outcomes.volunteers(store.conn, figures, filters)
    return Summary(filters=filters, cbos=list(figures.values()), breakdowns=tally.breakdowns(),
                   median_income_before_cny=totals.get("income"), median_wage_after_cny=totals.get("wage"),
                   possible_duplicates=possible_duplicates(store, filters) if duplicates_too else None,
                   uncounted=tally.uncounted)
