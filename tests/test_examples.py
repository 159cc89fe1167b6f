"""examples/: every example spec's JSON output is compared byte for byte with its golden file.

The goldens were reviewed by hand against examples/README.md (expected element states and the
problems planted in bad-quality.md). Regenerate after an intended change with:
    for f in examples/*.md; do speclint check --no-cache --format json "$f" \
        > "examples/expected/$(basename "$f" .md).json"; done
and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.md") if p.name != "README.md")


def run_json(*args: str, cwd: Path = ROOT) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache", *args],
                          cwd=cwd, capture_output=True, text=True, env=env, check=False)
    return done.returncode, done.stdout


def test_there_are_at_least_six_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_golden(spec: Path) -> None:
    _, out = run_json("--format", "json", f"examples/{spec.name}")
    golden = (ROOT / "examples" / "expected" / f"{spec.stem}.json").read_text("utf-8")
    assert out == golden


def test_bad_quality_reports_exactly_the_planted_problems() -> None:
    """The lines and rules listed in examples/README.md, nothing else."""
    _, out = run_json("--format", "json", "examples/bad-quality.md")
    findings = json.loads(out)["files"][0]["findings"]
    got = [(f["line"], f["rule"], f["severity"]) for f in findings]
    assert got == [
        (44, "latency-percentile-order", "error"),
        (52, "duplicate-error-code", "error"),
        (54, "success-status-as-error", "warning"),
        (55, "invalid-http-status", "error"),
        (60, "rate-limit-scope", "warning"),
        (63, "migration-rollback", "error"),
        (72, "deprecation-without-notice", "warning"),
        (73, "breaking-change-without-migration", "error"),
    ]
    migration = next(f for f in findings if f["rule"] == "migration-rollback")
    assert migration["end_line"] == 67  # the whole section, as the README says


def test_example_states_match_the_readme() -> None:
    """States from examples/README.md, written from a human reading of SPEC 3."""
    expected = {
        "refunds-api": ["present"] * 7,
        "inventory-grpc": ["present"] * 7,
        "events-pipeline": ["not-applicable", "present", "present", "present", "present",
                            "not-applicable", "present"],
        "search-missing": ["present", "present", "incomplete", "missing", "missing", "missing",
                           "missing"],
        "notifications-placeholders": ["incomplete"] * 7,
        "feature-flags-frontmatter": ["present", "present", "present", "not-applicable",
                                      "present", "not-applicable", "present"],
        "bad-quality": ["present", "present", "present", "incomplete", "present", "present",
                        "present"],
    }
    for name, states in expected.items():
        _, out = run_json("--format", "json", f"examples/{name}.md")
        elements = json.loads(out)["files"][0]["elements"]
        assert [e["state"] for e in elements.values()] == states, name
