"""A program in a pseudo-terminal, started as a person starts it (benchmarks/peers.py): keys go
in, the bytes it draws come out and are read as they come, so the time until some text is first
drawn, and the program's peak memory at that moment, can be taken from outside it.

"Drawn" means written to the terminal: a full-screen program writes a row's text as one run of
bytes between escape sequences, so a name it shows on a row appears in the output as its UTF-8
bytes the moment the row is drawn, not before (the output is searched only from a given point).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROWS, COLUMNS = 40, 120
#: Function keys as an xterm sends them.
KEYS = {"f3": b"\x1bOR", "enter": b"\r", "ctrl+a": b"\x01", "ctrl+j": b"\n", "ctrl+q": b"\x11"}


def _die_with_parent() -> None:
    """In the child: killed if the benchmark dies (a timeout, a kill) before it can close us."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Terminal:
    """`argv` running in a ROWS x COLUMNS pseudo-terminal of its own (own session, own group)."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                                     start_new_session=True, close_fds=True, preexec_fn=_die_with_parent)
        os.close(slave)
        self.master = master
        self.seen = bytearray()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def mark(self) -> int:
        """A point in the output: wait_for(…, since=mark) looks only at what is drawn after it."""
        return len(self.seen)

    def wait_for(self, markers: list[str], timeout: float, since: int = 0) -> float:
        """Seconds from the start until one of `markers` is drawn (after `since`); TimeoutError
        if not within `timeout`, RuntimeError with the last output if the program ends."""
        wanted = [m.encode() for m in markers]
        longest = max(len(m) for m in wanted)
        look = since
        deadline = time.perf_counter() + timeout
        while True:
            window = bytes(self.seen[look:])
            if any(m in window for m in wanted):
                return time.perf_counter() - self.started
            look = max(since, len(self.seen) - longest)
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"none of {markers} drawn in {timeout:.0f} s")
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                tail = self.seen[-400:].decode(errors="replace")
                raise RuntimeError(f"the program ended (exit {self.proc.poll()}): …{tail!r}")
            self.seen += chunk

    def press(self, key: str) -> None:
        os.write(self.master, KEYS.get(key, key.encode()))

    def peak_rss_mib(self) -> float:
        """The program's peak resident memory so far (VmHWM of its process)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        line = next(row for row in status.splitlines() if row.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own group: the program and any child of it
        self.proc.wait()
        os.close(self.master)
