"""Pinyin keys of people's names: the order Chinese users expect, and search by pinyin or initials.

A phone's contacts list 丁, 万, 严, 乔 as ding, wan, yan, qiao (not by code point), and people
find 王建国 by typing "wangjianguo" or "wjg" faster than through an input method. Each person's
keys are kept in `participant_keys` (migration 0006), a table local to the file like `audit`:
not a record table, so exports and merges never carry it.

- `sort_key`: the name's syllables without tones, a space between them (so 万里 "wan li" comes
  before 王建国 "wang jian guo": compared syllable by syllable, as ICU's pinyin collation and so
  Android's contacts do), then \\x01 and the name itself (ties among 王建国 / 汪建国 go by
  character, never at random). Latin names sort by their words among the Chinese ones ("Li Wei"
  beside 李伟); a name that starts with neither goes last.
- `pinyin`: the letters alone ("wangjianguo"), `initials`: the first letter of each syllable or
  word ("wjg"). Both start with the sort key's first letter, and a pinyin that starts with
  "wangj" has a sort key that starts with "wangj", "wang ", "wan "…: `pinyin_ranges` gives those
  stretches of the order, which a search walks instead of the whole list (records/lists.py).

Polyphonic characters take their commonest reading, except a first character that is a known
surname with its own reading (单 Shàn, 曾 Zēng…). pypinyin is loaded on the first name converted
(saving a record, opening an older file), never by the lists or the summary: searching compares
letters people type with the stored keys.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from functools import lru_cache

from fieldtui.core.db.connect import text

#: Surnames whose reading differs from the character's commonest one.
SURNAMES = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "朴": "piao", "查": "zha",
    "乐": "yue", "翟": "zhai", "覃": "qin", "召": "shao", "缪": "miao", "繁": "po", "盖": "ge",
    "种": "chong", "柏": "bai", "黑": "he", "宓": "mi", "员": "yun", "秘": "bi", "尉": "yu",
    "长": "chang", "重": "chong", "沈": "shen", "贾": "jia", "葛": "ge", "任": "ren", "华": "hua",
}
SEPARATOR = "\x01"
#: Names that start with neither a letter nor a Chinese character go after every other.
LAST = "~"


@lru_cache(maxsize=1)
def _converter():
    """pypinyin without its phrase dictionary: names are not phrases, and the dictionary costs
    ~45 MiB and 0.3 s to load, the character table ~12 MiB and 0.1 s."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin

    return lambda ch: lazy_pinyin(ch, style=Style.NORMAL, errors="ignore", v_to_u=False)


@lru_cache(maxsize=32768)
def _syllable(ch: str) -> str:
    """The toneless pinyin of one character ("" for a character that is not Chinese)."""
    found = _converter()(ch)
    return found[0].lower() if found and found[0].isascii() and found[0].isalpha() else ""


def _tokens(name: str) -> list[str]:
    """The name as lower-case ASCII words: one per Chinese character, one per Latin word."""
    text = unicodedata.normalize("NFKD", name)
    out: list[str] = []
    word = ""
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            continue
        if ch.isascii() and ch.isalnum():
            word += ch.lower()
            continue
        if word:
            out.append(word)
            word = ""
        if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f":
            first = not out
            syllable = SURNAMES.get(ch) if first and i == 0 else None
            syllable = syllable or _syllable(ch)
            if syllable:
                out.append(syllable)
    if word:
        out.append(word)
    return out


@lru_cache(maxsize=65536)
def keys(name: str) -> tuple[str, str, str]:
    """(sort_key, pinyin, initials) of a name."""
    tokens = _tokens(name or "")
    pinyin = "".join(tokens)
    initials = "".join(t[0] for t in tokens)
    spaced = " ".join(tokens)
    lead = spaced if spaced[:1].isalpha() else LAST + spaced
    return f"{lead}{SEPARATOR}{name}", pinyin, initials


def sort_key(name: str) -> str:
    return keys(name)[0]


def full(name: str) -> str:
    """"王建国" -> "wangjianguo"."""
    return keys(name)[1]


def initials(name: str) -> str:
    """"王建国" -> "wjg"."""
    return keys(name)[2]


def query_letters(text: str) -> str | None:
    """What a search compares with the keys: the typed letters without spaces, lower case, or
    None when the text is not plain letters (a phone, an id, Chinese characters)."""
    letters = "".join(text.split()).lower()
    return letters if letters.isascii() and letters.isalpha() else None


#: Above every character: "starts with x" is the key range [x, x + AFTER).
AFTER = "\U0010ffff"


def pinyin_ranges(letters: str) -> list[tuple[str, str]]:
    """Sort-key ranges holding every name whose pinyin starts with `letters`: either its first
    syllable starts with them ("wa" -> "wang …"), or the first syllable is one of their
    beginnings ("wangj" -> "wang …", "wan …", "wa …", "w …": most hold nothing)."""
    out = [(letters, letters + AFTER)]
    for i in range(len(letters) - 1, 0, -1):
        head = letters[:i] + " "
        out.append((head, head + AFTER))
    return out


def han_prefix(text: str) -> str | None:
    """The sort-key prefix of names that start with `text` when it is all Chinese characters
    ("王建" -> "wang jian"), so a search walks one stretch of the pinyin order; else None."""
    text = text.strip()
    if not text or not all("\u3400" <= ch <= "\u9fff" for ch in text):
        return None
    tokens = _tokens(text)
    return " ".join(tokens) if len(tokens) == len(text) else None


def bag(name: str) -> str:
    """The name's syllables sorted ("王小二" and "王二小" -> "er wang xiao"): a duplicate-finding
    key (core/duplicates/) that meets names whose characters were typed in another order."""
    return " ".join(sorted(_tokens(name or "")))


def register(conn: sqlite3.Connection) -> None:
    """`fieldtui_sort_key(name)`, `fieldtui_pinyin(name)`, `fieldtui_initials(name)` and
    `fieldtui_bag(name)` on a connection, for the SQL that fills the table (migrations 0006 and
    0008, `refresh_keys`)."""
    for fn, index in (("fieldtui_sort_key", 0), ("fieldtui_pinyin", 1), ("fieldtui_initials", 2)):
        conn.create_function(fn, 1, lambda name, i=index: keys(_name(name))[i], deterministic=True)
    conn.create_function("fieldtui_bag", 1, lambda name: bag(_name(name)), deterministic=True)


def _name(value: object) -> str:
    """A name as the SQL functions receive it. `refresh_keys` hands it over as bytes: Python would
    refuse to call a function on text that is not UTF-8 (edited with the sqlite3 program), and the
    save or merge around it would fail; such bytes become U+FFFD, as when the name is read."""
    if isinstance(value, bytes):
        return text(value)
    return value if isinstance(value, str) else ""


_COLUMNS = "participant_id, name, sort_key, pinyin, initials, birth_year, bag, phone"
#: The keys of the participants whose ids `{ids}` selects, as rows of `participant_keys`.
_KEYED = (
    "SELECT p.id, p.full_name, fieldtui_sort_key(p.name_bytes), fieldtui_pinyin(p.name_bytes), "
    "fieldtui_initials(p.name_bytes), p.birth_year, fieldtui_bag(p.name_bytes), p.phone "
    "FROM (SELECT *, CAST(full_name AS BLOB) AS name_bytes FROM main.participants) p WHERE p.id IN ({ids}) "
)
_UPSERT = (
    f"INSERT INTO participant_keys ({_COLUMNS}) " + _KEYED
    + "AND NOT EXISTS (SELECT 1 FROM participant_keys x WHERE x.participant_id = p.id "
    "AND x.name IS p.full_name AND x.birth_year IS p.birth_year AND x.phone IS p.phone) "
    "ON CONFLICT (participant_id) DO UPDATE SET name = excluded.name, sort_key = excluded.sort_key, "
    "pinyin = excluded.pinyin, initials = excluded.initials, birth_year = excluded.birth_year, bag = excluded.bag, "
    "phone = excluded.phone"
)
#: What a read-only connection reads as `participant_keys` once `keys_for_reading` made the
#: missing ones (temp objects are searched before the file's own, for this connection only).
_SHADOW = (
    "CREATE TEMP TABLE missing_keys AS SELECT * FROM main.participant_keys WHERE 0",
    f"INSERT INTO temp.missing_keys ({_COLUMNS}) " + _KEYED.format(
        ids="SELECT id FROM main.participants q WHERE NOT EXISTS "
            "(SELECT 1 FROM main.participant_keys k WHERE k.participant_id = q.id)"),
    *(f"CREATE INDEX temp.missing_keys_{c} ON missing_keys ({c})"
      for c in ("participant_id", "sort_key", "pinyin", "initials", "bag")),
    "CREATE TEMP VIEW participant_keys AS "
    "SELECT * FROM main.participant_keys UNION ALL SELECT * FROM temp.missing_keys",
)


def keys_for_reading(conn: sqlite3.Connection) -> None:
    """On a read-only connection: the keys of every person who has none (written in, or whose
    name, birth year or phone was changed, by another program since fieldtui last wrote the file:
    migration 0013's triggers drop them), made for this connection only, the file untouched:
    without them the duplicates pass would not compare those people. Rows read through the view
    are no longer in key order on their own (a UNION ALL)."""
    register(conn)
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    conn.execute("PRAGMA query_only = OFF")  # the temp schema only: the file itself is opened read-only
    try:
        for sql in _SHADOW:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA query_only = {int(query_only)}")


def refresh_keys(conn: sqlite3.Connection, participant_ids_sql: str, params: tuple | dict = ()) -> None:
    """Bring the keys of the participants whose ids `participant_ids_sql` selects up to date
    (those whose name, birth year or phone changed, or who have none), in the caller's transaction.

    The one call anything that writes `participants` outside the store's saves makes afterwards:
    the merge (e.g. "SELECT id FROM src.participants"), bulk inserts."""
    if getattr(conn, "dialect", "sqlite") == "postgresql":  # a PostgreSQL HQ: keyed in Python (core/pg/keys.py)
        from fieldtui.core.pg.keys import refresh_keys as keyed_here

        return keyed_here(conn, participant_ids_sql, params)
    register(conn)
    conn.execute(_UPSERT.format(ids=participant_ids_sql), params)
