"""The one registry of what fieldtui stores: record tables and the kinds of record people list.

A *table* is what travels between files (export, merge, conflicts): its SQL name, its model,
the columns that are personal (blanked in tombstones, hashed or dropped when pseudonymising).
A *kind* is what people list, search, add and edit (a screen, a form, a spreadsheet): the table
its rows live in, the composite model its form edits, its list query, its spreadsheet columns,
its nouns and its key. Everything that enumerates tables or kinds reads them from here; adding a
kind means its model (core/models.py), an entry here and its screen (README: "Adding a kind").

Nouns are msgids (`N_`): `_()` translates them where they are shown, in either language.
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


#: In foreign-key order (parents first): exports copy and merges apply them in this order.
TABLES: tuple[Table, ...] = (
    Table("cbos", "CBO", N_("CBOs")),
    Table("participants", "Participant", N_("People"),
          personal=MappingProxyType({"full_name": "h", "phone": "h", "birth_date": "x"})),
    Table("trainings", "Training", N_("Trainings"), person_column="participant_id"),
    Table("after_school", "AfterSchool", N_("After-school enrolments"),
          personal=MappingProxyType({"guardian_name": "h"}), person_column="participant_id"),
    Table("other_programmes", "OtherProgramme", N_("Other programmes"),
          personal=MappingProxyType({"description": "x"}), person_column="participant_id"),
    Table("placements", "Placement", N_("Placements")),
)
TABLE: Mapping[str, Table] = MappingProxyType({t.name: t for t in TABLES})
RECORD_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES)
#: The person's columns a blanked tombstone must keep NOT NULL: replaced by this name.
REMOVED_NAME = "(removed)"
NOT_NULL_PERSONAL = frozenset({("participants", "full_name")})

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


_PERSON = "p.full_name, p.gender, p.birth_year, p.phone, p.province, p.cbo_id, c.name_en AS cbo_en, c.name_zh AS cbo_zh"
_ENROLMENT_FROM = " FROM {table} {a} JOIN participants p ON p.id = {a}.participant_id JOIN cbos c ON c.id = p.cbo_id"
#: Lists also join each person's pinyin keys (core/pinyin.py): the name order and pinyin search.
_KEYS = " JOIN participant_keys k ON k.participant_id = p.id"
_LIST_FROM = _ENROLMENT_FROM + _KEYS
#: The sort of every list of people: their names in pinyin order.
NAME_SORT = "k.sort_key"
#: Every field of a person a spreadsheet round-trips (export-table, import).
_PERSON_COLS = ("p.id AS participant_id, c.name_en AS cbo, p.full_name, p.gender, p.birth_year, p.birth_date, "
                "p.province, p.origin, p.phone, p.household_members, p.registered_on, p.registered_by")

#: Table of each alias the list queries use.
ALIAS_TABLE: Mapping[str, str] = MappingProxyType({
    "c": "cbos", "p": "participants", "t": "trainings", "a": "after_school", "o": "other_programmes",
    "pl": "placements", "k": "participant_keys"})
#: Search columns with a NOCASE index, so `LIKE 'prefix%'` is an index range; the others
#: (ids, phone) have BINARY indexes and are searched by key range (records/lists.py).
NOCASE_INDEXED = frozenset({"p.full_name", "a.guardian_name", "pl.employer"})

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
    key_binding: str  # the function key that opens its list
    screen: str  # "module:Class" of its list screen (the TUI imports it; the core never does)
    list: ListSpec
    #: (alias of the keyed table, SELECT of every field a spreadsheet round-trips)
    sheet: tuple[str, str]
    importable: bool  # `fieldtui import --kind` takes it
    #: a person's enrolment: removing the last one removes the person (records/saves.py); the
    #: attribute of the composite record (`record`) that holds the enrolment
    part: str | None = None

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
        importable=False,
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
                    "t.income_before_cny" + _ENROLMENT_FROM.format(table="trainings", a="t")),
        importable=True, part="training",
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
                    "a.programme, a.start_date, a.end_date" + _ENROLMENT_FROM.format(table="after_school", a="a")),
        importable=True, part="enrolment",
    ),
    Kind(
        key="placements", table="placements", record="Placement", title=N_("Job placements"),
        singular=N_("job placement"), plural=N_("placements"), short=N_("Jobs"), key_binding="f6",
        screen=f"{_SCREENS}.placements:PlacementListScreen",
        list=ListSpec(
            select=f"SELECT pl.id, pl.training_id, t.participant_id, {_PERSON}, pl.employer, pl.job_title, "
            "pl.start_date, pl.wage_cny, pl.verified, pl.deleted FROM placements pl "
            "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
            "JOIN cbos c ON c.id = p.cbo_id" + _KEYS,
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
                     "pl.job_title, pl.start_date, pl.wage_cny, pl.verified FROM placements pl "
                     "JOIN trainings t ON t.id = pl.training_id JOIN participants p ON p.id = t.participant_id "
                     "JOIN cbos c ON c.id = p.cbo_id"),
        importable=True,
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
        sheet=("o", f"SELECT o.id, {_PERSON_COLS}, o.programme, o.description, o.start_date, o.end_date"
                    + _ENROLMENT_FROM.format(table="other_programmes", a="o")),
        importable=True, part="programme",
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
