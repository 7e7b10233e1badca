"""Run the real CLI in its own process and measure its peak RSS: a fresh wrapper process whose
only child is the CLI, so RUSAGE_CHILDREN is that one run's figure."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

_WRAPPER = """
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": p.returncode, "out": p.stdout, "err": p.stderr,
                  "rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
FIELDTUI = str(Path(sys.executable).with_name("fieldtui"))


def run_measured(*args: object, timeout: float = 600) -> dict:
    """{rc, out, err, rss_mib} of `fieldtui ARGS`."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, FIELDTUI, *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, check=True)
    return json.loads(done.stdout)


def file_state(db: Path) -> tuple[str, bool]:
    """The database's bytes (digest) and whether it has a -wal beside it: "unchanged" is both."""
    return hashlib.sha256(db.read_bytes()).hexdigest(), Path(f"{db}-wal").exists()
