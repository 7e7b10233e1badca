"""One malloc arena for the app's process, where the C library is glibc.

glibc gives each thread that allocates its own arena (up to eight per core), and Textual runs each
thread worker (every list page, every summary) in a new thread. Under Python's GIL those threads
hardly ever allocate at once, so the extra arenas buy no speed, only memory freed but kept in each
arena: ~3 MiB of peak RSS with a 1M-person list scrolled and the summary shown (`make bench`,
peak RSS). Elsewhere (musl, macOS, Windows) this does nothing.
"""

from __future__ import annotations

import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>


def use_one_arena() -> None:
    """Cap glibc's malloc at one arena; call before the first worker thread starts."""
    if not sys.platform.startswith("linux"):
        return
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return
    except (ValueError, OSError):
        return
    import ctypes

    ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
