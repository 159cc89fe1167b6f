"""rate-limits: a number per time window, with scope and over-limit behaviour (SPEC 3.2)."""

from __future__ import annotations

from speclint.detect.base import (
    Context,
    Detection,
    Issue,
    LineSpans,
    decide,
    keep_evidence,
    not_applicable,
)
from speclint.models import Evidence


def detect_limits(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["rate-limits"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "rate-limits", sections)
    if na:
        return na
    present: list[Evidence] = []
    attempts: list[Evidence] = []
    issues: list[Issue] = []
    limit_units = []
    covered = LineSpans(sections)
    for unit in ctx.units_where(ev.p("rate"), ev.p("limit_words"), ev.p("mentions"),
                                also=covered):
        if unit.kind == "heading":
            continue
        inside = unit.line in covered
        rate = ev.p("rate").search(unit.text)
        # a number per window is a limit inside a rate-limit section, next to a limit word,
        # or counted per caller ("30 per minute per seller")
        if rate and (inside or ev.p("context").search(unit.text)
                     or ev.p("caller_scope").search(unit.text)):
            keep_evidence(present, unit.line, "limit-per-window", unit.text)
            limit_units.append(unit)
        elif not (inside or ctx.talks_about(ev.p("mentions"), unit.text)):
            continue  # no rate-limit talk, or a question or denial ("no rate limits apply")
        elif ev.p("limit_words").search(unit.text):
            keep_evidence(attempts, unit.line, "limit-without-window", unit.text)
            if any(ch.isdigit() for ch in unit.text) or inside:
                issues.append(Issue("rate-limits", "limit-without-window", unit.line, unit.text))
        else:
            keep_evidence(attempts, unit.line, "limit-mention", unit.text)
    if present:
        issues = _quality(ctx, sections, limit_units)
    elif sections and not issues and attempts:
        first = attempts[0]
        issues.append(Issue("rate-limits", "limit-without-window", first.line, first.text))
    return decide("rate-limits", present, attempts, sections, "limit-without-window", issues)


def _quality(ctx: Context, sections: list, limit_units: list) -> list[Issue]:
    """Scope and over-limit behaviour, looked for in the limit sentences and sections."""
    ev = ctx.vocab.elements["rate-limits"]
    texts = [u.text for u in limit_units] + [u.text for u in ctx.units_in(sections)]
    issues = []
    first = limit_units[0]
    if not any(ev.p("scope").search(t) for t in texts):
        issues.append(Issue("rate-limits", "no-scope", first.line, first.text))
    if not any(ev.p("over_limit").search(t) for t in texts):
        issues.append(Issue("rate-limits", "no-over-limit-behaviour", first.line, first.text))
    return issues
