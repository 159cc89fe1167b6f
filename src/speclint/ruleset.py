"""Rules as data: load YAML rule files and profiles, validated against rules/schemas/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from speclint import bundle, schemas, yamlsafe
from speclint.errors import UsageError
from speclint.models import ELEMENTS
from speclint.vocab import rules_dir


@dataclass(frozen=True)
class Rule:
    """One rule: a check type plus its parameters, messages and examples."""

    code: str
    name: str
    type: str
    severity: str
    summary: str
    message: str
    element: str | None = None
    description: str = ""
    hint: str | None = None
    severity_by_status: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    except_reasons: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    no_example: dict[str, str] = field(default_factory=dict)  # why, reproduce, passes
    source: str = ""
    builtin: bool = False  # shipped with speclint (else from rule_paths)

    def __hash__(self) -> int:
        return hash(self.code)


@dataclass(frozen=True)
class Profile:
    name: str
    summary: str
    elements: tuple[str, ...]
    element_rules: bool
    severity: dict[str, str]


def _read_yaml(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read rule file: {exc}") from None
    try:
        return text, yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        raise UsageError(f"{path}:{exc.line or 1}: invalid YAML: {exc}") from None


def validate(path: Path, text: str, data: Any, schema: str) -> None:
    """Raise UsageError naming file, line and key for the first schema violation."""
    problems = schemas.errors(schema, data)
    if problems:
        key_path, message = problems[0]
        line = yamlsafe.key_line(text, key_path) or 1
        key = ".".join(str(p) for p in key_path) or "(top level)"
        raise UsageError(f"{path}:{line}: {key}: {message}")


def _rule(data: dict[str, Any], source: str, builtin: bool = False) -> Rule:
    return Rule(
        code=data["code"], name=data["name"], type=data["type"], severity=data["severity"],
        summary=data["summary"], message=data["message"], element=data.get("element"),
        description=data.get("description", ""), hint=data.get("hint"),
        severity_by_status=data.get("severity_by_status", {}),
        messages=data.get("messages", {}), except_reasons=tuple(data.get("except_reasons", [])),
        params=data.get("params", {}), examples=data.get("examples", {}),
        no_example=data.get("no_example", {}), source=source, builtin=builtin)


def load_rule_file(path: Path) -> list[Rule]:
    """A user's rule file: the built-in schema and check types (patterns included, see
    checks.check_rule_params), and no check type reserved for built-in rules."""
    text, data = _read_yaml(path)
    validate(path, text, data, "rule-file")
    rules = [_rule(item, str(path)) for item in data["rules"]]
    from speclint.checks import check_rule_params

    for index, rule in enumerate(rules):
        found = check_rule_params(rule)
        if found is None and rule.type in INTERNAL_TYPES:
            found = "type", f"check type '{rule.type}' is reserved for built-in rules"
        if found:
            key, problem = found
            line = yamlsafe.key_line(text, ["rules", index, key]) or 1
            raise UsageError(f"{path}:{line}: rules.{index}.{key}: {problem}")
    return rules


def rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """The built-in rules (read through speclint.bundle; validated by the tests)."""
    base = rules_dir()
    files = [base / "document.yaml", *rule_files(base / "elements")]
    return tuple(_rule(item, str(path), builtin=True) for path in files
                 for item in bundle.builtin_yaml(path.relative_to(base).as_posix())["rules"])


def load_rules(extra_paths: tuple[str, ...] = ()) -> list[Rule]:
    """Built-in rules plus the rule files found in ``extra_paths``; codes and names unique."""
    rules = list(builtin_rules())
    for file in custom_rule_files(extra_paths):
        rules.extend(load_rule_file(file))
    _check_unique(rules)
    return sorted(rules, key=lambda r: r.code)


def custom_rule_files(paths: tuple[str, ...]) -> list[Path]:
    """The YAML rule files named by ``rule_paths`` (files, or folders searched recursively)."""
    files: list[Path] = []
    for folder in paths:
        path = Path(folder)
        if not path.exists():
            raise UsageError(f"{folder}: rule path does not exist")
        files.extend([path] if path.is_file() else rule_files(path))
    return files


# Check types that only the built-in rules may use: they are fed by the pipeline itself.
INTERNAL_TYPES = ("file-problem", "suppression")


def _check_unique(rules: list[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.code, rule.name):
            if key in seen and seen[key] is not rule:
                line = _key_line(rule, key)
                raise UsageError(f"{rule.source}:{line}: rule {key} is already defined in "
                                 f"{seen[key].source}:{_key_line(seen[key], key)}")
            seen[key] = rule


def _key_line(rule: Rule, key: str) -> int:
    """Line of ``code: key`` (or ``name: key``) in the rule's file (only for error messages)."""
    try:
        text = Path(rule.source).read_text(encoding="utf-8")
        items = (yamlsafe.load(text) or {}).get("rules") or []
    except (OSError, UnicodeDecodeError, yamlsafe.YamlError, AttributeError):
        return 1
    for index, item in enumerate(items):
        if isinstance(item, dict) and key in (item.get("code"), item.get("name")):
            field = "code" if item.get("code") == key else "name"
            return yamlsafe.key_line(text, ["rules", index, field]) or 1
    return 1


@cache
def load_profile(name: str) -> Profile:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise UsageError(f"unknown profile '{name}'")
    path = rules_dir() / "profiles" / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(profile_names())
        raise UsageError(f"unknown profile '{name}' (known: {known})")
    data = bundle.builtin_yaml(f"profiles/{name}.yaml")
    known = {key for rule in builtin_rules() for key in (rule.code, rule.name)}
    for key in data.get("severity") or {}:
        if key not in known:
            line = yamlsafe.key_line(path.read_text(encoding="utf-8"), ["severity", key]) or 1
            raise UsageError(f"{path}:{line}: severity.{key}: unknown rule '{key}'")
    if data["name"] != name:
        raise UsageError(f"{path}:1: name: '{data['name']}' must match the file name '{name}'")
    return Profile(data["name"], data["summary"], tuple(data["elements"]),
                   bool(data.get("element_rules", True)), dict(data.get("severity") or {}))


def profile_names() -> list[str]:
    return sorted(p.stem for p in (rules_dir() / "profiles").glob("*.yaml"))


def resolve_selector(selector: str, rules: list[Rule]) -> list[Rule]:
    """A code, a rule name or an element id -> the rules it names (empty if unknown)."""
    if selector in ELEMENTS:
        return [r for r in rules if r.element == selector]
    return [r for r in rules if selector in (r.code, r.name)]
