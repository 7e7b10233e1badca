"""Checking overlaps merging: a worker process checks file i+1 while this one merges file i.

Checking is Python, merging mostly SQLite, so on two cores they overlap. The worker is started
only given two cores and enough bytes to check (PIPELINE_MIN_BYTES). A file is merged only once
its check has finished, from the private copy that check made and read, so the outcome is that
of checking and merging each file in turn. A worker that fails (killed, out of memory) is dropped
and the rest is checked here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldtui.core.db import files as db_files
from fieldtui.core.errors import StoreError
from fieldtui.core.exchange.check import CheckedFile, check_file
from fieldtui.core.exchange.hostile import Refused
from fieldtui.i18n import _, language, set_language

#: Below this many bytes of exports in one merge, each file is checked in this process: starting
#: the checking process (about 0.5 s of CPU) pays only when there is enough checking to overlap.
PIPELINE_MIN_BYTES = 32 * 1024**2
#: errno values about the disk we write to (the work folder), not about a file given to merge.
_OUR_DISK = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


def _check_outcome(path: Path, work: Path, hq_path: Path) -> CheckedFile | str:
    """check_file, with a refusal as its one-line reason (also what the worker process returns)."""
    ident = db_files.identity(path)
    if ident is not None and (ident == db_files.identity(hq_path) or db_files.is_open_here(path)):
        return _("this is the headquarters file itself")
    try:
        return check_file(path, work)
    except Refused as exc:
        return str(exc)
    except OSError as exc:
        if exc.errno in _OUR_DISK:  # copying it into the work folder: our disk, not the file
            raise StoreError(db_files.describe_os_error(exc, work, _("the merge stopped"))) from None
        return _("cannot be read: {reason}").format(reason=exc.strerror or exc)


class _WorkerLost(Exception):
    """The check worker gave no sound reply: the file is checked in this process instead."""


class _CheckWorker:
    """A child Python process that checks files (`_check_outcome`) for this one, one at a time.

    A plain subprocess speaking pickle over its stdin/stdout, not multiprocessing: spawning with
    multiprocessing re-runs the caller's main script in the child, and a script that merges
    without an `if __name__ == "__main__"` guard would start merging there too. The child runs
    this same fieldtui package (its folder first on PYTHONPATH); its stderr goes nowhere (a
    traceback on the terminal would garble the TUI; a failing worker is replaced by checking here)."""

    def __init__(self) -> None:
        import fieldtui

        package_root = str(Path(fieldtui.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        main = "from fieldtui.core.exchange.worker import _check_worker_main; _check_worker_main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", main], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env)
        self.busy = False

    def submit(self, path: Path, work: Path, hq_path: Path) -> None:
        assert self.proc.stdin is not None
        pickle.dump((language(), path, work, hq_path), self.proc.stdin)
        self.proc.stdin.flush()
        self.busy = True

    def result(self) -> CheckedFile | str:
        """The outcome of the file submitted; _WorkerLost if no sound reply comes."""
        assert self.proc.stdout is not None
        try:
            kind, value = pickle.load(self.proc.stdout)
        except Exception as exc:
            raise _WorkerLost from exc
        self.busy = False
        if kind == "raise" and isinstance(value, BaseException):  # a bug: raised as without the worker
            raise value
        if kind != "ok" or not isinstance(value, (CheckedFile, str)):
            raise _WorkerLost
        return value

    def close(self) -> None:
        if self.busy:  # stopped early (an error while merging): its copy goes with the work folder
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _check_worker_main() -> None:
    """The worker's loop: (language, path, work, hq path) in, ("ok", outcome) or ("raise", exc) out."""
    out = os.fdopen(os.dup(1), "wb")  # the replies; anything else printed goes to stderr
    os.dup2(2, 1)
    if hasattr(os, "nice"):  # background work: the merge it feeds (and the disk's kernel threads) first
        os.nice(10)
    inp = sys.stdin.buffer
    while True:
        try:
            lang, path, work, hq_path = pickle.load(inp)
        except EOFError:
            return
        set_language(lang)
        try:
            reply: tuple[str, object] = ("ok", _check_outcome(path, work, hq_path))
        except BaseException as exc:  # noqa: BLE001 - sent back and raised there
            reply = ("raise", exc)
        try:
            data = pickle.dumps(reply)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            data = pickle.dumps(("raise", RuntimeError(repr(reply[1]))))
        out.write(data)
        out.flush()


def _worth_a_worker(paths: list[Path]) -> bool:
    """Two cores or more, and enough bytes to check after the first file (checked here, while
    the worker starts); never in a frozen app (it is no interpreter)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    total = 0
    for path in paths[1:]:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    python = sys.executable and not getattr(sys, "frozen", False)
    return bool(python) and len(paths) > 1 and cores > 1 and total >= PIPELINE_MIN_BYTES


@contextmanager
def checker(paths: list[Path]) -> Iterator[_CheckWorker | None]:
    """The worker that checks the next file while this process merges the current one; None
    when not worth it, or when no process can be started here."""
    worker = None
    if _worth_a_worker(paths):
        try:
            worker = _CheckWorker()
        except OSError:  # cannot start a process here: check in this one
            worker = None
    try:
        yield worker
    finally:
        if worker is not None:  # before the work folder goes: the worker may be writing a copy there
            worker.close()


def checked_files(paths: list[Path], work: Path, hq_path: Path,
                  worker: _CheckWorker | None) -> Iterator[CheckedFile | str]:
    """Each file's check outcome in order (a checked copy, or the one-line reason it is refused).

    With a worker, file i+1 is checked there while the caller merges file i: a file is merged
    only once its check has finished, from the private copy that check made and read. A worker
    that fails (killed, out of memory) is dropped and the rest is checked here."""

    def submit(i: int) -> _CheckWorker | None:
        try:
            if worker is not None and i < len(paths):
                worker.submit(paths[i], work, hq_path)
            return worker
        except OSError:
            return None

    worker = submit(1)
    for i, path in enumerate(paths):
        outcome: CheckedFile | str | None = None
        if i > 0 and worker is not None:
            try:
                outcome = worker.result()
            except _WorkerLost:
                worker = None
            worker = submit(i + 1)
        yield outcome if outcome is not None else _check_outcome(path, work, hq_path)
