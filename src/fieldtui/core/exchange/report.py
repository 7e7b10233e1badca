"""What a merge says it did: per file accepted or refused (with the one-line reason), and per
table the rows inserted, updated, deleted, unchanged and now in conflict; then the people the
figures no longer count (no live enrolment, or a removed CBO), for someone to review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fieldtui.core import formatting as fmt
from fieldtui.core.kinds import RECORD_TABLES


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0
    unchanged: int = 0


@dataclass
class FileResult:
    path: Path
    accepted: bool
    reason: str = ""
    export_id: str = ""
    already_merged: bool = False
    tables: dict[str, TableCounts] = field(default_factory=dict)

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.tables.values())

    @property
    def name(self) -> str:
        """The file's name as headquarters records and shows it (`fmt.shown`): bytes that are no
        UTF-8 (a GBK name on a stick mounted as UTF-8) stopped the merge with a traceback."""
        return fmt.shown(self.path.name)


@dataclass
class MergeReport:
    hq_path: Path
    files: list[FileResult] = field(default_factory=list)
    #: live people counted nowhere after the merge (core.summary.uncounted): id, name, CBO, why
    uncounted: list[dict] = field(default_factory=list)

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if not f.accepted]

    @property
    def accepted(self) -> list[FileResult]:
        return [f for f in self.files if f.accepted]

    def totals(self) -> dict[str, TableCounts]:
        out = {t: TableCounts() for t in RECORD_TABLES}
        for f in self.accepted:
            for t, c in f.tables.items():
                for k in ("inserted", "updated", "deleted", "conflicts", "unchanged"):
                    setattr(out[t], k, getattr(out[t], k) + getattr(c, k))
        return out
