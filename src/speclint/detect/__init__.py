"""Element detection: one detector per element, plus the checks that span two elements."""

from __future__ import annotations

from speclint.detect.base import Context, Detection, Issue
from speclint.detect.compat import breaking_lines, detect_compat
from speclint.detect.contract import detect_api, detect_data_model
from speclint.detect.errors import detect_errors
from speclint.detect.latency import detect_latency
from speclint.detect.limits import detect_limits
from speclint.detect.migration import detect_migration
from speclint.document import Document
from speclint.models import ELEMENTS, ElementReport
from speclint.vocab import Vocabulary

DETECTORS = {
    "api-contract": detect_api,
    "data-model": detect_data_model,
    "latency-budget": detect_latency,
    "migration-plan": detect_migration,
    "error-codes": detect_errors,
    "rate-limits": detect_limits,
    "compatibility": detect_compat,
}


def detect(doc: Document, vocab: Vocabulary) -> tuple[Context, dict[str, ElementReport],
                                                      list[Issue]]:
    """Run every detector; return the shared context, the reports and all issues."""
    ctx = Context(doc, vocab)
    detections: dict[str, Detection] = {}
    for name in ELEMENTS:
        detection = DETECTORS[name](ctx)
        if name in ctx.bare_na and detection.report.state != "present":
            detection = Detection(ctx.bare_na[name].report, detection.issues)
        detections[name] = detection
    reports = {name: d.report for name, d in detections.items()}
    issues = [issue for d in detections.values() for issue in d.issues]
    issues += _cross_element_issues(ctx, reports)
    return ctx, reports, issues


def _cross_element_issues(ctx: Context, reports: dict[str, ElementReport]) -> list[Issue]:
    issues = []
    limits, errors = reports["rate-limits"], reports["error-codes"]
    over_limit = ctx.vocab.elements["error-codes"].p("over_limit")
    if limits.state == "present" and errors.state in ("present", "incomplete") and not any(
            over_limit.search(u.text) for u in ctx.units):
        issues.append(Issue("error-codes", "no-over-limit-error", limits.line or 1,
                            "rate limits are defined"))
    if reports["migration-plan"].state in ("missing", "incomplete"):
        for line, text in breaking_lines(ctx):
            issues.append(Issue("compatibility", "breaking-without-migration", line, text))
    return issues
