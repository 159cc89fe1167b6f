"""Every built-in rule's own examples (SPEC 6): a fail example produces a finding of that rule,
a pass example does not. Each example is linted under the default profile with every rule on,
and the rule's code is looked for among the findings."""

from __future__ import annotations

import pytest

from speclint.authoring import example_findings
from speclint.ruleset import builtin_rules

RULES = sorted(builtin_rules(), key=lambda r: r.code)

# Examples that fail because of a detector bug, not because the example is wrong
# (strict xfail: the marker must go when the bug is fixed).
DETECTOR_BUGS: dict[tuple[str, str, int], str] = {}


def _cases() -> list[object]:
    cases = []
    for rule in RULES:
        for kind in ("fail", "pass"):
            for number, text in enumerate(rule.examples.get(kind, []), 1):
                bug = DETECTOR_BUGS.get((rule.code, kind, number))
                marks = [pytest.mark.xfail(reason=bug, strict=True)] if bug else []
                cases.append(pytest.param(rule, kind, text, marks=marks,
                                          id=f"{rule.code}-{rule.name}-{kind}-{number}"))
    return cases


@pytest.mark.parametrize(("rule", "kind", "text"), _cases())
def test_rule_example(rule, kind: str, text: str) -> None:
    found = example_findings(rule, text, list(builtin_rules()))
    if kind == "fail":
        assert found, f"{rule.code} {rule.name} did not fire on its fail example"
    else:
        assert not found, f"{rule.code} {rule.name} fired on its pass example: {found}"


# unreadable, too large and internal errors cannot be shown as Markdown (and not-utf8 not as
# text, which is always UTF-8): `speclint explain` says why, and how to see them
NO_MARKDOWN_EXAMPLE = {"SL001", "SL002", "SL003", "SL006", "SL007", "SL009"}


def test_every_markdown_rule_has_fail_and_pass_examples() -> None:
    missing = [r.code for r in RULES if r.code not in NO_MARKDOWN_EXAMPLE
               and not (r.examples.get("fail") and r.examples.get("pass"))]
    assert missing == []
    assert all(not RULE[code].examples for code in NO_MARKDOWN_EXAMPLE)
    # and those say why, in the rule file (speclint explain shows it)
    assert {r.code for r in RULES if r.no_example.get("why")} == NO_MARKDOWN_EXAMPLE


RULE = {r.code: r for r in RULES}


def test_an_example_can_carry_the_configuration_it_needs() -> None:
    """SL022 only fires with require_suppression_reason: its examples switch it on, and the
    fail example is a fail only because of that."""
    from speclint.authoring import example_parts

    rule = RULE["SL022"]
    example = rule.examples["fail"][0]
    text, config = example_parts(example)
    assert config == {"require_suppression_reason": True}
    assert example_findings(rule, example, list(builtin_rules()))
    assert not example_findings(rule, text, list(builtin_rules()))
