"""Whole-process probes, run in a fresh interpreter by benchmarks.run (start-up and memory).

    python -m benchmarks.probe minimal T0     a minimal Textual app: Header, empty DataTable, Footer
    python -m benchmarks.probe app T0 DB      fieldtui on DB until its first screen is ready
    python -m benchmarks.probe rss DB         fieldtui on DB, scroll a list, show the summary;
                                              prints peak RSS in KiB

Both start-up probes print the seconds from T0 (the parent's `time.time()` just before spawning)
to `on_ready` (first screen laid out and rendered headless, taking keys), then exit.
"""

from __future__ import annotations

import resource
import sys
import time


def minimal(t0: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_ready(self) -> None:
            ready(t0)
            self.exit()

    Minimal().run(headless=True, size=(120, 40))


def app(t0: str, db: str) -> None:
    from fieldtui.app import FieldApp

    class Probe(FieldApp):
        def on_ready(self) -> None:
            ready(t0)
            self.exit()

    Probe(db).run(headless=True, size=(120, 40))


def ready(t0: str) -> None:
    """Seconds from the parent's spawn (wall clock passed as t0) to the first screen ready."""
    print(f"ready {time.time() - float(t0):.6f}", flush=True)


def rss(db: str) -> None:
    import asyncio

    from fieldtui.app import FieldApp

    async def drive() -> None:
        fieldapp = FieldApp(db)
        async with fieldapp.run_test(headless=True, size=(120, 40)) as pilot:
            await pilot.pause()
            await scroll_a_list(fieldapp, pilot)
            await pilot.press("f5")
            await pilot.pause()
            await fieldapp.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(drive())
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


async def scroll_a_list(fieldapp, pilot) -> None:
    """Page down a list 20 times. Until the list screens exist (issue 3), page the store as a
    list screen does: keyset pages of 100 rows."""
    after = None
    for _ in range(20):
        rows = fieldapp.store.page("trainees", after=after, limit=100)
        after = (rows[-1]["_sort"], rows[-1]["id"])
    await pilot.pause()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"minimal": minimal, "app": app, "rss": rss}[mode](*args)
