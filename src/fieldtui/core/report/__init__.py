"""The donor report: report.html and report.xlsx from one `Summary` (issue 17).

`write_report` reads the figures once (figures.gather: `core.summary` and its chart aggregates,
nothing recomputed), then renders them in the report's language (text.speaking, independent of
the app's) as a self-contained page (html.py, svg.py) and a workbook (xlsx.py). The table
sections both files share, and how a later change adds its own, are in sections.py.

Files are private and never half-written: each is written to a 0600 temporary file in OUT_DIR,
fsynced, then renamed over the old one; OUT_DIR is created 0700 when missing. The database is
read through a read-only connection (`Store.open_readonly`) and never modified. Every problem a
person can cause is a `ReportError` (a `StoreError`: one line for the CLI and the app).
No Textual here: the app runs this in a worker thread.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path

from fieldtui.core.db import files
from fieldtui.core.ids import new_id
from fieldtui.core.store import Store, StoreError
from fieldtui.core.summary import Filters
from fieldtui.i18n import _

HTML_NAME, XLSX_NAME = "report.html", "report.xlsx"
STEPS = 3
#: progress(step, of, what): 1 = reading the figures, 2 = report.html, 3 = report.xlsx
Progress = Callable[[int, int, str], None]


class ReportError(StoreError):
    """The report cannot be written where asked (OUT_DIR is a file, unwritable, disk full)."""


@dataclasses.dataclass(frozen=True)
class ReportPaths:
    html: Path
    xlsx: Path


def write_report(store_or_path: Store | str | os.PathLike, out_dir: str | os.PathLike,
                 filters: Filters | None = None, lang: str = "en", *,
                 now: dt.datetime | None = None, progress: Progress | None = None) -> ReportPaths:
    """Write report.html and report.xlsx for `filters` into `out_dir`; returns their paths.

    `store_or_path`: a database path (opened read-only here) or a store the caller opened
    read-only. `now` fixes the date printed in the report (tests).
    """
    from fieldtui.core.report import html, xlsx
    from fieldtui.core.report.figures import gather
    from fieldtui.core.report.text import speaking

    step = progress or (lambda n, of, what: None)
    out, filters = Path(out_dir), filters or Filters()
    _not_a_file(out)  # before the figures are read: a typo is told at once
    step(1, STEPS, "figures")
    if isinstance(store_or_path, (str, os.PathLike)):
        with Store.open_readonly(store_or_path) as store:
            data = gather(store, filters, now)
    else:  # a store, or a PostgreSQL headquarters (core/pg/) opened by the caller
        data = gather(store_or_path, filters, now)
    prepare_dir(out)  # only once the database has been read: a bad DB leaves no empty folder
    paths = ReportPaths(out / HTML_NAME, out / XLSX_NAME)
    with speaking(lang):
        step(2, STEPS, HTML_NAME)
        page = html.render(data).encode("utf-8")
        step(3, STEPS, XLSX_NAME)
        book = io.BytesIO()  # built in memory (tens of KB): a full disk then fails in one place, not
        try:  # inside the zip writer, whose leftover object printed a traceback at exit
            xlsx.write(data, book)
        except OSError as exc:  # openpyxl's own temporary files
            raise _cannot_write(paths.xlsx, exc) from None
    write_private({paths.html: page, paths.xlsx: book.getvalue()})
    return paths


def default_out_dir(db_path: str | os.PathLike, today: dt.date | None = None) -> Path:
    """Where the app writes a report: `reports/<YYYY-MM-DD>/` beside the database (a second
    report on the same day replaces the first: the latest figures of that day)."""
    return Path(db_path).resolve().parent / "reports" / (today or dt.date.today()).isoformat()


def prepare_dir(out: Path) -> Path:
    """`out` as a folder to write into: created (with missing parents) 0700, whatever the umask."""
    _not_a_file(out)
    missing = [p for p in (out, *out.parents) if not p.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
    except FileExistsError:
        raise ReportError(_("{path} is a file, not a folder").format(path=out)) from None
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    return out


def _not_a_file(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ReportError(_("{path} is a file, not a folder").format(path=out))


def write_private(contents: dict[Path, bytes]) -> None:
    """Write each file with mode 0600, all or none: each to a temporary name beside it first,
    then each fsynced and renamed into place (core.db.files.publish). A disk that fills leaves
    the previous report whole: before, a new page could stand beside the last report's workbook."""
    staged: list[tuple[Path, Path]] = []
    path = next(iter(contents))
    try:
        for path, data in contents.items():
            staged.append((path.parent / f".{path.name}.{new_id()}.tmp", path))
            files.create_private_file(staged[-1][0])
            with open(staged[-1][0], "wb") as fh:
                fh.write(data)
        for tmp, path in staged:
            files.publish(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        for tmp, _path in staged:
            tmp.unlink(missing_ok=True)


def _cannot_write(path: Path, exc: OSError) -> ReportError:
    """One line for the operating system's refusal (core.db.files phrases the common ones)."""
    if isinstance(exc, IsADirectoryError):
        return ReportError(_("{path} is a folder, so the report was not written").format(path=path))
    if isinstance(exc, NotADirectoryError):
        return ReportError(_("a folder on the way to {path} is a file, so the report was not written").format(
            path=path))
    return ReportError(files.describe_os_error(exc, path, _("the report was not written")))


__all__ = ["ReportError", "ReportPaths", "default_out_dir", "write_report"]
