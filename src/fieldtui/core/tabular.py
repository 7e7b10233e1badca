"""Spreadsheets in and out: bulk import of the sheets CBOs keep, and exports donors can open.

Import: CSV (UTF-8 with or without BOM, else GB18030 as Chinese Excel writes it) or XLSX; headers
in English (field names or labels) or Chinese; every row validated by the composite models and
saved through the store in ONE transaction. Any bad row means nothing is written (unless
`skip_invalid`), and the report names each bad row by its line number. Possible duplicates (in
the file and against stored people) are flagged, not refused: a person decides.

Export: CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, streamed by keyset pages so a
million rows take bounded memory; text a spreadsheet would run as a formula is prefixed with "'".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.core import exchange, kinds, models, summary
from fieldtui.core.db import files as db_files
from fieldtui.core.db.files import create_private_file
from fieldtui.core.errors import StoreError
from fieldtui.core.models import (
    LABELS,
    Placement,
    RecordInvalid,
    validate,
)
from fieldtui.core.store import Store
from fieldtui.i18n import _

IMPORT_KINDS = kinds.keys(importable=True, aliases=True)
EXPORT_KINDS = (*kinds.keys(aliases=True), "summary")
MAX_IMPORT_BYTES = 50 * 1024 * 1024
XLSX_MAX_ROWS = 1_048_575  # data rows per sheet (Excel's limit, less the header)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")



def _fields(model: Any) -> tuple[str, ...]:
    """What a spreadsheet row carries of a model: its fields but the ids and the tombstone flag."""
    return tuple(f for f in model.model_fields if f not in ("id", "deleted", "participant_id"))


PERSON_FIELDS = _fields(models.Participant)
PLACEMENT_FIELDS = _fields(Placement)
#: importable person kind -> (composite model, key of the enrolment in it, enrolment fields)
COMPOSITES = {k.key: (getattr(models, k.record), k.part, _fields(getattr(models, k.model)))
              for k in kinds.KINDS if k.importable and k.enrols_person}

#: Chinese column headings CBO spreadsheets use, per field.
ZH_HEADERS: dict[str, tuple[str, ...]] = {
    "cbo_id": ("机构", "机构名称", "合作机构", "cbo"),
    "full_name": ("姓名", "名字"),
    "gender": ("性别",),
    "birth_year": ("出生年份", "出生年"),
    "birth_date": ("出生日期", "生日"),
    "province": ("户籍省份", "省份", "户籍"),
    "origin": ("来源", "新到/城市长大"),
    "phone": ("电话", "手机", "手机号", "联系电话"),
    "household_members": ("受益家庭成员", "家庭受益人数", "家庭人数"),
    "registered_on": ("登记日期",),
    "registered_by": ("登记人",),
    "course": ("课程", "培训课程"),
    "start_date": ("开始日期", "入学日期"),
    "end_date": ("结束日期",),
    "status": ("状态",),
    "income_before_cny": ("培训前月收入",),
    "school": ("学校",),
    "grade": ("年级",),
    "guardian_name": ("监护人",),
    "guardian_consent": ("监护人同意",),
    "programme": ("项目",),
    "description": ("说明", "描述"),
    "training_id": ("学员编号", "培训编号"),
    "employer": ("雇主", "用人单位"),
    "job_title": ("职位", "岗位"),
    "wage_cny": ("月工资", "工资"),
    "verified": ("已核实", "核实"),
}
_BOOL_WORDS = {"是": "yes", "否": "no", "有": "yes", "无": "no", "对": "yes", "√": "yes", "×": "no"}


def _header_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in {*PERSON_FIELDS, *PLACEMENT_FIELDS, *(f for c in COMPOSITES.values() for f in c[2])}:
        out[name.casefold()] = name
        if name in LABELS:
            out[LABELS[name].casefold()] = name
        for zh in ZH_HEADERS.get(name, ()):
            out[zh.casefold()] = name
    out.update({"cbo": "cbo_id", "cbo name": "cbo_id", "cbo_name": "cbo_id"})
    return out


HEADERS = _header_lookup()


@dataclass
class RowProblem:
    line: int
    message: str


@dataclass
class ImportReport:
    kind: str
    path: Path
    rows: int = 0
    written: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


# --------------------------------------------------------------------------- reading


def _read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """(header, iterator of (line number, cells)) from a CSV or XLSX file."""
    if not path.is_file():
        raise StoreError(_("no such file: {path}").format(path=path))
    db_files.check_not_open_here(path)  # a database: reading it with open() would drop its locks
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise StoreError(_("{path} is too large to import (over 50 MB)").format(path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix not in (".csv", ".txt"):
        raise StoreError(_("{path}: import reads .csv or .xlsx files").format(path=path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise StoreError(_("{path} is neither UTF-8 nor GB18030 text").format(path=path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except csv.Error as exc:
        raise StoreError(_("{path} is not a readable CSV file: {reason}").format(path=path, reason=exc)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = reader.line_num + 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise StoreError(_("{path}, line {line}: {reason}").format(path=path, line=line, reason=exc)) from None

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Open the first sheet. openpyxl inflates and parses the sheet lazily, while rows are read, so
    a damaged file can fail at any row: every parser error (zlib, zip, XML, openpyxl's own) becomes
    one line, raised before the import writes anything (rows are all read and validated first)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever the parser trips on, the file is not a workbook
        reason = " ".join(str(exc).split())[:120]  # e.g. "File is not a zip file"; one line
        raise StoreError(_("{path} is not a readable .xlsx file: {reason}").format(path=path, reason=reason)) from None
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = ["" if v is None else str(v) for v in next(it)]
    except StopIteration:
        book.close()
        raise StoreError(_("{path} is empty").format(path=path)) from None
    except Exception:  # noqa: BLE001
        book.close()
        raise StoreError(_damaged(path)) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = 1
        try:
            while True:
                try:
                    cells = next(it)
                except StopIteration:
                    return
                except Exception:  # noqa: BLE001 - zlib.error, BadZipFile, XML errors, KeyError...
                    raise StoreError(_damaged(path)) from None
                n += 1
                yield n, list(cells)
        finally:
            book.close()

    return header, rows()


def _damaged(path: Path) -> str:
    # The parser's own text is not shown: it can span lines or quote the damaged cells.
    return _("{path}: the spreadsheet is damaged and cannot be read").format(path=path)


def _cell(value: Any) -> Any:
    """Spreadsheet cell -> what the models accept (dates as ISO, 1985.0 as 1985, words for yes/no)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return _BOOL_WORDS.get(value, value)
    return value


# --------------------------------------------------------------------------- import


def import_table(store: Store, kind: str, path: str | os.PathLike, skip_invalid: bool = False) -> ImportReport:
    """Validate every row of a spreadsheet and save them in one transaction (see module docstring)."""
    if kind not in IMPORT_KINDS:
        raise StoreError(_("unknown kind {kind}: choose one of {kinds}").format(
            kind=kind, kinds=", ".join(IMPORT_KINDS)))
    kind = kinds.kind(kind).key
    path = Path(path)
    header, rows = _read_rows(path)
    report = ImportReport(kind, path)
    columns: list[str | None] = []
    for h in header:
        name = HEADERS.get(str(h).replace("\ufeff", "").strip().casefold())
        columns.append(name)
        if name is None and str(h).strip():
            report.ignored_columns.append(str(h).strip())
    wanted = set(PLACEMENT_FIELDS) if kind == "placements" else {*PERSON_FIELDS, *COMPOSITES[kind][2]}
    if not any(c in wanted for c in columns):
        raise StoreError(_("{path}: no known column headings for {kind} (e.g. full_name / 姓名)").format(
            path=path, kind=kind))
    cbos = _cbo_lookup(store)
    written_people: dict[str, int] = {}
    try:
        with store.transaction():
            for line, cells in rows:
                values = {c: _cell(v) for c, v in zip(columns, cells, strict=False) if c is not None}
                if not any(v not in (None, "") for v in values.values()):
                    continue  # blank line
                report.rows += 1
                try:
                    saved_person = _save_row(store, kind, values, cbos, report, line, written_people)
                except RecordInvalid as exc:
                    report.errors.append(RowProblem(line, str(exc)))
                    continue
                report.written += 1
                if saved_person:
                    written_people[saved_person] = line
            if report.errors and not skip_invalid:
                raise _Rollback
    except _Rollback:
        report.written = 0
    return report


def _cbo_lookup(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for cbo in store.cbos():
        for key in (cbo.id, cbo.name_en, cbo.name_zh):
            out[str(key).strip().casefold()] = cbo.id  # type: ignore[arg-type]
    return out


def _save_row(store: Store, kind: str, values: dict[str, Any], cbos: dict[str, str], report: ImportReport,
              line: int, written_people: dict[str, int]) -> str | None:
    if kind == "placements":
        placement = validate(Placement, {k: values.get(k) for k in PLACEMENT_FIELDS if k in values})
        store.save_placement(placement)
        return None
    model, key, fields = COMPOSITES[kind]
    person = {k: values.get(k) for k in PERSON_FIELDS if k in values}
    cbo_text = str(person.get("cbo_id") or "").strip()
    if cbo_text:
        if cbo_text.casefold() not in cbos:
            shown = " ".join(_CONTROL.sub(" ", cbo_text).split())[:80]  # one line, whatever the cell holds
            raise RecordInvalid({"participant.cbo_id": _("CBO") + ": " + _("no CBO called {name}").format(
                name=shown)})
        person["cbo_id"] = cbos[cbo_text.casefold()]
    elif len(set(cbos.values())) == 1:
        person["cbo_id"] = next(iter(cbos.values()))  # a file with one CBO need not name it
    person.setdefault("registered_by", store.operator)
    record = validate(model, {"participant": person, key: {k: values.get(k) for k in fields if k in values}})
    for dup in store.possible_duplicates(record.participant):
        where = (_("line {line} of this file").format(line=written_people[dup["id"]]) if dup["id"] in written_people
                 else _("already registered on {date}").format(date=dup["registered_on"]))
        report.duplicates.append(RowProblem(line, _("possible duplicate of {name} ({year}), {where}").format(
            name=dup["full_name"], year=dup["birth_year"], where=where)))
    saver = {"trainees": store.save_trainee, "children": store.save_child, "participants": store.save_participant}
    saved = saver[kind](record)
    return saved.participant.id


# --------------------------------------------------------------------------- export


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _summary_rows(store: Store) -> tuple[list[str], Iterable[tuple]]:
    data = summary.compute(store).to_json()
    cols = ["name", "name_zh", "city", "grant_usd", "direct_beneficiaries", "indirect_beneficiaries", "trainees",
            "trainees_completed", "trainees_placed", "placement_rate", "after_school_children",
            "other_participants", "cost_per_life_usd", "sii", "target_direct", "progress"]
    rows = [tuple(c.get(k) for k in cols) for c in data["cbos"]]
    total = {**data, "name": _("Total"), "name_zh": "合计", "city": "", "sii": data["sii_mean"]}
    rows.append(tuple(total.get(k) for k in cols))
    return cols, rows


def _write_csv(tmp: Path, kind: str, header: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count


def _write_xlsx(tmp: Path, kind: str, header: list[str], rows: Iterable[tuple]) -> int:
    import openpyxl

    count = 0
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    sheet.append(header)
    for row in rows:
        if count and count % XLSX_MAX_ROWS == 0:  # a sheet holds 1,048,576 rows: continue on the next
            sheet = book.create_sheet(f"{kind} ({count // XLSX_MAX_ROWS + 1})")
            sheet.append(header)
        sheet.append([neutralise(v) for v in row])
        count += 1
    book.save(tmp)
    return count


def export_table(store: Store, kind: str, out: str | os.PathLike) -> int:
    """Write one list (or the summary) to .csv or .xlsx atomically, mode 0600; returns the row count."""
    if kind not in EXPORT_KINDS:
        raise StoreError(_("unknown kind {kind}: choose one of {kinds}").format(
            kind=kind, kinds=", ".join(EXPORT_KINDS)))
    kind = kind if kind == "summary" else kinds.kind(kind).key
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise StoreError(_("{path}: export writes .csv or .xlsx files").format(path=out))
    db_files.check_path_usable(out)
    if not out.parent.is_dir():
        raise StoreError(_("folder does not exist: {path}").format(path=out.parent))
    if out.is_dir():
        raise StoreError(_("{path} is a directory, not a database file").format(path=out))
    if db_files.is_open_here(out):
        raise StoreError(_("{path} is a database fieldtui has open; choose another file").format(path=out))
    if kind == "summary":
        header, rows = _summary_rows(store)
    else:
        header, rows = exchange.table_columns(store, kind), exchange.iter_table(store, kind)
    outcome = _("the table was not written")
    try:
        with db_files.work_folder("table") as work, db_files.temp_files_in(work):
            tmp = work / f"table{suffix}"
            create_private_file(tmp)
            count = (_write_csv if suffix == ".csv" else _write_xlsx)(tmp, kind, header, rows)
            db_files.move_into_place(tmp, out)
    except OSError as exc:
        raise StoreError(db_files.describe_os_error(exc, out, outcome)) from None
    return count
