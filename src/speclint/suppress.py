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
from bisect import bisect_left
from dataclasses import dataclass, field

from speclint.models import Finding

ALL = "*"  # the selector of a directive that names no rule
_DIRECTIVE = re.compile(
    r"<!--\s*speclint-(disable-next-line|disable-file|disable|enable)(?![\w-])(.*?)-->", re.S)
_WHOLE_COMMENT = re.compile(r"\s*<!--.*-->\s*")
_SELECTOR_SEPARATORS = re.compile(r"[\s,]+")


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
        if "speclint-" not in text:
            continue  # a plain comment: no need to run the pattern
        for match in _DIRECTIVE.finditer(text):
            body, dashes, reason = match.group(2).partition("--")
            line = start + text.count("\n", 0, match.start())
            end_line = start + text.count("\n", 0, match.end())
            selectors = [s for s in _SELECTOR_SEPARATORS.split(body) if s]
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


def target_line(lines: list[str], line: int, memo: dict[int, int] | None = None) -> int:
    """The line a disable-next-line ending on ``line`` applies to: the next line that is not blank
    and not only a comment (so stacked directives all reach the same line).

    ``memo`` shares the scan between directives, so stacked directives cost linear time.
    """
    memo = {} if memo is None else memo
    index = line  # 0-based index of the line after ``line``
    passed = []
    while (index < len(lines) and index not in memo
           and (not lines[index].strip() or _WHOLE_COMMENT.fullmatch(lines[index]))):
        passed.append(index)
        index += 1
    target = memo.get(index, index + 1)
    for skipped in passed:
        memo[skipped] = target
    return target


class _Index:
    """Directives indexed by selector and line, so each finding is looked up in log time."""

    def __init__(self, directives: list[Directive], lines: list[str]) -> None:
        self.order = {id(d): n for n, d in enumerate(directives)}
        self.whole_file: dict[str, list[Directive]] = {}
        self.next_line: dict[int, list[Directive]] = {}
        self.ranges: dict[str, tuple[list[int], list[Directive]]] = {}
        memo: dict[int, int] = {}
        for directive in directives:
            selectors = directive.selectors or [ALL]
            if directive.kind == "disable-next-line":
                target = target_line(lines, directive.end_line or directive.line, memo)
                self.next_line.setdefault(target, []).append(directive)
            for selector in dict.fromkeys(selectors):
                if directive.kind == "disable-file":
                    self.whole_file.setdefault(selector, []).append(directive)
                elif directive.kind in ("disable", "enable"):
                    starts, found = self.ranges.setdefault(selector, ([], []))
                    starts.append(directive.line)
                    found.append(directive)

    def suppressor(self, finding: Finding) -> tuple[Directive | None, str]:
        """The directive (and its selector) that hides ``finding``, or (None, '').

        A disable-file or a disable-next-line aimed at the finding's line wins (the first in
        file order); otherwise the last disable/enable before the line that names the finding
        decides.
        """
        keys = dict.fromkeys((ALL, finding.code, finding.rule, finding.element))
        direct = [d for key in keys for d in self.whole_file.get(key, [])[:1]]
        direct += [d for d in self.next_line.get(finding.line, [])
                   if any(_covers(s, finding) for s in d.selectors or [ALL])]
        if direct:
            return _with_selector(min(direct, key=lambda d: self.order[id(d)]), finding)
        latest: Directive | None = None
        for key in keys:
            starts, found = self.ranges.get(key, ([], []))
            index = bisect_left(starts, finding.line) - 1
            if index >= 0 and (latest is None
                               or self.order[id(found[index])] > self.order[id(latest)]):
                latest = found[index]
        if latest is None or latest.kind != "disable":
            return None, ""
        return _with_selector(latest, finding)


def _with_selector(directive: Directive, finding: Finding) -> tuple[Directive, str]:
    return directive, next(s for s in directive.selectors or [ALL] if _covers(s, finding))


def apply(findings: list[Finding], directives: list[Directive], lines: list[str],
          known: set[str], unjudged: frozenset[str] | set[str] = frozenset()) -> Outcome:
    """Drop suppressed findings; report unknown, unused and reason-less directives.

    A selector in ``unjudged`` is never reported unused (the findings it may be for were not
    all looked for: its rule stopped at max_findings_per_rule)."""
    kept, suppressed = [], 0
    index = _Index(directives, lines)
    for finding in findings:
        directive, selector = index.suppressor(finding)
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
            if (selector in known or selector == ALL) and selector not in directive.used \
                    and selector not in unjudged:
                problems.append(("unused", directive, selector))
        if directive.reason is None:
            problems.append(("no-reason", directive, " ".join(directive.selectors) or ALL))
    return Outcome(kept, suppressed, problems)
