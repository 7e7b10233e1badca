"""Whole-process probes, run in a fresh interpreter by benchmarks.run (start-up and memory).

    python -m benchmarks.probe minimal T0     a minimal Textual app: Header, empty DataTable, Footer
    python -m benchmarks.probe app T0 DB      fieldtui on DB until its first screen is ready
    python -m benchmarks.probe rss DB         fieldtui on DB, scroll a list, show the summary:
                                              prints "summary KIB" (peak RSS); then a new trainee
                                              form validated (what loads the pydantic models:
                                              field staff's day): "form KIB"
    python -m benchmarks.probe list DB        seconds from F3 to the trainees list's first page
    python -m benchmarks.probe bare-list DB   the same for its baseline, benchmarks/bare_list.py

Both start-up probes print the seconds from T0 (the parent's `time.time()` just before spawning)
to `on_ready` (first screen laid out and rendered headless, taking keys), then exit.
"""

from __future__ import annotations

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
    from fieldtui.tui.app import FieldApp

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

    from fieldtui.tui.app import FieldApp

    async def drive() -> None:
        fieldapp = FieldApp(db)
        async with fieldapp.run_test(headless=True, size=(120, 40)) as pilot:
            await pilot.pause()
            await scroll_a_list(fieldapp, pilot)
            await pilot.press("f5")
            await pilot.pause()
            await fieldapp.workers.wait_for_complete()
            await pilot.pause()
            print(f"summary {peak_rss_kib()}", flush=True)
            for key in ("f3", "ctrl+n", "ctrl+s"):  # an empty form, saved: every rule runs
                await pilot.press(key)
                await settle(fieldapp, pilot)
            print(f"form {peak_rss_kib()}", flush=True)

    asyncio.run(drive())


def peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM). Not ru_maxrss: Linux carries that across exec from the
    parent, so a child of a big runner would report the runner's peak."""
    with open("/proc/self/status") as fh:
        line = next(row for row in fh if row.startswith("VmHWM:"))
    return int(line.split()[1])


async def scroll_a_list(fieldapp, pilot) -> None:
    """Open the trainees list (F3) and page down through it 20 times."""
    await pilot.press("f3")
    await settle(fieldapp, pilot)
    for _ in range(20):
        await pilot.press("pagedown")
        await settle(fieldapp, pilot)
    await pilot.press("escape")
    await settle(fieldapp, pilot)


async def settle(fieldapp, pilot) -> None:
    await pilot.pause()
    await fieldapp.workers.wait_for_complete()
    await pilot.pause()


def list_open(db: str, bare: bool = False) -> None:
    """Seconds from F3 on the home screen to the trainees list showing its first page (`bare`:
    the baseline app's list of the same rows), both driven and timed the same way."""
    import asyncio

    if bare:
        from benchmarks.bare_list import BareListApp as AppClass
    else:
        from fieldtui.tui.app import FieldApp as AppClass

    async def drive() -> None:
        fieldapp = AppClass(db)
        async with fieldapp.run_test(headless=True, size=(120, 40)) as pilot:
            await settle(fieldapp, pilot)
            start = time.perf_counter()
            await pilot.press("f3")
            await settle(fieldapp, pilot)
            print(f"ready {time.perf_counter() - start:.6f}", flush=True)

    asyncio.run(drive())


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"minimal": minimal, "app": app, "rss": rss,
     "list": list_open, "bare-list": lambda db: list_open(db, bare=True)}[mode](*args)
