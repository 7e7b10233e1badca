"""Damaged and crafted files thrown at the read paths that exist today: open, summary, lists, CLI.

Every file built by tests/fixtures/make_hostile.py, and randomly mutated copies of a valid file
(flipped bytes, overwritten ranges, truncation), must give either a correct reading or ONE
people-facing line (a StoreError; exit status 2 from the CLI): never a traceback, and opening
read-only never changes a byte. Merge/import get the same treatment in test_fuzz_exchange.py.
"""

from __future__ import annotations

import collections
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtui.cli import main
from fieldtui.core import summary
from fieldtui.core.store import Store, StoreError
from tests.fixtures.make_hostile import DB_BUILDERS, build_databases, valid_file

FAST_EXAMPLES = int(os.environ.get("FIELDTUI_FUZZ_EXAMPLES", 150))
SOAK_EXAMPLES = int(os.environ.get("FIELDTUI_SOAK_FUZZ_EXAMPLES", 5000))


def _fingerprint(path: Path) -> dict[str, str]:
    """Digest of the file and everything beside it: 'unchanged' includes no new -wal/-shm."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.glob(path.name + "*"))}


def _read_everything(path: Path) -> str:
    """What the app does with a file it only reads: 'ok', 'refused' (one line at open) or
    'damaged' (SQLite or the text decoder found damage while reading rows: the CLI turns that
    into one line, checked by `_cli_one_line`). Anything else is a bug and propagates."""
    try:
        with Store.open_readonly(path) as s:
            summary.compute(s).to_json()
            for kind in ("cbos", "trainees", "children", "participants", "placements"):
                s.page(kind, limit=50)
                s.count(kind)
        return "ok"
    except StoreError as exc:
        text = str(exc)
        assert text and "\n" not in text, repr(text)
        return "refused"
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return "damaged"


def _cli_one_line(path: Path) -> int:
    """`fieldtui summary FILE --json`: the figures (0) or one line on stderr (2), never a traceback."""
    result = CliRunner().invoke(main, ["summary", str(path), "--json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    return result.exit_code


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return build_databases(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory) -> bytes:
    path = valid_file(tmp_path_factory.mktemp("valid") / "valid.db")
    return path.read_bytes()


#: What `open_readonly` itself promises to refuse; the rest (damaged pages, crafted schemas) must
#: be refused by merge/import, which check the whole file first (see make_hostile's checklist).
REFUSED_AT_OPEN = {"wrong_application_id", "future_version", "not_sqlite", "empty", "short_header",
                   "foreign_sqlite", "truncated_header_only", "flipped_header"}
HOSTILE_NAMES = [*sorted(DB_BUILDERS), "not_sqlite", "empty", "short_header", "foreign_sqlite"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_read_only_gives_a_reading_or_one_line_and_changes_nothing(hostile, name, tmp_path):
    path = tmp_path / hostile[name].name
    for p in hostile[name].parent.glob(hostile[name].name + "*"):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    had_wal = Path(f"{path}-wal").exists()
    before = _fingerprint(path)
    outcome = _read_everything(path)
    _cli_one_line(path)
    after = _fingerprint(path)
    if had_wal:  # reading committed data in a -wal needs its -shm index; neither file nor -wal changes
        after.pop(f"{path.name}-shm", None)
    assert after == before
    if name in REFUSED_AT_OPEN:
        assert outcome == "refused", f"{name} was not refused"


# Damage the summary reads (the CBO table's page; it reads participants through covering indexes,
# so a flipped participants page goes unseen by it: merge and import run quick_check for that).
@pytest.mark.parametrize("name", ["flipped_cbo_page", "truncated_half", "future_version", "not_sqlite",
                                  "wrong_application_id", "bad_page_count"])
def test_cli_summary_of_a_hostile_file_is_one_line_and_status_2(hostile, name):
    result = CliRunner().invoke(main, ["summary", str(hostile[name]), "--json"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


mutations = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), st.integers(0, 2**20), st.integers(1, 255)),
        st.tuples(st.just("overwrite"), st.integers(0, 2**20), st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("truncate"), st.integers(0, 2**20), st.just(0)),
    ),
    min_size=1, max_size=6,
)


def mutate(data: bytes, ops: list[tuple]) -> bytes:
    buf = bytearray(data)
    for op, where, what in ops:
        if not buf:
            break
        at = where % len(buf)
        if op == "flip":
            buf[at] ^= what
        elif op == "overwrite":
            buf[at:at + len(what)] = what
        else:
            del buf[at:]
    return bytes(buf)


def _fuzz_once(tmp_dir: Path, data: bytes, ops: list[tuple], outcomes: collections.Counter) -> None:
    path = tmp_dir / "mutant.db"
    for leftover in tmp_dir.glob("mutant.db*"):
        leftover.unlink()
    path.write_bytes(mutate(data, ops))
    before = _fingerprint(path)
    outcomes[_read_everything(path)] += 1
    outcomes[f"cli_exit_{_cli_one_line(path)}"] += 1
    assert _fingerprint(path) == before


def test_fuzz_mutated_files_read_only(valid_bytes, tmp_path):
    outcomes = collections.Counter()

    @settings(max_examples=FAST_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(ops=mutations)
    def run(ops):
        _fuzz_once(tmp_path, valid_bytes, ops, outcomes)

    run()
    assert outcomes["refused"] > 0 and outcomes["ok"] > 0


@pytest.mark.slow
def test_soak_fuzz_mutated_files_read_only(valid_bytes, tmp_path, capsys):
    outcomes = collections.Counter()

    @settings(max_examples=SOAK_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(ops=mutations)
    def run(ops):
        _fuzz_once(tmp_path, valid_bytes, ops, outcomes)

    run()
    with capsys.disabled():
        total = outcomes["ok"] + outcomes["refused"] + outcomes["damaged"]
        print(f"\n[fuzz-open] {total} mutated files opened read-only: {outcomes['ok']} read, "
              f"{outcomes['refused']} refused at open, {outcomes['damaged']} damage found while reading; "
              f"CLI summary: {outcomes['cli_exit_0']} exit 0, {outcomes['cli_exit_2']} one-line errors; "
              "0 tracebacks, 0 bytes changed")


def test_negative_schema_version_in_a_damaged_header_is_refused(valid_bytes, tmp_path):
    """Found by the soak fuzz: bytes 60-63 (user_version) overwritten with 0x80...: negative."""
    path = tmp_path / "mutant.db"
    path.write_bytes(mutate(valid_bytes, [("overwrite", 57, b"\x00\x00\x00\x80")]))
    assert _read_everything(path) == "refused"
    for opener in (Store.open, Store.open_readonly):
        with pytest.raises(StoreError, match="schema version is invalid"):
            opener(path)
