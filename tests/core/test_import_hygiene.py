"""The core never imports Textual: the CLI and headquarters scripts use it without a UI.

`lint-imports` (pyproject.toml) checks the static import graph; this checks what really loads,
deferred imports included."""

import subprocess
import sys


def test_core_does_not_import_textual():
    code = (
        "import sys; import fieldtui.core.store, fieldtui.core.summary, fieldtui.core.models, "
        "fieldtui.core.exchange, fieldtui.core.sheets, fieldtui.cli.render, fieldtui.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual']; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
