"""Exports sealed to headquarters' key (`fieldtui keys`, `export --to/--plain`, `merge --identity`),
checked as an outsider and headquarters would: raw bytes, file sizes, one-line refusals, HQ bytes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fieldtui.cli import main
from fieldtui.core.db.connect import AGE_MAGIC, is_age_file
from fieldtui.core.exchange import keys
from tests.cli.test_exchange_cli import field_file

SQLITE_HEADER = b"SQLite format 3\x00"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("fieldtui: error:"), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr


@pytest.fixture
def hq_keys(tmp_path) -> tuple[Path, Path]:
    r = run("keys", "init", tmp_path / "hq-keys")
    assert r.exit_code == 0, r.output
    return tmp_path / "hq-keys" / keys.IDENTITY_FILE, tmp_path / "hq-keys" / keys.PUBLIC_FILE


def summary_json(db: Path) -> dict:
    r = run("summary", db, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


# --------------------------------------------------------------------------- keys


def test_keys_init_writes_a_private_identity_and_refuses_to_replace_it(tmp_path, hq_keys):
    identity, public = hq_keys
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600 and stat.S_IMODE(public.stat().st_mode) == 0o600
    assert stat.S_IMODE(identity.parent.stat().st_mode) == 0o700
    assert public.read_text().strip().startswith("age1") and len(public.read_text().splitlines()) == 1
    assert "AGE-SECRET-KEY-1" in identity.read_text()
    before = identity.read_bytes()
    one_line_error(run("keys", "init", identity.parent), "never replaced")
    assert identity.read_bytes() == before


def test_keys_use_takes_the_public_file_or_its_text_and_never_the_identity(tmp_path, hq_keys):
    identity, public = hq_keys
    one_line_error(run("keys", "use", identity), "never leaves headquarters")
    one_line_error(run("keys", "use", identity.read_text().splitlines()[-1]), "never leaves headquarters")
    one_line_error(run("keys", "use", "age1notakey"), "not a public key")
    one_line_error(run("keys", "use", tmp_path / "missing.txt"))
    assert run("keys", "show").stdout.count("nobody") == 1
    assert run("keys", "use", public).exit_code == 0
    config = (Path(os.environ["FIELDTUI_CONFIG_DIR"]) / "config.toml")
    assert public.read_text().strip() in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert "AGE-SECRET-KEY" not in config.read_text()
    assert run("keys", "use", public.read_text().strip()).exit_code == 0


# --------------------------------------------------------------------------- sealed export of sample.db


def _personal_values(db: Path) -> list[str]:
    """Every name, phone, birth date and guardian of a file (each at least 6 bytes in UTF-8)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        values = {v for (v,) in conn.execute(
            "SELECT full_name FROM participants UNION SELECT phone FROM participants "
            "UNION SELECT birth_date FROM participants UNION SELECT guardian_name FROM after_school") if v}
    finally:
        conn.close()
    assert min(len(v.encode()) for v in values) >= 6  # shorter strings could turn up in random bytes
    return sorted(values)


def _grep_count(patterns: list[str], target: Path, tmp_path: Path) -> int:
    """Lines of `target` (read as bytes) holding any of `patterns`: GNU grep -F, one pass."""
    listing = tmp_path / "patterns.txt"
    listing.write_text("\n".join(patterns) + "\n", encoding="utf-8")
    done = subprocess.run(["grep", "-a", "-c", "-F", "-f", str(listing), str(target)], capture_output=True)
    assert done.returncode in (0, 1), done.stderr
    return int(done.stdout)


def test_sealed_export_of_sample_reveals_no_personal_byte_and_merges_to_the_same_figures(
        tmp_path, sample_copy, hq_keys):
    identity, public = hq_keys
    assert run("keys", "use", public).exit_code == 0
    r = run("export", sample_copy, tmp_path / "sealed.age")
    assert r.exit_code == 0 and "sealed" in r.stdout, r.output
    assert run("export", sample_copy, tmp_path / "plain.db", "--plain").exit_code == 0
    raw = (tmp_path / "sealed.age").read_bytes()
    assert raw.startswith(AGE_MAGIC) and SQLITE_HEADER not in raw
    assert stat.S_IMODE((tmp_path / "sealed.age").stat().st_mode) == 0o600
    personal = _personal_values(sample_copy)
    assert len(personal) > 5000
    assert _grep_count(personal, tmp_path / "plain.db", tmp_path) > 0  # the grep finds them where they are
    assert _grep_count(personal, tmp_path / "sealed.age", tmp_path) == 0
    r = run("merge", "--identity", identity, tmp_path / "hq-sealed.db", tmp_path / "sealed.age")
    assert r.exit_code == 0, r.output
    assert run("merge", tmp_path / "hq-plain.db", tmp_path / "plain.db").exit_code == 0
    figures = summary_json(tmp_path / "hq-sealed.db")
    assert figures == summary_json(tmp_path / "hq-plain.db")
    assert figures["direct_beneficiaries"] == 8231 and figures["grant_usd"] == 1087406


def test_sealed_size_does_not_tell_how_many_people(tmp_path, hq_keys):
    _identity, public = hq_keys
    few = field_file(tmp_path / "few.db", names=("王建国",))
    many = field_file(tmp_path / "many.db", names=tuple(f"李梅{i}" for i in range(150)))
    for db in (few, many):
        assert run("export", db, tmp_path / f"{db.stem}.age", "--to", public).exit_code == 0
        assert run("export", db, tmp_path / f"{db.stem}.out", "--plain").exit_code == 0
    plain = (tmp_path / "many.out").stat().st_size - (tmp_path / "few.out").stat().st_size
    assert plain > 20_000  # plain, the size shows how many
    # Sealed, both are padded to the same size; only age's header varies (pyrage adds a random
    # "grease" stanza, 0 to ~170 bytes, to every file whatever it holds).
    assert abs((tmp_path / "many.age").stat().st_size - (tmp_path / "few.age").stat().st_size) < 512


def test_to_names_a_key_for_one_export_and_plain_is_explicit(tmp_path, hq_keys):
    identity, public = hq_keys
    one = field_file(tmp_path / "one.db")
    assert run("export", one, tmp_path / "plain.db").exit_code == 0  # no key set: plain, as before
    assert (tmp_path / "plain.db").read_bytes().startswith(SQLITE_HEADER)
    assert run("export", one, tmp_path / "to.age", "--to", public.read_text().strip()).exit_code == 0
    assert is_age_file(tmp_path / "to.age")
    one_line_error(run("export", one, tmp_path / "x.age", "--to", public, "--plain"), "not both")
    one_line_error(run("export", one, tmp_path / "x.age", "--to", identity), "never leaves headquarters")
    assert not (tmp_path / "x.age").exists()
    assert run("export", one, tmp_path / "to.age", "--to", public).exit_code == 0  # replaces a sealed export
    # a key file's name mistyped: said so (it said "folder does not exist", naming the file)
    one_line_error(run("export", one, tmp_path / "x.age", "--to", public.with_name("hq-publik.txt")),
                   f"no such file: {public.with_name('hq-publik.txt')}")
    one_line_error(run("merge", tmp_path / "hq.db", tmp_path / "to.age", "--identity", tmp_path / "nokeys" / "id.txt"),
                   f"folder does not exist: {tmp_path / 'nokeys'}")
    assert not (tmp_path / "x.age").exists() and not (tmp_path / "hq.db").exists()


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def hq_and_sealed(tmp_path, hq_keys):
    """An HQ file with records in it, and a sealed export of another field file."""
    identity, public = hq_keys
    assert run("export", field_file(tmp_path / "first.db"), tmp_path / "first.db.out", "--plain").exit_code == 0
    assert run("merge", tmp_path / "hq.db", tmp_path / "first.db.out").exit_code == 0
    other = field_file(tmp_path / "other.db", names=("赵小红", "钱大伟"))
    assert run("export", other, tmp_path / "other.age", "--to", public).exit_code == 0
    return tmp_path / "hq.db", tmp_path / "other.age", identity


def _refused_leaving_hq_alone(hq: Path, *args: object, words: tuple[str, ...] = ()) -> None:
    before = hq.read_bytes()
    r = run("merge", *args)
    one_line_error(r, *words)
    assert hq.read_bytes() == before
    assert not list(Path(os.environ["FIELDTUI_WORK_DIR"]).glob("*/*"))  # no decrypted copy left


def test_merge_without_the_identity_or_with_another_is_refused_in_one_line(tmp_path, hq_and_sealed):
    hq, sealed_file, _identity = hq_and_sealed
    _refused_leaving_hq_alone(hq, hq, sealed_file, words=("--identity",))
    assert run("keys", "init", tmp_path / "other-keys").exit_code == 0
    stranger = tmp_path / "other-keys" / keys.IDENTITY_FILE
    _refused_leaving_hq_alone(hq, "--identity", stranger, hq, sealed_file, words=("another headquarters key",))
    one_line_error(run("merge", "--identity", tmp_path / "other-keys" / keys.PUBLIC_FILE, hq, sealed_file),
                   "no identity")


@pytest.mark.parametrize("damage", ["truncated", "last byte", "middle", "header", "empty body"])
def test_damaged_or_truncated_sealed_files_are_refused_in_one_line(tmp_path, hq_and_sealed, damage):
    hq, sealed_file, identity = hq_and_sealed
    data = bytearray(sealed_file.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "last byte":
        data = data[:-1]
    elif damage == "middle":
        data[len(data) // 2] ^= 0x01
    elif damage == "header":
        data[40] ^= 0x01
    else:
        data = data[: data.index(b"\n---") + 48]
    sealed_file.write_bytes(bytes(data))
    _refused_leaving_hq_alone(hq, "--identity", identity, hq, sealed_file)


def test_something_else_sealed_to_headquarters_is_not_an_export(tmp_path, hq_and_sealed):
    from pyrage import encrypt, x25519

    hq, _sealed, identity = hq_and_sealed
    public = (identity.parent / keys.PUBLIC_FILE).read_text().strip()
    (tmp_path / "letter.age").write_bytes(encrypt(b"dear headquarters" * 100, [x25519.Recipient.from_str(public)]))
    _refused_leaving_hq_alone(hq, "--identity", identity, hq, tmp_path / "letter.age",
                              words=("does not hold a fieldtui export",))


def test_identity_setting_opens_sealed_files_in_later_merges(tmp_path, hq_and_sealed):
    hq, sealed_file, identity = hq_and_sealed
    assert run("keys", "identity", identity).exit_code == 0
    r = run("merge", hq, sealed_file)
    assert r.exit_code == 0, r.output
    assert summary_json(hq)["direct_beneficiaries"] == 4


# --------------------------------------------------------------------------- temporary files


def test_a_killed_merge_leaves_its_decrypted_copy_only_until_the_next_run(tmp_path, sample_copy, hq_keys):
    """Kill -9 while the sealed export is being checked: the decrypted copy stays in the private
    work folder (0700) and the next merge or export sweeps it."""
    identity, public = hq_keys
    assert run("export", sample_copy, tmp_path / "sealed.age", "--to", public).exit_code == 0
    work = Path(os.environ["FIELDTUI_WORK_DIR"])
    proc = subprocess.Popen([sys.executable, "-m", "fieldtui", "merge", "--identity", str(identity),
                             str(tmp_path / "hq.db"), str(tmp_path / "sealed.age")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(work.glob("merge-*/*-unsealed.db")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = list(work.glob("merge-*/*"))
    assert left, "the merge finished before it could be killed"
    assert all(stat.S_IMODE(p.parent.stat().st_mode) == 0o700 for p in left)
    one = field_file(tmp_path / "one.db")
    assert run("export", one, tmp_path / "one.out", "--plain").exit_code == 0
    assert not list(work.glob("merge-*"))


def test_the_check_worker_process_opens_sealed_files_too(tmp_path, hq_keys, monkeypatch):
    """With two cores the second file is checked in a worker process: it is sent the identities."""
    from fieldtui.core import exchange
    from fieldtui.core.exchange import worker

    monkeypatch.setattr(worker, "PIPELINE_MIN_BYTES", 0)
    identity, public = hq_keys
    files = []
    for name in ("a", "b", "c"):
        db = field_file(tmp_path / f"{name}.db", names=(f"王{name}", f"李{name}"))
        assert run("export", db, tmp_path / f"{name}.age", "--to", public).exit_code == 0
        files.append(tmp_path / f"{name}.age")
    report = exchange.merge(tmp_path / "hq.db", files, identities=keys.identities(identity))
    assert not report.refused
    assert summary_json(tmp_path / "hq.db")["direct_beneficiaries"] == 6
