"""Which fields a spreadsheet of each kind carries, and the headings people give them: field
names, the forms' English labels, or the Chinese headings CBO spreadsheets use."""

from __future__ import annotations

from typing import Any

from fieldtui.core import kinds, models
from fieldtui.core.vocabulary import LABELS


def _fields(model: Any) -> tuple[str, ...]:
    """What a spreadsheet row carries of a model: its fields but the ids and the tombstone flag."""
    return tuple(f for f in model.model_fields if f not in ("id", "deleted", "participant_id"))


PERSON_FIELDS = _fields(models.Participant)


def record_fields(kind: kinds.Kind) -> tuple[str, ...]:
    """The fields of a kind's own rows: the enrolment's for a person's kind, else the record's."""
    return _fields(getattr(models, kind.model))


def sheet_fields(kind: kinds.Kind) -> set[str]:
    """Every field a spreadsheet of `kind` may carry (a person's kind: the person's too)."""
    return {*PERSON_FIELDS, *record_fields(kind)} if kind.enrols_person else set(record_fields(kind))


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


def _header_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in {f for k in kinds.KINDS if k.importable for f in sheet_fields(k)}:
        out[name.casefold()] = name
        if name in LABELS:
            out[LABELS[name].casefold()] = name
        for zh in ZH_HEADERS.get(name, ()):
            out[zh.casefold()] = name
    out.update({"cbo": "cbo_id", "cbo name": "cbo_id", "cbo_name": "cbo_id"})
    return out


#: Casefolded heading -> field.
HEADERS = _header_lookup()


def field_of(heading: object) -> str | None:
    """The field a column heading names, if any (a BOM or spaces around it do not count)."""
    return HEADERS.get(str(heading).replace("\ufeff", "").strip().casefold())
