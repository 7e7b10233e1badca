"""Two laptops cloned from one disk image (Clonezilla, a copied virtual machine): the same machine
id, the same file at the same inode, so the copy is not seen as a copy and both laptops write under
one device id. The merge must not lean on device ids: edits of different fields of one person are
both kept, the same field edited on both is a conflict listing both values, and the order in which
the exports arrive changes nothing. (It held on the code before this test: a scenario kept, not a
fault found.)"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3

from fieldtui.core import exchange
from fieldtui.core.records.base import _location
from fieldtui.core.store import Store
from tests.cli.test_restored_backup import edit, rows, run
from tests.core.test_store import make_cbo, trainee


def disk_clone(src, dest) -> None:
    """The file as a cloned disk holds it: where the clone finds it is where it was written."""
    shutil.copyfile(src, dest)
    st = os.stat(dest)
    conn = sqlite3.connect(dest)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'location'", (_location((st.st_dev, st.st_ino)),))
    conn.commit()
    conn.close()


def test_laptops_cloned_from_one_disk_image_lose_no_edit_at_headquarters(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a, create=True) as s:
        person = s.save_trainee(trainee(make_cbo(s), "丁一", phone="13800000000"))
    disk_clone(a, b)
    for path, fields in ((a, {"phone": "13911111111"}), (b, {"household_members": 7}),
                         (a, {"full_name": "严格"}), (b, {"full_name": "万里"})):
        with Store.open(path) as s:
            edit(s, person.training.id, **fields)
    devices = set()
    for path in (a, b):
        with Store.open_readonly(path) as s:
            devices.add(s.device_id)
    assert len(devices) == 1  # the situation: one device id on two laptops
    for path in (a, b):
        run("export", path, tmp_path / f"{path.stem}-export.db")
    for hq in merged_both_ways(tmp_path):
        with Store.open_readonly(hq) as s:
            kept = s.get_participant(person.participant.id)
        assert (kept.phone, kept.household_members) == ("13911111111", 7)


def merged_both_ways(tmp_path) -> list:
    """a's and b's exports merged into two headquarters, in both orders: each lists one
    conflict, the name with both values, and the two hold the same rows. Returns both files."""
    tables, files = {}, []
    for order in ("ab", "ba"):
        hq = tmp_path / f"hq-{order}.db"
        run("merge", hq, *(tmp_path / f"{laptop}-export.db" for laptop in order))
        with Store.open_readonly(hq) as s:
            listed = {c["field"]: sorted(v["value"] for v in c["versions"]) for c in exchange.conflicts(s)}
        assert listed == {"full_name": ["万里", "严格"]}
        tables[order] = [rows(hq, t) for t in ("participants", "trainings", "field_conflicts")]
        files.append(hq)
    assert tables["ab"] == tables["ba"]
    return files


def test_one_field_edited_on_two_copies_under_clocks_behind_its_last_save_keeps_both_values(tmp_path):
    """A save made under a clock ahead (within the day headquarters allows), the clock then put
    right, the file copied to a second laptop, and the same name corrected differently on both
    while their clocks are still behind that save. Each new version is stamped just after it
    (history.later_than): before, both were stamped the same microsecond, headquarters took the two
    edits for one version and kept whichever file came second, listing no conflict."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a, create=True) as s:
        person = s.save_trainee(trainee(make_cbo(s), "丁一", phone="13800000000"))
        ahead = dt.datetime.now(dt.UTC) + dt.timedelta(hours=20)
        s.clock = lambda: ahead.isoformat(timespec="microseconds")
        edit(s, person.training.id, phone="13911111111")
    shutil.copyfile(a, b)  # the clock is right again; the file goes to a second laptop
    for path, name in ((a, "严格"), (b, "万里")):
        with Store.open(path) as s:
            edit(s, person.training.id, full_name=name)
            run("export", path, tmp_path / f"{path.stem}-export.db")
    merged_both_ways(tmp_path)
