"""migration-plan: ordered steps in a migration context plus a way back (SPEC 3.2)."""

from __future__ import annotations

from speclint.detect.base import (
    AFTER_WINDOW,
    Context,
    Detection,
    Issue,
    LineSpans,
    decide,
    evidence,
    not_applicable,
    per_header,
)
from speclint.document import Section
from speclint.models import EVIDENCE_KEPT, ElementReport, Evidence
from speclint.vocab import ElementVocab


def _ordered_lists(ctx: Context, sections: list[Section]) -> list[Evidence]:
    """Ordered lists of two or more items inside a migration section, or next to its words."""
    found = []
    covered = LineSpans(sections)
    for info in ctx.doc.lists:
        if not info.ordered or len(info.item_lines) < 2:
            continue
        if info.start in covered or _context_near(ctx, info.start, info.end):
            found.append(evidence(info.start, "ordered-steps",
                                  f"{len(info.item_lines)} ordered steps"))
    return found + _step_units(ctx, sections)


def _context_near(ctx: Context, start: int, end: int) -> bool:
    """Migration words in the list itself or in the sentence just before it (at most
    ``context_lookback_lines`` above)."""
    ev = ctx.vocab.elements["migration-plan"]
    pattern, lookback = ev.p("context"), int(ev.value("context_lookback_lines"))
    earlier = [u for u in ctx.units_between(max(1, start - lookback), start - 1)
               if u.kind != "row"]
    before = earlier[-1:]
    inside = ctx.units_between(start, end)
    return any(pattern.search(u.text) for u in before + inside)


def _step_units(ctx: Context, sections: list[Section]) -> list[Evidence]:
    """'Step N' / 'Phase N' text and phase tables in migration context."""
    ev = ctx.vocab.elements["migration-plan"]
    found = []
    covered = LineSpans(sections)
    step_lines = [u for u in ctx.units_where(ev.p("step_text")) if ev.p("step_text").search(u.text)
                  and (u.line in covered or ev.p("context").search(u.text))]
    if len(step_lines) >= 2 or any(len(ev.p("step_text").findall(u.text)) >= 2
                                   for u in step_lines):
        found.append(evidence(step_lines[0].line, "step-text", step_lines[0].text))
    phased: dict[object, bool] = {}  # header -> does a column name a step or phase?
    for block, _ in ctx.tables:
        header = block.rows[0].cells if block.rows and block.rows[0].header else []
        if (len(block.rows) > 2 and block.start in covered
                and per_header(phased, header, lambda cells: any(
                    ev.p("step_table").match(h.strip("*_` ").lower()) for h in cells))):
            found.append(evidence(block.start, "phase-table", " | ".join(header)))
    return found


def _way_back(text: str, ev: ElementVocab) -> bool:
    """A rollback that is offered, not one that is ruled out ("downgrade is not supported")
    or only asked about ("Can the feature be rolled back?")."""
    answer_from = text.rfind("?") + 1  # in "Can we roll back? No." only the answer counts
    for match in ev.p("way_back").finditer(text, answer_from):
        before = text[max(0, match.start() - 60):match.start()]
        after = text[match.end():match.end() + AFTER_WINDOW]
        if not (ev.p("way_back_negated_before").search(before)
                or ev.p("way_back_negated_after").search(after)):
            return True
    return False


def _stage_sections(ctx: Context, sections: list[Section]) -> list[Evidence]:
    """Two or more subsections named as stages (Alpha, Beta, GA; Phase 1, Phase 2)."""
    pattern = ctx.vocab.elements["migration-plan"].p("stage_heading")
    found = []
    for section in sections:
        stages = [c for c in section.walk() if c is not section and pattern.match(c.norm)]
        if len(stages) >= 2:
            found.append(evidence(stages[0].start, "stage-sections",
                                  " -> ".join(s.title for s in stages[:4])))
    return found


def detect_migration(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["migration-plan"]
    sections = ctx.element_sections(ev)
    back_sections = ctx.element_sections(ev, "rollback_headings")
    na = not_applicable(ctx, "migration-plan", sections)
    if na:
        return na
    # steps count in migration sections and in launch-like ones, whose heading alone is no
    # attempt
    step_sections = sections + ctx.element_sections(ev, "context_headings")
    context = LineSpans(step_sections + back_sections)
    steps = _ordered_lists(ctx, step_sections) + _stage_sections(ctx, step_sections)
    way_back = [evidence(u.line, "way-back", u.text) for u in ctx.units_where(ev.p("way_back"))
                if u.kind != "heading" and _way_back(u.text, ev)
                and (u.line in context or ev.p("context").search(u.text))]
    if steps and way_back:
        return decide("migration-plan", steps[:3] + way_back[:2], [], sections)
    attempts = steps + way_back + [evidence(u.line, "migration-mention", u.text)
                                   for u in ctx.units_where(ev.p("mentions"))
                                   if u.kind != "heading" and ev.p("mentions").search(u.text)]
    if steps:
        return _steps_without_way_back(ctx, step_sections, steps)
    reason = "way-back-without-steps" if way_back else "incomplete"
    return decide("migration-plan", [], attempts, sections or back_sections, reason)


def _steps_without_way_back(ctx: Context, sections: list[Section],
                            steps: list[Evidence]) -> Detection:
    """Incomplete, with an issue spanning the migration section's lines."""
    section = sections[0] if sections else ctx.doc.section_at(steps[0].line)
    start = section.start if section.level else steps[0].line
    end = section.end if section.level else steps[0].line
    end = _last_content_line(ctx, start, end)
    issue = Issue("migration-plan", "no-way-back", start, section.title or steps[0].text,
                  end_line=end)
    report = ElementReport("migration-plan", "incomplete", start, steps[:EVIDENCE_KEPT],
                           reason="steps-without-way-back")
    return Detection(report, [issue])


def _last_content_line(ctx: Context, start: int, end: int) -> int:
    lines = ctx.doc.source.lines
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end
