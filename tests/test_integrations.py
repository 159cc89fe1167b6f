"""The GitHub composite action, the pre-commit hook manifest and the CI snippets in docs/ci.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
CI_DOC = ROOT / "docs" / "ci.md"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    if not Path(exe).exists():
        pytest.skip("check-jsonschema is not installed (pip install check-jsonschema)")
    return subprocess.run(
        [exe, "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120
    )


def load_action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- action.yml


def test_action_validates_against_the_github_actions_schema():
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_is_composite_with_the_documented_inputs():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert {name: spec["default"] for name, spec in action["inputs"].items()} == {
        "paths": ".",
        "config": "",
        "fail-on": "error",
        "sarif-file": "",
        "version": "",
    }


def test_action_scripts_take_inputs_only_through_env():
    steps = [s for s in load_action()["runs"]["steps"] if "run" in s]
    assert steps
    for step in steps:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]  # expressions in scripts allow injection
    run_step = steps[-1]
    assert "--format github" in run_step["run"]
    assert "--format sarif" in run_step["run"]
    env = run_step["env"]
    assert env["SPECLINT_FAIL_ON"] == "${{ inputs.fail-on }}"
    assert env["SARIF_FILE"] == "${{ inputs.sarif-file }}"


FAKE_SPECLINT = """#!/bin/sh
printf '%s|' "$@" >> "$FAKE_LOG"
echo >> "$FAKE_LOG"
case "$*" in
  *"--format sarif"*) exit "$FAKE_SARIF_EXIT" ;;
  *) exit "$FAKE_GITHUB_EXIT" ;;
esac
"""


def run_step(tmp_path: Path, sarif_exit: int, github_exit: int, **inputs: str):
    """Run the action's 'Run speclint' script with a fake speclint that logs its arguments."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    step = load_action()["runs"]["steps"][-1]
    fake = tmp_path / "bin" / "speclint"
    fake.parent.mkdir()
    fake.write_text(FAKE_SPECLINT)
    fake.chmod(0o755)
    log = tmp_path / "log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SPECLINT_BIN": str(fake.parent),
        "SPECLINT_PATHS": inputs.get("paths", "."),
        "SPECLINT_CONFIG": inputs.get("config", ""),
        "SPECLINT_FAIL_ON": inputs.get("fail_on", "error"),
        "SARIF_FILE": inputs.get("sarif_file", ""),
        "FAKE_LOG": str(log),
        "FAKE_SARIF_EXIT": str(sarif_exit),
        "FAKE_GITHUB_EXIT": str(github_exit),
    }
    done = subprocess.run(
        [bash, "-c", step["run"]], env=env, cwd=ROOT, capture_output=True, timeout=60
    )  # cwd has docs/*.md, so a glob would show
    lines = log.read_text().splitlines() if log.exists() else []
    return done.returncode, [line.rstrip("|").split("|") for line in lines]


def test_action_run_passes_inputs_as_arguments(tmp_path):
    status, calls = run_step(
        tmp_path, 0, 0, paths="specs  docs/*.md\n more", config="c f.yaml", fail_on="warning"
    )
    assert status == 0
    # paths split on blanks and newlines, never globbed; the config path stays one argument
    assert calls == [
        "check --fail-on warning --config".split()
        + ["c f.yaml"]
        + "--format github -- specs docs/*.md more".split()
    ]


def test_action_sarif_findings_do_not_hide_the_annotations(tmp_path):
    status, calls = run_step(tmp_path, 1, 1, sarif_file="out.sarif")
    assert status == 1  # the github run decides the step's status
    assert calls == [
        "check --fail-on error --format sarif --output out.sarif -- .".split(),
        "check --fail-on error --format github -- .".split(),
    ]


def test_action_broken_sarif_run_fails_the_step(tmp_path):
    status, calls = run_step(tmp_path, 2, 0, sarif_file="out.sarif")
    assert status == 2
    assert len(calls) == 1


# ---------------------------------------------------------------- pre-commit


def test_pre_commit_hook_manifest():
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {k: hook[k] for k in ("id", "name", "entry", "language", "types")} == {
        "id": "speclint",
        "name": "speclint",
        "entry": "speclint check",
        "language": "python",
        "types": ["markdown"],
    }
    assert hook["description"]


def test_pre_commit_accepts_the_manifest():
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    (hook,) = clientlib.load_manifest(str(HOOKS))
    assert hook["id"] == "speclint"


# ---------------------------------------------------------------- docs/ci.md snippets


def snippet(first_line: str) -> str:
    """The fenced YAML block in docs/ci.md whose first line is ``first_line``."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), flags=re.S)
    found = [b for b in blocks if b.startswith(first_line + "\n")]
    assert len(found) == 1, first_line
    return found[0]


@pytest.mark.parametrize(
    ("first_line", "schema"),
    [
        ("# .github/workflows/speclint.yml", "vendor.github-workflows"),
        ("# .github/workflows/speclint-sarif.yml", "vendor.github-workflows"),
        ("# .github/workflows/speclint-pinned.yml", "vendor.github-workflows"),
        ("# .gitlab-ci.yml", "vendor.gitlab-ci"),
    ],
)
def test_ci_doc_snippets_are_valid(tmp_path, first_line, schema):
    path = tmp_path / "snippet.yml"
    path.write_text(snippet(first_line), encoding="utf-8")
    done = check_jsonschema(schema, path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_doc_workflows_keep_expressions_out_of_scripts():
    for name in ("speclint", "speclint-sarif", "speclint-pinned"):
        workflow = yaml.safe_load(snippet(f"# .github/workflows/{name}.yml"))
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), (name, step)


def test_ci_doc_sarif_job_can_upload():
    workflow = yaml.safe_load(snippet("# .github/workflows/speclint-sarif.yml"))
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert any(
        s.get("uses", "").startswith("github/codeql-action/upload-sarif@v3") for s in job["steps"]
    )


def test_ci_doc_pre_commit_config_is_valid(tmp_path):
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(snippet("# .pre-commit-config.yaml"), encoding="utf-8")
    config = clientlib.load_config(str(path))
    assert config["repos"][0]["hooks"][0]["id"] == "speclint"
