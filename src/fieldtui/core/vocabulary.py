"""The words of the records, written once: field labels, and every choice's stored values with
the label people read.

A choice is a `Literal` (the models check it); its values come from `typing.get_args`, so a
form's select, a list column, an import and the model can never disagree. Labels are msgids
(`N_`), translated with `_()` where shown. No pydantic here: list screens read labels without
loading the validation models (the memory target in benchmarks/).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from fieldtui.i18n import N_, _, language

Gender = Literal["female", "male", "other"]
Origin = Literal["recent_arrival", "city_raised"]
TrainingStatus = Literal["enrolled", "completed", "dropped"]
AfterSchoolProgramme = Literal["after_school", "super_saturday"]
OtherProgrammeKind = Literal["low_cost_school", "blind_adult_training", "other"]
CBOProgramme = Literal["vocational_training", "after_school", "low_cost_school", "other"]
#: When a placement is checked on (months after it started).
FollowupMonth = Literal["3", "6", "12"]
#: Why a placed trainee no longer works (a follow-up that finds them out of work, or unreached).
NotEmployedReason = Literal["quit", "dismissed", "contract_ended", "moved_away", "studying", "family", "health",
                            "unreachable", "other"]
#: What a volunteer's hours were given to.
VolunteerActivity = Literal["after_school", "super_saturday", "training", "other"]
#: Age bands of the summary's breakdowns (age at registration).
AgeBand = Literal["0-13", "14-17", "18-24", "25-44", "45+"]

#: English key -> Chinese name of every provincial-level division (hukou origin).
PROVINCES: dict[str, str] = {
    "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北", "Shanxi": "山西",
    "Inner Mongolia": "内蒙古", "Liaoning": "辽宁", "Jilin": "吉林", "Heilongjiang": "黑龙江",
    "Shanghai": "上海", "Jiangsu": "江苏", "Zhejiang": "浙江", "Anhui": "安徽",
    "Fujian": "福建", "Jiangxi": "江西", "Shandong": "山东", "Henan": "河南",
    "Hubei": "湖北", "Hunan": "湖南", "Guangdong": "广东", "Guangxi": "广西",
    "Hainan": "海南", "Chongqing": "重庆", "Sichuan": "四川", "Guizhou": "贵州",
    "Yunnan": "云南", "Tibet": "西藏", "Shaanxi": "陕西", "Gansu": "甘肃",
    "Qinghai": "青海", "Ningxia": "宁夏", "Xinjiang": "新疆", "Hong Kong": "香港",
    "Macau": "澳门", "Taiwan": "台湾",
}


def province_name(key: str) -> str:
    """A stored province ("Henan") as people read it: 河南 in Chinese."""
    return PROVINCES.get(key, key) if language() == "zh" else key


#: Stored value -> label, for every choice above (a value means the same in every choice).
CHOICE_LABELS: dict[str, str] = {
    "female": N_("Female"), "male": N_("Male"), "other": N_("Other"),
    "recent_arrival": N_("Recent arrival"), "city_raised": N_("Raised in the city"),
    "enrolled": N_("Enrolled"), "completed": N_("Completed"), "dropped": N_("Dropped"),
    "after_school": N_("After school"), "super_saturday": N_("Super Saturday"),
    "low_cost_school": N_("Low-cost school"), "blind_adult_training": N_("Blind adult training"),
    "vocational_training": N_("Vocational training"),
    "3": N_("3 months"), "6": N_("6 months"), "12": N_("12 months"),
    "quit": N_("Left the job"), "dismissed": N_("Dismissed"), "contract_ended": N_("Contract ended"),
    "moved_away": N_("Moved away"), "studying": N_("Studying"), "family": N_("Family care"),
    "health": N_("Health"), "unreachable": N_("Could not be reached"),
    "training": N_("Training"),
    "0-13": N_("Under 14"), "14-17": N_("14–17"), "18-24": N_("18–24"), "25-44": N_("25–44"), "45+": N_("45 and over"),
}

#: Short forms staff type or spreadsheets carry, mapped to the stored value.
CHOICE_ALIASES = {
    "f": "female", "女": "female", "m": "male", "男": "male", "其他": "other",
    "recent": "recent_arrival", "new": "recent_arrival", "新到": "recent_arrival", "新来": "recent_arrival",
    "city": "city_raised", "城市长大": "city_raised", "北京长大": "city_raised",
}

#: A CBO's city and sector are free text, but the summary filters by city: the Chinese form's
#: defaults (北京, 经济赋能, the catalogue's words for these msgids) are stored as the English
#: values every other CBO has, so one city is never counted as two.
CBO_TEXT_ALIASES = {"北京": "Beijing", "北京市": "Beijing", "经济赋能": "Economic Empowerment"}
CBO_DEFAULTS = {"city": N_("Beijing"), "sector": N_("Economic Empowerment")}


def choice_value(text: Any) -> Any:
    """What a person or a spreadsheet wrote for a choice, as its stored value: the value itself,
    a short form (CHOICE_ALIASES) or its label in either language (新近进城, 在读, "Recent
    arrival"): the labels the forms show are what people copy into spreadsheets. Anything else
    comes back as written, for the model to refuse with the list of choices."""
    if not isinstance(text, str):
        return text
    key = text.strip().casefold()
    return _choice_lookup().get(key) or _choice_lookup().get(key.replace(" ", "_").replace("-", "_")) or \
        key.replace(" ", "_").replace("-", "_")


_LOOKUP: dict[str, str] = {}


def _choice_lookup() -> dict[str, str]:
    if not _LOOKUP:
        from fieldtui.i18n import translations

        zh = translations("zh")
        for value, label in CHOICE_LABELS.items():
            for text in (value, label, zh.gettext(label)):
                _LOOKUP.setdefault(text.casefold(), value)
        for alias, value in CHOICE_ALIASES.items():
            _LOOKUP.setdefault(alias.casefold(), value)
    return _LOOKUP


def values(choice: Any) -> tuple[str, ...]:
    """The stored values of a choice, in the order forms offer them."""
    return get_args(choice)


def options(choice: Any) -> tuple[tuple[str, str], ...]:
    """(label msgid, stored value) pairs of a choice, for a select."""
    return tuple((CHOICE_LABELS[v], v) for v in get_args(choice))


def choice_label(value: str | None) -> str:
    """A stored choice value (`after_school`) as its translated label; unknown values as stored."""
    return _(CHOICE_LABELS[value]) if value in CHOICE_LABELS else (value or "")


#: Field name -> label, wherever a field is named to people: forms, messages, imports, exports.
LABELS: dict[str, str] = {
    "name_zh": N_("Chinese name"),
    "name_en": N_("English name"),
    "city": N_("City"),
    "sector": N_("Sector"),
    "grant_usd": N_("Grant (US$)"),
    "target_direct": N_("Target (direct beneficiaries)"),
    "sii": N_("Social Impact Index"),
    "programmes": N_("Programmes"),
    "cbo_id": N_("CBO"),
    "full_name": N_("Full name"),
    "gender": N_("Gender"),
    "birth_year": N_("Birth year"),
    "birth_date": N_("Birth date"),
    "province": N_("Province of origin"),
    "origin": N_("Raised in city / recent arrival"),
    "phone": N_("Phone"),
    "household_members": N_("Household members benefiting"),
    "registered_on": N_("Registration date"),
    "registered_by": N_("Registered by"),
    "course": N_("Course"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "status": N_("Status"),
    "income_before_cny": N_("Monthly income before training (¥)"),
    "school": N_("School"),
    "grade": N_("Grade"),
    "guardian_name": N_("Guardian"),
    "guardian_consent": N_("Guardian consent recorded"),
    "programme": N_("Programme"),
    "description": N_("Description"),
    "participant_id": N_("Participant"),
    "training_id": N_("Trainee"),
    "employer": N_("Employer"),
    "job_title": N_("Job title"),
    "wage_cny": N_("Monthly wage (¥)"),
    "verified": N_("Verified"),
    "placement_id": N_("Job placement"),
    "due_month": N_("Check"),
    "checked_on": N_("Checked on"),
    "employed": N_("Still employed"),
    "same_employer": N_("Same employer"),
    "reason": N_("If not, why not"),
    "note": N_("Note"),
    "held_on": N_("Date"),
    "held": N_("Held"),
    "topic": N_("Topic"),
    "session_id": N_("Session"),
    "enrolment_id": N_("Child"),
    "present": N_("Present"),
    "affiliation": N_("School or workplace"),
    "joined_on": N_("Joined on"),
    "volunteer_id": N_("Volunteer"),
    "activity": N_("Activity"),
    "worked_on": N_("Date"),
    "hours": N_("Hours"),
}


def label(path: str) -> str:
    """The label msgid of a field, by name or dotted form path (`participant.full_name`)."""
    name = path.rsplit(".", 1)[-1]
    return LABELS.get(name, name.replace("_", " ").capitalize())
