"""A throwaway PostgreSQL cluster per test session (per xdist worker), a fresh database per test.

The cluster is tools/hq_db.py's, as `make hq-db` starts it, in a private temporary folder: a
Unix socket there, no TCP. Without PostgreSQL's binaries these tests are skipped, saying so
(.ci/run installs them, so CI never skips them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tools import hq_db


@pytest.fixture(scope="session")
def pg_cluster():
    if hq_db.bin_dir() is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (Debian: apt-get install postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="fieldtui-pg-"))
    hq_db.start(folder, quiet=True)
    yield folder
    hq_db.stop(folder, remove=True)


def new_database(folder: Path) -> str:
    """An empty database owned by the merging role; returns its URL."""
    return hq_db.new_database(folder)


@pytest.fixture
def pg_url(pg_cluster) -> str:
    return new_database(pg_cluster)
