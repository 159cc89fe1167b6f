"""Inline suppression comments (SPEC 7), applied after the rules ran."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from speclint.models import Finding

_DIRECTIVE = re.compile(
    r"<!--\s*speclint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->", re.S)


@dataclass
class Directive:
    kind: str
    line: int
    selectors: list[str]
    reason: str | None
    column: int = 1
    used: set[str] = field(default_factory=set)


def parse_directives(comments: list[tuple[int, int, str]]) -> list[Directive]:
    directives = []
    for start, _end, text in comments:
        for match in _DIRECTIVE.finditer(text):
            body, _, reason = match.group(2).partition("--")
            line = start + text.count("\n", 0, match.start())
            directives.append(Directive(match.group(1), line, body.split(),
                                        reason.strip() or None))
    return directives


@dataclass
class Outcome:
    kept: list[Finding]
    suppressed: int
    problems: list[tuple[str, Directive, str]]  # (problem, directive, selector)


def _covers(selector: str, finding: Finding) -> bool:
    return selector in (finding.code, finding.rule, finding.element)


def _next_content_line(lines: list[str], line: int) -> int:
    index = line  # 0-based index of the line after ``line``
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index + 1


def apply(findings: list[Finding], directives: list[Directive], lines: list[str],
          known: set[str]) -> Outcome:
    """Drop suppressed findings; report unknown and unused selectors."""
    problems: list[tuple[str, Directive, str]] = []
    for directive in directives:
        for selector in directive.selectors:
            if selector not in known:
                problems.append(("unknown", directive, selector))
    kept, suppressed = [], 0
    for finding in findings:
        directive, selector = _suppressor(finding, directives, lines)
        if directive is None:
            kept.append(finding)
        else:
            suppressed += 1
            directive.used.add(selector)
    for directive in directives:
        if directive.kind == "enable":
            continue
        for selector in directive.selectors or ["*"]:
            if selector in known or selector == "*":
                if selector not in directive.used:
                    problems.append(("unused", directive, selector))
        if directive.reason is None:
            problems.append(("no-reason", directive, " ".join(directive.selectors)))
    return Outcome(kept, suppressed, problems)


def _suppressor(finding: Finding, directives: list[Directive],
                lines: list[str]) -> tuple[Directive | None, str]:
    active: dict[str, Directive] = {}
    for directive in directives:
        selectors = directive.selectors or ["*"]
        matching = [s for s in selectors if s == "*" or _covers(s, finding)]
        if not matching:
            continue
        if directive.kind == "disable-file":
            return directive, matching[0]
        if directive.kind == "disable-next-line":
            if _next_content_line(lines, directive.line) == finding.line:
                return directive, matching[0]
        elif directive.line < finding.line:
            for selector in matching:
                if directive.kind == "disable":
                    active[selector] = directive
                else:
                    active.pop(selector, None)
    if active:
        selector, directive = next(iter(active.items()))
        return directive, selector
    return None, ""
