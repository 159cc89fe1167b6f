"""Inline suppression comments (SPEC 7): ranges, next line, whole file, problems, counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from speclint.cli import main
from speclint.models import Finding
from speclint.suppress import Directive, apply, parse_directives, target_line


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLINT_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)


def run(text: str, *args: str, fmt: str = "json") -> tuple[int, str]:
    Path("spec.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", fmt, *args, "spec.md"])
    return result.exit_code, result.stdout


def lint(text: str, *args: str) -> tuple[int, list[tuple[int, str]], int]:
    """(exit status, [(line, code)], suppressed count) under the minimal profile unless
    ``args`` say otherwise."""
    status, out = run(text, "--profile", "minimal", *args)
    report = json.loads(out)
    found = [(f["line"], f["code"]) for f in report["files"][0]["findings"]]
    return status, found, report["summary"]["suppressed"]


# Three impossible HTTP statuses (SL152), one per line 5, 7, 8.
ERRORS = """\
# Refunds

## Errors

- 700 `too_large`: the amount is too large.
<!-- speclint-disable-next-line error-codes -- legacy code kept for old clients -->
- 800 `other`: any other failure.
- 900 `gone`: the refund is gone.
"""


def test_disable_next_line_silences_exactly_the_next_line_and_is_counted() -> None:
    status, found, suppressed = lint(ERRORS, "--profile", "technical", "--select",
                                     "error-codes,unused-suppression,unknown-suppression")
    assert found == [(5, "SL152"), (8, "SL152")]
    assert suppressed == 1
    assert status == 1


def test_without_the_comment_all_three_are_reported() -> None:
    text = ERRORS.replace("<!-- speclint-disable-next-line error-codes -- legacy code kept "
                          "for old clients -->\n", "")
    _, found, suppressed = lint(text, "--profile", "technical", "--select", "SL152")
    assert found == [(5, "SL152"), (6, "SL152"), (7, "SL152")]
    assert suppressed == 0


@pytest.mark.parametrize("selector", ["SL152", "invalid-http-status", "error-codes",
                                      "SL010,SL152", "SL010 SL152"])
def test_a_code_a_name_or_an_element_id(selector: str) -> None:
    text = ERRORS.replace("error-codes -- legacy", f"{selector} -- legacy")
    _, found, suppressed = lint(text, "--profile", "technical", "--select", "SL152")
    assert (found, suppressed) == ([(5, "SL152"), (8, "SL152")], 1)


def test_unknown_rule_in_a_suppression_is_reported() -> None:
    text = "# Spec\n\n<!-- speclint-disable-next-line no-such-rule -- typo -->\nAll decided.\n"
    status, found, _ = lint(text)
    assert found == [(3, "SL020")]
    assert status == 0  # a warning
    _, out = run(text, "--profile", "minimal", fmt="text")
    assert ("spec.md:3:1: warning SL020 unknown-suppression: Suppression names unknown rule "
            "'no-such-rule'") in out


def test_unknown_and_known_selectors_together() -> None:
    text = "# Spec\n\n<!-- speclint-disable-next-line SL010 nope -- mixed -->\nOwner: TBD.\n"
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(3, "SL020")], 1)


def test_a_suppression_that_suppresses_nothing_is_reported() -> None:
    text = "# Spec\n\n<!-- speclint-disable-next-line placeholder-text -- old -->\nDecided.\n"
    _, found, _ = lint(text)
    assert found == [(3, "SL021")]


def test_suppression_problems_stop_at_max_findings_per_rule() -> None:
    """Four unknown selectors with a cap of 2: two SL020, then one SL008 where the third
    would be (with SL020's severity), and nothing for the fourth."""
    text = "# Spec\n\n" + "".join(
        f"<!-- speclint-disable-next-line nope{i} -- typo -->\nLine {i}.\n\n" for i in range(4))
    _, found, _ = lint(text, "--config", _config("max_findings_per_rule: 2"))
    assert found == [(3, "SL020"), (6, "SL020"), (9, "SL008")]
    _, out = run(text, "--profile", "minimal", "--config", "ci.yaml", fmt="text")
    assert ("spec.md:9:1: warning SL008 findings-truncated: SL020 unknown-suppression found "
            "more than 2 problems") in out


def test_a_truncated_suppression_rule_keeps_its_severity() -> None:
    """Four reason-less directives that hide nothing, reasons required, cap 2: SL021 (a
    warning) and SL022 (an error) each stop after two, and each SL008 at the third directive
    takes its rule's severity, so the error one still fails the gate."""
    text = "# Spec\n\n" + "".join(
        f"<!-- speclint-disable-next-line SL010 -->\nLine {i}.\n\n" for i in range(4))
    status, found, _ = lint(text, "--config", _config(
        "max_findings_per_rule: 2\nrequire_suppression_reason: true"))
    assert status == 1
    assert sorted(found) == [(3, "SL021"), (3, "SL022"), (6, "SL021"), (6, "SL022"),
                             (9, "SL008"), (9, "SL008")]
    _, out = run(text, "--profile", "minimal", "--config", "ci.yaml", fmt="text")
    assert "spec.md:9:1: warning SL008 findings-truncated: SL021 unused-suppression" in out
    assert "spec.md:9:1: error SL008 findings-truncated: SL022 suppression-without-reason" in out


def test_a_suppression_past_a_truncated_rule_is_not_called_unused() -> None:
    """With a cap of 2, the third placeholder is never looked for: its directive may be
    needed, so it is not reported as unused; a directive for an untruncated rule still is."""
    text = ("# Spec\n\n" + "".join(
        f"<!-- speclint-disable-next-line placeholder-text -- known -->\nOwner {i}: TBD.\n\n"
        for i in range(3))
        + "<!-- speclint-disable-next-line SL016 -- old -->\nDecided.\n")
    _, found, suppressed = lint(text, "--config", _config("max_findings_per_rule: 2"))
    assert (found, suppressed) == ([(10, "SL008"), (12, "SL021")], 2)  # at the 3rd TBD
    _, found, suppressed = lint(text)  # no cap reached: every directive is used but SL016's
    assert (found, suppressed) == ([(12, "SL021")], 3)


def test_disable_enable_range() -> None:
    text = ("# Spec\n\nOwner: TBD.\n\n<!-- speclint-disable placeholder-text -->\n"
            "Owner: TBD.\n\nDate: TBD.\n<!-- speclint-enable placeholder-text -->\n\n"
            "Budget: TBD.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(3, "SL010"), (11, "SL010")], 2)


def test_disable_without_rules_until_end_of_file_and_enable_without_rules() -> None:
    text = ("# Spec\n\n<!-- speclint-disable -->\nOwner: TBD.\n\nSee [x](#nowhere).\n"
            "<!-- speclint-enable -->\n\nOwner: TBD.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(9, "SL010")], 2)


def test_enable_one_rule_keeps_the_others_disabled() -> None:
    text = ("# Spec\n\n<!-- speclint-disable SL010, SL016 -- both -->\nTBD\n"
            "<!-- speclint-enable SL010 -->\n\nTBD, see [x](#nowhere).\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(7, "SL010")], 2)


def test_disable_file_applies_wherever_it_stands() -> None:
    text = ("# Spec\n\nOwner: TBD.\n\nDate: TBD.\n\n## End\n\n"
            "<!-- speclint-disable-file placeholder-text -- drafts of the owner section -->\n"
            "Done.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([], 2)


def test_next_line_skips_blank_lines_and_stacked_directives() -> None:
    text = ("# Spec\n\n<!-- speclint-disable-next-line SL010 -- a -->\n"
            "<!-- speclint-disable-next-line SL016 -- b -->\n\nTBD, see [x](#nowhere).\n"
            "TBD again.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(7, "SL010")], 2)


def test_multi_line_directive_applies_after_its_last_line() -> None:
    text = ("# Spec\n\n<!-- speclint-disable-next-line SL010\n"
            "     -- the reason goes on\n     over three lines -->\nOwner: TBD.\n")
    _, found, suppressed = lint(text, "--config", _config("require_suppression_reason: true"))
    assert (found, suppressed) == ([], 1)


def _config(text: str) -> str:
    Path("ci.yaml").write_text(text + "\n", encoding="utf-8")
    return "ci.yaml"


def test_require_suppression_reason() -> None:
    text = ("# Spec\n\n<!-- speclint-disable-next-line SL010 -->\nOwner: TBD.\n\n"
            "<!-- speclint-disable-next-line SL010 -- owner named next sprint -->\nDate: TBD.\n")
    status, found, suppressed = lint(text)
    assert (status, found, suppressed) == (0, [], 2)
    status, found, suppressed = lint(text, "--config", _config("require_suppression_reason: true"))
    assert (status, found, suppressed) == (1, [(3, "SL022")], 2)
    _, out = run(text, "--profile", "minimal", "--config", "ci.yaml", fmt="text")
    assert "spec.md:3:1: error SL022 suppression-without-reason: Suppression has no reason" in out


def test_enable_needs_no_reason() -> None:
    text = ("# Spec\n\n<!-- speclint-disable SL010 -- range -->\nTBD\n"
            "<!-- speclint-enable SL010 -->\n")
    _, found, _ = lint(text, "--config", _config("require_suppression_reason: true"))
    assert found == []


def test_suppression_comments_never_count_as_content() -> None:
    text = ("# Spec\n\nOwner: TBD.\n\n## Notes\n\n"
            "<!-- speclint-disable-file placeholder-text -- tracked in JIRA-12 -->\n\n"
            "## End\n\nDone.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(5, "SL011")], 1)


def test_directives_in_code_blocks_are_not_directives() -> None:
    text = ("# Spec\n\n```markdown\n<!-- speclint-disable-file nope -->\n"
            "<!-- speclint-disable-file SL010 -- x -->\n```\n\nOwner: TBD.\n")
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(8, "SL010")], 0)


def test_plain_comments_are_not_directives() -> None:
    text = "# Spec\n\n<!-- speclint-disabled SL010 -->\n<!-- see speclint-disable -->\nTBD.\n"
    _, found, suppressed = lint(text)
    assert (found, suppressed) == ([(5, "SL010")], 0)


def test_suppressed_count_survives_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPECLINT_NO_CACHE")
    text = "# Spec\n\n<!-- speclint-disable-next-line SL010 -- later -->\nOwner: TBD.\n"
    first = lint(text)
    assert Path(".speclint_cache").is_dir()
    assert lint(text) == first == (0, [], 1)


# -- the summary counts suppressed findings in every format -------------------------------

COUNTED = ("# Spec\n\n<!-- speclint-disable-next-line SL010 -- a -->\nOwner: TBD.\n\n"
           "<!-- speclint-disable-next-line SL010 -- b -->\nDate: TBD.\n\nBudget: TBD.\n")


def test_text_summary_counts_suppressed() -> None:
    _, out = run(COUNTED, "--profile", "minimal", fmt="text")
    assert out.splitlines()[-1] == "1 file checked: 0 errors, 1 warning, 0 infos (2 suppressed)."


def test_json_summary_counts_suppressed() -> None:
    _, out = run(COUNTED, "--profile", "minimal")
    assert json.loads(out)["summary"] == {"files": 1, "errors": 0, "warnings": 1, "infos": 0,
                                          "suppressed": 2}


def test_sarif_counts_suppressed() -> None:
    _, out = run(COUNTED, "--profile", "minimal", fmt="sarif")
    assert json.loads(out)["runs"][0]["properties"]["suppressed"] == 2


def test_junit_counts_suppressed() -> None:
    _, out = run(COUNTED, "--profile", "minimal", fmt="junit")
    assert re.search(r'<property name="suppressed" value="2"\s*/>', out)


def test_github_counts_suppressed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    _, out = run(COUNTED, "--profile", "minimal", fmt="github")
    assert "2 suppressed" in out


# -- the suppress module on its own -------------------------------------------------------

def _finding(line: int, code: str = "SL010", rule: str = "placeholder-text",
             element: str | None = None) -> Finding:
    return Finding(line, 1, code, rule, element, "warning", "m", line, 2)


def test_parse_directives() -> None:
    found = parse_directives([
        (3, 3, "<!-- speclint-disable-next-line SL010,rate-limits -- tracked in X-1 -->"),
        (5, 6, "<!--\n speclint-disable-file -->"),
        (9, 9, "<!-- speclint-enable SL010 -->"),
        (10, 10, "<!-- speclint-disable SL010 -- -->"),
    ])
    assert [(d.kind, d.line, d.selectors, d.reason, d.end_line) for d in found] == [
        ("disable-next-line", 3, ["SL010", "rate-limits"], "tracked in X-1", 3),
        ("disable-file", 5, [], None, 6),
        ("enable", 9, ["SL010"], None, 9),
        ("disable", 10, ["SL010"], None, 10),
    ]


def test_target_line() -> None:
    lines = ["# T", "<!-- a -->", "", "<!-- b -->", "text", ""]
    assert target_line(lines, 2) == 5
    assert target_line(lines, 5) == 7  # past the end: matches nothing


def test_apply_reports_problems_per_selector() -> None:
    directive = Directive("disable-next-line", 2, ["SL010", "SL016", "bogus"], None, 2)
    outcome = apply([_finding(3), _finding(4)], [directive], ["# T", "<!-- -->", "x", "y"],
                    {"SL010", "SL016"})
    assert [f.line for f in outcome.kept] == [4]
    assert outcome.suppressed == 1
    assert [(p, s) for p, _, s in outcome.problems] == [
        ("unknown", "bogus"), ("unused", "SL016"), ("no-reason", "SL010 SL016 bogus")]
