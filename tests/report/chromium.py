"""Headless Chromium (Debian's `chromium`) turning a report.html into a PDF or a PNG.

Used by tests/report/test_report_browser.py and by `make report-sample` (docs/report-sample.png):
`python -m tests.report.chromium docs/report-sample.png`. The flags keep Chromium off the network
(background fetches, component updates, sync, QUIC) and, as root, out of its sandbox; each run
gets a fresh profile folder, so runs never share state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path(os.environ.get("FIELDTUI_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--no-pdf-header-footer")
PNG_SIZE = (1000, 1400)  # a screen's width; tall enough for the headline, achievements and table


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (Debian: apt-get install chromium; `make test` does it as root)"
    return None


def chinese_font_missing() -> str | None:
    """Why Chinese would be drawn as empty boxes here (no CJK font known to fontconfig), or None."""
    fc_list = shutil.which("fc-list")
    found = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout if fc_list else ""
    return None if found.strip() else "no Chinese font (Debian: apt-get install fonts-wqy-zenhei)"


def _run(page: Path, *flags: str, timeout: float = 120) -> None:
    with tempfile.TemporaryDirectory(prefix="fieldtui-chromium-") as profile:
        subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *flags, page.resolve().as_uri()],
                       capture_output=True, timeout=timeout, check=True, stdin=subprocess.DEVNULL)


def pdf(page: Path, out: Path) -> Path:
    """Print `page` to `out` as the browser's print dialog would (A4 from the page's @page rule)."""
    _run(page, f"--print-to-pdf={out}")
    return out


def png(page: Path, out: Path, size: tuple[int, int] = PNG_SIZE) -> Path:
    """A screenshot of the top of `page` at `size` (width, height) CSS pixels."""
    _run(page, f"--screenshot={out}", f"--window-size={size[0]},{size[1]}")
    return out


def main(out: str) -> None:
    """Write sample.db's English report and render its first screen to `out` (docs/report-sample.png)."""
    from fieldtui.core.report import write_report

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as folder:
        paths = write_report(root / "sample.db", folder, lang="en")
        png(paths.html, Path(out).resolve())
    print(f"wrote {out}")


if __name__ == "__main__":
    if reason := missing():
        sys.exit(f"cannot render: {reason}")
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/report-sample.png")
