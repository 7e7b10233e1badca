"""Stateful property test: any sequence of store operations keeps the summary equal to a model.

Hypothesis drives a real Store (a SQLite file in a tmp dir) through random sequences of: add a
CBO, trainee, child, other-programme participant, a second programme for an existing person,
a placement; edit a trainee; delete and restore any row; export the file and merge the export
into a headquarters file (whose summary must then equal the model's too). A plain-Python model applies the same
operations with the documented rules (cascades, refusals) and computes the donor's figures by
counting; after every step `summary.compute(store).to_json()` must equal the model's figures,
with and without a filter, and every list count must match.

Profiles: `make test` runs a modest number of sequences; `make soak` a much larger one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fieldtui.core import exchange, summary
from fieldtui.core.models import (
    CBO,
    ChildRecord,
    ParticipantRecord,
    Placement,
    RecordInvalid,
    TraineeRecord,
    validate,
)
from fieldtui.core.store import NotFound, Store

FAST = settings(max_examples=int(os.environ.get("FIELDTUI_STATEFUL_EXAMPLES", 25)), stateful_step_count=25,
                deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOAK = settings(max_examples=int(os.environ.get("FIELDTUI_SOAK_STATEFUL_EXAMPLES", 400)), stateful_step_count=60,
                deadline=None, suppress_health_check=[HealthCheck.too_slow])

ENROLMENT_KIND = {"trainings": "trainees", "after_school": "children", "other_programmes": "participants"}
CUTOFF = dt.date(2012, 12, 31)  # the date filter checked besides the unfiltered figures

years = st.integers(2010, 2015)
households = st.integers(0, 6)
statuses = st.sampled_from(["enrolled", "completed", "dropped"])


def person(cbo_id: str, name: str, birth_year: int, reg_year: int, household: int) -> dict[str, Any]:
    return dict(cbo_id=cbo_id, full_name=name, gender="female", birth_year=birth_year, province="河南",
                origin="recent_arrival", household_members=household, registered_on=f"{reg_year}-03-01",
                registered_by="李老师")


def training(status: str) -> dict[str, Any]:
    return dict(course="家政", start_date="2010-03-10", status=status,
                end_date="2010-09-10" if status == "completed" else None)


class StoreMachine(RuleBasedStateMachine):
    cbos = Bundle("cbos")
    trainings = Bundle("trainings")
    enrolments = Bundle("enrolments")  # any enrolment, as (table, id)
    placements = Bundle("placements")

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="fieldtui-stateful-"))
        self.store = Store.open(self.dir / "field.db", create=True)
        # Durability has its own test (test_durability.py); here an fsync per save would only cost time.
        self.store.conn.execute("PRAGMA synchronous = OFF")
        ticks = itertools.count(1)
        base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        # Strictly increasing stamps: restore matches rows deleted "in the same moment" by stamp.
        self.store.clock = lambda: (base + dt.timedelta(microseconds=next(ticks))).isoformat(timespec="microseconds")
        self.op = 0
        self.m_cbos: dict[str, dict[str, Any]] = {}
        self.m_people: dict[str, dict[str, Any]] = {}
        self.m_enrol: dict[str, dict[str, Any]] = {}
        self.m_place: dict[str, dict[str, Any]] = {}
        self.names = itertools.count()

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- helpers ------------------------------------------------------------------------

    def _stamp(self) -> int:
        self.op += 1
        return self.op

    def _name(self) -> str:
        return f"学员{next(self.names)}"

    def _rows(self, table: str) -> dict[str, dict[str, Any]]:
        return {"cbos": self.m_cbos, "participants": self.m_people, "placements": self.m_place}.get(
            table, self.m_enrol)

    def _refusal(self, person_id: str | None, cbo_id: str) -> type[Exception] | None:
        """What the store says to saving a person (new when person_id is None)."""
        if self.m_cbos[cbo_id]["deleted"]:
            return RecordInvalid
        if person_id is not None and self.m_people[person_id]["deleted"]:
            return NotFound
        return None

    # ---- rules: adding ------------------------------------------------------------------

    @initialize(target=cbos)
    def first_cbo(self):
        return self._add_cbo(50.0)

    @rule(target=cbos, sii=st.floats(20, 99).map(lambda v: round(v, 1)))
    @precondition(lambda self: len(self.m_cbos) < 4)
    def add_cbo(self, sii):
        return self._add_cbo(sii)

    def _add_cbo(self, sii: float) -> str:
        n = len(self.m_cbos)
        cbo = validate(CBO, dict(name_zh=f"机构{n}", name_en=f"CBO {n}", grant_usd=1000 * (n + 1),
                                 target_direct=10 + n, sii=sii + n / 1000))  # distinct scores: a stable order
        cbo_id = self.store.save_cbo(cbo).id
        self.m_cbos[cbo_id] = dict(deleted=False, stamp=self._stamp())
        return cbo_id

    def _expect(self, refusal: type[Exception] | None, action) -> Any:
        if refusal is None:
            return action()
        try:
            action()
        except refusal:
            return None
        raise AssertionError(f"the store accepted what the model refuses ({refusal.__name__})")

    @rule(target=trainings, cbo_id=cbos, reg_year=years, household=households, status=statuses)
    def add_trainee(self, cbo_id, reg_year, household, status):
        record = validate(TraineeRecord, dict(participant=person(cbo_id, self._name(), 1985, reg_year, household),
                                              training=training(status)))
        saved = self._expect(self._refusal(None, cbo_id), lambda: self.store.save_trainee(record))
        if saved is None:
            return None
        self._record_person(saved.participant.id, cbo_id, reg_year, household)
        self.m_enrol[saved.training.id] = dict(table="trainings", person=saved.participant.id, status=status,
                                               deleted=False, stamp=self.op)
        return saved.training.id

    @rule(target=enrolments, cbo_id=cbos, reg_year=years, household=households)
    def add_child(self, cbo_id, reg_year, household):
        record = validate(ChildRecord, dict(
            participant=person(cbo_id, self._name(), 2004, reg_year, household),
            enrolment=dict(school="明圆学校", grade=2, guardian_name="王建国", guardian_consent=True,
                           start_date="2012-09-01")))
        saved = self._expect(self._refusal(None, cbo_id), lambda: self.store.save_child(record))
        if saved is None:
            return None
        self._record_person(saved.participant.id, cbo_id, reg_year, household)
        self.m_enrol[saved.enrolment.id] = dict(table="after_school", person=saved.participant.id,
                                                deleted=False, stamp=self.op)
        return ("after_school", saved.enrolment.id)

    @rule(target=enrolments, cbo_id=cbos, reg_year=years, household=households)
    def add_other(self, cbo_id, reg_year, household):
        record = validate(ParticipantRecord, dict(
            participant=person(cbo_id, self._name(), 1970, reg_year, household),
            programme=dict(programme="blind_adult_training", start_date="2011-05-01")))
        saved = self._expect(self._refusal(None, cbo_id), lambda: self.store.save_participant(record))
        if saved is None:
            return None
        self._record_person(saved.participant.id, cbo_id, reg_year, household)
        self.m_enrol[saved.programme.id] = dict(table="other_programmes", person=saved.participant.id,
                                                deleted=False, stamp=self.op)
        return ("other_programmes", saved.programme.id)

    @rule(target=enrolments, training_id=trainings, household=households)
    def add_other_programme_for_a_trainee(self, training_id, household):
        """The same person joins a second programme: still one direct beneficiary."""
        if training_id is None:
            return None
        pid = self.m_enrol[training_id]["person"]
        stored = self.store.get_participant(pid)
        data = stored.model_dump(mode="json")
        data["household_members"] = household
        record = validate(ParticipantRecord, dict(participant=data, programme=dict(
            programme="other", description="社区活动", start_date="2013-01-01")))
        cbo_id = self.m_people[pid]["cbo"]
        saved = self._expect(self._refusal(pid, cbo_id), lambda: self.store.save_participant(record))
        if saved is None:
            return None
        stamp = self._stamp()
        self.m_people[pid].update(household=household, stamp=stamp)
        self.m_enrol[saved.programme.id] = dict(table="other_programmes", person=pid, deleted=False, stamp=stamp)
        return ("other_programmes", saved.programme.id)

    def _record_person(self, pid: str, cbo_id: str, reg_year: int, household: int) -> None:
        self.m_people[pid] = dict(cbo=cbo_id, reg=dt.date(reg_year, 3, 1), household=household, deleted=False,
                                  stamp=self._stamp())

    @rule(target=placements, training_id=trainings)
    def add_placement(self, training_id):
        if training_id is None:
            return None
        placement = validate(Placement, dict(training_id=training_id, employer="家政公司", job_title="保洁",
                                             start_date="2011-01-01", wage_cny=3000))
        t = self.m_enrol[training_id]
        refusal = RecordInvalid if t["deleted"] or t["status"] == "dropped" else None
        saved = self._expect(refusal, lambda: self.store.save_placement(placement))
        if saved is None:
            return None
        self.m_place[saved.id] = dict(training=training_id, deleted=False, stamp=self._stamp())
        return saved.id

    # ---- rules: editing -------------------------------------------------------------------

    @rule(training_id=trainings, status=statuses, household=households, reg_year=years)
    def edit_trainee(self, training_id, status, household, reg_year):
        if training_id is None:
            return
        current = self.store.get_trainee(training_id)
        p = current.participant.model_dump(mode="json")
        p.update(household_members=household, registered_on=f"{reg_year}-03-01")
        t = current.training.model_dump(mode="json")
        t.update(training(status))
        record = validate(TraineeRecord, dict(participant=p, training=t))
        m = self.m_enrol[training_id]
        pid = m["person"]
        refusal = self._refusal(pid, self.m_people[pid]["cbo"]) or (NotFound if m["deleted"] else None)
        if self._expect(refusal, lambda: self.store.save_trainee(record)) is None:
            return
        stamp = self._stamp()
        self.m_people[pid].update(household=household, reg=dt.date(reg_year, 3, 1), stamp=stamp)
        m.update(status=status, stamp=stamp)

    # ---- rules: delete and restore ------------------------------------------------------------

    def _cascade(self, table: str, row_id: str) -> list[tuple[str, str]]:
        rows = [(table, row_id)]
        if table in ("cbos", "placements"):
            return rows
        if table == "trainings":
            rows += [("placements", pl) for pl, m in self.m_place.items() if m["training"] == row_id]
        pid = self.m_enrol[row_id]["person"]
        if not any(e["person"] == pid and not e["deleted"] and eid != row_id for eid, e in self.m_enrol.items()):
            rows.append(("participants", pid))
        return rows

    def _delete(self, table: str, row_id: str) -> None:
        row = self._rows(table)[row_id]
        refusal = None
        if table == "cbos" and not row["deleted"] and any(
                p["cbo"] == row_id and not p["deleted"] for p in self.m_people.values()):
            refusal = RecordInvalid
        kind = ENROLMENT_KIND.get(table, table)
        self._expect(refusal, lambda: self.store.delete(kind, row_id))
        if refusal or row["deleted"]:
            return
        stamp = self._stamp()
        for t, rid in self._cascade(table, row_id):
            target = self._rows(t)[rid]
            if not target["deleted"]:
                target.update(deleted=True, stamp=stamp)

    def _restore(self, table: str, row_id: str) -> None:
        row = self._rows(table)[row_id]
        refusal = None
        if row["deleted"] and table == "placements" and self.m_enrol[row["training"]]["deleted"]:
            refusal = RecordInvalid
        kind = ENROLMENT_KIND.get(table, table)
        self._expect(refusal, lambda: self.store.restore(kind, row_id))
        if refusal or not row["deleted"]:
            return
        targets = [(table, row_id)]
        if table == "trainings":
            targets += [("placements", pl) for pl, m in self.m_place.items()
                        if m["training"] == row_id and m["deleted"] and m["stamp"] == row["stamp"]]
        if table not in ("cbos", "placements"):
            targets.append(("participants", row["person"]))
        stamp = self._stamp()
        for t, rid in targets:
            target = self._rows(t)[rid]
            if target["deleted"]:
                target.update(deleted=False, stamp=stamp)

    @rule(training_id=trainings)
    def delete_trainee(self, training_id):
        if training_id is not None:
            self._delete("trainings", training_id)

    @rule(training_id=trainings)
    def restore_trainee(self, training_id):
        if training_id is not None:
            self._restore("trainings", training_id)

    @rule(enrolment=enrolments)
    def delete_enrolment(self, enrolment):
        if enrolment is not None:
            self._delete(*enrolment)

    @rule(enrolment=enrolments)
    def restore_enrolment(self, enrolment):
        if enrolment is not None:
            self._restore(*enrolment)

    @rule(placement_id=placements)
    def delete_placement(self, placement_id):
        if placement_id is not None:
            self._delete("placements", placement_id)

    @rule(placement_id=placements)
    def restore_placement(self, placement_id):
        if placement_id is not None:
            self._restore("placements", placement_id)

    @rule(placement_id=placements)
    def delete_placement_then_its_trainee_then_restore_the_trainee(self, placement_id):
        """A placement removed on its own stays removed when its trainee comes back."""
        if placement_id is not None:
            training_id = self.m_place[placement_id]["training"]
            self._delete("placements", placement_id)
            self._delete("trainings", training_id)
            self._restore("trainings", training_id)

    @rule(cbo_id=cbos)
    def delete_cbo(self, cbo_id):
        self._delete("cbos", cbo_id)

    @rule(cbo_id=cbos)
    def restore_cbo(self, cbo_id):
        self._restore("cbos", cbo_id)

    # ---- export and merge ---------------------------------------------------------------------------

    @rule()
    def export_and_merge_into_hq(self):
        """Headquarters, after merging this field's latest export, shows the model's figures too."""
        out = self.dir / f"export-{self.op}.db"
        exchange.export(self.store, out)
        report = exchange.merge(self.dir / "hq.db", [out])
        assert not report.refused, report.files[0].reason
        out.unlink()
        with Store.open_readonly(self.dir / "hq.db") as hq:
            for date_to in (None, CUTOFF):
                assert summary.compute(hq, summary.Filters(date_to=date_to)).to_json() == self.expected(date_to)

    # ---- the model's figures --------------------------------------------------------------------

    def expected(self, date_to: dt.date | None = None) -> dict[str, Any]:
        """The donor's figures by counting the model, shaped by the summary's own JSON writer."""
        live_people = {pid: p for pid, p in self.m_people.items()
                       if not p["deleted"] and (date_to is None or p["reg"] <= date_to)}
        figures = {}
        for cbo_id in self.store.conn.execute(  # ids and static columns come from the file; counts do not
                "SELECT id FROM cbos WHERE deleted = 0 ORDER BY sii DESC, name_en"):
            cbo_id = cbo_id[0]
            assert not self.m_cbos[cbo_id]["deleted"]
            figures[cbo_id] = dict(direct=0, indirect=0, trainees=set(), completed=set(), placed=set(),
                                   children=set(), others=set())
        assert len(figures) == sum(not c["deleted"] for c in self.m_cbos.values())
        for pid, p in live_people.items():
            if p["cbo"] in figures:
                figures[p["cbo"]]["direct"] += 1
                figures[p["cbo"]]["indirect"] += p["household"]
        for eid, e in self.m_enrol.items():
            p = live_people.get(e["person"])
            if e["deleted"] or p is None or p["cbo"] not in figures:
                continue
            f = figures[p["cbo"]]
            if e["table"] == "trainings":
                f["trainees"].add(e["person"])
                if e["status"] == "completed":
                    f["completed"].add(e["person"])
            elif e["table"] == "after_school":
                f["children"].add(e["person"])
            else:
                f["others"].add(e["person"])
        for pl in self.m_place.values():
            t = self.m_enrol[pl["training"]]
            p = live_people.get(t["person"])
            if not pl["deleted"] and not t["deleted"] and p is not None and p["cbo"] in figures:
                figures[p["cbo"]]["placed"].add(t["person"])
        actual = summary.compute(self.store, summary.Filters(date_to=date_to))
        by_id = {c.id: c for c in actual.cbos}
        # The model counts people; the outcome figures and breakdowns are the computed ones (checked
        # against the counts in `breakdowns_sum_to_totals`).
        model = dataclasses.replace(actual, cbos=[
            dataclasses.replace(by_id[cid], **dict(
                direct_beneficiaries=f["direct"], indirect_beneficiaries=f["indirect"],
                trainees=len(f["trainees"]), trainees_completed=len(f["completed"]),
                trainees_placed=len(f["placed"]), after_school_children=len(f["children"]),
                other_participants=len(f["others"])))
            for cid, f in figures.items()])
        return model.to_json()

    # ---- invariants -------------------------------------------------------------------------------

    @invariant()
    def summary_equals_model(self):
        for date_to in (None, CUTOFF):
            got = summary.compute(self.store, summary.Filters(date_to=date_to)).to_json()
            assert got == self.expected(date_to)

    @invariant()
    def breakdowns_sum_to_totals(self):
        got = summary.compute(self.store).to_json()
        for groups in got["breakdowns"].values():
            for key in ("direct_beneficiaries", "trainees", "trainees_placed", "after_school_children"):
                assert sum(g[key] for g in groups.values()) == got[key], key

    @invariant()
    def list_counts_equal_model(self):
        for table, kind in ENROLMENT_KIND.items():
            live = sum(1 for e in self.m_enrol.values() if e["table"] == table and not e["deleted"])
            assert self.store.count(kind) == live, kind
        assert self.store.count("placements") == sum(not p["deleted"] for p in self.m_place.values())
        assert self.store.count("cbos") == sum(not c["deleted"] for c in self.m_cbos.values())


StoreMachine.TestCase.settings = FAST
TestStoreAgainstModel = StoreMachine.TestCase


@pytest.mark.slow
def test_soak_store_against_model(capsys):
    run_state_machine_as_test(StoreMachine, settings=SOAK)
    with capsys.disabled():
        print(f"\n[stateful] {SOAK.max_examples} random sequences of up to {SOAK.stateful_step_count} "
              "store operations: summary equal to the model after every step")
