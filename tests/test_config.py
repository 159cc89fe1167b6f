"""Configuration discovery and validation, profiles and lifecycle status (SPEC 3.5, 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from speclint.cli import main
from speclint.config import glob_match, load_config
from speclint.errors import UsageError
from speclint.ruleset import profile_names
from speclint.vocab import rules_dir

# Placeholder text on line 5 and every element missing (reported on the title line, 1).
SPEC = "# Search\n\nSearch over products.\n\nThe owner is TBD.\n"
ALL_REQUIRED = {"SL100", "SL110", "SL120", "SL130", "SL140", "SL150", "SL160"}

# Everything but an API contract, error codes and rate limits: passes the data profile.
DATA_SPEC = """\
---
profile: data
---
# Order events

## Data model

```sql
CREATE TABLE order_events (
  event_id VARCHAR(64) NOT NULL PRIMARY KEY,
  amount BIGINT NOT NULL
);
```

## Latency budget

End-to-end lag: p50 under 30 seconds, p99 under 5 minutes.

## Migration plan

1. Start the streaming job.
2. Backfill 90 days.
3. Move the dashboards.

Rollback: point the dashboards back at the nightly dump.

## Compatibility

Columns are never removed or renamed; changes are backward compatible.
"""


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLINT_NO_CACHE", "1")


def check(*args: str) -> tuple[int, dict, str]:
    """Run ``speclint check --format json ARGS``: (exit status, report or {}, stderr)."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, report, result.stderr


def codes(report: dict, index: int = 0) -> list[str]:
    return [f["code"] for f in report["files"][index]["findings"]]


def severities(report: dict) -> dict[str, str]:
    return {f["code"]: f["severity"] for f in report["files"][0]["findings"]}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/sub/deep/spec.md, working directory tmp/sub/deep."""
    deep = tmp_path / "sub" / "deep"
    deep.mkdir(parents=True)
    (deep / "spec.md").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(deep)
    return tmp_path


# -- discovery ----------------------------------------------------------------------------

def test_without_configuration_every_element_is_required(tree: Path) -> None:
    status, report, _ = check("spec.md")
    assert status == 1
    assert set(codes(report)) == ALL_REQUIRED | {"SL010"}
    assert severities(report)["SL010"] == "warning"


def test_speclint_yaml_found_from_a_subfolder_changes_the_result(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text(
        "profile: minimal\nrules:\n  placeholder-text: error\n", encoding="utf-8")
    status, report, _ = check("spec.md")
    assert status == 1
    assert codes(report) == ["SL010"]
    assert severities(report) == {"SL010": "error"}
    assert report["files"][0]["profile"] == "minimal"


def test_speclint_yml_is_found_too(tree: Path) -> None:
    (tree / "sub" / ".speclint.yml").write_text("profile: minimal\n", encoding="utf-8")
    status, report, _ = check("spec.md")
    assert (status, codes(report)) == (0, ["SL010"])


def test_pyproject_tool_section_found_from_a_subfolder(tree: Path) -> None:
    (tree / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.speclint]\nprofile = "minimal"\n\n'
        '[tool.speclint.rules]\nplaceholder-text = "off"\n', encoding="utf-8")
    status, report, _ = check("spec.md")
    assert (status, codes(report)) == (0, [])


def test_pyproject_without_tool_section_is_skipped(tree: Path) -> None:
    (tree / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tree / ".speclint.yaml").write_text("profile: minimal\n", encoding="utf-8")
    _, report, _ = check("spec.md")
    assert report["files"][0]["profile"] == "minimal"


def test_nearest_configuration_wins(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text("profile: minimal\n", encoding="utf-8")
    (tree / "sub" / ".speclint.yaml").write_text("profile: data\n", encoding="utf-8")
    _, report, _ = check("spec.md")
    assert report["files"][0]["profile"] == "data"


def test_speclint_yaml_wins_over_pyproject_in_the_same_folder(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.speclint]\nprofile = "data"\n', encoding="utf-8")
    (tree / ".speclint.yaml").write_text("profile: minimal\n", encoding="utf-8")
    _, report, _ = check("spec.md")
    assert report["files"][0]["profile"] == "minimal"


def test_config_option_pins_one_file(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text("profile: minimal\n", encoding="utf-8")
    pinned = tree / "ci.yaml"
    pinned.write_text("profile: data\n", encoding="utf-8")
    _, report, _ = check("--config", str(pinned), "spec.md")
    assert report["files"][0]["profile"] == "data"


def test_config_from_elsewhere_has_globs_relative_to_the_working_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A --config file outside the repository (a pinned copy in a temporary folder) selects
    files of the repository, not of its own folder; one inside it keeps its own folder."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no git repository here
    project, temp = tmp_path / "project", tmp_path / "temp"
    for folder in (project / "specs", project / "ci" / "specs", temp / "specs"):
        folder.mkdir(parents=True)
        (folder / "spec.md").write_text(SPEC, encoding="utf-8")
    (temp / "rules").mkdir()
    text = 'include: ["specs/**"]\nprofile: minimal\nrule_paths: [rules]\n'
    (temp / "base.yaml").write_text(text, encoding="utf-8")
    (project / "ci" / "pinned.yaml").write_text(text.replace("[rules]", "[]"),
                                                encoding="utf-8")
    monkeypatch.chdir(project)
    _, report, err = check("--config", str(temp / "base.yaml"))
    assert [f["path"] for f in report["files"]] == ["specs/spec.md"], err
    # a file inside the working tree (or above it) keeps its own folder as before
    _, report, _ = check("--config", "ci/pinned.yaml")
    assert [f["path"] for f in report["files"]] == ["ci/specs/spec.md"]
    monkeypatch.chdir(project / "ci" / "specs")
    _, report, _ = check("--config", "../pinned.yaml")
    assert [f["path"] for f in report["files"]] == ["spec.md"]


def test_config_option_with_a_missing_file_exits_2(tree: Path) -> None:
    status, _, err = check("--config", "nope.yaml", "spec.md")
    assert status == 2
    assert err == "speclint: error: nope.yaml: configuration file does not exist\n"


# -- validation ---------------------------------------------------------------------------

def test_unknown_key_exits_2_naming_file_line_and_key(tree: Path) -> None:
    config = tree / ".speclint.yaml"
    config.write_text("profile: minimal\n# comment\nprofil: data\n", encoding="utf-8")
    status, report, err = check("spec.md")
    assert (status, report) == (2, {})
    assert err == (f"speclint: error: {config}:3: profil: unknown key 'profil' "
                   "(did you mean 'profile'?)\n")


def test_unknown_key_in_pyproject_names_its_line(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n\n[tool.speclint]\nprofile = "data"\n'
                      'colour = "red"\n', encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err.startswith(f"speclint: error: {config}:6: colour: unknown key 'colour'")


def test_unknown_key_inside_an_override(tree: Path) -> None:
    config = tree / ".speclint.yaml"
    config.write_text("overrides:\n  - files: ['*.md']\n    profle: data\n", encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err == (f"speclint: error: {config}:3: overrides.0.profle: unknown key 'profle' "
                   "(did you mean 'profile'?)\n")


@pytest.mark.parametrize(("text", "line", "key", "message"), [
    ("fail_on: sometimes\n", 1, "fail_on",
     "'sometimes' is not one of ['error', 'warning', 'info', 'never']"),
    ("max_warnings: -1\n", 1, "max_warnings", "-1 is less than the minimum of 0"),
    ("include: ['*.md']\nrules:\n  SL010: loud\n", 3, "rules.SL010",
     "'loud' is not one of ['error', 'warning', 'info', 'off']"),
    ("rules:\n  SL010: warning\n  bogus: error\n", 3, "rules.bogus",
     "unknown rule, code or element 'bogus'"),
    ("overrides:\n  - files: ['a']\n    rules: {nope: 'off'}\n", 3, "overrides.0.rules.nope",
     "unknown rule, code or element 'nope'"),
    ("profile: nope\n", 1, "profile",
     "unknown profile 'nope' (known: api, data, minimal, technical)"),
    ("overrides:\n  - files: ['a']\n    profile: zzz\n", 3, "overrides.0.profile",
     "unknown profile 'zzz' (known: api, data, minimal, technical)"),
    ("require_suppression_reason: maybe\n", 1, "require_suppression_reason",
     "'maybe' is not of type 'boolean'"),
    ("- a list\n", 1, "(top level)", "configuration must be a mapping of settings"),
])
def test_bad_values_exit_2_with_one_line(tree: Path, text: str, line: int, key: str,
                                         message: str) -> None:
    config = tree / ".speclint.yaml"
    config.write_text(text, encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err == f"speclint: error: {config}:{line}: {key}: {message}\n"


@pytest.mark.parametrize(("text", "line", "key", "first"), [
    # the second fail_on would silently switch the gate off
    ("fail_on: error\nprofile: minimal\nfail_on: never\n", 3, "fail_on", 1),
    ("rules:\n  SL010: error\n  SL100: 'off'\n  SL010: 'off'\n", 4, "rules.SL010", 2),
    ("overrides:\n  - files: ['a']\n    profile: data\n    profile: minimal\n", 4,
     "overrides.0.profile", 3),
])
def test_duplicate_key_exits_2_naming_file_line_and_key(tree: Path, text: str, line: int,
                                                        key: str, first: int) -> None:
    config = tree / ".speclint.yaml"
    config.write_text(text, encoding="utf-8")
    status, report, err = check("spec.md")
    assert (status, report) == (2, {})
    assert err == (f"speclint: error: {config}:{line}: {key}: duplicate key "
                   f"'{key.split('.')[-1]}' (first set on line {first}; YAML would silently "
                   "keep only the last value)\n")


def test_duplicate_key_in_pyproject_names_its_line(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text('[tool.speclint]\nfail_on = "error"\nfail_on = "never"\n',
                      encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err.startswith(f"speclint: error: {config}:3: invalid TOML: Cannot overwrite a value")


def test_missing_rule_path_names_file_line_and_key(tree: Path) -> None:
    config = tree / ".speclint.yaml"
    config.write_text("profile: minimal\nrule_paths:\n  - team-rules\n  - nonexist\n",
                      encoding="utf-8")
    (tree / "team-rules").mkdir()
    status, report, err = check("spec.md")
    assert (status, report) == (2, {})
    assert err == (f"speclint: error: {config}:4: rule_paths: 'nonexist' does not exist "
                   f"(looked for {tree / 'nonexist'})\n")
    # `speclint rules` and `explain` read the same configuration and give the same error
    listed = CliRunner().invoke(main, ["rules"])
    assert (listed.exit_code, listed.stderr) == (2, err)


def test_unknown_check_type_names_the_type_key(tree: Path) -> None:
    (tree / "team-rules").mkdir()
    rule_file = tree / "team-rules" / "acme.yaml"
    rule_file.write_text("rules:\n  - code: ACME001\n    name: acme-thing\n"
                         "    summary: A thing.\n    message: Thing.\n    severity: error\n"
                         "    type: no-such-type\n    params: {words: [x]}\n",
                         encoding="utf-8")
    (tree / ".speclint.yaml").write_text("rule_paths: [team-rules]\n", encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err.startswith(f"speclint: error: {rule_file}:7: rules.0.type: unknown check type "
                          "'no-such-type' (known: ")


def test_broken_yaml_names_the_line(tree: Path) -> None:
    config = tree / ".speclint.yaml"
    config.write_text("profile: data\nrules: [\n", encoding="utf-8")
    status, _, err = check("spec.md")
    assert status == 2
    assert err.startswith(f"speclint: error: {config}:3: invalid YAML")


def test_nested_pyproject_tables_name_their_line(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.speclint]\nprofile = "data"\n\n[tool.speclint.rules]\n'
                      'SL010 = "off"\nbogus = "off"\n\n[[tool.speclint.overrides]]\n'
                      'files = ["a"]\n\n[[tool.speclint.overrides]]\nfiles = ["b"]\n'
                      'extra = 1\n', encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_config(config)
    assert str(caught.value) == (f"{config}:13: overrides.1.extra: unknown key 'extra' "
                                 "(known keys: files, profile, rules)")
    config.write_text(config.read_text().replace("extra = 1\n", ""), encoding="utf-8")
    loaded = load_config(config)
    with pytest.raises(UsageError) as caught:
        loaded.check_rule_names(lambda name: name == "SL010")
    assert str(caught.value) == f"{config}:6: rules.bogus: unknown rule, code or element 'bogus'"


def test_unquoted_yaml_off_means_off(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text("rules:\n  placeholder-text: off\n  SL100: no\n",
                                         encoding="utf-8")
    _, report, _ = check("spec.md")
    assert set(codes(report)) == ALL_REQUIRED - {"SL100"}


def test_every_schema_key_is_accepted(tmp_path: Path) -> None:
    config = tmp_path / ".speclint.yaml"
    (tmp_path / "my-rules").mkdir()
    config.write_text(
        "include: ['specs/**/*.md']\nexclude: [drafts/]\nprofile: api\n"
        "overrides:\n  - files: ['specs/data/**']\n    profile: data\n    rules: {SL010: info}\n"
        "rules: {rate-limits: warning, SL016: 'off'}\nrule_paths: [my-rules]\n"
        "fail_on: warning\nmax_warnings: 3\nrequire_suppression_reason: true\n"
        "max_file_bytes: 1000\n", encoding="utf-8")
    loaded = load_config(config)
    assert (loaded.profile, loaded.fail_on, loaded.max_warnings) == ("api", "warning", 3)
    assert loaded.rules == {"rate-limits": "warning", "SL016": "off"}
    assert loaded.rule_paths == [str(tmp_path / "my-rules")]
    assert loaded.require_suppression_reason is True
    assert loaded.max_file_bytes == 1000
    assert loaded.root == tmp_path


# -- what configuration changes -----------------------------------------------------------

def test_overrides_set_profile_and_rules_per_glob(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs" / "data").mkdir(parents=True)
    (tmp_path / "specs" / "data" / "events.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "specs" / "api.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / ".speclint.yaml").write_text(
        "overrides:\n  - files: ['specs/data/**']\n    profile: minimal\n"
        "    rules: {SL010: error}\n", encoding="utf-8")
    _, report, _ = check("specs")
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path["specs/data/events.md"]["profile"] == "minimal"
    assert [(f["code"], f["severity"]) for f in by_path["specs/data/events.md"]["findings"]] \
        == [("SL010", "error")]
    assert by_path["specs/api.md"]["profile"] == "technical"
    assert {f["code"] for f in by_path["specs/api.md"]["findings"]} == ALL_REQUIRED | {"SL010"}


def test_include_and_exclude_relative_to_the_config_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("specs/a.md", "specs/drafts/b.md", "notes/c.md", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(SPEC, encoding="utf-8")
    (tmp_path / ".speclint.yaml").write_text(
        "include: ['specs/**/*.md', '*.md']\nexclude: [drafts/, README.md]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "notes")
    _, report, _ = check()
    assert [f["path"] for f in report["files"]] == ["../specs/a.md", "c.md"]
    # exclude also applies to files named on the command line
    _, report, _ = check("../README.md", "c.md")
    assert [f["path"] for f in report["files"]] == ["c.md"]


def test_command_line_overrides_configuration(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text(
        "profile: minimal\nfail_on: never\nrules:\n  SL010: 'off'\n", encoding="utf-8")
    status, report, _ = check("spec.md")
    assert (status, codes(report)) == (0, [])
    status, report, _ = check("--fail-on", "warning", "--select", "SL010", "spec.md")
    assert (status, codes(report)) == (1, ["SL010"])  # --select beats rules: off
    status, report, _ = check("--profile", "technical", "--fail-on", "error", "spec.md")
    assert status == 1 and set(codes(report)) == ALL_REQUIRED
    (tree / ".speclint.yaml").write_text("profile: minimal\nmax_warnings: 0\n", encoding="utf-8")
    assert check("spec.md")[0] == 1
    assert check("--max-warnings", "1", "spec.md")[0] == 0


def test_rule_code_wins_over_element_id(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text(
        "rules:\n  SL150: warning\n  error-codes: 'off'\n  api-contract: info\n",
        encoding="utf-8")
    _, report, _ = check("spec.md")
    found = severities(report)
    assert found["SL150"] == "warning"
    assert found["SL100"] == "info"


def test_max_file_bytes_from_configuration(tree: Path) -> None:
    (tree / ".speclint.yaml").write_text("max_file_bytes: 10\n", encoding="utf-8")
    status, report, _ = check("spec.md")
    assert status == 1
    assert codes(report) == ["SL003"]


# -- profiles -----------------------------------------------------------------------------

def test_profile_data_stops_requiring_the_api_elements(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "events.md").write_text(DATA_SPEC, encoding="utf-8")
    status, report, _ = check("events.md")
    assert (status, codes(report)) == (0, [])
    status, report, _ = check("--profile", "technical", "events.md")  # front matter wins
    assert status == 0
    (tmp_path / "events.md").write_text(DATA_SPEC.replace("profile: data", "status: in-review"),
                                        encoding="utf-8")
    status, report, _ = check("events.md")
    assert status == 1
    assert codes(report) == ["SL100", "SL120", "SL150"]


def test_profile_option_applies_to_files_without_one(tree: Path) -> None:
    status, report, _ = check("--profile", "minimal", "spec.md")
    assert (status, codes(report)) == (0, ["SL010"])
    status, _, err = check("--profile", "nope", "spec.md")
    assert status == 2
    assert err == "speclint: error: unknown profile 'nope' (known: api, data, minimal, technical)\n"


def test_api_profile_raises_api_quality_warnings(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("# API\n\nPOST /v1/refunds creates a refund.\n",
                                   encoding="utf-8")
    _, report, _ = check("--select", "missing-idempotency", "a.md")
    assert severities(report) == {"SL015": "warning"}
    _, report, _ = check("--select", "missing-idempotency", "--profile", "api", "a.md")
    assert severities(report) == {"SL015": "error"}


def test_minimal_profile_runs_no_element_rules(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(
        "# API\n\n## Errors\n\n| Status | Meaning |\n|---|---|\n| 700 | Too large |\n",
        encoding="utf-8")
    assert codes(check("a.md")[1]).count("SL152") == 1
    assert check("--profile", "minimal", "a.md")[1]["files"][0]["findings"] == []


def test_front_matter_profile_enum_lists_every_profile() -> None:
    schema = json.loads((rules_dir() / "schemas" / "front-matter.schema.json").read_text())
    assert sorted(schema["properties"]["profile"]["enum"]) == profile_names()
    assert profile_names() == ["api", "data", "minimal", "technical"]


# -- lifecycle status ---------------------------------------------------------------------

def test_draft_turns_missing_elements_into_warnings(tree: Path) -> None:
    (tree / "sub" / "deep" / "spec.md").write_text("---\nstatus: draft\n---\n" + SPEC,
                                                   encoding="utf-8")
    status, report, _ = check("spec.md")
    assert status == 0
    assert severities(report) == {code: "warning" for code in ALL_REQUIRED | {"SL010"}}
    assert report["summary"]["warnings"] == 8
    assert report["files"][0]["status"] == "draft"


def test_approved_makes_placeholders_errors(tree: Path) -> None:
    (tree / "sub" / "deep" / "spec.md").write_text(
        "---\nstatus: approved\nprofile: minimal\n---\n" + SPEC, encoding="utf-8")
    status, report, _ = check("spec.md")
    assert status == 1
    assert report["files"][0]["findings"][0]["line"] == 9  # 4 front-matter lines + 5
    assert severities(report) == {"SL010": "error"}


def test_unknown_status_and_profile_are_findings_not_crashes(tree: Path) -> None:
    (tree / "sub" / "deep" / "spec.md").write_text(
        "---\nstatus: finished\nprofile: nope\n---\n" + SPEC, encoding="utf-8")
    status, report, _ = check("spec.md")
    assert status == 1
    result = report["files"][0]
    assert (result["status"], result["profile"]) == ("in-review", "technical")
    sl005 = [(f["line"], f["severity"]) for f in result["findings"] if f["code"] == "SL005"]
    assert sl005 == [(2, "warning"), (3, "warning")]
    assert set(codes(report)) == ALL_REQUIRED | {"SL005", "SL010"}


# -- globs --------------------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.md", "a/b/c.md", True),
    ("*.md", "c.txt", False),
    ("specs/**/*.md", "specs/x.md", True),
    ("specs/**/*.md", "specs/a/b/x.md", True),
    ("specs/**/*.md", "other/specs/x.md", False),
    ("specs/*.md", "specs/a/x.md", False),
    ("/specs/*.md", "specs/x.md", True),
    ("drafts/", "a/drafts/x.md", True),
    ("drafts/", "drafts.md", False),
    ("drafts", "a/drafts/x.md", True),
    ("specs/archive", "specs/archive/old/x.md", True),
    ("specs/archive", "specs/archived.md", False),
    ("spec?.md", "spec1.md", True),
    ("spec[0-9].md", "spec7.md", True),
    ("spec[!0-9].md", "spec7.md", False),
    ("**/data/**", "specs/data/events.md", True),
])
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def test_pinned_config_above_the_work_tree_is_relative_to_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checkout inside the temporary folder that holds the pinned copy: the copy still
    describes the repository, not the temporary folder (nothing would be linted)."""
    import subprocess

    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "spec.md").write_text(SPEC, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (tmp_path / "base.speclint.yaml").write_text('include: ["specs/**"]\nprofile: minimal\n',
                                                 encoding="utf-8")
    monkeypatch.chdir(repo)
    _, report, err = check("--config", str(tmp_path / "base.speclint.yaml"))
    assert [f["path"] for f in report["files"]] == ["specs/spec.md"], err
