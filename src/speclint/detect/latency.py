"""latency-budget: a percentile bound to a number with a time unit (SPEC 3.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from speclint.detect.base import (
    Context,
    Detection,
    Issue,
    Unit,
    decide,
    evidence,
    keep_evidence,
    not_applicable,
    per_header,
    quoted,
)
from speclint.models import Evidence
from speclint.prefilter import Guarded
from speclint.vocab import ElementVocab


class Durations:
    """The ``duration`` pattern and the length of each of its units, from the vocabulary.

    Each named group of ``duration`` is one unit ("ms", "s", ...); ``unit_ms`` maps each
    group to its milliseconds, so a spelling or a unit added in YAML converts correctly.
    """

    def __init__(self, ev: ElementVocab) -> None:
        self.pattern = ev.p("duration")
        self.number = ev.p("number")
        self.lengths = {name: float(length) for name, length in ev.value("unit_ms").items()}
        unknown = set(self.pattern.regex.groupindex) - set(self.lengths)
        if unknown:
            raise ValueError(f"latency-budget.unit_ms has no length for {sorted(unknown)}")

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)

    def ms(self, match: re.Match[str], value: str | None = None) -> float:
        """Milliseconds of a duration match (or of ``value`` in the match's unit)."""
        number = match.group(1) if value is None else value
        return float(number.replace(",", ".")) * self.lengths[match.lastgroup or ""]


_DURATIONS: dict[int, Durations] = {}


def _durations(ev: ElementVocab) -> Durations:
    """One Durations per vocabulary (the vocabulary lives as long as the process)."""
    found = _DURATIONS.get(id(ev))
    if found is None:
        found = _DURATIONS[id(ev)] = Durations(ev)
    return found


def _rank(match: re.Match[str]) -> float:
    """Percentile value: p99 -> 99, median -> 50."""
    value = match.group(1) or match.group(3)
    return 50.0 if match.group(2) else float(value)


_Column = tuple[int, float, "re.Match[str] | None"]  # index, percentile, unit in the heading


def _pairs(unit: Unit, pct: re.Pattern[str], dur: Durations,
           headers: dict[object, list[_Column]]) -> list[tuple[float, float]]:
    """(percentile, milliseconds) pairs bound within one unit, in reading order.
    ``headers`` keeps the percentile columns of each table header already read."""
    text = unit.text
    if unit.kind == "row" and unit.header:
        columns = per_header(headers, unit.header, lambda h: _percentile_columns(h, pct, dur))
        return _row_pairs(unit, columns, pct, dur)
    marks = sorted([(m.start(), "p", m) for m in pct.finditer(text)]
                   + [(m.start(), "d", m) for m in dur.finditer(text)], key=lambda t: t[0])
    pairs, pending = [], None
    for _, kind, match in marks:
        if kind == "p":
            pending = _rank(match)
        elif pending is not None:
            pairs.append((pending, dur.ms(match)))
            pending = None
    if not pairs:
        percentile = pct.search(text)
        duration = dur.search(text) if percentile else None
        if percentile and duration:
            pairs.append((_rank(percentile), dur.ms(duration)))
    return pairs


def _percentile_columns(header: list[str], pct: re.Pattern[str],
                        dur: Durations) -> list[_Column]:
    """The columns whose heading names a percentile ('p99 (ms)'), with the unit it gives."""
    columns = []
    for index, head in enumerate(header):
        head_pct = pct.search(head)
        if head_pct:
            head_unit = dur.search("1 " + head.split("(")[-1]) if "(" in head else None
            columns.append((index, _rank(head_pct), head_unit))
    return columns


def _row_pairs(unit: Unit, columns: list[_Column], pct: re.Pattern[str],
               dur: Durations) -> list[tuple[float, float]]:
    """Table rows: percentile columns ('p99 (ms)') or a percentile in one cell, value in another."""
    assert unit.cells is not None
    pairs = []
    for index, rank, head_unit in columns:
        if index >= len(unit.cells):
            break
        cell = unit.cells[index]
        cell_dur = dur.search(cell)
        number = dur.number.search(cell)
        if cell_dur:
            pairs.append((rank, dur.ms(cell_dur)))
        elif head_unit and number:
            pairs.append((rank, dur.ms(head_unit, number.group())))
    if not pairs:
        text = " | ".join(unit.cells)
        percentile = pct.search(text)
        duration = dur.search(text) if percentile else None
        if percentile and duration:
            pairs.append((_rank(percentile), dur.ms(duration)))
    return pairs


def detect_latency(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["latency-budget"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "latency-budget", sections)
    if na:
        return na
    pct, dur = ev.p("percentile"), _durations(ev)
    present: list[Evidence] = []
    issues: list[Issue] = []
    quantified: set[int] = set()  # ids of units that hold a target
    with_percentile = {id(u) for u in ctx.units_where(pct)}
    headers: dict[object, list[_Column]] = {}
    for unit in ctx.units:
        if unit.kind == "heading" or not (unit.header or id(unit) in with_percentile):
            continue
        pairs = _pairs(unit, pct, dur, headers) if (unit.header or pct.search(unit.text)) \
            else []
        if pairs:
            keep_evidence(present, unit.line, "percentile-target", unit.text)
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
                  lambda: ctx.mentions("latency-budget", "latency-without-target")
                  + _percentile_tables(ctx, pct), sections, issues=issues)


def _percentile_tables(ctx: Context, pct: Guarded) -> list[Evidence]:
    """Tables with a percentile column ('| Endpoint | P95 | P99 |') but no unit: latency
    talk without a target."""
    found = []
    verdicts: dict[object, bool] = {}
    for block, _ in ctx.tables:
        header = block.rows[0].cells if block.rows and block.rows[0].header else []
        if per_header(verdicts, header, lambda h: any(pct.search(cell) for cell in h)):
            found.append(evidence(block.start, "percentile-without-unit", " | ".join(header)))
    return found


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
