"""Inline suppression comments (SPEC 7), applied after the rules ran.

    <!-- speclint-disable RULE ... -- reason -->        until speclint-enable or end of file
    <!-- speclint-enable RULE ... -->
    <!-- speclint-disable-next-line RULE ... -- reason -->
    <!-- speclint-disable-file RULE ... -- reason -->   whole file, wherever it stands

RULE is a code, a rule name or an element id; several are separated by spaces or commas; none
means every rule. Directives are read only from HTML comments outside code blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from speclint.models import Finding

ALL = "*"  # the selector of a directive that names no rule
_DIRECTIVE = re.compile(
    r"<!--\s*speclint-(disable-next-line|disable-file|disable|enable)(?![\w-])(.*?)-->", re.S)
_WHOLE_COMMENT = re.compile(r"\s*<!--.*-->\s*")


@dataclass
class Directive:
    """One suppression comment; ``used`` collects the selectors that hid a finding."""

    kind: str
    line: int
    selectors: list[str]
    reason: str | None
    end_line: int = 0
    used: set[str] = field(default_factory=set)


def parse_directives(comments: list[tuple[int, int, str]]) -> list[Directive]:
    """Directives from (start line, end line, text) of HTML comments, in file order."""
    directives = []
    for start, _end, text in sorted(set(comments)):
        for match in _DIRECTIVE.finditer(text):
            body, dashes, reason = match.group(2).partition("--")
            line = start + text.count("\n", 0, match.start())
            end_line = start + text.count("\n", 0, match.end())
            selectors = [s for s in re.split(r"[\s,]+", body) if s]
            directives.append(Directive(match.group(1), line, selectors,
                                        (reason.strip() or None) if dashes else None,
                                        end_line))
    return directives


@dataclass
class Outcome:
    kept: list[Finding]
    suppressed: int
    problems: list[tuple[str, Directive, str]]  # (problem, directive, selector)


def _covers(selector: str, finding: Finding) -> bool:
    return selector == ALL or selector in (finding.code, finding.rule, finding.element)


def target_line(lines: list[str], line: int) -> int:
    """The line a disable-next-line ending on ``line`` applies to: the next line that is not blank
    and not only a comment (so stacked directives all reach the same line)."""
    index = line  # 0-based index of the line after ``line``
    while index < len(lines) and (not lines[index].strip()
                                  or _WHOLE_COMMENT.fullmatch(lines[index])):
        index += 1
    return index + 1


def apply(findings: list[Finding], directives: list[Directive], lines: list[str],
          known: set[str]) -> Outcome:
    """Drop suppressed findings; report unknown, unused and reason-less directives."""
    kept, suppressed = [], 0
    targets = {id(d): target_line(lines, d.end_line or d.line) for d in directives
               if d.kind == "disable-next-line"}
    for finding in findings:
        directive, selector = _suppressor(finding, directives, targets)
        if directive is None:
            kept.append(finding)
        else:
            suppressed += 1
            directive.used.add(selector)
    problems: list[tuple[str, Directive, str]] = []
    for directive in directives:
        for selector in directive.selectors:
            if selector not in known:
                problems.append(("unknown", directive, selector))
        if directive.kind == "enable":
            continue
        for selector in directive.selectors or [ALL]:
            if (selector in known or selector == ALL) and selector not in directive.used:
                problems.append(("unused", directive, selector))
        if directive.reason is None:
            problems.append(("no-reason", directive, " ".join(directive.selectors) or ALL))
    return Outcome(kept, suppressed, problems)


def _suppressor(finding: Finding, directives: list[Directive],
                targets: dict[int, int]) -> tuple[Directive | None, str]:
    """The directive (and its selector) that hides ``finding``, or (None, '')."""
    active: tuple[Directive | None, str] = (None, "")
    for directive in directives:
        matching = [s for s in directive.selectors or [ALL] if _covers(s, finding)]
        if not matching:
            continue
        if directive.kind == "disable-file":
            return directive, matching[0]
        if directive.kind == "disable-next-line":
            if targets[id(directive)] == finding.line:
                return directive, matching[0]
        elif directive.line < finding.line:
            active = (directive, matching[0]) if directive.kind == "disable" else (None, "")
    return active
