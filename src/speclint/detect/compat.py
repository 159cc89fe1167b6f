"""compatibility: an explicit guarantee; deprecations with a notice period (SPEC 3.2)."""

from __future__ import annotations

from speclint.detect.base import Context, Detection, Issue, decide, evidence, not_applicable
from speclint.models import Evidence


def detect_compat(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["compatibility"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "compatibility", sections)
    if na:
        return na
    present: list[Evidence] = []
    attempts: list[Evidence] = []
    issues: list[Issue] = []
    for unit in ctx.units:
        if unit.kind == "heading":
            continue
        text = unit.text
        guarantee = next((p for p in ev.many("guarantee") if p.search(text)), None)
        deprecation = ev.p("deprecation").search(text)
        notice = ev.p("notice_period").search(text)
        if guarantee or (deprecation and notice):
            kind = "deprecation-policy" if guarantee is None else "compatibility-guarantee"
            present.append(evidence(unit.line, kind, text))
        elif ev.p("mentions").search(text):
            attempts.append(evidence(unit.line, "compatibility-mention", text))
        path = ev.p("versioned_path").search(text) if ctx.vocab.elements[
            "api-contract"].p("http_operation").search(text) else None
        if path:
            present.append(evidence(unit.line, "versioned-path", path.group()))
        if deprecation and not notice:
            issues.append(Issue("compatibility", "deprecation-without-notice", unit.line,
                                deprecation.group()))
    for block, _ in ctx.code_blocks:
        match = ev.p("versioned_package_code").search(block.text)
        if match:
            present.append(evidence(block.body_start + block.text.count("\n", 0, match.start()),
                                    "versioned-package", match.group().strip()))
    present += _substantive_sections(ctx, sections, int(ev.p("section_min_words").pattern))
    return decide("compatibility", present, attempts, sections, issues=issues)


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


def breaking_lines(ctx: Context) -> list[tuple[int, str]]:
    """Lines that announce a breaking change."""
    pattern = ctx.vocab.elements["compatibility"].p("breaking")
    return [(u.line, u.text) for u in ctx.units
            if u.kind != "heading" and pattern.search(u.text)]
