"""The command line on a terminal that cannot show Chinese (an English Windows console, a Linux
terminal set to Latin-1, output sent through a tool that reads Latin-1).

Every command that wrote a Chinese character there (the help in Chinese, the summary's CBO names,
the duplicates' and conflicts' names) stopped with a UnicodeEncodeError traceback, exit status
1, its output cut off: the figures never shown. Now what the terminal cannot show is written as
"?" and the rest is written whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def run(*args: str, encoding: str = "latin-1") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "fieldtui", *args], capture_output=True, env=env)


@pytest.mark.parametrize("args, shown", [
    (("--lang", "zh", "--help"), b"--lang"),
    (("summary", "{db}", "--lang", "zh"), b"8,231"),
    (("summary", "{db}", "--lang", "en"), b"8,231"),
    (("duplicates", "{db}", "--lang", "en"), b"Likely duplicates (695)"),
    (("conflicts", "{db}", "--lang", "zh"), b""),
], ids=["help-zh", "summary-zh", "summary-en", "duplicates", "conflicts-zh"])
def test_a_terminal_that_cannot_show_chinese_gets_the_output_not_a_traceback(sample_copy, args, shown):
    out = run(*(a.format(db=sample_copy) for a in args))
    assert b"Traceback" not in out.stderr and b"UnicodeEncodeError" not in out.stderr, out.stderr[-300:]
    assert out.returncode == 0, out.stderr[-300:]
    assert shown in out.stdout


def test_the_json_is_the_same_whatever_the_terminal(sample_copy):
    latin, utf8 = (run("summary", str(sample_copy), "--json", "--lang", "zh", encoding=e) for e in ("latin-1", "utf-8"))
    assert latin.returncode == 0 and b"Traceback" not in latin.stderr, latin.stderr[-300:]
    assert json.loads(latin.stdout) == json.loads(utf8.stdout)


def test_an_error_in_chinese_is_still_one_line(tmp_path):
    out = run("summary", str(tmp_path / "missing.db"), "--lang", "zh")
    assert out.returncode == 2 and out.stdout == b""
    assert len(out.stderr.strip().splitlines()) == 1 and b"Traceback" not in out.stderr
