"""A pseudonymised export of the demo's own file, merged at headquarters as a coordinator runs it
(real subprocesses). Before, every such export holding a volunteer's phone was refused: the
export replaces the phone by "anon-…", and the merge held it to the 11-digit rule (it knew that
only of people's phones)."""

from __future__ import annotations

import json

from tests.cli.test_duplicates_imported import cli


def test_the_demo_files_pseudonymised_export_merges_to_the_donors_figures(tmp_path, sample_copy):
    anon = tmp_path / "anon.db"
    out = cli("export", sample_copy, anon, "--pseudonymise", "--key", "a secret kept at the CBO", "--plain")
    assert out.returncode == 0, out.stderr
    merged = cli("merge", tmp_path / "hq.db", anon)
    assert merged.returncode == 0 and "refused" not in merged.stdout, merged.stdout + merged.stderr
    figures = json.loads(cli("summary", tmp_path / "hq.db", "--json").stdout)
    assert (figures["direct_beneficiaries"], figures["trainees"]) == (8231, 4395)
    assert "13883771231" not in (tmp_path / "hq.db").read_bytes().decode("latin-1")  # a volunteer's phone
