"""Fuzzing merge and import with mutated export files and spreadsheets.

Every file must end in one of two ways: refused with ONE line saying why, the receiving file
unchanged (HQ byte-identical after a refused merge; the same rows after a refused import); or
accepted, leaving a file that passes `integrity_check` and `foreign_key_check` and whose summary
computes. Never a traceback, never a partial write.

Mutations: bytes of a valid export (flips, overwritten ranges, truncation); SQL edits of a valid
export resealed with a correct manifest (what a person with a SQLite browser could do); bytes and
cells of a valid CSV; bytes of a valid XLSX. Plus every file of tests/fixtures/make_hostile.py.
`make test` runs a few hundred examples; `make soak` thousands, printing the counts.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtui.core import exchange, sheets, summary
from fieldtui.core.exchange import schema
from fieldtui.core.models import CBO, validate
from fieldtui.core.store import RECORD_TABLES, SCHEMA_VERSION, Store, StoreError
from tests.core.test_fuzz_open import mutate, mutations
from tests.fixtures.make_hostile import build_all, valid_file

FAST = int(os.environ.get("FIELDTUI_FUZZ_EXAMPLES", 100))
SOAK = int(os.environ.get("FIELDTUI_SOAK_FUZZ_EXAMPLES", 5000))
SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None, report_multiple_bugs=False)
#: `make test` runs the same examples every time (the known-bug markers below stay exact);
#: `make soak` explores afresh.
FAST_SETTINGS = dict(SETTINGS, derandomize=True)


# --------------------------------------------------------------------------- fixtures


def _digest(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.glob(path.name + "*"))}


def _check_healthy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    with Store.open_readonly(path) as s:
        summary.compute(s).to_json()


def _one_line(text: str) -> None:
    assert text and "\n" not in text and "Traceback" not in text, repr(text)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Path | bytes]:
    """A field file and its export; an HQ that has merged another field's export."""
    d = tmp_path_factory.mktemp("world")
    field = valid_file(d / "field.db")
    with Store.open(field) as s:  # a tombstone and an edit travel too
        tid = s.page("trainees", limit=1)[0]["id"]
        s.delete("trainees", tid)
    export = d / "export.db"
    exchange.export(field, export)
    other = valid_file(d / "other.db", people=5)
    other_export = d / "other-export.db"
    exchange.export(other, other_export)
    hq = d / "hq.db"
    report = exchange.merge(hq, [other_export])
    assert not report.refused, report.files[0].reason
    return {"dir": d, "field": field, "export": export, "export_bytes": export.read_bytes(), "hq": hq}


def _fresh_hq(world, tmp: Path) -> Path:
    hq = tmp / "hq.db"
    for p in tmp.glob("hq.db*"):
        p.unlink()
    shutil.copyfile(world["hq"], hq)
    hq.chmod(0o600)
    return hq


def _merge_outcome(hq: Path, incoming: Path, outcomes: collections.Counter) -> str:
    before = _digest(hq)
    report = exchange.merge(hq, [incoming])
    result = report.files[0]
    if result.accepted:
        _check_healthy(hq)
        outcomes["merged"] += 1
        return "merged"
    _one_line(result.reason)
    assert _digest(hq) == before, "a refused merge changed the headquarters file"
    outcomes["refused"] += 1
    return "refused"


@contextlib.contextmanager
def _counted(outcomes: collections.Counter, fast: bool):
    """Fast runs fail on the first problem (and shrink it); soak runs count every problem by kind."""
    try:
        yield
    except Exception as exc:
        if fast:
            raise
        first = (str(exc).splitlines() or [""])[0][:70]
        outcomes[f"PROBLEM {type(exc).__name__}: {first}"] += 1


def _problems(outcomes: collections.Counter) -> list[str]:
    return [f"{n} x {k}" for k, n in outcomes.items() if k.startswith("PROBLEM")]


# --------------------------------------------------------------------------- merge: bytes


def _fuzz_merge_bytes(world, tmp_path, examples: int, fast: bool = True) -> collections.Counter:
    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=examples, **(FAST_SETTINGS if fast else SETTINGS))
    @given(ops=mutations)
    def run(ops):
        with _counted(outcomes, fast):
            hq = _fresh_hq(world, tmp_path)
            bad = tmp_path / "mutant.db"
            bad.write_bytes(mutate(world["export_bytes"], ops))
            _merge_outcome(hq, bad, outcomes)

    run()
    return outcomes


def test_fuzz_merge_of_mutated_export_bytes(world, tmp_path):
    outcomes = _fuzz_merge_bytes(world, tmp_path, FAST)
    assert outcomes["refused"] > 0


# --------------------------------------------------------------------------- merge: resealed SQL edits


hostile_values = st.one_of(
    st.none(), st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.text(alphabet=st.characters(max_codepoint=0x20), max_size=5),
    st.binary(max_size=16), st.sampled_from(["", "(removed)", "2099-01-01", "0000-00-00", "robot", "nowhere",
                                             "=HYPERLINK(\"x\")", "王" * 5000]),
)


@st.composite
def sql_edits(draw):
    table = draw(st.sampled_from(RECORD_TABLES))
    return table, draw(st.integers(0, 20)), draw(st.integers(0, 20)), draw(hostile_values)


def reseal(path: Path) -> None:
    """Recompute the manifest's counts and checksum: a checksum detects damage, it is no signature.
    (A value the checksum cannot hold, e.g. a BLOB, leaves the old seal: merge must refuse it.)"""
    conn = sqlite3.connect(path)
    try:
        counts = json.dumps(schema.counts(conn))
        checksum = exchange.content_checksum(conn)
    except sqlite3.OperationalError:
        return
    finally:
        conn.close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'counts'", (counts,))
        conn.execute("UPDATE manifest SET value = ? WHERE key = 'checksum'", (checksum,))
        conn.commit()
    finally:
        conn.close()


def _apply_edit(path: Path, edit) -> bool:
    table, col_pick, row_pick, value = edit
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        col = cols[col_pick % len(cols)]
        rows = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
        if not rows:
            return False
        try:
            conn.execute(f"UPDATE {table} SET {col} = ? WHERE rowid = ?", (value, rows[row_pick % len(rows)]))
        except (sqlite3.IntegrityError, OverflowError):
            return False  # NOT NULL or a unique id: SQLite itself refuses this file edit
        conn.commit()
        return True
    finally:
        conn.close()


def _fuzz_merge_resealed(world, tmp_path, examples: int, fast: bool = True) -> collections.Counter:
    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=examples, **(FAST_SETTINGS if fast else SETTINGS))
    @given(edits=st.lists(sql_edits(), min_size=1, max_size=3))
    def run(edits):
        with _counted(outcomes, fast):
            hq = _fresh_hq(world, tmp_path)
            bad = tmp_path / "resealed.db"
            bad.write_bytes(world["export_bytes"])
            if not any([_apply_edit(bad, e) for e in edits]):
                return
            reseal(bad)
            _merge_outcome(hq, bad, outcomes)

    run()
    return outcomes


def test_fuzz_merge_of_resealed_sql_edits(world, tmp_path):
    outcomes = _fuzz_merge_resealed(world, tmp_path, FAST)
    assert outcomes["refused"] > 0


RULE_BREAKING_EDITS = [
    "UPDATE participants SET gender = 'robot'",
    "UPDATE participants SET birth_year = 3020",
    "UPDATE participants SET household_members = -100",  # would lower the indirect-beneficiary figure
    "UPDATE participants SET full_name = char(0) || 'x'",
    "UPDATE after_school SET guardian_consent = 0",  # a child under 14 without consent (PIPL)
    "UPDATE placements SET wage_cny = -5",
]


@pytest.mark.parametrize("edit", RULE_BREAKING_EDITS)
def test_resealed_rows_breaking_the_models_rules_are_refused(world, tmp_path, edit):
    """Nothing a form would refuse may arrive by merge: rows are checked by the same models."""
    hq = _fresh_hq(world, tmp_path)
    bad = tmp_path / "resealed.db"
    bad.write_bytes(world["export_bytes"])
    conn = sqlite3.connect(bad)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(edit)
    conn.commit()
    conn.close()
    reseal(bad)
    before = _digest(hq)
    result = exchange.merge(hq, [bad]).files[0]
    assert not result.accepted, f"merged a row that breaks a rule: {edit}"
    _one_line(result.reason)
    assert _digest(hq) == before


# --------------------------------------------------------------------------- merge: named hostile files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, world) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


def test_every_hostile_database_is_refused_by_merge_with_one_line(world, hostile, tmp_path):
    hq = _fresh_hq(world, tmp_path)
    before = _digest(hq)
    names = [n for n, p in hostile.items() if p.suffix == ".db"]
    report = exchange.merge(hq, [hostile[n] for n in names])
    for name, result in zip(names, report.files, strict=True):
        assert not result.accepted, f"{name} was merged"  # none is an export: all must be refused
        _one_line(result.reason)
    assert _digest(hq) == before


# --------------------------------------------------------------------------- import: CSV and XLSX


CSV_ROWS = [
    "cbo,full_name,gender,birth_year,province,origin,phone,household_members,registered_on,course,start_date,"
    "end_date,status",
    *(f"Bright Angel Fund,学员{n},female,1990,河南,recent_arrival,1381234{n:04d},{n % 4},2010-03-01,家政,"
      f"2010-03-10,2010-06-10,completed" for n in range(8)),
]


def _import_store(tmp: Path) -> Path:
    path = tmp / "import-target.db"
    for p in tmp.glob("import-target.db*"):
        p.unlink()
    with Store.open(path, create=True) as s:
        s.conn.execute("PRAGMA synchronous = OFF")
        s.save_cbo(validate(CBO, dict(name_zh="光明天使基金", name_en="Bright Angel Fund", grant_usd=1000,
                                      target_direct=10)))
    return path


def _import_outcome(db: Path, sheet: Path, outcomes: collections.Counter) -> None:
    with Store.open(db) as s:
        before = list(s.conn.iterdump())
        try:
            report = sheets.import_table(s, "trainees", sheet)
        except StoreError as exc:
            _one_line(str(exc))
            assert list(s.conn.iterdump()) == before
            outcomes["refused"] += 1
            return
        if report.errors:
            for problem in report.errors:
                _one_line(problem.message)
            assert report.written == 0
            assert list(s.conn.iterdump()) == before, "a refused import wrote rows"
            outcomes["bad_rows"] += 1
        else:
            assert s.count("trainees") == report.written
            outcomes["imported"] += 1
    _check_healthy(db)


cells = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "=1+1", "@SUM(A1)", "+8613812345678", "-5", "1e309", "NaN", "2099-12-31", "0", "女", "男", "北京",
     "\x00", "\u202e", "王" * 100, "1985.0", "  ", "\"", "a,b", "\r\n"]))


@st.composite
def csv_mutants(draw):
    rows = [r.split(",") for r in CSV_ROWS]
    for _ in range(draw(st.integers(1, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        if c < len(rows[r]):
            rows[r][c] = draw(cells)
    text = "\n".join(",".join(('"' + v.replace('"', '""') + '"') if any(ch in v for ch in ',"\r\n') else v
                              for v in row) for row in rows)
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])), errors="replace")
    if draw(st.booleans()):
        data = mutate(data, draw(mutations))
    return data


def _fuzz_import_csv(tmp_path, examples: int, fast: bool = True) -> collections.Counter:
    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=examples, **(FAST_SETTINGS if fast else SETTINGS))
    @given(data=csv_mutants())
    def run(data):
        with _counted(outcomes, fast):
            db = _import_store(tmp_path)
            sheet = tmp_path / "sheet.csv"
            sheet.write_bytes(data)
            _import_outcome(db, sheet, outcomes)

    run()
    return outcomes


def test_fuzz_import_of_mutated_csv(tmp_path):
    outcomes = _fuzz_import_csv(tmp_path, FAST)
    assert outcomes["bad_rows"] + outcomes["refused"] > 0


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory) -> bytes:
    d = tmp_path_factory.mktemp("xlsx")
    db = _import_store(d)
    csv_path = d / "rows.csv"
    csv_path.write_text("\n".join(CSV_ROWS), encoding="utf-8")
    with Store.open(db) as s:
        assert sheets.import_table(s, "trainees", csv_path).ok
        sheets.export_table(s, "trainees", d / "rows.xlsx")
    return (d / "rows.xlsx").read_bytes()


def _fuzz_import_xlsx(tmp_path, data: bytes, examples: int, fast: bool = True) -> collections.Counter:
    outcomes: collections.Counter = collections.Counter()

    @settings(max_examples=examples, **(FAST_SETTINGS if fast else SETTINGS))
    @given(ops=mutations)
    def run(ops):
        with _counted(outcomes, fast):
            db = _import_store(tmp_path)
            sheet = tmp_path / "sheet.xlsx"
            sheet.write_bytes(mutate(data, ops))
            _import_outcome(db, sheet, outcomes)

    run()
    return outcomes


def test_fuzz_import_of_mutated_xlsx(tmp_path, xlsx_bytes):
    outcomes = _fuzz_import_xlsx(tmp_path, xlsx_bytes, FAST // 2)
    assert outcomes["refused"] + outcomes["bad_rows"] > 0


@pytest.mark.parametrize("name", ["csv_formula", "csv_bom_gbk", "csv_nul", "csv_ragged", "csv_huge_field",
                                  "xlsx_not_zip", "xlsx_zip_bomb"])
def test_hostile_spreadsheets_import_safely_or_are_refused(hostile, name, tmp_path):
    db = _import_store(tmp_path)
    outcomes: collections.Counter = collections.Counter()
    _import_outcome(db, hostile[name], outcomes)
    if name == "csv_formula" and outcomes["imported"]:
        # Formulas are stored as the text typed, and a spreadsheet made from them never runs them.
        out = tmp_path / "back.csv"
        with Store.open_readonly(db) as s:
            names = {r["full_name"] for r in s.page("trainees")}
            sheets.export_table(s, "trainees", out)
        assert any(n.startswith(("=", "@", "-")) for n in names)
        cells = [c for line in out.read_text(encoding="utf-8-sig").splitlines() for c in line.split(",")]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "@", "+", "-"))]


# --------------------------------------------------------------------------- schema fixtures merge


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.stem)
def test_old_schema_file_exports_and_merges(fixture, tmp_path):
    field = tmp_path / "old.db"
    shutil.copyfile(fixture, field)
    out = tmp_path / "old-export.db"
    exchange.export(field, out)
    report = exchange.merge(tmp_path / "hq.db", [out])
    assert not report.refused, report.files[0].reason
    _check_healthy(tmp_path / "hq.db")


def _export_as_of(version: int, export: Path) -> None:
    """Declare an export as one `version` wrote: only for a version whose export schema is this
    one's (the check compares the file with exactly that version's schema)."""
    conn = sqlite3.connect(export)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("UPDATE manifest SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("version", [v for v in range(1, SCHEMA_VERSION)
                                     if schema.expected_schema(v) == schema.expected_schema(SCHEMA_VERSION)])
def test_an_export_of_an_earlier_version_with_todays_export_schema_merges(version, sample_copy, tmp_path):
    """A laptop not yet updated sends an export of its version (11 and 12 wrote what 13 writes).
    Before, headquarters on a later version refused it: "cannot be upgraded to this version"
    (0012 alters `participant_keys`, a table no export carries), so a laptop one release behind
    could send nothing until it was updated."""
    out = tmp_path / "export.db"
    exchange.export(sample_copy, out)
    _export_as_of(version, out)
    report = exchange.merge(tmp_path / "hq.db", [out])
    assert not report.refused, report.files[0].reason
    with Store.open_readonly(tmp_path / "hq.db") as hq, Store.open_readonly(sample_copy) as field:
        assert summary.compute(hq).to_json() == summary.compute(field).to_json()
        assert not hq.unkeyed_people()  # searchable by pinyin at headquarters too
    _check_healthy(tmp_path / "hq.db")


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("export_v*.db")), ids=lambda p: p.stem)
def test_an_export_written_by_an_earlier_version_merges(fixture, tmp_path):
    """Exports as the fieldtui of schema 10 and 11 wrote them (tests/fixtures/make_old_exports.py,
    run at those commits). Before, both were refused at a later headquarters: "cannot be upgraded
    to this version"."""
    export = tmp_path / fixture.name
    shutil.copyfile(fixture, export)
    report = exchange.merge(tmp_path / "hq.db", [export])
    assert not report.refused, report.files[0].reason
    declared = json.loads(sqlite3.connect(fixture).execute("SELECT value FROM manifest WHERE key = 'counts'"
                                                            ).fetchone()[0])
    with Store.open_readonly(tmp_path / "hq.db") as hq:
        for table in ("participants", "trainings", "after_school", "placements", "followups", "attendance"):
            assert hq.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == declared[table], table
        assert [r["full_name"] for r in hq.page("trainees", search="lxy")] == ["李秀英"]
    _check_healthy(tmp_path / "hq.db")


# --------------------------------------------------------------------------- soak


@pytest.mark.slow
def test_soak_fuzz_merge_and_import(world, tmp_path, capsys, xlsx_bytes):
    n = SOAK
    byte_out = _fuzz_merge_bytes(world, tmp_path, n, fast=False)
    seal_out = _fuzz_merge_resealed(world, tmp_path, n // 2, fast=False)
    csv_out = _fuzz_import_csv(tmp_path, n // 2, fast=False)
    xlsx_out = _fuzz_import_xlsx(tmp_path, xlsx_bytes, n // 5, fast=False)
    problems = [*_problems(byte_out), *_problems(seal_out), *_problems(csv_out), *_problems(xlsx_out)]
    with capsys.disabled():
        print(f"\n[fuzz-merge] mutated export bytes: {sum(byte_out.values())} files, {byte_out['refused']} refused "
              f"with one line and HQ byte-identical, {byte_out['merged']} merged healthy")
        print(f"[fuzz-merge] resealed SQL edits: {sum(seal_out.values())} files, {seal_out['refused']} refused, "
              f"{seal_out['merged']} merged healthy")
        print(f"[fuzz-import] CSV: {sum(csv_out.values())} files, {csv_out['refused']} refused, "
              f"{csv_out['bad_rows']} with bad rows (nothing written), {csv_out['imported']} imported")
        print(f"[fuzz-import] XLSX: {sum(xlsx_out.values())} files, {xlsx_out['refused']} refused, "
              f"{xlsx_out['bad_rows']} with bad rows, {xlsx_out['imported']} imported")
        print(f"[fuzz] problems (tracebacks, multi-line reasons, partial writes): {len(problems) and sum(int(p.split(' x ')[0]) for p in problems)}")
        for p in problems:
            print(f"[fuzz]   {p}")
    assert not problems
