"""error-codes: entries naming a code with its meaning, and their quality (SPEC 3.2)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from speclint.detect.base import (
    Context,
    Detection,
    Issue,
    LineSpans,
    Unit,
    decide,
    evidence,
    not_applicable,
)
from speclint.document import Section
from speclint.vocab import ElementVocab


@dataclass
class Entry:
    """One error entry: a code, what it maps to, and where."""

    line: int
    code: str
    kind: str  # http, grpc, symbolic
    meaning: str


def _statuses_in(text: str, ev: ElementVocab, leads_entry: bool = False) -> list[re.Match[str]]:
    """3-digit numbers that read as HTTP statuses in prose.

    A 4xx or 5xx needs a hint before or after it ("returns 404", "404 Not Found"); any other
    number only counts when introduced as a status ("HTTP 700", "status 204") or when it
    opens a list item of an error section, so that "680 ns" or "a 730-line list" are never
    read as impossible statuses.
    """
    found = []
    for match in ev.p("http_status").finditer(text):
        before, after = text[max(0, match.start() - 40):match.start()], text[match.end():]
        if ev.p("not_status_after").match(after) or after.startswith(("-", ".", ",")) and \
                after[1:2].isdigit():
            continue
        # a number that opens a list item of an error section is that entry's status
        introduced = ev.p("status_introduced").search(before) or (
            leads_entry and not before.strip("`*_ "))
        plausible = 400 <= int(match.group(1)) <= 599
        if introduced or plausible and (ev.p("http_context").search(before)
                                        or ev.p("http_after").match(after)):
            found.append(match)
    return found


def _row_entries(unit: Unit, ev: ElementVocab, in_error_section: bool) -> list[Entry]:
    """An error-table row: a code column plus another non-empty cell."""
    assert unit.cells is not None
    header = [h.strip("*_` ").lower() for h in (unit.header or [])]
    code_cols = [i for i, h in enumerate(header) if ev.p("code_column").match(h)]
    if not code_cols and not in_error_section:
        return []
    entries = []
    cells = [c.strip() for c in unit.cells]
    for index in code_cols or range(len(cells)):
        if index >= len(cells):
            continue
        cell = cells[index]
        others = " ".join(c for i, c in enumerate(cells) if i != index and c).strip()
        if not others:
            continue
        http_column = index < len(header) and bool(ev.p("http_column").search(header[index]))
        entry = _cell_entry(cell, ev, unit.line, others, http_column)
        if entry:
            entries.append(entry)
            if not code_cols:
                break
    return entries


def _cell_entry(cell: str, ev: ElementVocab, line: int, meaning: str,
                http_column: bool = False) -> Entry | None:
    """The code a table cell defines. A 3-digit number is an HTTP status in an HTTP/status
    column, or when it is a plausible error status (4xx/5xx); otherwise it is the table's own
    numeric code (CLI exit codes 201-203 are not 2xx successes)."""
    bare = cell.strip("`*_ ")
    status = re.match(r"^(\d{3})\b", bare)
    if status:
        plausible = 400 <= int(status.group(1)) <= 599
        kind = "http" if http_column or plausible else "symbolic"
        return Entry(line, status.group(1), kind, meaning)
    grpc = ev.p("grpc_status").match(bare)
    if grpc and grpc.group() != "OK":
        return Entry(line, grpc.group(), "grpc", meaning)
    symbolic = ev.p("symbolic_code").search(f"`{bare}`")
    if symbolic:
        return Entry(line, symbolic.group(1) or symbolic.group(2), "symbolic", meaning)
    if ev.p("table_code").match(bare):
        return Entry(line, bare, "symbolic", meaning)
    return None


def _prose_entries(unit: Unit, ev: ElementVocab, in_error_section: bool) -> list[Entry]:
    text = unit.text
    raw = unit.block.text if unit.kind == "item" else text
    leads = in_error_section and unit.kind == "item"
    entries = [Entry(unit.line, m.group(1), "http", text) for m in _statuses_in(raw, ev, leads)]
    for name, kind in (("grpc_status", "grpc"), ("symbolic_code", "symbolic")):
        for match in ev.p(name).finditer(raw):
            code = match.group(1) or match.group(match.lastindex or 0)
            if code == "OK":
                continue
            if in_error_section or _introduced(raw, match, ev) or _leads_item(unit, match, ev):
                entries.append(Entry(unit.line, code, kind, text))
    return entries


def _introduced(raw: str, match: re.Match[str], ev: ElementVocab) -> bool:
    """'fails with `E_TIMEOUT`', 'returns NOT_FOUND', 'error code: x'."""
    return bool(ev.p("entry_context").search(raw[max(0, match.start() - 40):match.start()]))


def _leads_item(unit: Unit, match: re.Match[str], ev: ElementVocab) -> bool:
    """A list item that starts with the code and goes on to explain it."""
    raw = unit.block.text
    return (unit.kind == "item" and match.start() <= 4
            and bool(ev.p("entry_separator").match(raw[match.end():]))
            and bool(ev.p("error_words").search(raw[match.end():])))


def collect_entries(ctx: Context, sections: list[Section]) -> list[Entry]:
    ev = ctx.vocab.elements["error-codes"]
    entries: list[Entry] = []
    covered = LineSpans(sections)
    for unit in ctx.units:
        inside = unit.line in covered
        if unit.kind == "row":
            entries += _row_entries(unit, ev, inside)
        elif unit.kind in ("sentence", "item"):
            entries += _prose_entries(unit, ev, inside)
    for block, _ in ctx.code_blocks:
        match = ev.p("openapi_responses_code").search(block.text)
        if match:
            line = block.body_start + block.text.count("\n", 0, match.end())
            entries.append(Entry(line, "openapi", "openapi", "responses"))
    return entries


def _quality(entries: list[Entry], in_table: set[int]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.kind == "http":
            status = int(entry.code)
            if not 100 <= status <= 599:
                issues.append(Issue("error-codes", "impossible-status", entry.line, entry.code))
            elif status < 400 and entry.line in in_table:
                issues.append(Issue("error-codes", "success-as-error", entry.line, entry.code))
        if entry.kind != "symbolic" or entry.line not in in_table:
            continue  # a definition is a table row; prose only refers to codes
        first = seen.setdefault(entry.code, entry)
        if first is not entry and first.line != entry.line \
                and _norm(first.meaning) != _norm(entry.meaning):
            issues.append(Issue("error-codes", "duplicate-code", entry.line,
                                f"{entry.code} (first defined on line {first.line})"))
    return issues


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def detect_errors(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["error-codes"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "error-codes", sections)
    if na:
        return na
    entries = collect_entries(ctx, sections)
    table_lines = {u.line for u in ctx.units if u.kind == "row"}
    valid = [e for e in entries if e.kind != "http" or 400 <= int(e.code) <= 599]
    present = [evidence(e.line, f"{e.kind}-error", f"{e.code}: {e.meaning}") for e in valid]
    return decide("error-codes", _first_per_line(present),
                  lambda: ctx.mentions("error-codes", "error-mention"), sections,
                  issues=_quality(entries, table_lines))


def _first_per_line(items: list) -> list:
    seen: set[int] = set()
    out = []
    for item in items:
        if item.line not in seen:
            seen.add(item.line)
            out.append(item)
    return out
