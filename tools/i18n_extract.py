"""Babel extractor for fieldtui's sources: finds `_()`/`N_()` even inside f-strings.

Babel's own Python extractor reads tokens, and on Python 3.11 an f-string is one token, so
`f"{_('Trainees')}: {n}"` would be missed. This one walks the AST instead. It also knows the
models' helpers that translate their message argument (`_rule(code, message)`,
`_field_error(field, code, message)`), so validation messages are extracted too, and the
command line's help: docstrings of click commands and `help=` of options.
Used by `make i18n-extract` (via src/fieldtui/locale/babel.cfg) and by tests/test_i18n_catalogue.py;
development tooling, so it lives outside the installed package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: function name -> 0-based index of the argument holding the msgid
KEYWORDS: dict[str, int] = {"_": 0, "N_": 0, "_rule": 1, "_field_error": 2}
#: click decorators whose `help=` and whose function's docstring are CLI help (cli/common.py
#: translates them when help is shown)
CLICK_OPTIONS = {"option"}
CLICK_COMMANDS = {"command", "group"}
COMMENT_TAGS = ("Translators:",)
#: The package whose strings are extracted.
SOURCE = Path(__file__).resolve().parents[1] / "src" / "fieldtui"


def _comments_above(lines: list[str], lineno: int) -> list[str]:
    """`# Translators: ...` comments directly above (or ending) the line of the call."""
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        text = lines[index].strip().lstrip("#").strip()
        found.insert(0, text)
        index -= 1
    tagged = [c for c in found if c.startswith(COMMENT_TAGS)]
    return [tagged[0], *found[found.index(tagged[0]) + 1:]] if tagged else []


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _click_help(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of click command docstrings and option `help=` strings."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                _name(d) in CLICK_COMMANDS for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.body[0].lineno, doc
        elif isinstance(node, ast.Call) and _name(node) in CLICK_OPTIONS:
            for kw in node.keywords:
                if kw.arg == "help" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    yield kw.value.lineno, kw.value.value


def extract(fileobj: Any, keywords: Any = None, comment_tags: Any = None,
            options: Any = None) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction-method interface: yields (lineno, funcname, message, comments).

    Every hit is reported under the name `_` (a single-argument keyword Babel always knows),
    since the argument position was already resolved here from KEYWORDS.
    """
    source = fileobj.read()
    if isinstance(source, bytes):
        source = source.decode((options or {}).get("encoding", "utf-8"))
    lines = source.splitlines()
    tree = ast.parse(source)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    for node in calls:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in KEYWORDS or len(node.args) <= KEYWORDS[name]:
            continue
        arg = node.args[KEYWORDS[name]]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
            yield node.lineno, "_", arg.value, _comments_above(lines, node.lineno)
    for lineno, text in _click_help(tree):
        yield lineno, "_", text, ["command-line help"]


def extract_messages(root: str) -> dict[str, list[str]]:
    """Every msgid under `root` (a source folder) -> the files using it."""
    from babel.messages.extract import extract_from_dir

    out: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        root, method_map=[("**.py", "tools.i18n_extract:extract")]
    ):
        out.setdefault(message, []).append(filename)
    return out


def todo(po_path: str | None = None) -> list[tuple[str, str]]:
    """(msgid, why) for every source string the Chinese catalogue lacks, leaves empty or fuzzy."""
    from babel.messages.pofile import read_po

    from fieldtui.i18n import catalogue_paths

    po = Path(po_path) if po_path else catalogue_paths("zh")[0]
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    problems = []
    for msgid in sorted(extract_messages(str(SOURCE))):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append((msgid, "missing (run make i18n-update)"))
        elif not entry.string:
            problems.append((msgid, "untranslated"))
        elif entry.fuzzy:
            problems.append((msgid, "fuzzy (check the guess, then remove the fuzzy flag)"))
    return problems


if __name__ == "__main__":
    import sys

    left = todo()
    for msgid, why in left:
        print(f"{why}: {msgid!r}")
    print(f"{len(left)} string(s) to translate in src/fieldtui/locale/zh_CN/LC_MESSAGES/fieldtui.po"
          if left else "Chinese catalogue complete.")
    sys.exit(1 if left else 0)
