"""A laptop whose clock fell back (a flat battery resets it to a year long past): the app says so
at start. Before, nothing did: a new record took the wrong year from the form's defaults, and the
right date typed instead was refused as "in the future", so staff recorded the clock's year, and
the donor's figures by period counted those people in the wrong year."""

from __future__ import annotations

import datetime as dt

from fieldtui.core import clock
from fieldtui.core.models import CBO
from fieldtui.core.store import Store
from fieldtui.tui.app import FieldApp
from tests.core.test_store import trainee

from .helpers import settle


async def notices_at_start(path) -> list[str]:
    app = FieldApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        return [str(n.message) for n in app._notifications]


async def test_a_clock_behind_the_files_last_save_is_named_at_start(sample_copy, monkeypatch):
    with Store.open(sample_copy) as store:  # saved last on 2026-06-01 (the sample's saves are from 2012)
        store.clock = lambda: "2026-06-01T09:00:00.000000+00:00"
        store.save_trainee(trainee(store.page("cbos", limit=1)[0]["id"], "新学员丁"))
    assert not [m for m in await notices_at_start(sample_copy) if "clock" in m]  # a right clock: nothing
    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 1, 1))
    said = [m for m in await notices_at_start(sample_copy) if "clock" in m]
    assert len(said) == 1 and "2025-01-01" in said[0] and "2026-06-01" in said[0] and "redate" in said[0], said
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 6, 2))
    # within a day: drift, not a fall
    assert not [m for m in await notices_at_start(sample_copy) if "clock" in m]


async def test_a_clock_reset_long_ago_behind_the_files_last_save_is_not_sent_to_redate(sample_copy, monkeypatch):
    """Reset to 2009 (a flat battery), behind the sample's last save (2012): the clock is named
    wrong, not the saves as made while it was ahead. Before, the notice said to run `redate`,
    which re-dated every change of the file to 2009."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2009, 1, 1))
    said = [m for m in await notices_at_start(sample_copy) if "clock" in m]
    assert len(said) == 1 and "2009-01-01" in said[0] and "wrong" in said[0] and "redate" not in said[0], said


def test_saves_under_the_fallen_clock_do_not_hide_it(sample_copy, monkeypatch):
    """Records saved while the clock is behind are stamped by it: the file's last save is still
    the latest one ever, so the warning stays until the clock is right."""
    with Store.open_readonly(sample_copy) as store:
        last_save = store.conn.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0][:10]
    monkeypatch.setattr(clock, "today", lambda: dt.date(2011, 1, 1))
    with Store.open(sample_copy) as store:
        store.clock = lambda: "2011-01-01T09:00:00.000000+00:00"
        cbo_id = store.page("cbos", limit=1)[0]["id"]
        for name in ("新学员甲", "新学员乙"):
            store.save_trainee(trainee(cbo_id, name))
        assert store.conn.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0] < last_save
        assert store.clock_behind() == last_save


async def test_saves_made_while_the_clock_was_ahead_point_to_redate_and_go_quiet_after_it(sample_copy):
    """The other wrong clock: ahead (2062) for a day, then set right. The file's last save is then
    later than today too; the notice says to re-date, and after `redate` (which re-dates the
    latest save with the rest) nothing is said at start."""
    with Store.open(sample_copy) as store:
        store.clock = lambda: "2062-03-01T08:00:00.000000+00:00"
        store.save_trainee(trainee(store.page("cbos", limit=1)[0]["id"], "新学员丙"))
    said = [m for m in await notices_at_start(sample_copy) if "clock" in m]
    assert len(said) == 1 and "2062-03-01" in said[0] and "redate" in said[0], said
    with Store.open(sample_copy) as store:
        assert store.redate_future()[0] > 0
    assert not [m for m in await notices_at_start(sample_copy) if "clock" in m]


async def test_a_clock_reset_long_ago_is_named_in_a_file_begun_under_it(tmp_path, monkeypatch):
    """A laptop whose clock was reset (a flat battery: 2009-01-01) and a file begun on it: every
    save is stamped 2009, none later than the clock, so nothing was said, and every person
    registered there counted in 2009 in the donor's figures. A date before this version of
    fieldtui was written (clock.NOT_BEFORE) is a wrong clock whatever the file holds."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2009, 1, 1))
    path = tmp_path / "new.db"
    with Store.open(path, create=True) as store:
        store.clock = lambda: "2009-01-01T09:00:00.000000+00:00"
        store.save_cbo(CBO(name_zh="新希望", name_en="New Hope", grant_usd=10000, target_direct=100,
                           programmes=["vocational_training"]))
    said = [m for m in await notices_at_start(path) if "clock" in m]
    assert len(said) == 1 and "2009-01-01" in said[0] and "set it right" in said[0] and "wrong" in said[0], said
    monkeypatch.setattr(clock, "today", lambda: clock.NOT_BEFORE)
    assert not [m for m in await notices_at_start(path) if "clock" in m]
