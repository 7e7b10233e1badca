"""Names in pinyin order and found by pinyin or initials: the keys, their table kept current by
every write of a person (saves, bulk inserts, merges, the upgrade of an older file), never exported."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from fieldtui.core import exchange, pinyin
from fieldtui.core.store import Store

from .test_store import make_cbo, trainee

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_keys_order_chinese_names_as_a_phone_does():
    names = ["乔丹", "严格", "万里", "丁一", "Li Wei", "李伟", "曾小明", "Anna", "123"]
    ordered = sorted(names, key=pinyin.sort_key)
    assert ordered == ["Anna", "丁一", "Li Wei", "李伟", "乔丹", "万里", "严格", "曾小明", "123"]
    assert pinyin.full("王建国") == "wangjianguo" and pinyin.initials("王建国") == "wjg"
    assert pinyin.full("单田芳").startswith("shan")  # a surname's own reading, not dan
    assert pinyin.initials("Émile Zola") == "ez"


def test_query_letters_and_chinese_prefixes():
    assert pinyin.query_letters("Wang Jian") == "wangjian"
    assert pinyin.query_letters("138") is None and pinyin.query_letters("王") is None
    assert ("wang ", "wang \U0010ffff") in pinyin.pinyin_ranges("wangj")
    assert pinyin.han_prefix("王建") == "wang jian" and pinyin.han_prefix("王j") is None


def _names(store: Store, **kw) -> list[str]:
    return [r["full_name"] for r in store.page("trainees", **kw)]


def test_lists_sort_by_pinyin_and_search_by_pinyin_or_initials(tmp_path):
    with Store.open(tmp_path / "a.db", create=True) as store:
        cbo = make_cbo(store)
        for name in ("乔丹", "严格", "万里", "丁一", "王建国", "王小明", "Wendy Li"):
            store.save_trainee(trainee(cbo, name))
        assert _names(store) == ["丁一", "乔丹", "万里", "王建国", "王小明", "Wendy Li", "严格"]
        assert _names(store, descending=True)[0] == "严格"
        assert _names(store, search="wjg") == ["王建国"]
        assert _names(store, search="wangjianguo") == ["王建国"]
        assert _names(store, search="wang") == ["王建国", "王小明"]
        assert _names(store, search="w") == ["万里", "王建国", "王小明", "Wendy Li"]
        assert _names(store, search="王") == ["王建国", "王小明"]  # today's prefixes still work
        assert store.count("trainees", search="wjg") == 1
        first = store.page("trainees", limit=2)
        after = (first[-1]["_sort"], first[-1]["id"])
        assert [r["full_name"] for r in store.page("trainees", after=after, limit=2)] == ["万里", "王建国"]


def test_keys_follow_every_edit_of_a_name(tmp_path):
    with Store.open(tmp_path / "a.db", create=True) as store:
        cbo = make_cbo(store)
        saved = store.save_trainee(trainee(cbo, "丁一"))
        renamed = saved.model_copy(update={"participant": saved.participant.model_copy(
            update={"full_name": "严格"})})
        store.save_trainee(renamed)
        assert _names(store, search="yg") == ["严格"] and _names(store, search="dy") == []
        stale = store.conn.execute(
            "SELECT count(*) FROM participants p LEFT JOIN participant_keys k ON k.participant_id = p.id "
            "WHERE k.name IS NOT p.full_name").fetchone()[0]
        assert stale == 0


def test_an_older_file_gets_keys_for_everyone_when_it_upgrades(tmp_path):
    path = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", path)
    with Store.open(path) as store:
        people = store.conn.execute("SELECT count(*) FROM participants").fetchone()[0]
        keys = store.conn.execute("SELECT count(*) FROM participant_keys").fetchone()[0]
        assert people and keys == people
        assert [r["full_name"] for r in store.page("trainees", search="wjg")] == ["王建国"]
        phones = store.conn.execute("SELECT count(*) FROM participants p JOIN participant_keys k ON "
                                    "k.participant_id = p.id WHERE k.phone IS p.phone AND p.phone IS NOT NULL")
        assert phones.fetchone()[0] == store.conn.execute(
            "SELECT count(*) FROM participants WHERE phone IS NOT NULL").fetchone()[0] > 0


def test_merged_people_get_keys_and_exports_carry_none(tmp_path):
    with Store.open(tmp_path / "field.db", create=True) as field:
        cbo = make_cbo(field)
        field.save_trainee(trainee(cbo, "王建国"))
        exchange.export(field, tmp_path / "out.db")
    conn = sqlite3.connect(tmp_path / "out.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert "participant_keys" not in tables
    with Store.open(tmp_path / "hq.db", create=True) as hq:
        report = exchange.merge_into(hq, [tmp_path / "out.db"])
        assert not report.refused
        assert [r["full_name"] for r in hq.page("trainees", search="wangjianguo")] == ["王建国"]


def test_bulk_inserts_get_keys(tmp_path):
    from benchmarks.generate import generate

    path = generate(300, tmp_path / "g.db")
    with Store.open_readonly(path) as store:
        missing = store.conn.execute(
            "SELECT count(*) FROM participants p WHERE NOT EXISTS "
            "(SELECT 1 FROM participant_keys k WHERE k.participant_id = p.id)").fetchone()[0]
        assert missing == 0


def test_a_person_rewritten_by_another_program_loses_stale_keys_and_is_keyed_again(sample_copy):
    """The sqlite3 program changes a name (UPDATE) and rewrites a row whole (INSERT OR REPLACE,
    which leaves the row count as it was): both people lose their keys, whoever wrote, so the
    next start finds them (`unkeyed_people`) and keys them from what the file now holds."""
    from tests.core.test_merge_rules import sqlite3_cli

    with Store.open(sample_copy) as store:
        first, second = (r["participant_id"] for r in store.page("trainees", limit=2))
        assert not store.unkeyed_people()
    sqlite3_cli(sample_copy, f"UPDATE participants SET full_name = '欧阳修文' WHERE id = '{first}'; "
                             f"INSERT OR REPLACE INTO participants SELECT id, cbo_id, '司马光', gender, birth_year, "
                             "birth_date, province, origin, phone, household_members, registered_on, registered_by, "
                             f"created_at, updated_at, deleted, merged_into FROM participants WHERE id = '{second}'")
    with Store.open(sample_copy) as store:
        assert store.unkeyed_people()
        assert store.key_unkeyed_people() == 2
        assert not store.unkeyed_people()
        assert [r["full_name"] for r in store.page("trainees", search="ouyangxiuwen")] == ["欧阳修文"]
        assert [r["full_name"] for r in store.page("trainees", search="simaguang")] == ["司马光"]
        # the app's own save of a name keys it in the same transaction: nothing left for a start
        trainee = store.get_trainee(store.page("trainees", search="simaguang")[0]["id"])
        trainee.participant.full_name = "司马迁"
        store.save_trainee(trainee)
        assert not store.unkeyed_people()
        assert [r["full_name"] for r in store.page("trainees", search="simaqian")] == ["司马迁"]
