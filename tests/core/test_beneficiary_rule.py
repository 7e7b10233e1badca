"""A person counts only while one of their enrolments is live, at headquarters too."""

from __future__ import annotations

import shutil

from fieldtui.core import exchange, summary
from fieldtui.core.models import OtherProgramme, validate
from fieldtui.core.store import Store
from tests.core.test_store import make_cbo, trainee


def two_laptops_each_removing_one_programme(tmp_path) -> tuple[str, list]:
    """A person with two programmes on two laptops, each of which removes one: their exports."""
    with Store.open(tmp_path / "a.db", create=True) as store:
        cbo = make_cbo(store)
        pid = store.save_trainee(trainee(cbo)).participant.id
        store.save_enrolment_of(pid, validate(OtherProgramme, {"programme": "other", "start_date": "2010-04-01"}))
        assert summary.compute(store).direct_beneficiaries == 1
    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    with Store.open(tmp_path / "a.db") as store:
        store.delete("trainees", store.enrolment_of("trainees", pid))
        assert summary.compute(store).direct_beneficiaries == 1  # the other programme is live
    with Store.open(tmp_path / "b.db") as store:
        store.delete("others", store.enrolment_of("others", pid))
        assert summary.compute(store).direct_beneficiaries == 1
    for name in ("a", "b"):
        exchange.export(tmp_path / f"{name}.db", tmp_path / f"{name}-out.db")
    return pid, [tmp_path / "a-out.db", tmp_path / "b-out.db"]


def test_two_laptops_each_removing_one_of_two_programmes_leave_the_person_uncounted_at_hq(tmp_path):
    pid, exports = two_laptops_each_removing_one_programme(tmp_path)
    report = exchange.merge(tmp_path / "hq.db", exports)
    assert not report.refused
    with Store.open_readonly(tmp_path / "hq.db") as hq:
        figures = summary.compute(hq)
        assert (figures.direct_beneficiaries, figures.indirect_beneficiaries) == (0, 0)
        assert [(u["id"], u["why"]) for u in summary.uncounted(hq)] == [(pid, "no_enrolment")]
        assert figures.uncounted == 1  # and the figures say so
        assert summary.compute(hq, outcomes_too=False).uncounted == 1
