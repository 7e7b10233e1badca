"""Another program on the same file: the app in its own process (driver.py), real CLIs beside it."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample.db"


class Driver:
    """The app running in a child process; `send` one command, get its one-line reply."""

    def __init__(self, db: Path, log: Path):
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.multiprocess.driver", str(db)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            env={**os.environ, "FIELDTUI_OPERATOR": "driver"})
        assert self.read(90) == "ready", self.stderr()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self, timeout: float = 60) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise AssertionError(f"the app gave no reply within {timeout} s\n{self.stderr()}")
        return self.proc.stdout.readline().decode().strip()

    def send(self, command: str, timeout: float = 60) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command.encode() + b"\n")
        self.proc.stdin.flush()
        return self.read(timeout)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stderr(self) -> str:
        self.log.flush()
        return self.log.name and Path(self.log.name).read_text(errors="replace")[-4000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        self.log.close()


def deleted_journals(pid: int) -> list[str]:
    """The app's open files that were deleted under it (`field.db-wal (deleted)` in /proc)."""
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(" (deleted)") and ".db" in target:
            out.append(target)
    return out


def other_program(kind: str, db: Path, tmp: Path) -> subprocess.CompletedProcess:
    """Another program opening and closing the same file, as on a field laptop."""
    cli = [sys.executable, "-m", "fieldtui"]
    commands = {
        "sqlite3": [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                    "c.execute('SELECT count(*) FROM participants').fetchone(); c.close()", str(db)],
        "summary": [*cli, "summary", str(db), "--json"],
        "export": [*cli, "export", str(db), str(tmp / f"out-{os.urandom(4).hex()}.db")],
    }
    run = subprocess.run(commands[kind], cwd=ROOT, capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    return run


@pytest.fixture
def field_copy(tmp_path) -> Path:
    """A copy of sample.db, as `make run` gives a field worker."""
    path = tmp_path / "field.db"
    shutil.copyfile(SAMPLE, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def app_process(field_copy, tmp_path):
    drivers: list[Driver] = []

    def start(db: Path = field_copy) -> Driver:
        driver = Driver(db, tmp_path / f"driver-{len(drivers)}.log")
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.close()


def run_in_pty(args: list[str], keys: list[tuple[float, bytes]], *, timeout: float = 60,
               env: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """Run a terminal program in a real pseudo-terminal (120x40), typing `keys` at the given
    seconds after start; returns (exit status, what it wrote as a person reads it, the raw
    bytes). Textual draws on stderr and prints its exit messages there too: both are read."""
    import fcntl
    import struct
    import termios
    import threading
    import time

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(args, cwd=ROOT, stdin=slave, stdout=slave, stderr=slave,
                            env={**os.environ, "TERM": "xterm-256color", **(env or {})}, start_new_session=True)
    os.close(slave)
    drawn = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.monotonic()
    for at, key in keys:
        time.sleep(max(0.0, start + at - time.monotonic()))
        if proc.poll() is not None:
            break
        os.write(master, key)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(5)
    os.close(master)
    return proc.returncode, visible(bytes(drawn).decode(errors="replace")), bytes(drawn)


_ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78])")


def visible(text: str) -> str:
    """What a person reads on the terminal: the text without escape sequences."""
    return _ESCAPES.sub("", text)


def in_private_mount(shell: str, *, timeout: float = 600, env: dict[str, str] | None = None
                     ) -> subprocess.CompletedProcess:
    """Run `shell` (sh) in a private mount namespace, where it may mount a tmpfs of its own (a
    tiny disk, a read-only medium) that no other process sees; skipped without root and unshare,
    or where mounting is not permitted. Asserts it succeeded; returns it."""
    unshare = shutil.which("unshare")
    if not unshare or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount a private tmpfs")
    run = subprocess.run([unshare, "-m", "sh", "-c", shell], capture_output=True, text=True, timeout=timeout,
                         env={**os.environ, **(env or {})})
    if run.returncode and "mount" in run.stderr and "permission" in run.stderr.lower():
        pytest.skip("tmpfs mount not permitted here")
    assert run.returncode == 0, run.stderr
    return run
