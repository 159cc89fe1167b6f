"""compatibility: an explicit guarantee; deprecations with a notice period (SPEC 3.2)."""

from __future__ import annotations

import re

from speclint.detect.base import (
    AFTER_WINDOW,
    Context,
    Detection,
    Issue,
    decide,
    evidence,
    not_applicable,
)
from speclint.models import Evidence
from speclint.vocab import ElementVocab


def detect_compat(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["compatibility"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "compatibility", sections)
    if na:
        return na
    present: list[Evidence] = []
    issues: list[Issue] = []
    guarantees, deprecations = ev.union("guarantee"), ev.p("deprecation")
    for unit in ctx.units_where(guarantees, deprecations, ev.p("guarantee_idioms")):
        if unit.kind == "heading":
            continue
        text = unit.text
        deprecation = deprecations.search(text)
        notice = ev.p("notice_period").search(text) if deprecation else None
        if guarantees.search(text) or notice or ev.p("guarantee_idioms").search(text):
            kind = "compatibility-guarantee" if notice is None else "deprecation-policy"
            present.append(evidence(unit.line, kind, text))
        if deprecation and not notice:
            issues.append(Issue("compatibility", "deprecation-without-notice", unit.line,
                                deprecation.group()))
    for operation in ctx.operations:
        path = ev.p("versioned_path").search(operation.text + "/")
        if path:
            present.append(evidence(operation.line, "versioned-path", operation.text))
    for block, _ in ctx.code_blocks:
        match = ev.p("versioned_package_code").search(block.text)
        if match:
            present.append(evidence(block.body_start + block.text.count("\n", 0, match.start()),
                                    "versioned-package", match.group().strip()))
    present += _substantive_sections(ctx, sections, int(ev.value("section_min_words")))
    talk = ctx.element_sections(ev, "talk_headings")
    return decide("compatibility", present, lambda: ctx.mentions(
        "compatibility", "compatibility-mention") + [
        evidence(line, "breaking-change", text)
        for line, text in breaking_lines(ctx, announced=False)], sections + talk,
        issues=issues)


def _substantive_sections(ctx: Context, sections: list, min_words: int) -> list[Evidence]:
    """A compatibility section that explains, in prose, how existing users are affected."""
    found = []
    placeholder = ctx.vocab.placeholder
    for section in sections:
        units = [u for u in ctx.section_text_units(section) if u.kind != "heading"]
        words = sum(len(u.text.split()) for u in units)
        if words >= min_words and not any(placeholder.search(u.text) for u in units):
            found.append(evidence(section.start, "compatibility-section", section.title))
    return found


def breaking_lines(ctx: Context, announced: bool = True) -> list[tuple[int, str]]:
    """Lines that talk about a breaking change, or (``announced``) that announce one."""
    ev = ctx.vocab.elements["compatibility"]
    pattern = ev.p("breaking")
    return [(u.line, u.text) for u in ctx.units_where(pattern)
            if u.kind != "heading" and "?" not in u.text
            and any(_breaking(ctx, ev, u.text, m, announced) for m in pattern.finditer(u.text))]


def _breaking(ctx: Context, ev: ElementVocab, text: str, match: re.Match[str],
              announced: bool) -> bool:
    """Talk: not denied ("not a breaking change") nor a process rule ("breaking changes
    require an FCP"). An announcement: also neither hypothetical, a definition nor a generic
    subject ("A breaking change ships as v2"), unless labelled ("Breaking change: ...")."""
    before = text[max(0, match.start() - 80):match.start()]
    after = text[match.end():match.end() + AFTER_WINDOW]
    if announced and ev.p("breaking_label_after").match(after):
        return True
    if ctx.denied(text, match.start()) or ev.p("breaking_policy_after").match(after):
        return False
    return not announced or not (ev.p("breaking_hypothetical_before").search(before)
                                 or ev.p("breaking_generic_before").search(before))
