"""Named operators of a file: added once, signed in by name, a PIN checked and never kept in clear."""

from __future__ import annotations

import pytest

from fieldtui.core.errors import StoreError
from fieldtui.core.store import Store

PIN = "pin-7391-kestrel"  # distinctive: its bytes cannot appear by chance


def test_operators_sign_in_with_their_pin_which_is_kept_only_as_a_salted_hash(tmp_path):
    path = tmp_path / "field.db"
    with Store.open(path, create=True, operator="root") as s:
        assert not s.has_operators()
        assert s.add_operator("  李 老师 ", PIN) == "李 老师"
        s.add_operator("Zhang")
        assert s.operators() == [("Zhang", False), ("李 老师", True)]
        with pytest.raises(StoreError, match="wrong PIN"):
            s.sign_in("李 老师", "0000")
        with pytest.raises(StoreError, match="wrong PIN"):
            s.sign_in("李 老师")
        assert s.operator == "root"  # unchanged by a refused sign-in
        assert s.sign_in("zhang") == "Zhang"  # names match whatever the case; no PIN asked
        assert s.sign_in("李 老师", PIN) == "李 老师" and s.operator == "李 老师"
        salts = {r[0] for r in s.conn.execute("SELECT pin_salt FROM operators WHERE pin_salt IS NOT NULL")}
        s.add_operator("Wang", PIN)
        salts2 = {r[0] for r in s.conn.execute("SELECT pin_salt FROM operators WHERE pin_salt IS NOT NULL")}
        hashes = {r[0] for r in s.conn.execute("SELECT pin_hash FROM operators WHERE pin_hash IS NOT NULL")}
    assert len(salts2 - salts) == 1 and len(hashes) == 2  # one PIN, two salts, two hashes
    assert PIN.encode() not in path.read_bytes()


@pytest.mark.parametrize(("name", "pin", "why"), [
    ("", None, "give the operator's name"),
    ("x" * 61, None, "at most 60"),
    ("a\x1bb", None, "control characters"),
    ("Li", "123", "at least 4"),
    ("zhang", None, "already an operator"),
])
def test_bad_operators_are_refused_in_one_line_and_nothing_is_written(tmp_path, name, pin, why):
    with Store.open(tmp_path / "field.db", create=True) as s:
        s.add_operator("Zhang")
        with pytest.raises(StoreError, match=why) as err:
            s.add_operator(name, pin)
        assert "\n" not in str(err.value)
        assert s.operators() == [("Zhang", False)]
    with Store.open(tmp_path / "field.db") as s, pytest.raises(StoreError, match="not an operator"):
        s.sign_in("Nobody")
