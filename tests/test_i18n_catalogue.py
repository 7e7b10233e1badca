"""The Chinese catalogue covers every user-facing string in the source tree.

Extraction runs here (Babel with fieldtui's extractor) over src/fieldtui, so a string added
anywhere with `_()`/`N_()` fails this test until it is translated: `make i18n` lists them.
"""

from __future__ import annotations

import ast
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from fieldtui.i18n import catalogue_paths
from tools.i18n_extract import KEYWORDS, extract, extract_messages

SRC = Path(__file__).resolve().parents[1] / "src" / "fieldtui"
PO, _MO = catalogue_paths("zh")
HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # Han, CJK and full-width punctuation


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[str]]:
    return extract_messages(str(SRC))


@pytest.fixture(scope="module")
def catalog():
    with open(PO, "rb") as fh:
        return read_po(fh)


def test_every_source_string_is_translated(extracted, catalog):
    assert len(extracted) > 100  # the extractor really ran over the tree
    problems = []
    for msgid, files in sorted(extracted.items()):
        entry = catalog.get(msgid)
        why = ("missing" if entry is None else "untranslated" if not entry.string
               else "fuzzy" if entry.fuzzy else None)
        if why:
            problems.append(f"{why}: {msgid!r} ({files[0]})")
    assert not problems, "run `make i18n` and translate:\n" + "\n".join(problems)


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_placeholders_and_are_chinese(catalog):
    for entry in catalog:
        if not entry.id or not entry.string:
            continue
        assert _fields(entry.string) == _fields(entry.id), entry.id
        if entry.id != "中文":  # the F2 label names the other language
            assert HAN.search(entry.string), f"not Chinese: {entry.id!r} -> {entry.string!r}"


def test_extractor_finds_calls_inside_fstrings_and_rule_helpers():
    source = (
        "x = f\"{_('In an f-string')}: {n}\"\n"
        "# Translators: a note\n"
        "y = N_('Marked')\n"
        "raise _rule('code', 'a rule message', n=1)\n"
        "raise _field_error('f', 'code', 'a pinned message')\n"
        "z = _(variable)\n"
    )
    found = {(msg, tuple(comments)) for _l, _f, msg, comments in extract(io.BytesIO(source.encode()))}
    assert found == {("In an f-string", ()), ("Marked", ("Translators: a note",)),
                     ("a rule message", ()), ("a pinned message", ())}


def test_extractor_misses_nothing_babels_own_python_extractor_finds(extracted):
    keywords = {name: (index + 1,) for name, index in KEYWORDS.items()}
    theirs = {msg for _f, _l, msg, _c, _x in extract_from_dir(str(SRC), keywords=keywords)
              if isinstance(msg, str)}
    assert theirs <= set(extracted)


def test_no_fstring_is_passed_to_the_translator():
    """`_(f"...")` can never match a catalogue entry: the msgid must be a literal."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                    and node.args and isinstance(node.args[0], ast.JoinedStr)):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, "_() of an f-string can never be translated; use _('... {x}').format(x=...)"


def test_a_po_edited_after_install_is_used_without_reinstalling(tmp_path, monkeypatch):
    """The build hook's .mo goes stale when a translator edits the .po: the .po then wins."""
    import os
    import shutil

    from fieldtui import i18n

    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po, mo = folder / "fieldtui.po", folder / "fieldtui.mo"
    shutil.copyfile(PO, po)
    mo.write_bytes(i18n.compile_po(po))
    os.utime(po, (1_000_000, 1_000_000))  # the .mo is newer: it is used as built
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_loaded", {})
    assert i18n.translations("zh").gettext("Trainees") == "学员"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "学员"', 'msgstr "受训学员"'), encoding="utf-8")
    monkeypatch.setattr(i18n, "_loaded", {})
    assert i18n.translations("zh").gettext("Trainees") == "受训学员"
