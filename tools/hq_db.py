"""A PostgreSQL cluster for headquarters in a folder of the project (`make hq-db`, the tests).

The cluster listens on a Unix socket in its own folder and on no TCP port: who may reach that
folder may connect, nobody else (the folder is 0700). Its roles: `fieldtui` owns the database
`fieldtui` and merges into it; `fieldtui_read` is for analysts and BI tools and may select only
the pseudonymised views of the `analyst` schema (core/pg/schema.py grants them), never a name,
phone, birth date or guardian. PostgreSQL refuses to run as root: as root, initdb, pg_ctl and
psql-like steps run as the `postgres` user, who is given the folder.

    python -m tools.hq_db start [FOLDER]   # initialise (first time) and start; prints the URLs
    python -m tools.hq_db stop [FOLDER]
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / ".hq-db"
DATABASE = "fieldtui"
WRITER = "fieldtui"
READER = "fieldtui_read"
#: The superuser initdb creates; only `start` uses it (to create the two roles).
ADMIN = "postgres"


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are, or None (PostgreSQL is not installed)."""
    for d in (os.environ.get("FIELDTUI_PG_BIN", ""), *BIN_DIRS):
        if d and (Path(d) / "initdb").is_file() and (Path(d) / "pg_ctl").is_file():
            return Path(d)
    return None


def url(folder: Path, user: str = WRITER) -> str:
    """The URL fieldtui takes for this cluster (`fieldtui merge URL FILE...`)."""
    return f"postgresql:///{DATABASE}?host={folder.resolve()}&user={user}"


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", ADMIN, "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(_as_owner(cmd), check=True, stdin=subprocess.DEVNULL, **kw)


def _give_folder(folder: Path) -> None:
    """The folder 0700, owned by whoever runs the server (postgres, when we are root)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(ADMIN)
        for path in (folder, *folder.rglob("*")):
            os.lchown(path, owner.pw_uid, owner.pw_gid)


def running(folder: Path) -> bool:
    pg = bin_dir()
    data = folder / "data"
    if pg is None or not (data / "PG_VERSION").exists():
        return False
    return subprocess.run(_as_owner([str(pg / "pg_ctl"), "status", "-D", str(data)]), stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def start(folder: Path = DEFAULT_FOLDER, *, quiet: bool = False) -> str:
    """Initialise the cluster in `folder` (first time), start it, create the roles and the
    database; returns the writer's URL. Raises SystemExit with one line if PostgreSQL is missing."""
    pg = bin_dir()
    if pg is None:
        raise SystemExit("PostgreSQL 15 is not installed (Debian: apt-get install postgresql-15)")
    folder = folder.resolve()
    data = folder / "data"
    out = subprocess.DEVNULL if quiet else None
    _give_folder(folder)
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        _run([str(pg / "initdb"), "-D", str(data), "-U", ADMIN, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
             stdout=subprocess.DEVNULL)
        settings = (f"listen_addresses = ''\nunix_socket_directories = '{folder}'\nunix_socket_permissions = 0700\n"
                    "fsync = on\nlog_min_messages = warning\n")
        with open(data / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write("\n# fieldtui (tools/hq_db.py): a Unix socket in this folder, no TCP\n" + settings)
    if not running(folder):
        _run([str(pg / "pg_ctl"), "start", "-w", "-D", str(data), "-l", str(folder / "server.log")], stdout=out)
    if fresh:
        _setup_roles(folder)
    return url(folder)


def _setup_roles(folder: Path) -> None:
    """The writer owns the database; the reader may connect, nothing more until the schema's views
    are granted to it (core/pg/schema.py)."""
    import psycopg

    with psycopg.connect(host=str(folder), user=ADMIN, dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {WRITER} LOGIN")
        conn.execute(f"CREATE ROLE {READER} LOGIN")
    _create_database(folder, DATABASE)


def _create_database(folder: Path, name: str) -> None:
    """A database owned by the writer, which the reader may connect to and nothing more (the
    real one and the tests' alike: what the reader is refused must be tested as it is refused)."""
    import psycopg

    with psycopg.connect(host=str(folder), user=ADMIN, dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER {WRITER}")
    with psycopg.connect(host=str(folder), user=ADMIN, dbname=name, autocommit=True) as conn:
        conn.execute(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")
        conn.execute(f"GRANT CONNECT ON DATABASE {name} TO {WRITER}, {READER}")
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(f"ALTER SCHEMA public OWNER TO {WRITER}")


def new_database(folder: Path) -> str:
    """A new, empty database in the cluster, owned by the merging role (tests, benchmarks)."""
    import uuid

    name = f"t_{uuid.uuid4().hex[:12]}"
    _create_database(folder, name)
    return f"postgresql:///{name}?host={folder.resolve()}&user={WRITER}"


def stop(folder: Path = DEFAULT_FOLDER, *, remove: bool = False) -> None:
    """Stop the cluster (fast shutdown); `remove` deletes its folder too (the tests' clusters)."""
    pg = bin_dir()
    folder = folder.resolve()
    if pg is not None and running(folder):
        _run([str(pg / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(folder / "data")], stdout=subprocess.DEVNULL)
    if remove:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("start", "stop"):
        print("usage: python -m tools.hq_db start|stop [FOLDER]", file=sys.stderr)
        return 2
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_FOLDER
    if argv[0] == "stop":
        stop(folder)
        print(f"headquarters database stopped ({folder})")
        return 0
    writer = start(folder)
    print(f"headquarters database running in {folder}")
    print(f"  merges:   fieldtui merge '{writer}' EXPORT...")
    print(f"  analysts: '{url(folder, READER)}' (pseudonymised views in schema analyst)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
