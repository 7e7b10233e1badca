"""The app in a process of its own, driven line by line from a test in another process.

A test starts `python -m tests.multiprocess.driver DB`, writes commands on its stdin and reads one
reply line per command, so it can run other programs against the same file between two key
presses, and kill this process (-9) at any point, as happens on a field laptop. The app runs
headless (Textual's Pilot): its code paths are the real ones, only the terminal is simulated.

Commands (one per line): `press KEY [KEY...]`; `trainee NAME` (F3, Ctrl+N, fill, Ctrl+S: replies
`acked NAME` when the form closed on "Saved.", else `refused <what the app said>`); `edit-phone
NAME PHONE` (search the trainee, Enter, change the phone, Ctrl+S); `type NAME` (F3, Ctrl+N, the
name typed, not saved: a draft is kept); `offer restore|discard` (answer what a person finds at
start after a crash, "An unsaved form was kept. Restore it?": replies `restored NAME`,
`discarded N` or `none`); `drop-locks` (open and close
the database file with plain I/O in this process, as the bug did); `idle SECONDS` (the app's
timers run meanwhile); `quit`. One reply line per command, flushed.
"""

from __future__ import annotations

import asyncio
import sys

from fieldtui.tui.app import FieldApp


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _until(pilot, done, timeout: float = 20.0) -> bool:
    """Wait (the app running) until `done()`; a loaded machine may need a while, never a guess."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        if loop.time() > deadline:
            return False
        await _settle(pilot)
        await asyncio.sleep(0.05)
    return True


def _on(pilot, name: str):
    return lambda: type(pilot.app.screen).__name__ == name


def _first_row_has(pilot, text: str):
    def check() -> bool:
        table = getattr(pilot.app.screen, "table", None)
        return bool(table is not None and table.row_count and text in str(table.get_row_at(0)))
    return check


async def _trainee(pilot, name: str) -> str:
    from fieldtui.tui.screens.form import RecordFormScreen
    from tests.tui.helpers import fill_all, person

    cbo_id = pilot.app.store.conn.execute(
        "SELECT id FROM cbos WHERE deleted = 0 ORDER BY id LIMIT 1").fetchone()[0]
    await pilot.press("ctrl+g", "f3")
    await _until(pilot, _on(pilot, "TraineeListScreen"))
    await pilot.press("ctrl+n")
    await _until(pilot, lambda: isinstance(pilot.app.screen, RecordFormScreen))
    if not isinstance(pilot.app.screen, RecordFormScreen):  # a dialog a person would answer first
        stack = " > ".join(type(s).__name__ for s in pilot.app.screen_stack)
        return f"refused no form: {stack}: {getattr(pilot.app.screen, 'question', '')}"

    async def add() -> None:
        await fill_all(pilot, {**person(cbo_id, name=name), "training.course": "厨师"})
        await pilot.press("ctrl+s")

    reply = await _saved(pilot, add)
    return f"{reply} {name}" if reply == "acked" else reply


async def _saved(pilot, action) -> str:
    """Run `action` (keys that end in Ctrl+S) and say whether the form closed on "Saved."."""
    from fieldtui.tui.screens.form import RecordFormScreen
    from fieldtui.tui.widgets.duplicates import Duplicates

    app = pilot.app
    seen = {n.identity for n in app._notifications}  # toasts expire: compare identities, not counts

    def new_messages() -> list[str]:
        return [n.message for n in app._notifications if n.identity not in seen]

    def on_form() -> bool:
        return isinstance(app.screen, (RecordFormScreen, Duplicates))

    await action()
    await _until(pilot, lambda: not isinstance(app.screen, RecordFormScreen) or bool(new_messages()))
    if isinstance(app.screen, Duplicates):  # "possible duplicate": these are new people
        await pilot.press("a")  # Save anyway
        await _until(pilot, lambda: not on_form() or bool(new_messages()))
    messages = new_messages()
    if not on_form() and any("Saved" in m for m in messages):
        return "acked"
    shown = " / ".join(messages) or f"no message, on {type(app.screen).__name__}"
    await pilot.press("escape")
    await _settle(pilot)
    if app.screen.is_modal:
        await pilot.press("y")  # "Leave and discard them?" -> yes (Enter would keep the form)
        await _settle(pilot)
    return f"refused {shown}"


async def _edit_phone(pilot, name: str, phone: str) -> str:
    from fieldtui.tui.screens.form import RecordFormScreen
    from tests.tui.helpers import fill

    await pilot.press("ctrl+g", "f3")
    await _until(pilot, _on(pilot, "TraineeListScreen"))
    await pilot.press("ctrl+f", *name, "escape")
    if not await _until(pilot, _first_row_has(pilot, name)):
        return f"refused {name} is not in the list"

    async def edit() -> None:
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(pilot.app.screen, RecordFormScreen))
        await fill(pilot, "participant.phone", phone)
        await pilot.press("ctrl+s")

    return await _saved(pilot, edit)


async def _type(pilot, name: str) -> str:
    from fieldtui.tui.screens.form import RecordFormScreen
    from tests.tui.helpers import fill

    await pilot.press("ctrl+g", "f3")
    await _until(pilot, _on(pilot, "TraineeListScreen"))
    await pilot.press("ctrl+n")
    if not await _until(pilot, lambda: isinstance(pilot.app.screen, RecordFormScreen)):
        return f"refused no form, on {type(pilot.app.screen).__name__}"
    await fill(pilot, "participant.full_name", name)
    return "ok"


async def _offer(pilot, answer: str) -> str:
    """Answer the start's offer of kept drafts (one dialog per draft) as a person would."""
    from fieldtui.tui.screens.form import RecordFormScreen
    from fieldtui.tui.widgets.confirm import Confirm

    app, discarded = pilot.app, 0
    if app.store.left_behind_drafts():
        await _until(pilot, lambda: isinstance(app.screen, Confirm))
    while isinstance(app.screen, Confirm):
        await pilot.press("y" if answer == "restore" else "n")
        await _settle(pilot)
        if answer == "restore":
            await _until(pilot, lambda: isinstance(app.screen, RecordFormScreen))
            return f"restored {app.screen.form.values().get('participant.full_name', '')}"
        discarded += 1
    return f"discarded {discarded}" if discarded else "none"


async def main(db: str) -> None:
    app = FieldApp(db)
    loop = asyncio.get_running_loop()
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        print("ready", flush=True)
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            cmd, *args = line.split()
            if cmd == "press":
                await pilot.press(*args)
                await _settle(pilot)
                reply = "ok"
            elif cmd == "trainee":
                reply = await _trainee(pilot, args[0])
            elif cmd == "type":
                reply = await _type(pilot, args[0])
            elif cmd == "offer":
                reply = await _offer(pilot, args[0])
            elif cmd == "edit-phone":
                reply = await _edit_phone(pilot, args[0], args[1])
            elif cmd == "drop-locks":  # what a buggy library in this process would do
                open(db, "rb").close()
                reply = "ok"
            elif cmd == "idle":
                await asyncio.sleep(float(args[0]))
                await _settle(pilot)
                reply = "ok"
            elif cmd == "debug":
                reply = repr([type(s).__name__ for s in app.screen_stack]) + " " + repr(
                    [n.message for n in app._notifications][-3:])
            elif cmd == "quit":
                print("bye", flush=True)
                break
            else:
                reply = f"unknown {cmd}"
            print(reply, flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
