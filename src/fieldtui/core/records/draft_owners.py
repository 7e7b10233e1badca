"""Who kept a draft, and whether they are still here: a draft is left behind (offered at a start)
only once the copy of the app that kept it is gone.

Two terminals on one file: the second copy offered the first one's open form as "an unsaved
form ... was kept", so restoring and saving it registered the person twice, and Discard deleted
the first copy's crash draft while it was still typing. Each open store now keeps its drafts
under its own key, `<form>@<owner>`, where the owner is `host:pid:start:nonce` (the process's
start time tells a pid reused after a reboot or a crash from the one that kept it; the nonce, two
stores of one process: the tests' apps). No lock on the database file: a POSIX lock taken and
dropped there would drop SQLite's own (see db/files.py).
"""

from __future__ import annotations

import os
import secrets
import socket
import weakref
from pathlib import Path
from typing import Any

#: The owners open in this process (their stores), so a store closed, or never closed by a test
#: that crashed, is known gone.
_OPEN: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]  # field 22; the name in brackets may hold spaces


def new_owner(store: Any) -> str:
    """A fresh owner for `store`'s drafts, known open while the store is."""
    pid = os.getpid()
    owner = f"{socket.gethostname()}:{pid}:{_started(pid)}:{secrets.token_hex(4)}"
    _OPEN[owner] = store
    return owner


def key(form: str, owner: str) -> str:
    return f"{form}@{owner}"


def form_of(draft_key: str) -> str:
    """The form a draft key names (a key of a version before owners is the form itself)."""
    return draft_key.split("@", 1)[0]


def left_behind(draft_key: str) -> bool:
    """True unless the copy of the app that kept this draft is still running (on this computer:
    of another, it cannot be told, and the draft is offered, as before owners)."""
    _form, _, owner = draft_key.partition("@")
    host, _, rest = owner.partition(":")
    pid, _, rest = rest.partition(":")
    started, _, _nonce = rest.partition(":")
    if not owner or host != socket.gethostname() or not pid.isdigit():
        return True
    if int(pid) == os.getpid():
        store = _OPEN.get(owner)
        return store is None or getattr(store, "_ident", None) is None  # closed
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: alive
        pass
    return bool(started) and _started(int(pid)) != started
