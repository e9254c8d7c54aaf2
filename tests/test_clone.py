"""A user's clone has no workspace ``../shared`` folder: the tests that replay its recordings skip,
saying why, and the rest of the suite does not depend on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEEDS_SHARED = [
    "tests/test_fixture_replay.py",
    "tests/test_choices.py::test_a_template_quick_reply_carries_its_payload_as_choice_id",
    "tests/test_fakes.py::test_whatsapp_signature_matches_meta_vector",
    "tests/test_fakes.py::test_slack_signature_matches_documented_vector",
]


def test_without_the_shared_folder_its_tests_skip_with_a_visible_reason(tmp_path: Path) -> None:
    absent = tmp_path / "no-shared"
    env = {**os.environ, "ATENDE_SHARED_DIR": str(absent)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-rs",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *NEEDS_SHARED,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped, result.stdout
    reason = (
        f"needs recorded payloads in {absent / 'fixtures'} (the workspace's shared folder, not in a clone)"
    )
    assert all(reason in line for line in skipped), skipped
    assert " passed" not in result.stdout.splitlines()[-1]  # every one of them skipped, none ran

    # the fuzzing strategies still have real-shaped payloads to mutate
    samples = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests import hostile; print(len(hostile.WHATSAPP_SAMPLES), len(hostile.SLACK_SAMPLES))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert samples.returncode == 0, samples.stderr
    assert samples.stdout.split() == ["1", "1"]
