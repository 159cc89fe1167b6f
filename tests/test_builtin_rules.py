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


def test_schema_blocks_over_the_size_limit_are_not_checked_against_the_meta_schema() -> None:
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    rules = load_rules()
    limit = next(r for r in rules if r.code == "SL014").params["max_schema_chars"]
    head = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "banana",\n'
    small = head + '"description": "x"}'
    large = head + '"description": "' + "x" * limit + '"}'

    def sl014(schema: str) -> list[str]:
        text = f"# Model\n\n```json\n{schema}\n```\n".encode()
        result = lint_bytes("m.md", text, Settings(rules=rules), Path("m.md"))
        return [f.code for f in result.findings if f.code == "SL014"]

    assert sl014(small) == ["SL014"]
    assert sl014(large) == []  # still parsed as JSON (SL012), not meta-validated


def test_a_file_has_its_schema_blocks_checked_up_to_a_total_size() -> None:
    """Meta-validation costs about 7 s per MB: past max_schema_chars_per_file characters of
    schemas in one file, later schema blocks are not checked (other JSON blocks do not count),
    so many big schemas cannot make one file take minutes."""
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    rules = load_rules()
    budget = next(r for r in rules if r.code == "SL014").params["max_schema_chars_per_file"]
    pad = "x" * (budget // 2 - 200)
    bad = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "banana",\n'
           f'"description": "{pad}"}}')
    payload = '{"id": "' + "y" * budget + '"}'  # not a schema: costs nothing, counts nothing

    def sl014_lines(*blocks: str) -> list[int]:
        text = "# Model\n\n" + "".join(f"```json\n{b}\n```\n\n" for b in blocks)
        result = lint_bytes("m.md", text.encode(), Settings(rules=rules), Path("m.md"))
        return [f.line for f in result.findings if f.code == "SL014"]

    assert sl014_lines(payload, bad, bad) == [8, 13]  # two halves fit (a bad one: 2 lines)
    assert sl014_lines(bad, bad, bad) == [4, 9]  # the third would go past the budget


def test_a_file_has_its_schema_blocks_checked_up_to_a_number_of_values() -> None:
    """Meta-validation costs up to about 200 us a value (a 198 KB ``allOf: [{}, {}, ...]``
    took 10.8 s): past max_schema_values_per_file values of schemas in one file, later schema
    blocks are not checked, however short. Values are counted by the commas, colons, brackets
    and braces before them (and in YAML by lines)."""
    from speclint.checks import _schema_values
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    rules = load_rules()
    budget = next(r for r in rules if r.code == "SL014").params["max_schema_values_per_file"]

    def bad(empties: int) -> str:
        return ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "banana",'
                ' "allOf": [' + ", ".join(["{}"] * empties) + "]}")

    # by hand: the outer {, the colons after $schema, https, type and allOf, the commas after
    # the URL and banana, the [ and the first {}'s {: 9; each further ", {}" adds 2
    assert _schema_values(bad(1), "json") == 9
    assert _schema_values(bad(3), "json") == 13
    assert _schema_values("a:\n  - b\n  - c\n", "yaml") == 1 + 3  # a colon, three lines
    half = bad(budget // 4 - 10)  # 7 + budget // 2 - 20 values: two fit, three do not

    def sl014_lines(*blocks: str) -> list[int]:
        text = "# Model\n\n" + "".join(f"```json\n{b}\n```\n\n" for b in blocks)
        result = lint_bytes("m.md", text.encode(), Settings(rules=rules), Path("m.md"))
        return [f.line for f in result.findings if f.code == "SL014"]

    assert sl014_lines(half, half) == [4, 8]  # two halves fit
    assert sl014_lines(half, half, half) == [4, 8]  # the third would go past the budget
    assert sl014_lines(bad(budget)) == []  # one block past it is never checked
    assert sl014_lines(bad(budget), bad(1)) == [8]  # and leaves the budget to the next


def test_a_schema_key_written_with_escapes_is_still_a_schema() -> None:
    """Blocks that cannot hold a "$schema" key are not parsed for SL014; a key spelled with
    escapes (no "schema" in the text) must still count."""
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    rules = load_rules()
    uri = "https://json-sch\\u0065ma.org/draft/2020-12/sch\\u0065ma"
    escaped = '{"\\u0024\\u0073\\u0063hema": "' + uri + '", "type": "banana"}'
    assert "schema" not in escaped
    for block in (f"```json\n{escaped}\n```", '```yaml\n"\\x24\\x73chema": x\ntype: banana\n```'):
        text = f"# Model\n\n{block}\n".encode()
        result = lint_bytes("m.md", text, Settings(rules=rules), Path("m.md"))
        assert [f.code for f in result.findings if f.code == "SL014"] == ["SL014"], block


def test_a_file_has_its_yaml_blocks_checked_up_to_a_total_size() -> None:
    """Parsing YAML costs 30-40 us a block: past max_yaml_chars_per_file characters of YAML
    in one file, later YAML blocks are not parsed (JSON blocks do not count)."""
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    rules = load_rules()
    budget = next(r for r in rules if r.code == "SL013").params["max_yaml_chars_per_file"]
    bad = f"pad: {'x' * (budget // 2 - 20)}\na: [\n"  # an unclosed "[": SL013 on its line
    payload = '```json\n{"id": "' + "y" * budget + '"}\n```\n\n'  # JSON: counts nothing

    def sl013_lines(*blocks: str) -> list[int]:
        text = "# Config\n\n" + "".join(b if b.startswith("```json") else f"```yaml\n{b}```\n\n"
                                        for b in blocks)
        result = lint_bytes("c.md", text.encode(), Settings(rules=rules), Path("c.md"))
        return [f.line for f in result.findings if f.code == "SL013"]

    # each YAML block: fence, pad, "a: [", fence, blank line; the payload takes lines 3-6
    assert sl013_lines(payload, bad, bad) == [9, 14]  # two halves fit
    assert sl013_lines(bad, bad, bad) == [5, 10]  # the third would go past the budget
