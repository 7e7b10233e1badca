"""A damaged draft or an internal error never crashes silently and never prints people's data.

The app runs in a real pseudo-terminal, as `fieldtui DB` would; stderr is read as a person or a
log collector would see it."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from fieldtui.core.store import Store

from .conftest import run_in_pty

CTRL_Q = b"\x11"
SECRET_NAME, SECRET_PHONE = "王秘密", "13811112222"


def _add_draft(db, data: str, kind: str = "trainees") -> None:
    Store.open(db).close()  # sample.db is schema 2: upgraded, as the app would, to have drafts
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("INSERT INTO drafts (form, kind, record_id, data, saved_at) VALUES (?, ?, NULL, ?, ?)",
                     (f"{kind}:new", kind, data, "2026-11-30T10:00:00+00:00"))
    conn.close()


DAMAGED = {
    "truncated-json": json.dumps({"values": {"participant.full_name": SECRET_NAME,
                                             "participant.phone": SECRET_PHONE}}, ensure_ascii=False)[:-2],
    "nested-3000": '{"values": {"participant.full_name": "' + SECRET_NAME + '", "x": ' + "[" * 3000 + "]" * 3000 + "}}",
    "wrong-shape": json.dumps({"values": {"participant.full_name": {"name": SECRET_NAME}}}, ensure_ascii=False),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_draft_is_set_aside_and_the_app_starts(field_copy, damage):
    _add_draft(field_copy, DAMAGED[damage])
    code, err, _raw = run_in_pty([sys.executable, "-m", "fieldtui", str(field_copy)], [(4.0, CTRL_Q)])
    assert code == 0, err
    assert SECRET_NAME not in err and SECRET_PHONE not in err and "Traceback" not in err
    assert "set aside" in err  # the one line, on screen
    conn = sqlite3.connect(field_copy)
    assert conn.execute("SELECT form FROM drafts").fetchall() == [("damaged:trainees:new",)]
    conn.close()


CRASHING = f"""
import sys
from fieldtui.tui.screens.home import HomeScreen

def on_mount(self):
    person = {{"full_name": "{SECRET_NAME}", "phone": "{SECRET_PHONE}"}}
    raise ValueError("cannot show " + person["full_name"] + " " + person["phone"])

HomeScreen.on_mount = on_mount
from fieldtui.cli import main
sys.argv = ["fieldtui", sys.argv[1]]
main()
"""


def test_an_internal_error_prints_where_not_what_and_exits_1(field_copy):
    code, err, _drawn = run_in_pty([sys.executable, "-c", CRASHING, str(field_copy)], [], timeout=60)
    assert code == 1
    assert "internal error (ValueError)" in err
    assert "in on_mount" in err
    assert SECRET_NAME not in err and SECRET_PHONE not in err
