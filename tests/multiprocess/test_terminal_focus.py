"""What a real terminal shows after Tabs through a form is what the app draws from scratch.

The app repaints only the widgets whose focus changed (tui/redraws.py), not the whole screen: a
highlight left on a field after the focus moved on would have people type into another field
than the one they see. So the app runs in a real pseudo-terminal, its output is read by a
terminal emulator (pyte), and the screen after the Tabs (drawn bit by bit, as it happened) is
compared cell by cell, colours included, with the same screen drawn whole (a resize and back).
Snapshot tests cannot see this: they compose the whole screen themselves.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

import pyte
import pytest

from tests.multiprocess.conftest import ROOT, SAMPLE

F3, CTRL_N, TAB, SHIFT_TAB = b"\x1bOR", b"\x0e", b"\t", b"\x1b[Z"
ROWS, COLS = 40, 120


class Terminal:
    """The app in a pseudo-terminal, its output fed to an emulated screen as it arrives."""

    def __init__(self, db) -> None:
        self.master, slave = os.openpty()
        self._size(slave, COLS)
        self.proc = subprocess.Popen([sys.executable, "-m", "fieldtui", str(db)], cwd=ROOT, stdin=slave,
                                     stdout=slave, stderr=slave, start_new_session=True,
                                     env={**os.environ, "TERM": "xterm-256color"})
        os.close(slave)
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    @staticmethod
    def _size(fd: int, cols: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, cols, 0, 0))

    def read(self, until: str | Callable[[], bool] | None = None, quiet: float = 0.3, timeout: float = 20.0,
             drawn: bool = False) -> None:
        """Feed what the app draws until `until` is on screen (a text, or a test of the screen;
        `drawn`: until anything is) and nothing more came for `quiet` seconds (a blinking text
        cursor draws every 0.5 s), or `timeout` passed."""
        shown = until if callable(until) else (lambda: until is None or until in self.text())
        end = time.monotonic() + timeout
        last, fed = time.monotonic(), False
        while time.monotonic() < end:
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.stream.feed(os.read(self.master, 65536))
                except OSError:
                    return
                last, fed = time.monotonic(), True
            elif time.monotonic() - last >= quiet and shown() and (fed or not drawn):
                return

    def press(self, key: bytes, until: str | None = None) -> None:
        os.write(self.master, key)
        self.read(until, drawn=True)

    def resize(self, cols: int) -> None:
        self.screen.resize(ROWS, cols)
        self._size(self.master, cols)
        bottom = self.screen.display[-1]  # the footer, its last keys at the right edge: they move
        os.kill(self.proc.pid, signal.SIGWINCH)
        self.read(lambda: self.screen.display[-1] != bottom)

    def cells(self) -> dict[tuple[int, int], tuple]:
        return {(y, x): (c.data, c.fg, c.bg, c.bold, c.reverse)
                for y, line in self.screen.buffer.items() for x, c in line.items() if x < COLS}

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        os.close(self.master)


def _differing(a: dict, b: dict) -> list:
    return [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_the_screen_after_tabs_in_a_form_is_the_screen_drawn_whole(tmp_path):
    db = tmp_path / "field.db"
    shutil.copy(SAMPLE, db)
    term = Terminal(db)
    try:
        term.read(until="Direct beneficiaries", quiet=1.0)  # the home screen, figures and all
        term.press(F3, until="trainees")
        term.press(CTRL_N, until="Full name")
        assert "Full name" in term.text(), term.text()
        first = term.cells()
        for key in (TAB, TAB, TAB, SHIFT_TAB, TAB, TAB):
            term.press(key)
        tabbed = term.cells()
        term.resize(COLS - 1)
        term.resize(COLS)  # drawn whole at the same size
        whole = term.cells()
    finally:
        term.close()
    # Only the text cursor of the focused field may differ: it blinks.
    assert len(_differing(tabbed, whole)) <= 2, sorted(_differing(tabbed, whole))[:20]
    assert len(_differing(first, whole)) > 10  # and the focus did move, visibly (its highlight)
