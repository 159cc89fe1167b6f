"""latency-budget: a percentile bound to a number with a time unit (SPEC 3.2)."""

from __future__ import annotations

import re

from speclint.detect.base import (
    Context,
    Detection,
    Issue,
    Unit,
    decide,
    evidence,
    not_applicable,
    quoted,
)
from speclint.models import Evidence

_TO_MS = {"ns": 1e-6, "nanosecond": 1e-6, "µs": 1e-3, "μs": 1e-3, "us": 1e-3,
          "microsecond": 1e-3, "ms": 1.0, "msec": 1.0, "millisecond": 1.0, "s": 1000.0,
          "sec": 1000.0, "second": 1000.0, "min": 60000.0, "minute": 60000.0}


def _ms(value: str, unit: str) -> float:
    unit = unit.lower().rstrip("s") if len(unit) > 2 and unit.lower() != "ms" else unit.lower()
    return float(value.replace(",", ".")) * _TO_MS.get(unit, _TO_MS.get(unit + "s", 1.0))


def _rank(match: re.Match[str]) -> float:
    """Percentile value: p99 -> 99, median -> 50."""
    value = match.group(1) or match.group(3)
    return 50.0 if match.group(2) else float(value)


def _pairs(unit: Unit, pct: re.Pattern[str], dur: re.Pattern[str]) -> list[tuple[float, float]]:
    """(percentile, milliseconds) pairs bound within one unit, in reading order."""
    text = unit.text
    if unit.kind == "row" and unit.header:
        return _row_pairs(unit, pct, dur)
    marks = sorted([(m.start(), "p", m) for m in pct.finditer(text)]
                   + [(m.start(), "d", m) for m in dur.finditer(text)], key=lambda t: t[0])
    pairs, pending = [], None
    for _, kind, match in marks:
        if kind == "p":
            pending = _rank(match)
        elif pending is not None:
            pairs.append((pending, _ms(match.group(1), match.group(2))))
            pending = None
    if not pairs and pct.search(text) and dur.search(text):
        pairs.append((_rank(pct.search(text)), _ms(*dur.search(text).groups())))
    return pairs


def _row_pairs(unit: Unit, pct: re.Pattern[str], dur: re.Pattern[str]) -> list[tuple[float, float]]:
    """Table rows: percentile columns ('p99 (ms)') or a percentile in one cell, value in another."""
    assert unit.cells is not None and unit.header is not None
    pairs = []
    for head, cell in zip(unit.header, unit.cells, strict=False):
        head_pct = pct.search(head)
        if not head_pct:
            continue
        cell_dur = dur.search(cell)
        head_unit = dur.search("1 " + head.split("(")[-1]) if "(" in head else None
        number = re.search(r"\d+(?:[.,]\d+)?", cell)
        if cell_dur:
            pairs.append((_rank(head_pct), _ms(*cell_dur.groups())))
        elif head_unit and number:
            pairs.append((_rank(head_pct), _ms(number.group(), head_unit.group(2))))
    if not pairs:
        text = " | ".join(unit.cells)
        if pct.search(text) and dur.search(text):
            pairs.append((_rank(pct.search(text)), _ms(*dur.search(text).groups())))
    return pairs


def detect_latency(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["latency-budget"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "latency-budget", sections)
    if na:
        return na
    pct, dur = ev.p("percentile"), ev.p("duration")
    present: list[Evidence] = []
    issues: list[Issue] = []
    quantified: set[int] = set()  # ids of units that hold a target
    with_percentile = {id(u) for u in ctx.units_where(pct)}
    for unit in ctx.units:
        if unit.kind == "heading" or not (unit.header or id(unit) in with_percentile):
            continue
        pairs = _pairs(unit, pct, dur) if (unit.header or pct.search(unit.text)) else []
        if pairs:
            present.append(evidence(unit.line, "percentile-target", unit.text))
            quantified.add(id(unit))
            issues += _order_issues(unit, pairs)
    latency_lines = {u.line for u in ctx.units_in(sections)}
    for unit in ctx.units_where(ev.p("vague")):
        if id(unit) in quantified or unit.kind == "heading":
            continue
        if not ev.p("vague").search(unit.text):
            continue
        if unit.line in latency_lines or ev.p("mentions").search(unit.text):
            for match in ev.p("vague").finditer(unit.text):
                if not quoted(unit.text, match.start(), match.end()):
                    issues.append(Issue("latency-budget", "vague-speed", unit.line,
                                        match.group()))
                    break
    return decide("latency-budget", present,
                  lambda: ctx.mentions("latency-budget", "latency-without-target"), sections,
                  issues=issues)


def _order_issues(unit: Unit, pairs: list[tuple[float, float]]) -> list[Issue]:
    """p50 <= p95 <= p99 within one sentence, item or row."""
    issues = []
    ordered = sorted(pairs)
    for (low_p, low_ms), (high_p, high_ms) in zip(ordered, ordered[1:], strict=False):
        if high_p > low_p and high_ms < low_ms:
            text = f"p{high_p:g} ({high_ms:g} ms) is lower than p{low_p:g} ({low_ms:g} ms)"
            issues.append(Issue("latency-budget", "percentile-order", unit.line, text))
            break
    return issues
