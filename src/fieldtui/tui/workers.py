"""How the TUI uses threads: one rule, followed by every screen and widget.

1. `app.store`, the file's one writing connection, is used from the UI thread only. Shared by
   two threads, one connection interleaves their transactions (a draft saved mid-merge would
   commit or roll back with the merge), and SQLite allows one writer per file anyway.
2. A worker thread reads through its own read-only connection, opened in the worker and closed
   when it ends: `with reading(app) as store:`. It sees every committed save.
3. Stale results are dropped one way: the worker is `@work(thread=True, exclusive=True)`, so a
   new request cancels the one before it, and its result reaches the UI through `deliver()`,
   which applies it only if `get_current_worker().is_cancelled` is still False, checked on the
   UI thread (where cancelling happens) while the worker waits, so nothing stale slips in.
   A cancelled worker's query is interrupted too: a superseded count stops early.

The one exception is export and merge (screens/exchange.py): they must write through the one
writer, so their worker borrows `app.store` while a modal `Working` dialog is up. The app
refuses every action meanwhile (`FieldApp.store_lent`) and forms' pending drafts are written
first, so nothing else touches the store until the worker hands it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from fieldtui.core.store import Store

if TYPE_CHECKING:
    from textual.app import App

#: SQLite asks whether to stop every this many virtual-machine steps (well under a millisecond).
INTERRUPT_CHECK_STEPS = 10_000


@contextmanager
def reading(app: App) -> Iterator[Store]:
    """A read-only connection for this worker, interrupted if the worker is cancelled."""
    worker = get_current_worker()
    store = Store.open_readonly(app.db_path)  # type: ignore[attr-defined]
    store.conn.set_progress_handler(lambda: worker.is_cancelled, INTERRUPT_CHECK_STEPS)
    try:
        yield store
    finally:
        store.close()


def deliver(app: App, apply: Callable[..., Any], *args: Any) -> None:
    """Run `apply(*args)` on the UI thread, unless this worker has been superseded by then."""
    worker = get_current_worker()

    def current() -> None:
        # Also dropped when the worker's screen is being closed (popped while its result was on
        # the way: its widgets are already gone, the worker not yet cancelled). The test is
        # Textual's own before a recompose (Widget._pruning; Textual is pinned exactly).
        node = worker.node
        if worker.is_cancelled or not getattr(node, "is_attached", True) or getattr(node, "_pruning", False):
            return
        apply(*args)

    if not worker.is_cancelled:  # a cancelled worker (screen gone, app closing) asks nothing
        app.call_from_thread(current)
