"""Reading figures and lists never loads the validation models (pydantic: ~15 MiB of the app's
memory, benchmarks/ peak-RSS figure); opening a form does. Run in a fresh interpreter, because
other tests in this process have long imported pydantic."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from fieldtui.tui.app import FieldApp

    async def main(path):
        app = FieldApp(path)
        async with app.run_test(size=(100, 30)) as pilot:
            for keys in (["f3", "pagedown"], ["f4"], ["f6"], ["f7"], ["f2"], ["f5"], ["ctrl+g"]):
                await pilot.press(*keys)
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
            print("before-form", "pydantic" in sys.modules)
            await pilot.press("f3", "ctrl+n")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            print("after-form", "pydantic" in sys.modules)

    asyncio.run(main(sys.argv[1]))
""")


def test_lists_and_summary_do_not_load_pydantic_until_a_form_validates(sample_copy):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(sample_copy)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "before-form False" in result.stdout, result.stdout
    assert "after-form True" in result.stdout, result.stdout
