"""Every model rule: a valid value passes, an invalid one yields its specific message."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldtui.core.models import (
    CBO,
    AfterSchool,
    ChildRecord,
    Followup,
    OtherProgramme,
    Participant,
    Placement,
    RecordInvalid,
    Session,
    TraineeRecord,
    Training,
    Volunteer,
    VolunteerHours,
    check_placement_against_training,
    validate,
)

PERSON = dict(cbo_id="c1", full_name="王建国", gender="male", birth_year=1985, province="河南",
              origin="recent_arrival", household_members=3, registered_on="2010-03-01", registered_by="李老师")
TRAINING = dict(course="电工", start_date="2010-03-10", end_date="2010-06-10", status="completed",
                income_before_cny=900)
CBO_OK = dict(name_zh="光明天使基金", name_en="Bright Angel Fund", grant_usd=105000, target_direct=200, sii=49.4)


def errors(model, data) -> dict[str, str]:
    with pytest.raises(RecordInvalid) as info:
        validate(model, data)
    return info.value.errors


def test_valid_person_is_normalised():
    p = validate(Participant, dict(PERSON, full_name="  Li   Ming ", phone="+86 138-1234-5678", province="henan省",
                                   gender="女", origin="city"))
    assert p.full_name == "Li Ming"
    assert p.phone == "13812345678"
    assert p.province == "Henan"
    assert p.gender == "female" and p.origin == "city_raised"


def test_a_birth_date_alone_gives_the_birth_year():
    no_year = {k: v for k, v in PERSON.items() if k != "birth_year"}  # a blank field is left out, as forms do
    p = validate(Participant, dict(no_year, birth_date="1986-04-30"))
    assert (p.birth_year, p.birth_date) == (1986, dt.date(1986, 4, 30))
    assert errors(Participant, no_year)["birth_year"] == "Birth year: is required"
    assert errors(Participant, dict(no_year, birth_date="1986-13-40"))["birth_date"] == \
        "Birth date: 1986-13-40 is not a date: there is no month 13"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("full_name", "", "Full name: is required"),
        ("full_name", "1234", "Full name: must contain letters or Chinese characters"),
        ("full_name", "王" * 61, "Full name: must be at most 60 characters"),
        ("full_name", "王\x00建国", "Full name: must not contain control or invisible characters"),
        ("gender", "x", "Gender: must be one of: Female, Male, Other"),
        ("gender", "", "Gender: is required"),
        ("birth_year", "abc", "Birth year: must be a whole number"),
        ("birth_year", 1800, "Birth year: must be between 1920 and"),
        ("birth_date", "1985-13-01", "Birth date: 1985-13-01 is not a date: there is no month 13"),
        ("birth_date", "1990-02-30", "Birth date: 1990-02-30 is not a date: February 1990 has 28 days"),
        ("birth_date", "1986-01-01", "Birth date: does not match the birth year"),
        ("province", "Atlantis", "Province of origin: is not a province of China"),
        ("origin", "mars", "Raised in city / recent arrival: must be one of: Recent arrival, Raised in the city"),
        ("phone", "12345", "Phone: must be an 11-digit mainland mobile number"),
        ("household_members", -1, "Household members benefiting: must be at least 0"),
        ("household_members", 31, "Household members benefiting: must be at most 30"),
        ("registered_on", "2999-01-01", "Registration date: cannot be in the future"),
        ("registered_on", "1980-01-01", "Registration date: must be on or after 1990-01-01"),
        ("registered_by", " ", "Registered by: is required"),
        ("cbo_id", "", "CBO: is required"),
    ],
)
def test_person_rules(field, value, message):
    found = errors(Participant, dict(PERSON, **{field: value}))
    assert found[field].startswith(message), found


def test_registration_before_birth():
    assert errors(Participant, dict(PERSON, birth_year=2011))["registered_on"] == \
        "Registration date: is before the person was born"


def test_missing_field_is_named():
    data = dict(PERSON)
    del data["province"]
    assert errors(Participant, data)["province"] == "Province of origin: is required"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("course", "", "Course: is required"),
        ("start_date", "10/03/2010", "Start date: must be a date written YYYY-MM-DD, e.g. 2010-03-01"),
        ("end_date", "2010-01-01", "End date: must be on or after the start date"),
        ("status", "finished", "Status: must be one of: Enrolled, Completed, Dropped"),
        ("income_before_cny", -5, "Monthly income before training (¥): must be at least 0"),
        ("income_before_cny", "lots", "Monthly income before training (¥): must be a number"),
    ],
)
def test_training_rules(field, value, message):
    found = errors(Training, dict(TRAINING, **{field: value}))
    assert found[field].startswith(message), found


def test_completed_training_needs_end_date():
    assert errors(Training, dict(TRAINING, end_date=""))["end_date"] == \
        "End date: is required when the course is completed"
    assert validate(Training, dict(TRAINING, end_date="", status="enrolled")).end_date is None


def test_trainee_age_rule():
    found = errors(TraineeRecord, dict(participant=dict(PERSON, birth_year=2000), training=TRAINING))
    assert found["participant.birth_year"] == "Birth year: trainees must be at least 16 when training starts"
    assert validate(TraineeRecord, dict(participant=PERSON, training=TRAINING)).training.course == "电工"


CHILD = dict(PERSON, full_name="王小明", birth_year=2002)
ENROL = dict(school="明圆学校", grade=2, guardian_name="王建国", guardian_consent=True, start_date="2010-03-01")


def test_child_rules():
    assert validate(ChildRecord, dict(participant=CHILD, enrolment=ENROL)).enrolment.grade == 2
    assert errors(ChildRecord, dict(participant=CHILD, enrolment=dict(ENROL, guardian_name="")))[
        "enrolment.guardian_name"] == "Guardian: is required for a child under 14 (PIPL)"
    assert errors(ChildRecord, dict(participant=CHILD, enrolment=dict(ENROL, guardian_consent=False)))[
        "enrolment.guardian_consent"] == "Guardian consent recorded: must be recorded for a child under 14 (PIPL)"
    assert errors(ChildRecord, dict(participant=dict(CHILD, birth_year=1980), enrolment=ENROL))[
        "participant.birth_year"] == "Birth year: the child must be 3–17 years old when the programme starts"
    assert errors(AfterSchool, dict(ENROL, grade=10))["grade"] == "Grade: must be at most 9"
    assert errors(AfterSchool, dict(ENROL, programme="sunday"))["programme"].startswith("Programme: must be one of")
    # 15-year-olds need no recorded consent (PIPL's threshold is 14).
    older = dict(participant=dict(CHILD, birth_year=1995), enrolment=dict(ENROL, guardian_consent=False))
    assert validate(ChildRecord, older).enrolment.guardian_consent is False


def test_other_programme_rules():
    assert errors(OtherProgramme, dict(programme="circus", start_date="2010-01-01"))["programme"].startswith(
        "Programme: must be one of")
    assert validate(OtherProgramme, dict(programme="low_cost_school", start_date="2010-01-01")).description is None


PLACEMENT = dict(training_id="t1", employer="北京家政公司", job_title="育婴员", start_date="2010-07-01", wage_cny=1800)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("training_id", "", "Trainee: is required: a placement is only for a trainee"),
        ("employer", "", "Employer: is required"),
        ("job_title", "", "Job title: is required"),
        ("wage_cny", 0, "Monthly wage (¥): must be more than 0"),
        ("wage_cny", -100, "Monthly wage (¥): must be more than 0"),
        ("wage_cny", "", "Monthly wage (¥): is required"),
        ("wage_cny", 5_000_000, "Monthly wage (¥): must be at most ¥1,000,000"),
        ("start_date", "2999-01-01", "Start date: cannot be in the future"),
    ],
)
def test_placement_rules(field, value, message):
    found = errors(Placement, dict(PLACEMENT, **{field: value}))
    assert found[field].startswith(message), found


def test_placement_against_training():
    placement = validate(Placement, PLACEMENT)
    training = validate(Training, TRAINING)
    check_placement_against_training(placement, training)
    with pytest.raises(RecordInvalid) as info:
        check_placement_against_training(placement.model_copy(update={"start_date": dt.date(2010, 1, 1)}), training)
    assert info.value.errors["start_date"] == "Start date: cannot be before the training started (2010-03-10)"
    with pytest.raises(RecordInvalid) as info:
        check_placement_against_training(placement, None)
    assert "trainee" in info.value.errors["training_id"]
    with pytest.raises(RecordInvalid) as info:
        check_placement_against_training(placement, training.model_copy(update={"status": "dropped"}))
    assert "dropped" in info.value.errors["training_id"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name_zh", "", "Chinese name: is required"),
        ("name_en", "", "English name: is required"),
        ("grant_usd", "", "Grant (US$): is required"),
        ("grant_usd", -1, "Grant (US$): must be at least 0"),
        ("grant_usd", "10.001", "Grant (US$): must have at most two decimal places"),
        ("target_direct", -1, "Target (direct beneficiaries): must be at least 0"),
        ("sii", 19.9, "Social Impact Index: must be between 20 and 100"),
        ("sii", 100.1, "Social Impact Index: must be between 20 and 100"),
        ("programmes", ["juggling"], "Programmes: must be one of"),
    ],
)
def test_cbo_rules(field, value, message):
    found = errors(CBO, dict(CBO_OK, **{field: value}))
    assert found[field].startswith(message), found


def test_cbo_accepts_formatted_money_and_blank_sii():
    cbo = validate(CBO, dict(CBO_OK, grant_usd="US$1,087,406", sii="", programmes="vocational_training, after_school"))
    assert cbo.grant_usd == 1087406 and cbo.sii is None
    assert cbo.programmes == ["vocational_training", "after_school"]


FOLLOWUP = dict(placement_id="p1", due_month=3, checked_on="2010-10-01", employed=True, wage_cny=2000)
HOURS = dict(volunteer_id="v1", activity="training", worked_on="2010-10-01", hours=2)
#: money and counts: (model, valid data, field)
NUMBER_FIELDS = [
    (Followup, FOLLOWUP, "wage_cny"),
    (Placement, PLACEMENT, "wage_cny"),
    (Training, TRAINING, "income_before_cny"),
    (CBO, CBO_OK, "grant_usd"),
    (CBO, CBO_OK, "target_direct"),
]


@pytest.mark.parametrize("model,data,field", NUMBER_FIELDS)
@pytest.mark.parametrize("typed", ["3,500", "３，５００", "3 500", "3\u00a0500", "３５００"])
def test_money_and_counts_take_thousands_as_people_type_them(model, data, field, typed):
    """A wage typed "3,500" (the form's key filter lets the comma in, and the CBO's grant took
    "1,000") was refused with "must be a number"; in full width (全角) and grouped by spaces too."""
    assert getattr(validate(model, dict(data, **{field: typed})), field) == 3500


@pytest.mark.parametrize("model,data,field", NUMBER_FIELDS)
@pytest.mark.parametrize("typed", ["3,5", "3,50,0", "35,00", ",500", "3500,", "3, 500", "3,500 000"])
def test_a_comma_out_of_place_in_a_number_is_named(model, data, field, typed):
    """A comma that groups no thousands (a decimal comma "3,5", a typo "3,50,0") is refused with
    what to write instead, never read as 35 or 3500 (the grant's parser dropped every comma)."""
    assert errors(model, dict(data, **{field: typed}))[field].endswith(
        "write thousands in groups of three (3,500) and decimals after a point (3.5)")


def test_grouped_amounts_keep_their_decimals_and_their_other_rules():
    assert validate(Placement, dict(PLACEMENT, wage_cny="1,800.50")).wage_cny == 1800.5
    assert validate(CBO, dict(CBO_OK, grant_usd="US$ 1,000,000.25")).grant_usd == 1_000_000.25
    assert validate(VolunteerHours, dict(HOURS, hours="２.５")).hours == 2.5
    assert errors(VolunteerHours, dict(HOURS, hours="2,5"))["hours"].endswith("decimals after a point (3.5)")
    assert errors(Placement, dict(PLACEMENT, wage_cny="5,000,000"))["wage_cny"] == \
        "Monthly wage (¥): must be at most ¥1,000,000"
    assert errors(Training, dict(TRAINING, income_before_cny="-1,000"))["income_before_cny"].startswith(
        "Monthly income before training (¥): must be at least 0")
    assert errors(Followup, dict(FOLLOWUP, wage_cny="lots"))["wage_cny"] == "Monthly wage (¥): must be a number"


def test_planned_course_dates_within_a_year_but_never_a_planned_birth_or_registration(monkeypatch):
    from fieldtui.core import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2025, 6, 2))
    planned = validate(Training, dict(TRAINING, start_date="2025-07-01", end_date="2026-05-31", status="enrolled"))
    assert planned.end_date == dt.date(2026, 5, 31)
    assert errors(Training, dict(TRAINING, start_date="2026-07-01", end_date="", status="enrolled"))[
        "start_date"] == "Start date: can be planned at most a year ahead (until 2026-06-03)"
    assert errors(Training, dict(TRAINING, end_date="2025-09-01"))["end_date"] == \
        "End date: is in the future, so the course is not completed yet"
    assert errors(Participant, dict(PERSON, registered_on="2025-07-01"))["registered_on"] == \
        "Registration date: cannot be in the future"
    assert errors(Placement, dict(PLACEMENT, start_date="2025-07-01"))["start_date"] == \
        "Start date: cannot be in the future"
    assert errors(OtherProgramme, dict(programme="other", start_date="2025-07-01"))["start_date"] == \
        "Start date: cannot be in the future"


def test_every_child_rule_is_reported_at_once():
    found = errors(ChildRecord, dict(participant=CHILD,
                                     enrolment=dict(ENROL, guardian_name="", guardian_consent=False)))
    assert found["enrolment.guardian_name"] == "Guardian: is required for a child under 14 (PIPL)"
    assert found["enrolment.guardian_consent"] == \
        "Guardian consent recorded: must be recorded for a child under 14 (PIPL)"
    # ... and beside a field's own error (a missing school), not one save later
    found = errors(ChildRecord, dict(participant=CHILD, enrolment=dict(ENROL, school="", guardian_name="",
                                                                        guardian_consent=False)))
    assert {"enrolment.school", "enrolment.guardian_name", "enrolment.guardian_consent"} <= set(found)


def test_choices_take_the_labels_people_see_in_either_language():
    p = validate(Participant, dict(PERSON, gender="女", origin="新近进城"))
    assert (p.gender, p.origin) == ("female", "recent_arrival")
    assert validate(Training, dict(TRAINING, status="在读", end_date="")).status == "enrolled"
    assert validate(Training, dict(TRAINING, status="Completed")).status == "completed"


def test_a_cbo_made_in_chinese_keeps_the_city_everyone_else_has():
    """The Chinese form's defaults (the catalogue's 北京, 经济赋能) are stored as Beijing and
    Economic Empowerment, so the summary's city filter never sees one city twice."""
    from fieldtui.core import vocabulary
    from fieldtui.i18n import _, set_language

    set_language("zh")
    try:
        shown = {key: _(msgid) for key, msgid in vocabulary.CBO_DEFAULTS.items()}
    finally:
        set_language("en")
    assert shown == {"city": "北京", "sector": "经济赋能"}
    cbo = validate(CBO, dict(name_zh="新希望", name_en="New Hope", grant_usd=1, target_direct=1, **shown))
    assert (cbo.city, cbo.sector) == ("Beijing", "Economic Empowerment")


def test_clean_text_fast_path_for_plain_ascii_agrees_with_the_full_rules():
    """Plain ASCII skips normalising; any string must still come out as the full rules make it."""
    import random
    import unicodedata

    from pydantic_core import PydanticCustomError

    from fieldtui.core.formatting import UNPRINTABLE
    from fieldtui.core.models.fields import clean_text

    def full(value: str, max_len: int) -> str | None:
        value = unicodedata.normalize("NFC", value)
        if UNPRINTABLE.search(value.replace("\t", " ").replace("\n", " ")):
            return None
        value = " ".join(value.split())
        return value if len(value) <= max_len else None

    rng = random.Random(7)
    alphabet = "ab -\t\n\x00\x1f\x7f~é\u200b"
    samples = ["0132c3dc-b5c0-7135", " x", "x ", "a  b", "", "a\tb", "\x7f", "~" * 9]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9))) for _ in range(3000)]
    for value in samples:
        try:
            got = clean_text(value, max_len=8)
        except PydanticCustomError:
            got = None
        assert got == full(value, 8), repr(value)


#: Every date field of the records: (model, valid data, field, the date as 8 digits, as stored).
DATE_FIELDS = [
    (Participant, PERSON, "registered_on", "20100301", dt.date(2010, 3, 1)),
    (Participant, PERSON, "birth_date", "19850305", dt.date(1985, 3, 5)),
    (Training, TRAINING, "start_date", "20100310", dt.date(2010, 3, 10)),
    (Training, TRAINING, "end_date", "20100610", dt.date(2010, 6, 10)),
    (Placement, PLACEMENT, "start_date", "20100701", dt.date(2010, 7, 1)),
    (Followup, FOLLOWUP, "checked_on", "20101001", dt.date(2010, 10, 1)),
    (VolunteerHours, HOURS, "worked_on", "２０１０１００１", dt.date(2010, 10, 1)),
    (Session, dict(cbo_id="c1", held_on="2010-10-01"), "held_on", "20101001", dt.date(2010, 10, 1)),
    (Volunteer, dict(cbo_id="c1", full_name="陈同学", joined_on="2010-09-01"), "joined_on", "20100901",
     dt.date(2010, 9, 1)),
]


@pytest.mark.parametrize("model,data,field,digits,stored", DATE_FIELDS)
def test_a_date_typed_as_eight_digits_is_read_as_year_month_day(model, data, field, digits, stored):
    """"20100301" is how many people write a date in China (and how a spreadsheet exports one
    without separators). pydantic read any digits as a Unix time: 1970-08-22, refused as "must be
    on or after 1990-01-01", a message that sent people looking for the wrong mistake."""
    assert getattr(validate(model, dict(data, **{field: digits})), field) == stored


@pytest.mark.parametrize("model,data,field,digits,stored", DATE_FIELDS)
@pytest.mark.parametrize("typed", ["0", "5", "2010", "1267401600", 1267401600, 0, 20100301.0])
def test_other_digits_for_a_date_say_how_to_write_one(model, data, field, digits, stored, typed):
    """Any other number for a date (a year alone, a Unix time, a spreadsheet's number) is refused
    saying how a date is written, never as a date in 1970."""
    message = errors(model, dict(data, **{field: typed}))[field]
    assert message.endswith("must be a date written YYYY-MM-DD, e.g. 2010-03-01"), message


def test_eight_digits_that_are_no_date_say_why():
    assert errors(Training, dict(TRAINING, start_date="20101305"))["start_date"] == \
        "Start date: 2010-13-05 is not a date: there is no month 13"
    assert errors(Training, dict(TRAINING, start_date="20100230"))["start_date"] == \
        "Start date: 2010-02-30 is not a date: February 2010 has 28 days"
