"""speclint new, init, explain, rules, rules test, and the generated rule reference."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from speclint.authoring import render_template, rules_reference, title_from
from speclint.cli import main
from speclint.config import load_config
from speclint.ruleset import builtin_rules, profile_names
from speclint.vocab import rules_dir

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ["technical", "api", "data", "minimal"]


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLINT_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def check_json(path: str, *args: str) -> tuple[int, dict]:
    result = cli("check", "--format", "json", *args, path)
    return result.exit_code, json.loads(result.stdout)


# -- speclint new -------------------------------------------------------------------------

def test_profiles_and_templates_match() -> None:
    assert sorted(PROFILES) == profile_names()
    templates = sorted(p.stem for p in (rules_dir() / "templates").glob("*.md"))
    assert templates == profile_names()


@pytest.mark.parametrize("profile", PROFILES)
def test_new_then_check_exits_0_for_every_profile(profile: str) -> None:
    result = cli("new", "--profile", profile, "spec.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"wrote spec.md (profile {profile}); fill in the sections and run "
                             "'speclint check spec.md'\n")
    status, report = check_json("spec.md")
    assert status == 0
    assert report["files"][0]["profile"] == profile
    assert report["files"][0]["findings"] == []
    assert report["summary"]["suppressed"] == 0


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("status", ["in-review", "approved"])
def test_templates_pass_at_every_status_with_no_findings(profile: str, status: str) -> None:
    text = render_template(profile, "Exports")
    assert "status: draft\n" in text
    Path("spec.md").write_text(text.replace("status: draft\n", f"status: {status}\n"),
                               encoding="utf-8")
    assert check_json("spec.md") == (0, check_json("spec.md")[1])
    assert check_json("spec.md")[1]["files"][0]["findings"] == []


@pytest.mark.parametrize("profile", ["technical", "api"])
def test_full_templates_make_every_element_present(profile: str) -> None:
    cli("new", "--profile", profile, "spec.md")
    _, report = check_json("spec.md")
    states = {e: v["state"] for e, v in report["files"][0]["elements"].items()}
    assert set(states.values()) == {"present"}


def test_data_template_makes_its_four_elements_present() -> None:
    cli("new", "--profile", "data", "spec.md")
    _, report = check_json("spec.md")
    present = sorted(e for e, v in report["files"][0]["elements"].items()
                     if v["state"] == "present")
    assert present == ["compatibility", "data-model", "latency-budget", "migration-plan"]


def test_templates_have_guidance_in_comments_and_no_empty_sections() -> None:
    for profile in PROFILES:
        text = render_template(profile, "X")
        assert text.count("<!--") >= 4
        assert f"profile: {profile}\n" in text


def test_second_new_refuses_and_keeps_the_file() -> None:
    assert cli("new", "spec.md").exit_code == 0
    Path("spec.md").write_text("# Mine\n", encoding="utf-8")
    result = cli("new", "--profile", "data", "spec.md")
    assert result.exit_code == 2
    assert result.stderr == ("speclint: error: spec.md already exists; use --force to "
                             "overwrite it\n")
    assert Path("spec.md").read_text(encoding="utf-8") == "# Mine\n"
    assert cli("new", "--profile", "data", "--force", "spec.md").exit_code == 0
    assert "profile: data\n" in Path("spec.md").read_text(encoding="utf-8")


def test_new_writes_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert cli("new", "specs/payments/refunds-api.md").exit_code == 0
    finally:
        os.umask(old)
    folder = tmp_path / "specs" / "payments"
    assert [p.name for p in folder.iterdir()] == ["refunds-api.md"]
    assert (folder / "refunds-api.md").stat().st_mode & 0o777 == 0o644
    text = (folder / "refunds-api.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Refunds api"\n')
    assert "\n# Refunds api\n" in text
    assert "{{title}}" not in text


def test_new_with_an_unknown_profile_exits_2() -> None:
    result = cli("new", "--profile", "nope", "spec.md")
    assert result.exit_code == 2
    assert result.stderr == ("speclint: error: unknown profile 'nope' (known: api, data, "
                             "minimal, technical)\n")
    assert not Path("spec.md").exists()


def test_title_from_file_name() -> None:
    assert title_from(Path("specs/refunds_v2-api.md")) == "Refunds v2 api"
    assert title_from(Path("x.md")) == "X"
    assert title_from(Path("---.md")) == "New spec"
    assert '"Say \\"hi\\""' in render_template("minimal", 'Say "hi"')


def test_new_then_check_as_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "SPECLINT_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "speclint", "new", "--profile", "api",
                           "spec.md"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "spec.md"], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert (done.returncode, done.stdout) == (
        0, "1 file checked: 0 errors, 0 warnings, 0 infos (0 suppressed).\n")


# -- speclint init ------------------------------------------------------------------------

def test_init_writes_a_valid_commented_config(tmp_path: Path) -> None:
    result = cli("init")
    assert (result.exit_code, result.stdout) == (0, "wrote .speclint.yaml\n")
    path = tmp_path / ".speclint.yaml"
    text = path.read_text(encoding="utf-8")
    config = load_config(path)
    assert (config.profile, config.fail_on, config.require_suppression_reason) == \
        ("technical", "error", False)
    schema = json.loads((rules_dir() / "schemas" / "config.schema.json").read_text())
    for key in schema["properties"]:
        assert re.search(rf"^#? ?{key}:", text, re.M), f"starter config does not mention {key}"
    assert sum(line.startswith("#") for line in text.splitlines()) >= 20


def test_init_commented_examples_are_valid_when_uncommented(tmp_path: Path) -> None:
    cli("init")
    path = tmp_path / ".speclint.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = ("overrides:", "rules:", "rule_paths:", "max_warnings:", "max_file_bytes:")
    out, inside = [], False
    for line in lines:
        if line.startswith("# ") and line[2:].startswith(keys):
            inside = True
            out.append(line[2:])
        elif inside and line.startswith("#   "):
            out.append(line[2:])
        else:
            inside = False
            out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    (tmp_path / "speclint-rules").mkdir()
    config = load_config(path)
    assert config.rules == {"broken-internal-link": "off", "rate-limits": "warning"}
    assert [o["files"] for o in config.overrides] == [["specs/data/**"], ["specs/archive/**"]]
    assert config.max_warnings == 0


def test_init_refuses_to_overwrite_without_force() -> None:
    Path(".speclint.yaml").write_text("profile: data\n", encoding="utf-8")
    result = cli("init")
    assert result.exit_code == 2
    assert result.stderr == ("speclint: error: .speclint.yaml already exists; use --force to "
                             "overwrite it\n")
    assert Path(".speclint.yaml").read_text() == "profile: data\n"
    assert cli("init", "--force").exit_code == 0
    assert "profile: technical" in Path(".speclint.yaml").read_text()


def test_init_refuses_to_shadow_another_config_in_the_folder() -> None:
    Path("pyproject.toml").write_text('[tool.speclint]\nprofile = "data"\n', encoding="utf-8")
    result = cli("init")
    assert result.exit_code == 2
    assert "pyproject.toml already configures speclint" in result.stderr
    assert not Path(".speclint.yaml").exists()


# -- speclint explain ---------------------------------------------------------------------

SECTIONS = ["## What it checks", "## Why it matters", "## Example that fails",
            "## Example that passes", "## How to fix", "## How to suppress"]


@pytest.mark.parametrize("rule", [r.code for r in builtin_rules()])
def test_explain_has_the_fixed_shape_for_every_rule(rule: str) -> None:
    result = cli("explain", rule)
    assert result.exit_code == 0
    prose = re.sub(r"^(`{3,})\w*\n[\s\S]*?^\1$", "", result.stdout, flags=re.M)
    headings = [line for line in prose.splitlines() if line.startswith("## ")]
    assert headings == SECTIONS
    assert result.stdout.startswith(f"# {rule} ")


def test_explain_rate_limit_window() -> None:
    out = cli("explain", "rate-limit-window").stdout
    assert out.startswith("# SL123 rate-limit-window\n\n- Element: rate-limits\n"
                          "- Severity: error (warning when status is draft)\n"
                          "- Profiles: api, data, technical\n- Check type: element-quality\n")
    assert ("## Example that fails\n\n```markdown\n## Rate limits\n\nEach account can have at "
            "most 100 imports.\n```\n\nspeclint reports:\n\n```text\nexample.md:3:1: error "
            "SL123 rate-limit-window: Rate limit has no time window: say how many requests "
            "per second, minute or hour.\n```\n") in out
    assert "<!-- speclint-disable-next-line rate-limit-window -- reason -->" in out
    assert "rules:\n  rate-limit-window: off\n" in out


def test_every_builtin_rule_explains_its_examples() -> None:
    """No rule says 'None in the rule file.': it has examples or says why it cannot."""
    for rule in builtin_rules():
        assert "None in the rule file." not in cli("explain", rule.code).stdout, rule.code


def test_explain_suppression_without_reason_shows_its_configuration() -> None:
    out = cli("explain", "SL022").stdout
    fails = out.split("## Example that fails\n", 1)[1].split("## Example that passes\n")[0]
    assert fails.startswith("\nWith this configuration in `.speclint.yaml`:\n\n```yaml\n"
                            "require_suppression_reason: true\n```\n\n```markdown\n# Spec\n")
    assert "error SL022 suppression-without-reason:" in fails


@pytest.mark.parametrize(("code", "why"), [
    ("SL001", "cannot open the file at all"),
    ("SL002", "bytes that are not UTF-8"),
    ("SL003", "the file's size"),
    ("SL006", "a bug in speclint"),
    ("SL009", "tens of thousands of blocks"),
])
def test_file_problem_rules_say_why_there_is_no_markdown_example(tmp_path: Path, code: str,
                                                                 why: str) -> None:
    out = cli("explain", code).stdout
    fails = out.split("## Example that fails\n", 1)[1].split("## Example that passes\n")
    assert fails[0].startswith("\nNo Markdown example: ") and why in fails[0]
    assert fails[1].startswith("\nNo Markdown example: any ")
    shell = re.search(r"```sh\n(.*?)```", fails[0], re.S)
    if code == "SL006":
        assert shell is None
        return
    # the commands shown reproduce the finding
    assert shell is not None
    script = shell.group(1).replace("speclint check", f"'{sys.executable}' -m speclint check")
    done = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    assert f": error {code} " in done.stdout


def test_explain_accepts_a_lower_case_code_and_an_element_id() -> None:
    assert cli("explain", "sl010").stdout.startswith("# SL010 placeholder-text\n")
    out = cli("explain", "migration-plan").stdout
    assert re.findall(r"^# (SL\d+)", out, re.M) == ["SL140", "SL141"]
    assert "- Severity: warning (error when status is approved or implemented)" in \
        cli("explain", "SL010").stdout
    assert "- Severity: warning (error in the api profile)" in cli("explain", "SL015").stdout


def test_explain_unknown_rule_exits_2_with_a_suggestion() -> None:
    result = cli("explain", "rate-limit-windows")
    assert result.exit_code == 2
    assert result.stderr == ("speclint: error: unknown rule, code or element "
                             "'rate-limit-windows' (did you mean 'rate-limit-window'?)\n")


# -- speclint rules -----------------------------------------------------------------------

def test_rules_lists_every_rule() -> None:
    out = cli("rules").stdout
    lines = out.splitlines()
    assert len(lines) == len(builtin_rules())
    assert re.fullmatch(r"SL123  rate-limit-window +rate-limits +error +A rate limit states a "
                        r"number per time window\.",
                        next(line for line in lines if line.startswith("SL123")))
    assert re.fullmatch(r"SL010  placeholder-text +- +warning +.*",
                        next(line for line in lines if line.startswith("SL010")))


def test_rules_json() -> None:
    rows = json.loads(cli("rules", "--format", "json").stdout)
    assert [r["code"] for r in rows] == sorted(r.code for r in builtin_rules())
    row = next(r for r in rows if r["code"] == "SL123")
    assert row == {"code": "SL123", "name": "rate-limit-window", "element": "rate-limits",
                   "severity": "error", "summary": "A rate limit states a number per time window.",
                   "type": "element-quality", "builtin": True}


# -- custom rules and speclint rules test -------------------------------------------------

CUSTOM = """\
rules:
  - code: ACME001
    name: security-section
    type: section-required
    params: {headings: [security, threat model], min_words: 5}
    severity: error
    summary: The spec has a security section.
    message: "No security section: add '## Security' with the threat model."
    examples:
      fail: ["# Spec\\n\\n## Goals\\n\\nShip it soon please.\\n"]
      pass: ["# Spec\\n\\n## Security\\n\\nTokens are scoped per tenant and expire hourly.\\n"]
  - code: ACME002
    name: no-maybe
    type: pattern
    params: {words: [maybe, perhaps]}
    severity: warning
    summary: Decisions, not maybes.
    message: "'{match}' is not a decision: decide."
    examples:
      fail: ["# Spec\\n\\nWe maybe ship.\\n"]
      pass: ["# Spec\\n\\nWe ship.\\n"]
"""


def _write_rules(text: str = CUSTOM) -> Path:
    folder = Path("team-rules")
    folder.mkdir(exist_ok=True)
    (folder / "acme.yaml").write_text(text, encoding="utf-8")
    return folder


def test_rules_test_runs_the_examples_of_custom_rules() -> None:
    folder = _write_rules()
    result = cli("rules", "test", str(folder))
    assert (result.exit_code, result.stdout) == (0, "4 examples of 2 rules: 4 passed, 0 failed.\n")


def test_rules_test_reports_a_wrong_example() -> None:
    folder = _write_rules(CUSTOM.replace('pass: ["# Spec\\n\\nWe ship.\\n"]',
                                         'pass: ["# Spec\\n\\nPerhaps we ship.\\n"]'))
    result = cli("rules", "test", str(folder))
    assert result.exit_code == 1
    assert result.stdout == (f"{folder / 'acme.yaml'}: ACME002 no-maybe: pass example 1 "
                             "produced a finding of ACME002\n"
                             "4 examples of 2 rules: 3 passed, 1 failed.\n")


def test_rules_test_runs_examples_with_their_configuration() -> None:
    folder = _write_rules(CUSTOM.replace(
        'fail: ["# Spec\\n\\nWe maybe ship.\\n"]',
        'fail: [{text: "# Spec\\n\\nWe maybe ship.\\n", '
        'config: {require_suppression_reason: true}}]'))
    result = cli("rules", "test", str(folder))
    assert (result.exit_code, result.stdout) == (0, "4 examples of 2 rules: 4 passed, 0 failed.\n")
    _write_rules(CUSTOM.replace('fail: ["# Spec\\n\\nWe maybe ship.\\n"]',
                                'fail: [{text: "# Spec\\n", config: {profile: minimal}}]'))
    result = cli("rules", "test", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (f"speclint: error: {folder / 'acme.yaml'}:20: "
                             "rules.1.examples.fail.0.config.profile: unknown key 'profile'\n")


def test_rules_test_with_a_broken_rule_file_exits_2() -> None:
    folder = _write_rules(CUSTOM.replace("severity: warning", "severity: loud"))
    result = cli("rules", "test", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"speclint: error: {folder / 'acme.yaml'}:16: "
                                    "rules.1.severity: 'loud' is not one of")


def test_rules_test_with_no_rule_files_exits_2() -> None:
    Path("empty").mkdir()
    result = cli("rules", "test", "empty")
    assert result.exit_code == 2
    assert result.stderr == "speclint: error: empty: no rule files (*.yaml, *.yml)\n"


def test_configured_custom_rules_run_and_are_listed() -> None:
    _write_rules()
    Path(".speclint.yaml").write_text("rule_paths: [team-rules]\nprofile: minimal\n",
                                      encoding="utf-8")
    Path("spec.md").write_text("# Spec\n\nWe maybe ship.\n", encoding="utf-8")
    status, report = check_json("spec.md")
    assert status == 1
    assert [(f["code"], f["line"], f["message"]) for f in report["files"][0]["findings"]] == [
        ("ACME001", 1, "No security section: add '## Security' with the threat model."),
        ("ACME002", 3, "'maybe' is not a decision: decide.")]
    assert "ACME002  no-maybe" in cli("rules").stdout
    assert cli("explain", "ACME001").stdout.startswith("# ACME001 security-section\n")
    assert json.loads(cli("rules", "--format", "json").stdout)[0]["builtin"] is False
    # SARIF links built-in rules to speclint's rule reference, never custom ones
    sarif = json.loads(cli("check", "--format", "sarif", "spec.md").stdout)
    uris = {r["id"]: r.get("helpUri") for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert uris["ACME001"] is None and uris["ACME002"] is None
    assert uris["SL010"].endswith("/docs/rules.md#sl010-placeholder-text")


_SL010_LINE = next(number for number, text in enumerate(
    (rules_dir() / "document.yaml").read_text("utf-8").split("\n"), 1)
    if text.strip() == "- code: SL010")


@pytest.mark.parametrize(("change", "message"), [
    (("type: pattern", "type: file-problem"),
     ":14: rules.1.type: check type 'file-problem' is reserved for built-in rules"),
    (("type: pattern", "type: mypackage.evil"), ":14: rules.1.type: unknown check type "
                                                "'mypackage.evil'"),
    (("params: {words: [maybe, perhaps]}", "params: {pattern: '(a+)+b'}"),
     ":15: rules.1.params: bad pattern: pattern '(a+)+b' can backtrack catastrophically"),
    (("params: {words: [maybe, perhaps]}", "params: {pattern: '(unclosed'}"),
     ":15: rules.1.params: bad pattern: invalid regular expression"),
    (("code: ACME002", "code: SL010"), f"acme.yaml:12: rule SL010 is already defined in "
                                       f"{rules_dir() / 'document.yaml'}:{_SL010_LINE}"),
])
def test_bad_custom_rules_exit_2(change: tuple[str, str], message: str) -> None:
    _write_rules(CUSTOM.replace(*change))
    Path(".speclint.yaml").write_text("rule_paths: [team-rules]\n", encoding="utf-8")
    Path("spec.md").write_text("# Spec\n", encoding="utf-8")
    result = cli("check", "spec.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("speclint: error: ")
    assert message in result.stderr


def _fake_plugin(folder: Path, marker: Path, check_type: str = "evil") -> None:
    """An installed-looking distribution in ``folder``: ``evil-1.0.dist-info`` registering the
    ``speclint.checks`` type ``check_type`` as ``evilmod:check``; importing evilmod creates
    ``marker``, and the check fires once on line 1."""
    info = folder / "evil-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[speclint.checks]\n{check_type} = evilmod:check\n",
                                           encoding="utf-8")
    (folder / "evilmod").mkdir()
    (folder / "evilmod" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "from speclint.checks import Hit\n"
        "def check(rule, run):\n    yield Hit(1)\n", encoding="utf-8")


def _console_script() -> str:
    script = Path(sys.executable).with_name("speclint")
    assert script.is_file(), "the speclint console script is not installed next to python"
    return str(script)


def test_nothing_in_a_repository_is_imported(tmp_path: Path) -> None:
    folder = _write_rules(CUSTOM.replace("type: pattern", "type: evil"))
    marker = tmp_path / "imported"
    (folder / "evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    Path("evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    Path(".speclint.yaml").write_text("rule_paths: [team-rules]\n", encoding="utf-8")
    Path("spec.md").write_text("# Spec\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "spec.md"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "unknown check type 'evil'" in done.stderr
    assert not marker.exists()
    # an installed-looking plugin distribution committed to the repository: `python -m` puts
    # the working directory on sys.path, and an empty PYTHONPATH entry does the same for the
    # console script; either way importlib.metadata would see evil-1.0.dist-info
    _fake_plugin(tmp_path, marker)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECLINT_")}
    env["SPECLINT_NO_CACHE"] = "1"
    runs = {
        "python -m speclint": ([sys.executable, "-m", "speclint"], env),
        "console script, PYTHONPATH with an empty entry": (
            [_console_script()], {**env, "PYTHONPATH": os.pathsep + str(tmp_path / "nowhere")}),
    }
    for how, (command, run_env) in runs.items():
        done = subprocess.run([*command, "check", "spec.md"], cwd=tmp_path, env=run_env,
                              capture_output=True, text=True)
        assert not marker.exists(), f"{how}: the repository's evilmod was imported"
        assert done.returncode == 2, (how, done.stderr)
        assert "rules.1.type: unknown check type 'evil'" in done.stderr, how
        assert "Traceback" not in done.stderr


# libraries, and standard modules speclint imports first (these three used to be imported
# before the working directory was dropped). Not ``re`` (pip's console-script wrapper imports
# it) nor ``contextlib`` (``python -m`` does, through runpy): Python imports them before any
# speclint code runs (docs/security.md).
@pytest.mark.parametrize("shadow", ["yaml", "click", "__future__", "pathlib", "typing"])
def test_a_repository_module_never_shadows_a_library(tmp_path: Path, shadow: str) -> None:
    """A repository holding ``yaml/``, ``click.py`` or ``pathlib.py``: the console script with
    an empty PYTHONPATH entry and ``python -m speclint`` (the working directory on sys.path)
    must import the real module."""
    marker = tmp_path / "imported"
    code = f"open({str(marker)!r}, 'w').close()\nraise SystemExit(7)\n"
    if shadow == "yaml":
        (tmp_path / "yaml").mkdir()
        (tmp_path / "yaml" / "__init__.py").write_text(code, encoding="utf-8")
    else:
        (tmp_path / f"{shadow}.py").write_text(code, encoding="utf-8")
    (tmp_path / "spec.md").write_text("---\nstatus: draft\n---\n# Spec\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep + str(tmp_path / "nowhere"),
           "SPECLINT_NO_CACHE": "1"}
    for command in ([_console_script()], [sys.executable, "-m", "speclint"]):
        done = subprocess.run([*command, "check", "spec.md"], cwd=tmp_path, env=env,
                              capture_output=True, text=True)
        assert not marker.exists(), (command, done.stderr)
        assert done.returncode == 0, (command, done.stderr)


def test_installed_plugins_still_load(tmp_path: Path) -> None:
    """The guard above refuses the working tree, not plugins: a distribution outside it (here
    on PYTHONPATH) registers its check type, and a custom rule can use it."""
    site = tmp_path / "site-outside"
    marker = tmp_path / "imported"
    _fake_plugin(site, marker, check_type="acme-evil")
    project = tmp_path / "project"
    project.mkdir()
    os.chdir(project)
    _write_rules(CUSTOM.replace("type: pattern", "type: acme-evil"))
    Path(".speclint.yaml").write_text("rule_paths: [team-rules]\nprofile: minimal\n",
                                      encoding="utf-8")
    Path("spec.md").write_text("# Spec\n\n## Security\n\nTokens are scoped per tenant and "
                               "expire hourly.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECLINT_")}
    env.update(SPECLINT_NO_CACHE="1", PYTHONPATH=str(site))
    for command in ([sys.executable, "-m", "speclint"], [_console_script()]):
        marker.unlink(missing_ok=True)
        done = subprocess.run([*command, "check", "--format", "json", "spec.md"], cwd=project,
                              env=env, capture_output=True, text=True)
        assert marker.exists(), done.stderr
        codes = [f["code"] for f in json.loads(done.stdout)["files"][0]["findings"]]
        assert codes == ["ACME002"], done.stderr


# -- the generated rule reference ---------------------------------------------------------

def test_rule_reference_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_reference(), \
        "docs/rules.md is stale: run python scripts/gen_rules_doc.py"


def test_gen_rules_doc_check_mode() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"),
                           "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_rule_reference_documents_every_rule_and_profile() -> None:
    text = rules_reference()
    for rule in builtin_rules():
        assert f"\n### {rule.code} {rule.name}\n" in text
        assert f"[{rule.code}](#{rule.code.lower()}-{rule.name})" in text
    for profile in profile_names():
        assert f"| `{profile}` |" in text
