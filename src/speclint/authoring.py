"""The authoring commands: ``rules``, ``rules test``, ``explain``, ``new`` and ``init``.

Rule documentation has one fixed shape (what it checks, why it matters, a failing and a passing
example, how to fix, how to suppress), printed by ``explain`` and collected in docs/rules.md.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import click

from speclint.errors import UsageError
from speclint.models import ELEMENTS, FileResult, Finding
from speclint.report import github_slug, rule_heading
from speclint.ruleset import Rule, builtin_rules, load_profile, load_rules, profile_names
from speclint.vocab import rules_dir

EXAMPLE_NAME = "example.md"


# -- which rules --------------------------------------------------------------------------

def configured_rules() -> list[Rule]:
    """Built-in rules plus the custom ones of the configuration found from here."""
    from speclint.config import discover, load_config

    found = discover(Path.cwd())
    return load_rules(tuple(load_config(found).rule_paths) if found else ())


def _find(selector: str, rules: list[Rule]) -> list[Rule]:
    if selector in ELEMENTS:
        return [r for r in rules if r.element == selector]
    wanted = selector.upper() if re.fullmatch(r"[a-zA-Z]{2,8}\d{3}", selector) else selector
    found = [r for r in rules if wanted in (r.code, r.name)]
    if not found:
        names = [r.name for r in rules] + [r.code for r in rules] + list(ELEMENTS)
        close = difflib.get_close_matches(selector, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else "; 'speclint rules' lists them"
        raise UsageError(f"unknown rule, code or element '{selector}'{hint}")
    return found


# -- speclint rules -----------------------------------------------------------------------

def list_rules(fmt: str = "text") -> str:
    """Every rule: code, name, element, default severity, summary."""
    rules = configured_rules()
    if fmt == "json":
        rows = [{"code": r.code, "name": r.name, "element": r.element, "severity": r.severity,
                 "summary": r.summary, "type": r.type,
                 "builtin": r.builtin} for r in rules]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return rules_reference(rules)
    table = [(r.code, r.name, r.element or "-", r.severity, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    return "".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
                   + "  " + row[4] + "\n" for row in table)


# -- running examples ---------------------------------------------------------------------

def example_parts(example: str | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(Markdown text, configuration) of one rule example.

    An example is a string of Markdown, or ``{text: ..., config: {...}}`` when the rule only
    fires under a configuration setting that the text cannot express (rules/schemas/
    rule-file.schema.json lists the settings allowed: ``require_suppression_reason`` and
    ``max_findings_per_rule``).
    """
    if isinstance(example, dict):
        return str(example.get("text", "")), dict(example.get("config") or {})
    return example, {}


def run_example(example: str | dict[str, Any], rules: list[Rule]) -> FileResult:
    """Lint one example under the default profile, with every rule of ``rules``."""
    from speclint.linter import Settings, lint_bytes

    text, config = example_parts(example)
    settings = Settings(rules=rules, require_suppression_reason=bool(
        config.get("require_suppression_reason", False)),
        max_findings_per_rule=int(config.get("max_findings_per_rule",
                                             Settings.max_findings_per_rule)))
    return lint_bytes(EXAMPLE_NAME, text.encode("utf-8"), settings, Path(EXAMPLE_NAME))


def example_findings(rule: Rule, example: str | dict[str, Any],
                     rules: list[Rule]) -> list[Finding]:
    """The findings of ``rule`` on one example."""
    return [f for f in run_example(example, rules).findings if f.code == rule.code]


def test_rules(paths: tuple[str, ...] = ()) -> int:
    """Run the examples of the rules under ``paths`` (default: built-in and configured rules).

    A fail example must produce a finding of its rule, a pass example must not. Prints one
    line per broken example and a summary; returns the exit status.
    """
    if paths:
        from speclint.ruleset import custom_rule_files, load_rule_file

        files = custom_rule_files(tuple(paths))
        if not files:
            raise UsageError(f"{', '.join(paths)}: no rule files (*.yaml, *.yml)")
        tested = [rule for file in files for rule in load_rule_file(file)]
        rules = load_rules(tuple(str(f) for f in files))
    else:
        rules = configured_rules()
        tested = rules
    checked = broken = 0
    untested = []
    for rule in tested:
        if not any(rule.examples.get(kind) for kind in ("fail", "pass")):
            untested.append(rule.code)
        for kind in ("fail", "pass"):
            for number, text in enumerate(rule.examples.get(kind, []), 1):
                checked += 1
                fired = bool(example_findings(rule, text, rules))
                if fired != (kind == "fail"):
                    broken += 1
                    what = "no" if kind == "fail" else "a"
                    click.echo(f"{rule.source}: {rule.code} {rule.name}: {kind} example "
                               f"{number} produced {what} finding of {rule.code}")
    rule_word = "rule" if len(tested) == 1 else "rules"
    click.echo(f"{checked} examples of {len(tested)} {rule_word}: {checked - broken} passed, "
               f"{broken} failed." + (f" No examples: {', '.join(untested)}." if untested
                                      else ""))
    return 1 if broken else 0


# -- speclint explain ---------------------------------------------------------------------

def explain_rule(selector: str) -> str:
    """What a rule checks, why, a failing and a passing example, how to fix and suppress it.

    An element id explains every rule of that element.
    """
    rules = configured_rules()
    return "\n".join(explain(rule, rules) for rule in _find(selector, rules))


def _severity_line(rule: Rule) -> str:
    by_severity: dict[str, list[str]] = {}
    for status, sev in rule.severity_by_status.items():
        by_severity.setdefault(sev, []).append(status)
    parts = [f"{sev} when status is {' or '.join(statuses)}"
             for sev, statuses in by_severity.items()]
    for name in profile_names():
        override = load_profile(name).severity
        sev = override.get(rule.code, override.get(rule.name))
        if sev and sev != rule.severity:
            parts.append(f"{sev} in the {name} profile")
    return rule.severity + (f" ({'; '.join(parts)})" if parts else "")


def _profiles_line(rule: Rule) -> str:
    profiles = [load_profile(name) for name in profile_names()]
    if rule.type == "element-required":
        names = [p.name for p in profiles if rule.element in p.elements]
        return f"required in the {', '.join(names)} profiles" if names else "no profile"
    if rule.element:
        return ", ".join(p.name for p in profiles if p.element_rules)
    return "all"


def _block(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}markdown\n{text.rstrip(chr(10))}\n{fence}\n"


def _no_example(rule: Rule, kind: str) -> str:
    """For a rule about the file itself (its ``no_example`` in the rule file): why there is no
    Markdown example, how to see the finding, and what passes."""
    why = rule.no_example.get("why")
    if not why:
        return "None in the rule file.\n"
    if kind == "pass":
        return f"No Markdown example: {rule.no_example.get('passes', '')} passes.\n"
    text = f"No Markdown example: {why}.\n"
    shell = rule.no_example.get("reproduce")
    if shell:
        text += f"\nTo see it, in an empty folder:\n\n```sh\n{shell}\n```\n"
    return text


def _config_block(config: dict[str, Any]) -> str:
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in config.items())
    return f"With this configuration in `.speclint.yaml`:\n\n```yaml\n{lines}```\n\n"


def _example(rule: Rule, kind: str, rules: list[Rule]) -> str:
    examples = rule.examples.get(kind) or []
    if not examples:
        return _no_example(rule, kind)
    markdown, config = example_parts(examples[0])
    text = (_config_block(config) if config else "") + _block(markdown)
    if kind == "fail":
        for f in example_findings(rule, examples[0], rules)[:1]:
            text += (f"\nspeclint reports:\n\n```text\n{EXAMPLE_NAME}:{f.line}:{f.column}: "
                     f"{f.severity} {f.code} {f.rule}: {f.message}\n```\n")
    return text


def explain(rule: Rule, rules: list[Rule], level: int = 1) -> str:
    """The documentation of one rule, as Markdown with headings from ``level``."""
    h1, h2 = "#" * level, "#" * (level + 1)
    prose = _escape_links if level > 1 else str
    fix = re.sub(r"\{\w+\}", "…", rule.message)
    out = [
        f"{h1} {rule_heading(rule.code, rule.name)}\n",
        f"- Element: {rule.element or 'none (document-wide)'}",
        f"- Severity: {_severity_line(rule)}",
        f"- Profiles: {_profiles_line(rule)}",
        f"- Check type: {rule.type}\n",
        f"{h2} What it checks\n",
        prose(rule.summary) + "\n",
        f"{h2} Why it matters\n",
        prose(rule.description or rule.summary) + "\n",
        f"{h2} Example that fails\n",
        _example(rule, "fail", rules),
        f"{h2} Example that passes\n",
        _example(rule, "pass", rules),
        f"{h2} How to fix\n",
        fix + "\n" + (f"\nFor example: {rule.hint.removeprefix('e.g. ')}\n" if rule.hint else ""),
        f"{h2} How to suppress\n",
        _suppress_text(rule),
    ]
    return "\n".join(out)


def _escape_links(text: str) -> str:
    """Show link syntax quoted in a rule's text ('[x](#anchor)') as code, not as a link."""
    return re.sub(r"(?<!`)\[[^\]\n]*\]\([^)\n]*\)", lambda m: f"`{m.group()}`", text)


def _suppress_text(rule: Rule) -> str:
    if rule.type == "file-problem":
        return ("It cannot be turned off: a file speclint could not lint is always reported. "
                "Fix the file, or leave it out in configuration:\n\n"
                "```yaml\nexclude:\n  - path/to/file.md\n```\n")
    return ("For the next line, in the spec:\n\n"
            f"```markdown\n<!-- speclint-disable-next-line {rule.name} -- reason -->\n```\n\n"
            "For the whole file, anywhere in it:\n\n"
            f"```markdown\n<!-- speclint-disable-file {rule.name} -- reason -->\n```\n\n"
            "For every spec, in .speclint.yaml (or `[tool.speclint.rules]` in pyproject.toml):"
            f"\n\n```yaml\nrules:\n  {rule.name}: off\n```\n")


def rules_reference(rules: list[Rule] | None = None) -> str:
    """docs/rules.md: an index of rules and profiles, then every rule in the explain shape."""
    rules = sorted(builtin_rules() if rules is None else rules, key=lambda r: r.code)
    out = ["# Rule reference\n",
           "<!-- Generated from rules/ by scripts/gen_rules_doc.py: do not edit by hand. -->\n",
           "Every rule speclint ships, generated from the YAML files in `rules/`. "
           "`speclint explain RULE` prints the same text for one rule; `speclint rules` lists "
           "them. Configuration and suppression are described in "
           "[configuration.md](configuration.md).\n",
           "## Profiles\n",
           "| Profile | Required elements | Summary |", "|---|---|---|"]
    for name in profile_names():
        profile = load_profile(name)
        elements = ", ".join(f"`{e}`" for e in profile.elements) or "none"
        out.append(f"| `{name}` | {elements} | {profile.summary} |")
    out += ["", "## Rules\n", "| Code | Name | Element | Severity | Summary |",
            "|---|---|---|---|---|"]
    for rule in rules:
        anchor = github_slug(rule_heading(rule.code, rule.name))
        summary = _escape_links(rule.summary).replace("|", "\\|")
        out.append(f"| [{rule.code}](#{anchor}) | `{rule.name}` | {rule.element or '-'} | "
                   f"{rule.severity} | {summary} |")
    out.append("")
    out += [explain(rule, rules, level=3) for rule in rules]
    return "\n".join(out).rstrip("\n") + "\n"


# -- speclint new / init ------------------------------------------------------------------

def title_from(path: Path) -> str:
    words = " ".join(re.split(r"[-_\s]+", path.stem)).strip()
    return (words[:1].upper() + words[1:]) if words else "New spec"


def render_template(profile: str, title: str) -> str:
    """The Markdown template of ``profile`` with its title filled in."""
    load_profile(profile)
    template = rules_dir() / "templates" / f"{profile}.md"
    if not template.is_file():
        raise UsageError(f"profile '{profile}' has no template in {template.parent}")
    text = template.read_text(encoding="utf-8")
    text = text.replace('"{{title}}"', json.dumps(title, ensure_ascii=False), 1)
    return text.replace("{{title}}", title)


def write_template(path: Path, profile: str, force: bool = False) -> None:
    """``speclint new``: a spec template that passes ``profile``; never clobbers silently."""
    write_new_file(path, render_template(profile, title_from(path)), force)


def write_config(path: Path, force: bool = False) -> None:
    """``speclint init``: a commented starter configuration."""
    from speclint.config import CONFIG_NAMES, _has_tool_section

    if not force:
        others = [path.parent / n for n in CONFIG_NAMES if n != path.name]
        others += [p for p in [path.parent / "pyproject.toml"] if p.is_file()
                   and _has_tool_section(p)]
        for other in others:
            if other.is_file():
                raise UsageError(f"{other} already configures speclint; use --force to write "
                                 f"{path} anyway (it takes precedence)")
    text = (rules_dir() / "templates" / "speclint.yaml").read_text(encoding="utf-8")
    write_new_file(path, text, force)


def write_new_file(path: Path, text: str, force: bool) -> None:
    """Write through a temporary file and a rename; refuse an existing file unless ``force``."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder")
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, _mode(path))
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _link_new(tmp: str, path: Path) -> None:
    """Rename ``tmp`` to ``path`` only if ``path`` does not exist (no race with another writer)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(f"{path} already exists; use --force to overwrite it") from None
    except OSError:  # no hard links on this file system: check, then rename
        if path.exists():
            raise UsageError(f"{path} already exists; use --force to overwrite it") from None
        os.replace(tmp, path)


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
