"""`fieldtui import DB --kind KIND --update FILE`: the sheet export-table wrote, edited, corrects
the records by id, validated and audited as a form save, all rows or none."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core.store import Store
from tests.hostile.measure import file_state


def run(*args):
    return CliRunner(env={"COLUMNS": "250"}).invoke(main, [str(a) for a in args])  # report lines unwrapped


@pytest.fixture
def field_db(sample_copy):
    Store.open(sample_copy).close()  # schema upgraded once: later changes are the command's
    return sample_copy


def exported(db, path, kind="trainees"):
    assert run("export-table", db, path, "--kind", kind).exit_code == 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def audit_rows(db):
    with Store.open_readonly(db) as s:
        return [tuple(r) for r in s.conn.execute("SELECT action, table_name, row_id FROM audit ORDER BY seq")]


def test_a_phone_corrected_in_the_sheet_is_saved_as_an_edit(tmp_path, field_db):
    header, rows = exported(field_db, tmp_path / "t.csv")
    pid, phone = header.index("participant_id"), header.index("phone")
    figures = json.loads(run("summary", field_db, "--json").output)
    audit_before = audit_rows(field_db)
    rows[3][phone] = "13912345678"
    r = run("import", field_db, "--kind", "trainees", "--update", write(tmp_path / "e.csv", header, rows))
    assert r.exit_code == 0, r.output
    assert "1 written" in r.output and f"{len(rows) - 1:,} rows were unchanged" in r.output
    with Store.open_readonly(field_db) as s:
        assert s.get_participant(rows[3][pid]).phone == "13912345678"
        changed = s.conn.execute("SELECT field FROM field_changes WHERE row_id = ?", (rows[3][pid],)).fetchall()
    assert [c[0] for c in changed] == ["phone"]  # the field's history, as a form save writes it
    new = audit_rows(field_db)[len(audit_before):]
    assert ("update", "participants", rows[3][pid]) in new
    assert {a[2] for a in new} <= {rows[3][0], rows[3][pid]}  # the unchanged rows were not audited
    assert json.loads(run("summary", field_db, "--json").output) == figures


def test_an_unedited_xlsx_changes_nothing(tmp_path, field_db):
    assert run("export-table", field_db, tmp_path / "c.xlsx", "--kind", "children").exit_code == 0
    before = file_state(field_db)
    r = run("import", field_db, "--kind", "children", "--update", tmp_path / "c.xlsx")
    assert r.exit_code == 0, r.output
    assert "0 written" in r.output and "1,758 rows were unchanged" in r.output
    assert file_state(field_db) == before


def test_bad_rows_are_each_named_and_nothing_is_written(tmp_path, field_db):
    header, rows = exported(field_db, tmp_path / "t.csv")
    _h, children = exported(field_db, tmp_path / "c.csv", "children")
    ident, year, phone = header.index("id"), header.index("birth_year"), header.index("phone")
    with Store.open(field_db) as s:
        s.delete("trainees", rows[5][ident])
    before = file_state(field_db)
    edits = [list(r) for r in rows[:8]]
    for e in edits:
        e[phone] = "13700000000"  # a real change on every row: only the bad ones stop it
    edits[0][ident] = "0000ffff-0000-7000-8000-000000000000"  # unknown
    edits[1][ident] = children[0][0]  # a child's enrolment, not a training
    edits[2][ident] = rows[2][1]  # the person's id, not the training's
    edits[3][year] = "2999"  # breaks a rule
    edits[4] = [*edits[6][:phone], "13600000000", *edits[6][phone + 1:]]  # the same record twice
    r = run("import", field_db, "--kind", "trainees", "--update", write(tmp_path / "bad.csv", header, edits))
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "no trainee has the id 0000ffff" in out
    assert "is the id of a record in After-school children, not in Trainees" in out
    assert "is the id of a record in People, not in Trainees" in out
    assert "Birth year" in out and "was removed" in out and "the same record as line 6" in out
    assert "6 bad rows; nothing was written" in out
    assert file_state(field_db) == before


def test_file_and_update_are_exclusive_and_errors_are_one_line(tmp_path, field_db):
    r = run("import", field_db, "--kind", "trainees")
    assert r.exit_code == 2 and r.output.count("\n") == 1
    write(tmp_path / "noid.csv", ["full_name", "phone"], [["王建国", "13800000000"]])
    r = run("import", field_db, "--kind", "trainees", "--update", tmp_path / "noid.csv")
    assert r.exit_code == 2 and "no id column" in r.output and r.output.count("\n") == 1


def test_corrections_on_two_copies_of_a_file_meet_at_headquarters(tmp_path, field_db):
    """Issue 12's done-when: the same trainee's phone corrected two ways on two copies of one file
    (a second laptop set up by copying the first one's file) is a conflict with both values at
    HQ; a second trainee's phone corrected on one copy and household on the other keeps both."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(field_db.read_bytes())
    header, rows = exported(field_db, tmp_path / "t.csv")
    phone, household, pid = header.index("phone"), header.index("household_members"), header.index("participant_id")
    first, second = rows[0], rows[1]
    edits = {field_db: [[*first], [*second]], copy: [[*first], [*second]]}
    edits[field_db][0][phone], edits[copy][0][phone] = "13911110001", "13922220002"
    edits[field_db][1][phone] = "13933330003"
    edits[copy][1][household] = str(int(second[household]) + 2)
    for n, (db, changed) in enumerate(edits.items()):
        r = run("import", db, "--kind", "trainees", "--update", write(tmp_path / f"e{n}.csv", header, changed))
        assert r.exit_code == 0 and "2 written" in r.output, r.output
        assert run("export", db, tmp_path / f"out{n}.db").exit_code == 0
    r = run("merge", tmp_path / "hq.db", tmp_path / "out0.db", tmp_path / "out1.db")
    assert r.exit_code == 0, r.output
    listed = run("conflicts", tmp_path / "hq.db").output
    assert "13911110001" in listed and "13922220002" in listed
    with Store.open_readonly(tmp_path / "hq.db") as s:
        person = s.get_participant(second[pid])
    assert person.phone == "13933330003" and person.household_members == int(second[household]) + 2


def test_a_childs_correction_meets_the_child_forms_rules(tmp_path, field_db):
    """PIPL: a child under 14 keeps a guardian; blanking it in the sheet is refused, as in the form."""
    header, rows = exported(field_db, tmp_path / "c.csv", "children")
    year, start, guardian = header.index("birth_year"), header.index("start_date"), header.index("guardian_name")
    young = next(r for r in rows if int(r[start][:4]) - int(r[year]) < 13)
    young[guardian] = ""
    before = file_state(field_db)
    r = run("import", field_db, "--kind", "children", "--update", write(tmp_path / "e.csv", header, [young]))
    assert r.exit_code == 2 and "PIPL" in r.output
    assert file_state(field_db) == before


def test_an_xlsx_edited_in_a_spreadsheet_program_updates(tmp_path, field_db):
    import openpyxl

    assert run("export-table", field_db, tmp_path / "t.xlsx", "--kind", "trainees").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book.worksheets[0]
    heading = [c.value for c in sheet[1]]
    sheet.cell(row=5, column=heading.index("household_members") + 1).value = 7
    book.save(tmp_path / "t.xlsx")
    r = run("import", field_db, "--kind", "trainees", "--update", tmp_path / "t.xlsx")
    assert r.exit_code == 0 and "1 written" in r.output, r.output
    with Store.open_readonly(field_db) as s:
        person = s.get_participant(sheet.cell(row=5, column=heading.index("participant_id") + 1).value)
    assert person.household_members == 7


def test_edits_made_in_the_app_after_the_sheet_was_written_are_not_undone_by_it(tmp_path, field_db):
    """The sheet is written on Monday and corrected in a spreadsheet all week, while staff go on
    editing records in the app. On Friday it is imported with --update: its rows hold Monday's
    values in the cells nobody touched, and those must not undo the week's edits in the app. A
    cell changed in both keeps the sheet's value (the correction being imported), and is counted."""
    header, rows = exported(field_db, tmp_path / "t.csv")
    tid, phone, course = (header.index(c) for c in ("id", "phone", "course"))
    with Store.open(field_db) as s:  # in the app after the sheet was written
        for row, new_phone, new_course in ((rows[3], "13700000001", None), (rows[4], "13700000002", "焊工")):
            rec = s.get_trainee(row[tid])
            training = rec.training.model_copy(update={"course": new_course}) if new_course else rec.training
            s.save_trainee(rec.model_copy(update={
                "participant": rec.participant.model_copy(update={"phone": new_phone}), "training": training}))
    rows[3][course] = "厨师"  # corrected in the sheet: another field of the same record
    rows[4][course] = "电焊工"  # the same field as in the app
    r = run("import", field_db, "--kind", "trainees", "--update", write(tmp_path / "e.csv", header, rows))
    assert r.exit_code == 0, r.output
    with Store.open_readonly(field_db) as s:
        third, fourth = s.get_trainee(rows[3][tid]), s.get_trainee(rows[4][tid])
    assert (third.participant.phone, third.training.course) == ("13700000001", "厨师")
    assert (fourth.participant.phone, fourth.training.course) == ("13700000002", "电焊工")
    assert "1 field edited both in the app and in the sheet" in r.output, r.output
    assert rows[3][phone] != "13700000001"  # the sheet did hold the old phone


@pytest.mark.parametrize("kind", ["sessions", "followups", "volunteers", "volunteer_hours", "attendance"])
def test_update_of_a_kind_it_does_not_correct_is_one_line_and_changes_nothing(field_db, tmp_path, kind):
    """`import --kind` offers these, `--update` corrects only people's records and placements:
    before, an unedited export-table sheet of one of them stopped with a traceback (KeyError)."""
    sheet = tmp_path / f"{kind}.csv"
    assert run("export-table", field_db, sheet, "--kind", kind).exit_code == 0
    before = file_state(field_db)
    result = run("import", field_db, "--kind", kind, "--update", sheet)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"fieldtui: error: --update corrects trainees, children, placements, others; {kind} are added by "
        "import without --update"]
    assert file_state(field_db) == before


def test_two_cbos_of_one_english_name_keep_their_people(field_db, tmp_path):
    """The same CBO set up on two laptops, or two branches, under one English name (nothing
    stops it): an unedited sheet moved every person of one into the other (the sheet's cbo column
    holds the English name, the lookup took either), and a new row naming it went to either."""
    from fieldtui.core.models import CBO

    with Store.open(field_db) as s:
        first = s.cbos()[0]
        s.save_cbo(CBO(name_zh=first.name_zh + "（上海）", name_en=first.name_en, grant_usd=1000, target_direct=10))

    def per_cbo():
        with Store.open_readonly(field_db) as s:
            return [tuple(r) for r in s.conn.execute(
                "SELECT cbo_id, count(*) FROM participants WHERE deleted = 0 GROUP BY cbo_id ORDER BY 1")]

    before = per_cbo()
    header, rows = exported(field_db, tmp_path / "t.csv")
    r = run("import", field_db, "--kind", "trainees", "--update", tmp_path / "t.csv")
    assert r.exit_code == 0 and "0 written" in r.output, r.output
    assert per_cbo() == before
    theirs = next(r for r in rows if first.name_en in r)
    new = dict(zip(header, theirs, strict=True)) | {"id": "", "participant_id": "", "full_name": "钱新", "phone": ""}
    r = run("import", field_db, "--kind", "trainees", write(tmp_path / "new.csv", header, [[new[h] for h in header]]))
    assert r.exit_code == 2 and f"2 CBOs are called {first.name_en}" in r.output, r.output
    assert per_cbo() == before


def test_a_corrected_sheet_imported_without_update_counts_no_one_twice(field_db, tmp_path):
    """export-table's sheet, one phone corrected, imported without --update: before, the id column
    was ignored and the corrected person written again as a new one (counted twice). An id from
    another laptop's file names nothing here: that row is new here, as before."""
    header, rows = exported(field_db, tmp_path / "t.csv")
    ident, phone, name = header.index("id"), header.index("phone"), header.index("full_name")
    corrected, elsewhere = list(rows[0]), list(rows[1])
    corrected[phone] = "13700000001"
    elsewhere[ident], elsewhere[name], elsewhere[phone] = "0190aaaa-0000-7000-8000-000000000001", "钱远", ""
    before = file_state(field_db)
    r = run("import", field_db, "--kind", "trainees", write(tmp_path / "c.csv", header, [corrected]))
    assert r.exit_code == 2 and "corrections go through import --update" in r.output, r.output
    assert file_state(field_db) == before
    r = run("import", field_db, "--kind", "trainees", write(tmp_path / "e.csv", header, [elsewhere]))
    assert r.exit_code == 0 and "1 written" in r.output, r.output


def test_a_placements_sheet_says_the_persons_columns_are_not_corrected_there(field_db, tmp_path):
    """A phone corrected in a placements sheet is not applied (a person is corrected in their
    enrolment's sheet): before, the report listed phone among the columns "not recognised", so
    the correction looked done."""
    header, rows = exported(field_db, tmp_path / "p.csv", kind="placements")
    edited = list(rows[0])
    edited[header.index("phone")] = "13700000001"
    r = run("import", field_db, "--kind", "placements", "--update", write(tmp_path / "e.csv", header, [edited]))
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Not corrected from this sheet: cbo, full_name, phone" in said and "not recognised" not in said, said
