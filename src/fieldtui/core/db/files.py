"""Files beside databases: which ones this process has open, private files, private work folders.

Why this module exists: SQLite locks a database with POSIX advisory locks, and those belong to
the process and the file, not to a descriptor. Closing ANY descriptor of an open database file
(a Python `open()` to read its header, hash or copy it) silently drops every lock this process
holds on it; the next program to close its own connection then believes it is the last one,
checkpoints and deletes the write-ahead log while we go on writing into the deleted file. So:
- `register`/`unregister` keep the (device, inode) of every database this process has a
  connection to, and `check_not_open_here` refuses plain I/O on any of them (or their -wal/-shm).
  Database headers are read through SQLite, never with `open()`.
- Temporary copies that hold personal data live in `work_folder()`: a private (0700) folder under
  the user's cache, never beside an output file on a USB stick; removed on success and failure,
  and the next run sweeps any folder whose owner died (its lock file is free).
- Everything written is 0600 from the moment it exists, whatever the umask.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from fieldtui.core.errors import StoreError
from fieldtui.i18n import _

_open_here: dict[tuple[int, int], int] = {}
_registry_lock = threading.Lock()
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of what `path` names now, or None if nothing is there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def register(path: str | os.PathLike) -> tuple[int, int] | None:
    """Note that a connection of this process has the database at `path` open."""
    ident = identity(path)
    if ident is not None:
        with _registry_lock:
            _open_here[ident] = _open_here.get(ident, 0) + 1
    return ident


def unregister(ident: tuple[int, int] | None) -> None:
    if ident is None:
        return
    with _registry_lock:
        left = _open_here.get(ident, 0) - 1
        if left > 0:
            _open_here[ident] = left
        else:
            _open_here.pop(ident, None)


def is_open_here(path: str | os.PathLike) -> bool:
    """True if `path` is (or is the journal of) a database this process has a connection to."""
    text = os.fspath(path)
    candidates = [text] + [text[: -len(s)] for s in JOURNAL_SUFFIXES if text.endswith(s)]
    with _registry_lock:
        return any(identity(c) in _open_here for c in candidates)


def check_not_open_here(path: str | os.PathLike) -> None:
    """Refuse plain file I/O on a database this process has open (it would drop SQLite's locks)."""
    if is_open_here(path):
        raise StoreError(_("{path} is a database fieldtui has open; choose another file").format(path=path))


def describe_os_error(exc: OSError, path: str | os.PathLike | None, outcome: str) -> str:
    """One line for an operating-system refusal to read or write, saying what did not happen."""
    where = path if path is not None else exc.filename
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _("the disk is full, so {outcome}: free some space and try again").format(outcome=outcome)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("permission to write {path} was denied, so {outcome}").format(path=where, outcome=outcome)
    if exc.errno == errno.ELOOP:
        return _("{path} is a symbolic link that loops, so {outcome}").format(path=where, outcome=outcome)
    if exc.errno == errno.ENOENT:  # the file itself, or the folder it should be in
        if where is not None and Path(where).parent.is_dir() and not Path(where).is_dir():
            return _("no such file: {path}").format(path=where)
        return _("folder does not exist: {path}").format(path=Path(where).parent if where is not None else where)
    return _("the disk could not be written (it may be full, removed or failing), so {outcome}").format(
        outcome=outcome)


def check_path_usable(path: Path) -> None:
    """One line for a path that is a broken or looping symbolic link (stat fails, the name exists),
    or a pipe, a device or a socket: reading one waits for a writer that may never come (a
    `mkfifo` name given as a database hung the command). Folders: the callers say so."""
    if os.path.lexists(path) and not os.path.exists(path):
        raise StoreError(_("{path} is a symbolic link to a missing file (or a loop)").format(path=path))
    if os.path.exists(path) and not (os.path.isfile(path) or os.path.isdir(path)):
        raise StoreError(_("{path} is a pipe, a device or a socket, not a file").format(path=path))


def check_output_path(out: Path) -> None:
    """One line for a path a new file cannot be written to: a broken or looping link, a missing
    folder, a folder where the file goes, the journal of a file beside it (check_not_a_journal)."""
    check_path_usable(out)
    if not out.parent.is_dir():
        raise StoreError(_("folder does not exist: {path}").format(path=out.parent))
    if out.is_dir():
        raise StoreError(_("{path} is a directory, not a database file").format(path=out))
    check_not_a_journal(out)


def on_read_only_medium(path: Path) -> bool:
    """Whether `path` lies where nothing can be written (a write-protected stick, a share mounted
    read-only) with no log beside it: then no program can be writing it, and SQLite reads it as
    immutable. Otherwise SQLite's reader of a WAL-mode file needs its shared-memory file beside
    it, which cannot be made there, and the read fails."""
    return not os.access(path.parent, os.W_OK) and not log_beside(path)


def log_beside(path: Path) -> bool:
    """Whether a write-ahead log or its shared memory lies beside `path`: some connection may be
    writing it (otherwise it is read as immutable: Store.open_readonly, on_read_only_medium)."""
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))


def check_not_a_journal(path: Path) -> None:
    """Refuse a new file where SQLite keeps the journal of a file beside it ("field.db-wal"): the
    next program to open field.db would take it for its log and delete it (an export, a whole
    headquarters file)."""
    owner = next((path.with_name(path.name[: -len(s)]) for s in JOURNAL_SUFFIXES if path.name.endswith(s)), None)
    if owner is not None and owner.exists():
        raise StoreError(_("{path} is where SQLite keeps the journal of {name}, and would delete it: choose another "
                           "name").format(path=path, name=owner.name))


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (records of migrants and children are personal data)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the mode given to open() is cut by the umask; never widened
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    """fsync a file we wrote and closed, or a folder (some file systems refuse folders: ignored)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)


def publish(tmp: Path, out: Path) -> None:
    """Make a finished private temp file `out`: 0600, synced, renamed over, folder synced."""
    os.chmod(tmp, 0o600)
    fsync_path(tmp)
    os.replace(tmp, out)
    fsync_path(out.parent)


def move_into_place(tmp: Path, out: Path) -> None:
    """Publish a finished private file built elsewhere (the work folder) as `out`.

    On the same file system a rename; onto another one (a USB stick) a copy to a hidden temp
    name beside `out`, then a rename, so `out` is never half-written. Temp names left there by a
    killed run for the same output are removed first."""
    try:
        publish(tmp, out)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    for stale in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    staged = out.parent / f".{out.name}.{os.urandom(6).hex()}.tmp"
    create_private_file(staged)
    try:
        with open(tmp, "rb") as src, open(staged, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        publish(staged, out)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def write_private_text(path: Path, text: str) -> None:
    """Write a small text file atomically and 0600 (settings): a temp file beside it, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- private work folders

_tempdir_lock = threading.Lock()


@contextlib.contextmanager
def temp_files_in(folder: Path) -> Iterator[None]:
    """Libraries' own temporary files (openpyxl's write-only sheets hold every row) go into
    `folder` meanwhile: Python's `tempfile.tempdir` is process-wide, so one user at a time."""
    import tempfile

    with _tempdir_lock:
        before = tempfile.tempdir
        tempfile.tempdir = str(folder)
        try:
            yield
        finally:
            tempfile.tempdir = before

_LOCK_NAME = ".in-use"


def work_root() -> Path:
    """Where temporary copies of personal data live: $FIELDTUI_WORK_DIR, else the user's cache."""
    configured = os.environ.get("FIELDTUI_WORK_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("fieldtui")) / "work"


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def _work_root_ready() -> Path:
    """The work root, made private; one line if it cannot be (an unwritable cache folder, a
    mistyped $FIELDTUI_WORK_DIR): before, a traceback, and a merge left a new empty file behind."""
    root = work_root()
    try:
        _private_dir(root)
    except OSError as exc:
        raise StoreError(_("the work folder {path} (for temporary copies; $FIELDTUI_WORK_DIR sets it) cannot be "
                           "used: {reason}, so nothing was done").format(
                               path=root, reason=exc.strerror or exc)) from None
    return root


def sweep_stale(root: Path | None = None) -> int:
    """Remove work folders whose process is gone (a kill -9 mid-merge); returns how many."""
    root = root or work_root()
    removed = 0
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if not entry.is_dir() or entry.is_symlink():
            continue
        try:
            fd = os.open(entry / _LOCK_NAME, os.O_RDONLY)
        except FileNotFoundError:
            fd = None  # died before taking its lock, or a stray folder of ours
        except OSError:
            continue
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its owner is alive
        finally:
            if fd is not None:
                os.close(fd)
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed


@contextlib.contextmanager
def one_at_a_time(path: Path, purpose: str) -> Iterator[None]:
    """Hold `purpose` on `path` for this user's fieldtui processes, one at a time (waiting for
    the one before): an flock on a lock file in the work root named by a hash of the resolved path,
    never on the database (closing a descriptor of it would drop SQLite's locks). Two merges into
    one new headquarters file both took it as their own to create, and one refused removed it."""
    root = _work_root_ready()
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:20]
    lock = os.open(root / f"lock-{purpose}-{key}", os.O_CREAT | os.O_RDWR, 0o600)  # a file: sweep_stale takes folders
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


@contextlib.contextmanager
def work_folder(purpose: str) -> Iterator[Path]:
    """A private folder (0700) for one operation's temporary copies, removed when it ends.

    Its lock file stays locked (flock, not the POSIX locks SQLite uses) while this process works
    in it, so `sweep_stale` run by the next operation removes it only if this process died."""
    root = _work_root_ready()
    sweep_stale(root)
    folder = root / f"{purpose}-{os.getpid()}-{os.urandom(6).hex()}"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    lock = os.open(folder / _LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(lock)
