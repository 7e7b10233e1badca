"""Whole-process probes, run in a fresh interpreter by benchmarks.run (start-up and memory).

    python -m benchmarks.probe minimal        a minimal Textual app: Header, empty DataTable, Footer
    python -m benchmarks.probe app DB         fieldtui on DB until its first screen is ready
    python -m benchmarks.probe rss DB         fieldtui on DB, scroll a list, show the summary;
                                              prints peak RSS in KiB

Both start-up probes exit as soon as the first screen has been laid out and rendered headless
(`on_ready`), so the parent's wall time from spawn to exit is "start to first interactive screen".
"""

from __future__ import annotations

import resource
import sys


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_ready(self) -> None:
            self.exit()

    Minimal().run(headless=True, size=(120, 40))


def app(db: str) -> None:
    from fieldtui.app import FieldApp

    class Probe(FieldApp):
        def on_ready(self) -> None:
            self.exit()

    Probe(db).run(headless=True, size=(120, 40))


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
