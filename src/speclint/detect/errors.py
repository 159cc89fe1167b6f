"""error-codes: entries naming a code with its meaning, and their quality (SPEC 3.2)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from speclint.detect.base import (
    AFTER_WINDOW,
    Context,
    Detection,
    Issue,
    LineSpans,
    Unit,
    bare,
    decide,
    evidence,
    not_applicable,
    per_header,
)
from speclint.document import Block, Section
from speclint.models import EVIDENCE_KEPT
from speclint.vocab import ElementVocab


@dataclass
class Entry:
    """One error entry: a code, what it maps to, and where."""

    line: int
    code: str
    kind: str  # http, grpc, symbolic, openapi
    meaning: str
    # row: a table row; item: a list item that opens with its code; both define the code.
    # prose: a sentence or item that names a code; openapi: a response of an OpenAPI block
    form: str = "prose"
    listed: bool = False  # in an error table or an error list, where a 2xx/3xx is a mistake
    scope: int = 0  # the section it is in (items: where a second definition is a duplicate)
    status: str = ""  # the HTTP status an item gives its symbolic code ("`400 M_BAD_JSON`")


def _statuses_in(text: str, ev: ElementVocab, leads_entry: bool = False) -> list[re.Match[str]]:
    """3-digit numbers that read as HTTP statuses in prose.

    A 4xx or 5xx needs a hint before or after it ("returns 404", "404 Not Found"); any other
    number only counts when introduced as a status ("HTTP 700", "status 204") or when it
    opens a list item of an error section, so that "680 ns" or "a 730-line list" are never
    read as impossible statuses.
    """
    found = []
    # the windows around a match are short: the patterns themselves, without the prefilter
    not_after, after_hint = bare(ev.p("not_status_after")).match, bare(ev.p("http_after")).match
    introduced_by, context = bare(ev.p("status_introduced")).search, \
        bare(ev.p("http_context")).search
    for match in ev.p("http_status").finditer(text):
        start, end = match.span()
        after = text[end:end + AFTER_WINDOW]
        if not_after(after) or after.startswith(("-", ".", ",")) and after[1:2].isdigit():
            continue
        before = text[max(0, start - 40):start]
        plausible = 400 <= int(match.group(1)) <= 599
        # a number that opens a list item of an error section is that entry's status
        if plausible and (context(before) or after_hint(after)) or introduced_by(before) or (
                leads_entry and not before.strip("`*_ ")):
            found.append(match)
    return found


_Columns = tuple[list[int], list[bool]]  # code columns; is each column an HTTP one


def _columns(header: list[str], ev: ElementVocab) -> _Columns:
    """The code columns of a table header, and which of its columns hold HTTP statuses."""
    names = [h.strip("*_` ").lower() for h in header]
    return ([i for i, h in enumerate(names) if ev.p("code_column").match(h)],
            [bool(ev.p("http_column").search(h)) for h in names])


def _row_entries(unit: Unit, ev: ElementVocab, in_error_section: bool,
                 headers: dict[object, _Columns]) -> list[Entry]:
    """An error-table row: a code column plus another non-empty cell. ``headers`` keeps the
    columns of each table header already read (speclint.detect.base.per_header)."""
    assert unit.cells is not None
    code_cols, http_columns = per_header(headers, unit.header, lambda h: _columns(h, ev))
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
        http_column = index < len(http_columns) and http_columns[index]
        entry = _cell_entry(cell, ev, unit.line, others, http_column)
        if entry:
            entries.append(entry)
            if not code_cols:
                break
    return entries


def _cell_entry(cell: str, ev: ElementVocab, line: int, meaning: str,
                http_column: bool = False) -> Entry | None:
    """The code a table cell defines. A number is an HTTP status in an HTTP/status column
    (so 99 and 1000 there are impossible statuses); elsewhere a 3-digit number is a status
    when it is a plausible error status (4xx/5xx), otherwise the table's own numeric code
    (CLI exit codes 201-203 are not 2xx successes)."""
    bare = cell.strip("`*_ ")
    status = ev.p("cell_status").match(bare)
    if status and (http_column or len(status.group(1)) == 3):
        plausible = 400 <= int(status.group(1)) <= 599
        kind = "http" if http_column or plausible else "symbolic"
        return Entry(line, status.group(1), kind, meaning, "row", listed=True)
    grpc = ev.p("grpc_status").match(bare)
    if grpc and not ev.p("code_success").match(grpc.group()):
        return Entry(line, grpc.group(), "grpc", meaning, "row", listed=True)
    symbolic = ev.p("code_symbolic").search(f"`{bare}`")
    if symbolic:
        return Entry(line, symbolic.group(1) or symbolic.group(2), "symbolic", meaning, "row",
                     listed=True)
    if ev.p("code_in_cell").match(bare):
        return Entry(line, bare, "symbolic", meaning, "row", listed=True)
    return None


def _prose_entries(unit: Unit, ev: ElementVocab, in_error_section: bool) -> list[Entry]:
    text = unit.text
    item = unit.kind == "item"
    raw = unit.block.text if item else text
    leads = in_error_section and item
    entries = []
    scope = id(unit.section)
    statuses = _statuses_in(raw, ev, leads)
    status = next((m.group(1) for m in statuses if 400 <= int(m.group(1)) <= 599), "")
    for match in statuses:
        opens = item and _opens_item(raw, match, ev)
        entries.append(Entry(unit.line, match.group(1), "http", _after(raw, match, opens),
                             "item" if opens else "prose", leads, scope))
    for name, kind in (("grpc_status", "grpc"), ("code_symbolic", "symbolic")):
        for match in ev.p(name).finditer(raw):
            code = match.group(1) or match.group(match.lastindex or 0)
            if bare(ev.p("code_success")).match(code):
                continue
            opens = item and _opens_item(raw, match, ev)
            if in_error_section or _introduced(raw, match, ev) or _leads_item(
                    raw, match, ev, kind, opens):
                entries.append(Entry(unit.line, code, kind, _after(raw, match, opens),
                                     "item" if opens else "prose", leads, scope, status))
    return entries


def _opens_item(raw: str, match: re.Match[str], ev: ElementVocab) -> bool:
    """The code is the first thing in the list item (markup and "HTTP" aside)."""
    return match.start() <= 20 and bool(ev.p("entry_prefix").match(raw[:match.start()]))


def _after(raw: str, match: re.Match[str], opens: bool) -> str:
    """What an entry says about its code: the rest of an item that opens with it."""
    return raw[match.end():].strip("`*_ :—–-") if opens else raw


def _introduced(raw: str, match: re.Match[str], ev: ElementVocab) -> bool:
    """'fails with `E_TIMEOUT`', 'returns NOT_FOUND', 'error code: x'."""
    return bool(bare(ev.p("entry_context")).search(raw[max(0, match.start() - 40):match.start()]))


def _leads_item(raw: str, match: re.Match[str], ev: ElementVocab, kind: str,
                opens: bool) -> bool:
    """A list item that opens with the code and goes on to explain it. The explanation needs
    an error word unless the code is an error by its shape: a gRPC status name in code
    markup, or a code such as `E_TIMEOUT` or `QuotaExceededError`."""
    if not opens:
        return False
    rest = raw[match.end():]  # once per item at most: an item opens with one code
    separator = ev.p("entry_separator").match(rest)
    if not separator:
        return False
    explanation = rest[separator.end():]
    if ev.p("error_words").search(rest):
        return True
    code = match.group(1) or match.group(match.lastindex or 0)
    evident = (kind == "grpc" and raw[:1] in "`*") or bool(ev.p("code_evident").match(code))
    return evident and bool(ev.p("explanation").search(explanation))


def _openapi_entries(block: Block, ev: ElementVocab) -> list[Entry]:
    """Each 4xx/5xx response under an OpenAPI ``responses`` key (YAML or JSON)."""
    text = block.text
    entries = []
    newlines: list[int] | None = None
    for match in ev.p("openapi_responses_code").finditer(text):
        if match.group().endswith("{"):
            end = _closing_brace(text, match.end() - 1)
        else:
            end = _indented_end(text, match.end(), len(match.group(1) or ""))
        # from the opening brace on, so that '{"404": ...' is seen
        for status in ev.p("openapi_status_code").finditer(text, match.end() - 1, end):
            group = 1 if status.group(1) else 2
            code, position = status.group(group), status.start(group)
            if code[0] not in "45":
                continue
            if newlines is None:
                newlines = [i for i, char in enumerate(text) if char == "\n"]
            line = block.body_start + bisect_left(newlines, position)
            line_end = text.find("\n", position)
            described = text[position:line_end if line_end != -1 else len(text)]
            entries.append(Entry(line, code, "openapi", described.strip(), "openapi"))
    return entries


def _closing_brace(text: str, start: int) -> int:
    """Index just past the brace that closes the one at ``start`` (strings skipped)."""
    depth, index, quote = 0, start, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)


def _indented_end(text: str, start: int, indent: int) -> int:
    """End of the YAML lines after ``start`` that are indented deeper than ``indent``."""
    position = text.find("\n", start)
    while position != -1:
        following = text.find("\n", position + 1)
        body = text[position + 1:following if following != -1 else len(text)]
        if body.strip() and len(body) - len(body.lstrip(" \t")) <= indent:
            return position
        position = following
    return len(text)


def collect_entries(ctx: Context, sections: list[Section]) -> list[Entry]:
    ev = ctx.vocab.elements["error-codes"]
    entries: list[Entry] = []
    covered = LineSpans(sections)
    headers: dict[object, _Columns] = {}
    # a sentence names a code only where one of the code patterns matches it (an item is
    # read in its block's own text, with markup: every item is asked)
    named = {id(unit) for unit in ctx.units_where(
        ev.p("http_status"), ev.p("grpc_status"), ev.p("code_symbolic"))}
    for unit in ctx.units:
        if unit.kind == "row":
            entries += _row_entries(unit, ev, unit.line in covered, headers)
        elif unit.kind == "item" or (unit.kind == "sentence" and id(unit) in named):
            entries += _prose_entries(unit, ev, unit.line in covered)
    _mark_error_lists(ctx, entries)
    for block, _ in ctx.code_blocks:
        entries += _openapi_entries(block, ev)
    return entries


def _mark_error_lists(ctx: Context, entries: list[Entry]) -> None:
    """Items of an error list (a list whose other items open with an error code) are listed
    as errors: "- 404 when ...", "- HTTP 302 when ..." (a 2xx/3xx there is a mistake)."""
    opening = [e for e in entries if e.form == "item"]
    if not opening:
        return
    list_of = {line: index for index, info in enumerate(ctx.doc.lists)
               for line in info.item_lines}
    with_errors = {list_of.get(e.line) for e in opening
                   if e.kind != "http" or int(e.code) >= 400}
    for entry in opening:
        if list_of.get(entry.line, -1) in with_errors:
            entry.listed = True


def _quality(entries: list[Entry]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if entry.kind == "http":
            status = int(entry.code)
            if not 100 <= status <= 599:
                issues.append(Issue("error-codes", "impossible-status", entry.line, entry.code))
            elif status < 400 and entry.listed:
                issues.append(Issue("error-codes", "success-as-error", entry.line, entry.code))
        if entry.kind != "symbolic" or entry.form not in ("row", "item"):
            continue  # a definition is a table row or an item that opens with the code
        first = seen.setdefault((entry.form, entry.code), entry)
        if first is not entry and first.line != entry.line and _redefines(first, entry):
            issues.append(Issue("error-codes", "duplicate-code", entry.line,
                                f"{entry.code} (first defined on line {first.line})"))
    return issues


def _redefines(first: Entry, again: Entry) -> bool:
    """Table rows: any other meaning. Items: another status anywhere, or another meaning in
    the same section (per-endpoint error lists may describe a shared code in their own words)."""
    if first.status and again.status and first.status != again.status:
        return True
    if first.form == "item" and first.scope != again.scope:
        return False
    return _norm(first.meaning) != _norm(again.meaning)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def detect_errors(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["error-codes"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "error-codes", sections)
    if na:
        return na
    entries = collect_entries(ctx, sections)
    valid = [e for e in entries if e.kind != "http" or 400 <= int(e.code) <= 599]
    # the report keeps the first entry of each of the first lines: only those become evidence
    kept = _first_per_line(sorted(valid, key=lambda e: e.line))[:EVIDENCE_KEPT]
    present = [evidence(e.line, f"{e.kind}-error", f"{e.code}: {e.meaning}") for e in kept]
    return decide("error-codes", present,
                  lambda: ctx.mentions("error-codes", "error-mention"), sections,
                  issues=_quality(entries))


def _first_per_line(items: list) -> list:
    seen: set[int] = set()
    out = []
    for item in items:
        if item.line not in seen:
            seen.add(item.line)
            out.append(item)
    return out
