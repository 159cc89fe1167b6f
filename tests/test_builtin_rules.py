"""Built-in rule files and profiles are trusted at run time (no schema import on start-up),
so this test is what validates them against rules/schemas/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema.validators import validator_for

from speclint.vocab import rules_dir

RULES = rules_dir()


def _validator(name: str):
    schema = json.loads((RULES / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("path", [RULES / "document.yaml",
                                  *sorted((RULES / "elements").glob("*.yaml"))],
                         ids=lambda p: p.name)
def test_rule_file_is_valid(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert list(_validator("rule-file").iter_errors(data)) == []


@pytest.mark.parametrize("path", sorted((RULES / "profiles").glob("*.yaml")), ids=lambda p: p.name)
def test_profile_is_valid(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert list(_validator("profile").iter_errors(data)) == []
    assert data["name"] == path.stem


def test_codes_and_names_are_unique() -> None:
    from speclint.ruleset import builtin_rules

    rules = builtin_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
