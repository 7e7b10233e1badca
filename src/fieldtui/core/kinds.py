"""The one registry of what fieldtui stores: record tables and the kinds of record people list.

A *table* is what travels between files (export, merge, conflicts): its SQL name, its model,
the columns that are personal (blanked in tombstones, hashed or dropped when pseudonymising).
A *kind* is what people list, search, add and edit (a screen, a form, a spreadsheet): the table
its rows live in, the composite model its form edits, its list query, its spreadsheet columns,
its nouns and its key. Everything that enumerates tables or kinds reads them from here; adding a
kind means its model (core/models.py), an entry here and its screen (README: "Adding a kind").

Nouns are msgids (`N_`): `_()` translates them where they are shown, in either language.
The outcome kinds (follow-ups, sessions, attendance, volunteers and their hours) have no function
key of their own (F1-F12 are taken): the home menu and the command palette open them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fieldtui.i18n import N_, _

# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Table:
    """A table of records that travels to headquarters."""

    name: str
    model: str  # its pydantic model in core.models
    label: str  # N_(): how merge reports name it
    #: personal column -> "h" (replaced by a keyed hash) or "x" (dropped) when pseudonymising;
    #: every one of them is blanked in a tombstone
    personal: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: the person a row belongs to (its composite rules read the person), if any
    person_column: str | None = None
    #: rows of other tables removed (and restored) with a row of this one: (table, its column naming this row)
    cascade: tuple[tuple[str, str], ...] = ()
    #: (column, table, msgid) of each parent a live row needs live: restoring it waits for the parent
    parents: tuple[tuple[str, str, str], ...] = ()
    #: the columns of which one live row at most exists (a child's mark at a session): two laptops
    #: that each recorded it bring two rows, which the merge folds into one (exchange/twins.py)
    one_live_per: tuple[str, ...] = ()
    #: two rows equal in every field may be two records (two sessions, or two stints of hours, on
    #: one day): an import writes a repeated row again instead of taking it for the stored one
    repeats_are_distinct: bool = False


#: In foreign-key order (parents first): exports copy and merges apply them in this order.
TABLES: tuple[Table, ...] = (
    Table("cbos", "CBO", N_("CBOs")),
    Table("participants", "Participant", N_("People"),
          personal=MappingProxyType({"full_name": "h", "phone": "h", "birth_date": "x"})),
    Table("trainings", "Training", N_("Trainings"), person_column="participant_id",
          cascade=(("placements", "training_id"),)),
    Table("after_school", "AfterSchool", N_("After-school enrolments"),
          personal=MappingProxyType({"guardian_name": "h"}), person_column="participant_id",
          cascade=(("attendance", "enrolment_id"),)),
    Table("other_programmes", "OtherProgramme", N_("Other programmes"),
          personal=MappingProxyType({"description": "x"}), person_column="participant_id"),
    Table("placements", "Placement", N_("Placements"), cascade=(("followups", "placement_id"),),
          parents=(("training_id", "trainings", N_("Restore the trainee first")),)),
    Table("followups", "Followup", N_("Job follow-ups"), personal=MappingProxyType({"note": "x"}),
          parents=(("placement_id", "placements", N_("Restore the job placement first")),),
          one_live_per=("placement_id", "due_month")),
    Table("sessions", "Session", N_("Sessions"),
          cascade=(("attendance", "session_id"), ("volunteer_hours", "session_id")), repeats_are_distinct=True),
    Table("attendance", "Attendance", N_("Attendance marks"),
          parents=(("session_id", "sessions", N_("Restore the session first")),
                   ("enrolment_id", "after_school", N_("Restore the child first"))),
          one_live_per=("session_id", "enrolment_id")),
    Table("volunteers", "Volunteer", N_("Volunteers"), personal=MappingProxyType({"full_name": "h", "phone": "h"}),
          cascade=(("volunteer_hours", "volunteer_id"),)),
    Table("volunteer_hours", "VolunteerHours", N_("Volunteer hours"),
          parents=(("volunteer_id", "volunteers", N_("Restore the volunteer first")),
                   ("session_id", "sessions", N_("Restore the session first"))), repeats_are_distinct=True),
)
TABLE: Mapping[str, Table] = MappingProxyType({t.name: t for t in TABLES})
RECORD_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES)
#: The person's columns a blanked tombstone must keep NOT NULL: replaced by this name.
REMOVED_NAME = "(removed)"
NOT_NULL_PERSONAL = frozenset({("participants", "full_name"), ("volunteers", "full_name")})

# --------------------------------------------------------------------------- list queries


@dataclass(frozen=True)
class ListSpec:
    """How one list screen reads its rows: a SELECT, its search and sort columns."""

    select: str
    table_alias: str
    search: tuple[str, ...]
    sorts: dict[str, str]
    cbo_column: str
    default_sort: str
    #: The FROM part with its joins in name order, for walking the list by name when the
    #: planner would otherwise scan and sort (placements: the walk starts at the person).
    name_walk_from: str | None = None
    #: A name column no keys table holds (volunteers: tens per CBO, not people counted): its pinyin
    #: order, pinyin and initials computed as the list is read, by the SQL functions of
    #: core/pinyin.py, so it sorts and is found as lists of people are. No index: at 8,281
    #: volunteers (160 times the demo's) a first page takes 13 ms, a pinyin search 33 ms.
    name_keys: str | None = None


_PERSON = "p.full_name, p.gender, p.birth_year, p.phone, p.province, p.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh"
_ENROLMENT_FROM = " FROM {table} {a} JOIN participants p ON p.id = {a}.participant_id JOIN cbos c ON c.id = p.cbo_id"
#: Lists also join each person's pinyin keys (core/pinyin.py): the name order and pinyin search.
KEYS_JOIN = " JOIN participant_keys k ON k.participant_id = p.id"
_LIST_FROM = _ENROLMENT_FROM + KEYS_JOIN
#: The sort of every list of people: their names in pinyin order.
NAME_SORT = "k.sort_key"
#: A sheet's record saved last (import --update keeps the app's later edits, sheets/updating.py):
#: the later of its person's and its own stamp, in SQL both engines read (no scalar max()).
_SAVED_AT = "CASE WHEN p.updated_at > {a}.updated_at THEN p.updated_at ELSE {a}.updated_at END AS saved_at"
#: Every field of a person a spreadsheet round-trips (export-table, import).
_PERSON_COLS = ("p.id AS participant_id, c.name_en AS cbo, p.full_name, p.gender, p.birth_year, p.birth_date, "
                "p.province, p.origin, p.phone, p.household_members, p.registered_on, p.registered_by")

#: Table of each alias the list queries use.
ALIAS_TABLE: Mapping[str, str] = MappingProxyType({
    "c": "cbos", "p": "participants", "t": "trainings", "a": "after_school", "o": "other_programmes",
    "pl": "placements", "fu": "followups", "se": "sessions", "am": "attendance", "v": "volunteers",
    "vh": "volunteer_hours", "k": "participant_keys"})
#: Search columns with a NOCASE index, so `LIKE 'prefix%'` is an index range; the others
#: (ids, phone, dates) have BINARY indexes and are searched by key range (records/lists.py).
NOCASE_INDEXED = frozenset({"p.full_name", "a.guardian_name", "pl.employer", "v.full_name"})
#: A list's own FROM is found by its upper-case keyword (records/lists.py), so a column that
#: counts other rows for the rows shown writes its subquery's "from" in lower case.
_FROM_PLACEMENT = (" FROM {table} {a} JOIN placements pl ON pl.id = {a}.placement_id JOIN trainings t ON t.id = "
                   "pl.training_id JOIN participants p ON p.id = t.participant_id JOIN cbos c ON c.id = p.cbo_id")

# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    """A kind of record people list and edit."""

    key: str  # list, draft, CLI --kind
    table: str  # where its rows (and the ids its list shows) live
    record: str  # the model its form edits (composite for a person's enrolment)
    title: str  # N_(): the list screen and menus
    singular: str  # N_(): "1 trainee", the draft question
    plural: str  # N_(): "12 trainees"
    short: str  # N_(): the key's label in footers and the palette
    key_binding: str | None  # the function key that opens its list (the home menu and Ctrl+P always do)
    screen: str  # "module:Class" of its list screen (the TUI imports it; the core never does)
    list: ListSpec
    #: (alias of the keyed table, SELECT of every field a spreadsheet round-trips)
    sheet: tuple[str, str]
    saver: str  # the Store method that saves a validated record of the kind (forms, `fieldtui import`)
    importable: bool  # `fieldtui import --kind` takes it
    #: a person's enrolment: removing the last one removes the person (records/saves.py); the
    #: attribute of the composite record (`record`) that holds the enrolment
    part: str | None = None
    #: the Store method that reads one stored record of the kind, for `fieldtui import --update`
    #: (None: import adds the kind's rows but does not correct them)
    getter: str | None = None

    @property
    def enrols_person(self) -> bool:
        return self.part is not None

    @property
    def model(self) -> str:
        """The model of the rows in `table` (the enrolment's, for a composite record)."""
        return TABLE[self.table].model

    def count_label(self, n: int) -> str:
        """"1 trainee" / "12 trainees", translated (the Chinese noun is the same)."""
        from fieldtui.core import formatting

        return f"{formatting.number(n)} {_(self.singular if n == 1 else self.plural)}"


_SCREENS = "fieldtui.tui.screens"

KINDS: tuple[Kind, ...] = (
    Kind(
        key="cbos", table="cbos", record="CBO", title=N_("CBOs"), singular=N_("CBO"), plural=N_("CBOs"),
        short=N_("CBOs"), key_binding="f2", screen=f"{_SCREENS}.cbos:CBOListScreen",
        list=ListSpec(
            select="SELECT c.id, c.name_zh, c.name_en, c.city, c.grant_usd, c.target_direct, c.sii, c.deleted, "
            "c.id AS cbo_id FROM cbos c",
            table_alias="c",
            search=("c.name_en", "c.name_zh", "c.city"),
            sorts={"name": "c.name_en", "name_zh": "c.name_zh", "city": "c.city", "grant": "c.grant_usd",
                   "target": "c.target_direct", "sii": "COALESCE(c.sii, 0)"},
            cbo_column="c.id",
            default_sort="name",
        ),
        sheet=("c", "SELECT c.id, c.name_en, c.name_zh, c.city, c.sector, c.grant_usd, c.target_direct, c.sii, "
                    "c.programmes FROM cbos c"),
        saver="save_cbo", importable=False,
    ),
    Kind(
        key="trainees", table="trainings", record="TraineeRecord", title=N_("Trainees"), singular=N_("trainee"),
        plural=N_("trainees"), short=N_("Trainees"), key_binding="f3", screen=f"{_SCREENS}.trainees:TraineeListScreen",
        list=ListSpec(
            select=f"SELECT t.id, t.participant_id, {_PERSON}, t.course, t.status, t.start_date, t.end_date, "
            "t.deleted" + _LIST_FROM.format(table="trainings", a="t"),
            table_alias="t",
            search=("p.full_name", "p.phone", "p.id", "t.id"),
            sorts={"name": NAME_SORT, "cbo": "c.name_en", "course": "t.course", "status": "t.status",
                   "start": "t.start_date", "birth_year": "p.birth_year"},
            cbo_column="p.cbo_id",
            default_sort="name",
        ),
        sheet=("t", f"SELECT t.id, {_PERSON_COLS}, t.course, t.start_date, t.end_date, t.status, "
                    "t.income_before_cny, " + _SAVED_AT.format(a="t")
                    + _ENROLMENT_FROM.format(table="trainings", a="t")),
        saver="save_trainee", importable=True, getter="get_trainee", part="training",
    ),
    Kind(
        key="children", table="after_school", record="ChildRecord", title=N_("After-school children"),
        singular=N_("after-school child"), plural=N_("children"), short=N_("Children"), key_binding="f4",
        screen=f"{_SCREENS}.children:ChildListScreen",
        list=ListSpec(
            select=f"SELECT a.id, a.participant_id, {_PERSON}, a.school, a.grade, a.guardian_name, a.programme, "
            "a.start_date, a.deleted" + _LIST_FROM.format(table="after_school", a="a"),
            table_alias="a",
            search=("p.full_name", "p.phone", "p.id", "a.id", "a.guardian_name"),
            sorts={"name": NAME_SORT, "cbo": "c.name_en", "school": "a.school", "grade": "a.grade",
                   "start": "a.start_date"},
            cbo_column="p.cbo_id",
            default_sort="name",
        ),
        sheet=("a", f"SELECT a.id, {_PERSON_COLS}, a.school, a.grade, a.guardian_name, a.guardian_consent, "
                    "a.programme, a.start_date, a.end_date, " + _SAVED_AT.format(a="a")
                    + _ENROLMENT_FROM.format(table="after_school", a="a")),
        saver="save_child", importable=True, getter="get_child", part="enrolment",
    ),
    Kind(
        key="placements", table="placements", record="Placement", title=N_("Job placements"),
        singular=N_("job placement"), plural=N_("placements"), short=N_("Jobs"), key_binding="f6",
        screen=f"{_SCREENS}.placements:PlacementListScreen",
        list=ListSpec(
            select=f"SELECT pl.id, pl.training_id, t.participant_id, {_PERSON}, pl.employer, pl.job_title, "
            "pl.start_date, pl.wage_cny, pl.verified, pl.deleted FROM placements pl "
            "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
            "JOIN cbos c ON c.id = p.cbo_id" + KEYS_JOIN,
            table_alias="pl",
            search=("p.full_name", "p.phone", "pl.employer", "pl.id", "p.id"),
            sorts={"name": NAME_SORT, "cbo": "c.name_en", "employer": "pl.employer", "start": "pl.start_date",
                   "wage": "pl.wage_cny"},
            cbo_column="p.cbo_id",
            default_sort="name",
            name_walk_from=" FROM participant_keys k CROSS JOIN participants p ON p.id = k.participant_id "
            "CROSS JOIN trainings t ON t.participant_id = p.id CROSS JOIN placements pl ON pl.training_id = t.id "
            "JOIN cbos c ON c.id = p.cbo_id",
        ),
        sheet=("pl", "SELECT pl.id, pl.training_id, c.name_en AS cbo, p.full_name, p.phone, pl.employer, "
                     "pl.job_title, pl.start_date, pl.wage_cny, pl.verified, pl.updated_at AS saved_at "
                     "FROM placements pl "
                     "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
                     "JOIN cbos c ON c.id = p.cbo_id"),
        saver="save_placement", importable=True, getter="get_placement",
    ),
    Kind(
        key="others", table="other_programmes", record="ParticipantRecord", title=N_("Other participants"),
        singular=N_("participant"), plural=N_("participants"), short=N_("Others"), key_binding="f7",
        screen=f"{_SCREENS}.participants:ParticipantListScreen",
        list=ListSpec(
            select=f"SELECT o.id, o.participant_id, {_PERSON}, o.programme, o.description, o.start_date, "
            "o.deleted" + _LIST_FROM.format(table="other_programmes", a="o"),
            table_alias="o",
            search=("p.full_name", "p.phone", "p.id", "o.id"),
            sorts={"name": NAME_SORT, "cbo": "c.name_en", "programme": "o.programme", "start": "o.start_date"},
            cbo_column="p.cbo_id",
            default_sort="name",
        ),
        sheet=("o", f"SELECT o.id, {_PERSON_COLS}, o.programme, o.description, o.start_date, o.end_date, "
                    + _SAVED_AT.format(a="o")
                    + _ENROLMENT_FROM.format(table="other_programmes", a="o")),
        saver="save_participant", importable=True, getter="get_other", part="programme",
    ),
    Kind(
        key="followups", table="followups", record="Followup", title=N_("Job follow-ups"), singular=N_("follow-up"),
        plural=N_("follow-ups"), short=N_("Follow-ups"), key_binding=None,
        screen=f"{_SCREENS}.followups:FollowupScreen",
        list=ListSpec(
            select=f"SELECT fu.id, fu.placement_id, t.participant_id, {_PERSON}, pl.employer, pl.job_title, "
            "pl.start_date AS placement_start, fu.due_month, fu.checked_on, fu.employed, fu.same_employer, "
            "fu.wage_cny, fu.reason, fu.deleted" + _FROM_PLACEMENT.format(table="followups", a="fu"),
            table_alias="fu",
            search=("p.full_name", "p.phone", "pl.employer", "fu.id", "p.id"),
            sorts={"name": "p.full_name", "cbo": "c.name_en", "checked": "fu.checked_on", "month": "fu.due_month",
                   "employer": "pl.employer"},
            cbo_column="p.cbo_id",
            default_sort="name",
            name_walk_from=" FROM participants p CROSS JOIN trainings t ON t.participant_id = p.id "
            "CROSS JOIN placements pl ON pl.training_id = t.id CROSS JOIN followups fu ON fu.placement_id = pl.id "
            "JOIN cbos c ON c.id = p.cbo_id",
        ),
        sheet=("fu", "SELECT fu.id, fu.placement_id, c.name_en AS cbo, p.full_name, pl.employer AS placement_employer, "
                     "pl.start_date AS placement_start, fu.due_month, fu.checked_on, fu.employed, fu.same_employer, "
                     "fu.wage_cny, fu.reason, fu.note" + _FROM_PLACEMENT.format(table="followups", a="fu")),
        saver="save_followup", importable=True,
    ),
    Kind(
        key="sessions", table="sessions", record="Session", title=N_("Sessions"), singular=N_("session"),
        plural=N_("sessions"), short=N_("Sessions"), key_binding=None, screen=f"{_SCREENS}.sessions:SessionListScreen",
        list=ListSpec(
            select="SELECT se.id, se.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh, se.held_on, se.programme, "
            "se.held, se.topic, (SELECT count(*) from attendance m where m.session_id = se.id and m.deleted = 0) "
            "AS marked, (SELECT total(m.present) from attendance m where m.session_id = se.id and m.deleted = 0) "
            "AS present, se.deleted FROM sessions se JOIN cbos c ON c.id = se.cbo_id",
            table_alias="se",
            search=("se.held_on", "se.topic", "se.id"),
            sorts={"date": "se.held_on", "programme": "se.programme", "cbo": "c.name_en"},
            cbo_column="se.cbo_id",
            default_sort="date",
        ),
        sheet=("se", "SELECT se.id, c.name_en AS cbo, se.programme, se.held_on, se.held, se.topic "
                     "FROM sessions se JOIN cbos c ON c.id = se.cbo_id"),
        saver="save_session", importable=True,
    ),
    Kind(
        key="attendance", table="attendance", record="Attendance", title=N_("Attendance"),
        singular=N_("attendance mark"), plural=N_("attendance marks"), short=N_("Attendance"), key_binding=None,
        screen=f"{_SCREENS}.attendance:AttendanceScreen",
        list=ListSpec(
            select=f"SELECT am.id, am.session_id, am.enrolment_id, a.participant_id, {_PERSON}, se.held_on, "
            "se.programme, se.held, am.present, am.deleted FROM attendance am "
            "JOIN sessions se ON se.id = am.session_id JOIN after_school a ON a.id = am.enrolment_id "
            "JOIN participants p ON p.id = a.participant_id JOIN cbos c ON c.id = p.cbo_id",
            table_alias="am",
            search=("p.full_name", "p.id", "am.id"),
            sorts={"name": "p.full_name", "date": "se.held_on", "cbo": "c.name_en"},
            cbo_column="p.cbo_id",
            default_sort="name",
            name_walk_from=" FROM participants p CROSS JOIN after_school a ON a.participant_id = p.id "
            "CROSS JOIN attendance am ON am.enrolment_id = a.id JOIN sessions se ON se.id = am.session_id "
            "JOIN cbos c ON c.id = p.cbo_id",
        ),
        sheet=("am", "SELECT am.id, am.session_id, se.held_on, se.programme, am.enrolment_id, c.name_en AS cbo, "
                     "p.full_name, am.present FROM attendance am JOIN sessions se ON se.id = am.session_id "
                     "JOIN after_school a ON a.id = am.enrolment_id JOIN participants p ON p.id = a.participant_id "
                     "JOIN cbos c ON c.id = p.cbo_id"),
        saver="save_attendance", importable=True,
    ),
    Kind(
        key="volunteers", table="volunteers", record="Volunteer", title=N_("Volunteers"), singular=N_("volunteer"),
        plural=N_("volunteers"), short=N_("Volunteers"), key_binding=None,
        screen=f"{_SCREENS}.volunteers:VolunteerListScreen",
        list=ListSpec(
            select="SELECT v.id, v.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh, v.full_name, v.phone, "
            "v.affiliation, v.joined_on, (SELECT total(h.hours) from volunteer_hours h where h.volunteer_id = v.id "
            "and h.deleted = 0) AS hours, v.deleted FROM volunteers v JOIN cbos c ON c.id = v.cbo_id",
            table_alias="v",
            search=("v.full_name", "v.phone", "v.id"),
            sorts={"name": "fieldtui_sort_key(CAST(v.full_name AS BLOB))", "cbo": "c.name_en", "joined": "v.joined_on"},
            cbo_column="v.cbo_id",
            default_sort="name",
            name_keys="CAST(v.full_name AS BLOB)",  # as bytes: a name no longer UTF-8 (pinyin.register)
        ),
        sheet=("v", "SELECT v.id, c.name_en AS cbo, v.full_name, v.phone, v.affiliation, v.joined_on "
                    "FROM volunteers v JOIN cbos c ON c.id = v.cbo_id"),
        saver="save_volunteer", importable=True,
    ),
    Kind(
        key="volunteer_hours", table="volunteer_hours", record="VolunteerHours", title=N_("Volunteer hours"),
        singular=N_("time entry"), plural=N_("time entries"), short=N_("Hours"), key_binding=None,
        screen=f"{_SCREENS}.volunteer_hours:HoursListScreen",
        list=ListSpec(
            select="SELECT vh.id, vh.volunteer_id, v.full_name, v.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh, "
            "vh.activity, vh.worked_on, vh.hours, vh.session_id, vh.deleted FROM volunteer_hours vh "
            "JOIN volunteers v ON v.id = vh.volunteer_id JOIN cbos c ON c.id = v.cbo_id",
            table_alias="vh",
            search=("v.full_name", "vh.worked_on", "vh.id"),
            sorts={"date": "vh.worked_on", "name": "v.full_name", "activity": "vh.activity", "cbo": "c.name_en"},
            cbo_column="v.cbo_id",
            default_sort="date",
        ),
        sheet=("vh", "SELECT vh.id, vh.volunteer_id, c.name_en AS cbo, v.full_name, vh.activity, vh.worked_on, "
                     "vh.hours, vh.session_id FROM volunteer_hours vh JOIN volunteers v ON v.id = vh.volunteer_id "
                     "JOIN cbos c ON c.id = v.cbo_id"),
        saver="save_volunteer_hours", importable=True,
    ),
)
KIND: Mapping[str, Kind] = MappingProxyType({k.key: k for k in KINDS})
#: Earlier names still accepted where a kind is named from outside (CLI, drafts in older files):
#: the list of other programmes was called "participants" although `participants` holds everyone.
ALIASES: Mapping[str, str] = MappingProxyType({"participants": "others"})


def kind(key: str) -> Kind:
    """The kind named `key` (or an earlier name of it); KeyError if there is none."""
    return KIND[ALIASES.get(key, key)]


def is_kind(key: object) -> bool:
    return isinstance(key, str) and ALIASES.get(key, key) in KIND


def keys(*, importable: bool | None = None, aliases: bool = False) -> tuple[str, ...]:
    """Kind keys in menu order (optionally only those `fieldtui import` takes, and with the
    earlier names a command line still accepts)."""
    out = tuple(k.key for k in KINDS if importable is None or k.importable == importable)
    return out + tuple(a for a, k in ALIASES.items() if k in out) if aliases else out
