"""The real pre-commit tool runs the hook from this repository (SPEC 14).

`pre-commit try-repo` builds a virtualenv and pip-installs this repository (uncommitted edits
included), so this test needs network access to PyPI or a warm pip cache, like CI has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = shutil.which("pre-commit")

pytestmark = pytest.mark.skipif(PRE_COMMIT is None or shutil.which("git") is None,
                                reason="pre-commit and git are needed (pip install '.[test]')")


def _run(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=600)


def test_try_repo_blocks_a_bad_spec_and_passes_a_good_one(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    _run(["git", "init", "-q"], work, tmp_path)
    (work / "good.md").write_text((ROOT / "examples" / "refunds-api.md").read_text("utf-8"),
                                  "utf-8")
    (work / "bad.md").write_text((ROOT / "examples" / "bad-quality.md").read_text("utf-8"),
                                 "utf-8")
    _run(["git", "add", "."], work, tmp_path)
    home = tmp_path / "pre-commit-home"
    bad = _run([PRE_COMMIT, "try-repo", str(ROOT), "speclint", "--files", "bad.md"], work, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "SL131 latency-percentile-order" in bad.stdout
    good = _run([PRE_COMMIT, "try-repo", str(ROOT), "speclint", "--files", "good.md"], work,
                home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_the_resident_hook_gives_the_same_verdicts(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``speclint-resident`` (speclintd check): the same findings and statuses as the plain
    hook, from a server that the hook starts in its own environment."""
    work = tmp_path / "work"
    work.mkdir()
    _run(["git", "init", "-q"], work, tmp_path)
    for name, example in (("good.md", "refunds-api.md"), ("bad.md", "bad-quality.md")):
        (work / name).write_text((ROOT / "examples" / example).read_text("utf-8"), "utf-8")
    _run(["git", "add", "."], work, tmp_path)
    home = tmp_path / "pre-commit-home"
    where = tempfile.mkdtemp(prefix="sld-", dir="/tmp")  # socket paths are short
    monkeypatch.setenv("SPECLINT_RESIDENT_DIR", where)
    monkeypatch.setenv("SPECLINT_RESIDENT_IDLE", "60")
    try:
        bad = _run([PRE_COMMIT, "try-repo", str(ROOT), "speclint-resident", "--files",
                    "bad.md"], work, home)
        assert bad.returncode == 1, bad.stdout + bad.stderr
        assert "SL131 latency-percentile-order" in bad.stdout
        good = _run([PRE_COMMIT, "try-repo", str(ROOT), "speclint-resident", "--files",
                     "good.md"], work, home)
        assert good.returncode == 0, good.stdout + good.stderr
        assert [n for n in os.listdir(where) if n.endswith(".sock")], "no server was started"
    finally:
        subprocess.run([str(Path(sys.executable).with_name("speclintd")), "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(where, ignore_errors=True)
