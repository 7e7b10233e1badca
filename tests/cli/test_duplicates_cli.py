"""`fieldtui duplicates DB [--json] [--min-score S]` as people run it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core.store import Store
from tests.core.test_duplicates import _save
from tests.core.test_store import make_cbo


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def planted(path):
    with Store.open(path, create=True) as s:
        one, two = make_cbo(s, "Bright Angel Fund"), make_cbo(s, "Xin Zhi Guan")
        ids = [_save(s, one, "王小二", 1992), _save(s, two, "王小二", 1993),
               _save(s, one, "张丽", 1980, phone="13800000001"), _save(s, two, "章莉", 1980, phone="13800000001"),
               _save(s, one, "王伟", 1970, phone="13900000001"), _save(s, two, "王伟", 1990, phone="13900000002")]
    return ids


def test_json_lists_each_planted_pair_with_evidence_and_no_phone(tmp_path):
    ids = planted(tmp_path / "f.db")
    r = run("duplicates", tmp_path / "f.db", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["count"] == 2
    got = {frozenset((p["a"]["id"], p["b"]["id"])) for p in out["pairs"]}
    assert got == {frozenset(ids[0:2]), frozenset(ids[2:4])}
    assert "1380000" not in r.output  # the evidence says 'same', never the phone
    phone_pair = next(p for p in out["pairs"] if p["evidence"]["phone"] == "same")
    assert phone_pair["score"] == 100 and phone_pair["evidence"]["name"] == "homophone"
    assert set(phone_pair["a"]) == {"id", "name", "birth_year", "cbo", "cbo_zh"}


def test_table_and_min_score(tmp_path):
    planted(tmp_path / "f.db")
    r = run("duplicates", tmp_path / "f.db")
    assert r.exit_code == 0 and "王小二" in r.output and "same name" in r.output
    r = run("duplicates", tmp_path / "f.db", "--min-score", "100", "--json")
    assert json.loads(r.output)["count"] == 1


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    planted(tmp_path / "f.db")
    for args in (("--min-score", "high"), ("--min-score", "101")):
        r = run("duplicates", tmp_path / "f.db", *args)
        assert r.exit_code == 2 and r.output.count("\n") == 1 and "--min-score" in r.output, r.output
    r = run("duplicates", tmp_path / "missing.db")
    assert r.exit_code == 2 and r.output.count("\n") == 1, r.output


def test_the_summary_counts_pairs_to_review_up_to_a_size_and_says_so_above(tmp_path, monkeypatch):
    from fieldtui.core import summary

    planted(tmp_path / "f.db")  # six people, two likely pairs
    r = run("summary", tmp_path / "f.db", "--json")
    assert json.loads(r.output)["possible_duplicates"] == 2
    r = run("summary", tmp_path / "f.db", "--json", "--cbo", "Xin Zhi Guan")
    assert json.loads(r.output)["possible_duplicates"] == 2  # each pair has one person there
    assert "2 possible duplicates to review" in run("summary", tmp_path / "f.db").output
    monkeypatch.setattr(summary, "COUNT_DUPLICATES_UP_TO", 5)  # a file "too large" to count in passing
    r = run("summary", tmp_path / "f.db", "--json")
    assert r.exit_code == 0 and "possible_duplicates" not in json.loads(r.output)
    r = run("summary", tmp_path / "f.db")
    assert "not counted for files of more than 5 people" in r.output and "to review" not in r.output
