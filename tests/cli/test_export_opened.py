"""An export opened as if it were a field or headquarters file: the names look alike
(`field-export-20261201.db` beside `field.db`), and a coordinator checks what is in it before
sending, or swaps the two arguments of `merge`.

Before, `fieldtui summary EXPORT` said the file was damaged ("restore it from a backup"), the app
stopped on an internal error with a traceback, and `merge EXPORT FIELD-EXPORT` called it damaged
after changing a byte of its header (the journal mode). Now every command refuses it in one line
that says what it is and what to do with it, and the export is left byte for byte as it was: it
still merges at headquarters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fieldtui.core import exchange


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def an_export(sample_copy, tmp_path) -> Path:
    out = tmp_path / "field-export-20261201.db"
    exchange.export(sample_copy, out)
    return out


@pytest.mark.parametrize("command", [("summary", "{x}"), ("open", "{x}"), ("{x}",), ("merge", "{x}", "{other}"),
                                     ("export", "{x}", "{out}"), ("duplicates", "{x}"), ("redate", "{x}"),
                                     ("export-table", "{x}", "{out}.csv", "--kind", "trainees")],
                         ids=lambda c: " ".join(c))
def test_an_export_given_where_a_field_or_headquarters_file_goes_is_refused_in_one_line(an_export, tmp_path,
                                                                                     command):
    other = tmp_path / "other-export.db"
    other.write_bytes(an_export.read_bytes())
    before = an_export.read_bytes()
    args = [a.format(x=an_export, other=other, out=tmp_path / "out") for a in command]
    done = cli(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    said = done.stderr.strip().splitlines()
    assert len(said) == 1 and "export" in said[0] and "merge" in said[0], said
    assert "damaged" not in said[0] and "Traceback" not in done.stderr
    assert an_export.read_bytes() == before
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.csv").exists()


def test_the_export_still_merges_after_being_opened(an_export, tmp_path):
    cli("summary", str(an_export))
    cli("open", str(an_export))
    done = cli("merge", str(tmp_path / "hq.db"), str(an_export))
    assert done.returncode == 0, done.stderr


def test_a_sealed_export_opened_to_work_in_is_named_as_one(sample_copy, tmp_path):
    """The same with an export sealed to headquarters' key: it said "not a SQLite database"."""
    assert cli("keys", "init", str(tmp_path / "keys")).returncode == 0
    sealed = tmp_path / "field-export-20261201.db.age"
    done = cli("export", str(sample_copy), str(sealed), "--to", str(tmp_path / "keys" / "hq-public.txt"))
    assert done.returncode == 0, done.stderr
    before = sealed.read_bytes()
    for command in (("summary", sealed), ("open", sealed), ("merge", sealed, tmp_path / "x.db")):
        done = cli(*map(str, command))
        said = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(said) == 1, (command, done.stderr)
        assert "sealed" in said[0] and "merge" in said[0] and "--identity" in said[0], said
    assert sealed.read_bytes() == before
