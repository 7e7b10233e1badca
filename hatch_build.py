"""Hatch build hook: compile the gettext catalogues (.po -> .mo) when the wheel is built.

Runs for `pip install .`, wheels, and editable installs (`pip install -e .`, so `make test`
and `make run` from a fresh clone get working translations). The .mo files are build output:
written next to the .po (git-ignored) and shipped in the wheel; never committed.
"""

from __future__ import annotations

import io
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE = Path("src/fieldtui/locale")


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/*.po")):
            with open(po, "rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name, domain=po.stem)
            out = io.BytesIO()
            write_mo(out, catalog)
            mo = po.with_suffix(".mo")
            mo.write_bytes(out.getvalue())
            if version != "editable":
                target = mo.relative_to(root / "src").as_posix()
                build_data.setdefault("force_include", {})[str(mo)] = target
