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
    assert isinstance(hooks, list) and len(hooks) == 2
    keys = ("id", "name", "entry", "language", "types")
    assert [{k: hook[k] for k in keys} for hook in hooks] == [
        {"id": "speclint", "name": "speclint", "entry": "speclint check",
         "language": "python", "types": ["markdown"]},
        {"id": "speclint-resident", "name": "speclint (resident)", "entry": "speclintd check",
         "language": "python", "types": ["markdown"]},
    ]
    assert all(hook["description"] for hook in hooks)


def test_pre_commit_accepts_the_manifest():
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    hooks = clientlib.load_manifest(str(HOOKS))
    assert [hook["id"] for hook in hooks] == ["speclint", "speclint-resident"]


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


# ---------------------------------------------------------------- pinning the gate


def sh_snippet(heading: str) -> str:
    """The first fenced ``sh`` block after ``heading`` in docs/ci.md."""
    text = CI_DOC.read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    assert found, heading
    return found.group(1)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


BAD_SPEC = "# Imports\n\n## Rate limits\n\nEach account can have at most 100 imports.\n"


@pytest.fixture()
def pull_request(tmp_path: Path) -> Path:
    """A repository whose main branch (also as origin/main) gates specs/ with a baseline, and a
    feature branch that adds a bad spec and switches its own gate off."""
    repo = tmp_path / "repo"
    (repo / "specs" / "archive").mkdir(parents=True)
    (repo / ".speclint.yaml").write_text(
        'include: ["specs/**"]\nexclude: ["specs/archive/**"]\n', encoding="utf-8")
    (repo / "specs" / "archive" / "old.md").write_text(BAD_SPEC, encoding="utf-8")
    (repo / "specs" / "known.md").write_text(BAD_SPEC, encoding="utf-8")
    (repo / "README.md").write_text(BAD_SPEC, encoding="utf-8")
    env = {**os.environ, "SPECLINT_NO_CACHE": "1"}
    subprocess.run([sys.executable, "-m", "speclint", "check", "--write-baseline",
                    ".speclint-baseline.json"], cwd=repo, check=True, capture_output=True,
                   env=env)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "checkout", "-qb", "feature")
    (repo / ".speclint.yaml").write_text('fail_on: never\nexclude: ["**"]\n', encoding="utf-8")
    (repo / ".speclint-baseline.json").write_text(
        '{"version": 1, "tool": "speclint", "files": {"specs/new.md": {"SL123": 9}}}\n',
        encoding="utf-8")
    (repo / "specs" / "new.md").write_text(BAD_SPEC, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "switch the gate off")
    return repo


def _run_script(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    script = script.replace("speclint check", f"'{sys.executable}' -m speclint check")
    full = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    full.update(NO_COLOR="1", SPECLINT_NO_CACHE="1", **env)
    return subprocess.run(["sh", "-ec", script], cwd=cwd, capture_output=True, text=True,
                          env=full)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pinning_recipe_lints_the_repository_with_the_base_configuration(
        pull_request: Path, tmp_path: Path) -> None:
    """The documented recipe, run as written: the copy lives in a temporary folder, and its
    globs still select the repository's specs (not Markdown in the temporary folder)."""
    temp = tmp_path / "temp"
    temp.mkdir()
    (temp / "trap.md").write_text(BAD_SPEC, encoding="utf-8")
    script = sh_snippet("## Pinning the gate")
    assert "--config" in script
    for cwd in (pull_request, pull_request / "specs"):
        done = _run_script(script, cwd, TMPDIR=str(temp))
        assert done.returncode == 1, done.stdout + done.stderr  # the PR's fail_on: never lost
        linted = sorted({line.split(":", 1)[0] for line in done.stdout.splitlines()
                         if ": error SL" in line})
        prefix = "specs/" if cwd == pull_request else ""  # text paths: relative to the cwd
        assert linted == [f"{prefix}known.md", f"{prefix}new.md"], done.stdout
        assert "trap.md" not in done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pinned_workflow_steps_gate_the_changed_specs(pull_request: Path) -> None:
    """The two run steps of the pinned GitHub workflow, with the env GitHub would give them:
    the PR's new spec fails against the base branch's configuration and baseline."""
    workflow = yaml.safe_load(snippet("# .github/workflows/speclint-pinned.yml"))
    (job,) = workflow["jobs"].values()
    steps = [step for step in job["steps"] if "speclint check" in step.get("run", "")
             or "git show" in step.get("run", "")]
    assert len(steps) == 2
    for step in steps:
        assert set(step["env"]) == {"BASE_REF"}
        done = _run_script(step["run"], pull_request, BASE_REF="main")
    assert done.returncode == 1, done.stdout + done.stderr
    annotated = {line.split("file=", 1)[1].split(",", 1)[0] for line in done.stdout.splitlines()
                 if line.startswith("::error ")}
    assert annotated == {"specs/new.md"}
