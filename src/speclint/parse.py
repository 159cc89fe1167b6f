"""mistune block parsing with exact line spans on every block token.

mistune 3.4 records no positions. ``LineBlockParser`` wraps the block-rule dispatcher
(``parse_method``), the indented-code fast path and the paragraph hooks of ``LineState``, and
maps every child state (block quotes, list items, definitions, footnotes) line for line onto its
parent, so each token gets ``_start``/``_end``: 1-based lines in original-file coordinates, the
end without trailing blank lines.

How child states map onto their parent: mistune parses a block quote from a copy of its lines
with the ``>`` markers removed, and a list item from a copy of its lines with the marker and the
continuation indent removed; both keep one line per source line. So a child state only needs the
file line of its first line: the quote's first line, or the item's marker line (the line after
it when the marker line holds nothing else, because mistune then drops it).

A container can be cut short by a block that mistune parses on the parent state while it is
still collecting the container's lines (a fence, heading, list or HTML block after a lazy
line); the container then ends before that block starts.

Three repairs to mistune 3.4 itself, each pinned by a test in tests/test_spans.py: lines of
only spaces and tabs are emptied before parsing (CommonMark blank lines; mistune reads 4+
spaces as indented code), an ATX heading ends a block quote's lazy lines, and siblings are put
back in line order. Footnote definitions, which mistune keeps only as text, become
``footnote_item`` tokens in place, their body parsed like a block quote's.

The parse is bounded (``max_blocks``): every paragraph, every other block rule that matches
except blank lines, every container's content, every table row and every line of a block
quote (once for each level it is nested in: mistune copies it each time) spends one block of
a ``BlockBudget`` shared by the document's states; past it, TooManyBlocks (SL009), before
the rest of the text is parsed.

Tables are parsed by mistune's table plugin rules with its own helpers, but kept as their
cells' texts (``rows``, the header first): mistune's tokens hold a dictionary for every cell.

Some costs of mistune 3.4 are cut, with the same results (property tests compare them): the
pattern that ends a list item is built once per indent and the one that closes a fence once
per fence (mistune builds and looks them up again for every item and block), the offsets where
blank lines start, which mistune works out for a link reference definition with a slow
``^``-led scan, are found from the newlines, and table rows without a backslash are split with
``str.split``.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import Any

import mistune
from mistune import list_parser
from mistune.core import BlockState
from mistune.helpers import unescape_char
from mistune.plugins import table as gfm_table
from mistune.plugins.def_list import _collect_definitions, def_list
from mistune.plugins.footnotes import footnotes
from mistune.plugins.table import table_in_list, table_in_quote
from mistune.plugins.task_lists import task_lists

Token = dict[str, Any]

# what mistune's BLANK_LINE pattern treats as an empty line
_BLANK_CHARS = " \t\v\f\n"
_INDENT_CHARS = (" ", "\t")
# block rules that always add one token for the line where they match
_ONE_LINE_RULES = frozenset(["blank_line", "atx_heading"])
_LIST_MARKER = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])([^\n]*)")
_TABLE_RULES = frozenset(["table", "nptable"])  # the table plugin's block rules
# mistune 3.4's thematic break. On a line of 5 million "*" and an "x" (nested emphasis) it
# backtracks through every repetition, keeping each one (5 s, 2.5 GB). Giving none back
# matches the same lines: a position inside the run is followed by "*", "-", "_", a space or
# a tab, never by the end of the line that "$" asks for.
_THEMATIC_BREAK = r"^ {0,3}((?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$"
_THEMATIC_BREAK_POSSESSIVE = _THEMATIC_BREAK.replace("{3,}", "{3,}+")
_QUOTE_LAZY_BREAKS = ["blank_line", "thematic_break", "fenced_code", "list", "block_html"]
# a line of only spaces and tabs, from the newline before it (faster than ^...$ with re.M)
_WHITESPACE_LINE = re.compile(r"\n[ \t]+(?=\n)")
_FOOTNOTE_MARK = re.compile(r" {0,4}\[\^(?:[^\\\[\]\s]|\\.)+\]:")
# a newline ending a line with content, then blank lines (the run starts after the newline)
_BLANK_RUN = re.compile(r"\n(?:[ \t\v\f]*\n)+")
# mistune's key in ``state.env`` for the offsets where runs of blank lines start
_BLANK_STARTS_KEY = "__blank_line_starts__"


class _Frame:
    """A container being parsed on a state (innermost last)."""

    __slots__ = ("kind", "line", "pos", "items", "cut")

    def __init__(self, kind: str, line: int, pos: int) -> None:
        self.kind = kind  # "block_quote" or "list"
        self.line = line  # quote: its first line (lists do not use it)
        self.pos = pos  # list: offset where the marker line of the next item starts
        self.items: list[int] = []  # list: offset of the marker line of each item so far
        self.cut: int | None = None  # offset of a block that cut this container short


class BlockBudget:
    """How many more blocks one parse may make (shared by a document's states)."""

    __slots__ = ("left",)

    def __init__(self, blocks: int) -> None:
        self.left = blocks

    def spend(self, blocks: int = 1) -> None:
        self.left -= blocks
        if self.left < 0:
            raise TooManyBlocks


class LineState(BlockState):
    """A block state that knows the file line of its first source line."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.budget: BlockBudget = parent.budget if parent is not None else _NO_LIMIT
        self.line0 = 1
        self._pos = 0  # line_at's bookmark: an offset and the newlines before it
        self._count = 0
        self._frames: list[_Frame] = []

    def process(self, src: str) -> None:
        super().process(src)
        self._pos = self._count = 0

    def line_at(self, pos: int) -> int:
        """File line of character offset ``pos`` in this state's source.

        Counts newlines from the previous answer: the parser mostly moves forward, so
        this needs no table of line starts (most child states ask only a few times).
        """
        if pos >= self._pos:
            count = self._count + self.src.count("\n", self._pos, pos)
        else:
            count = self._count - self.src.count("\n", pos, self._pos)
        self._pos, self._count = pos, count
        return self.line0 + count

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Line span of ``src[start:end]`` without trailing blank lines."""
        src = self.src
        last = min(end, len(src)) - 1
        while last >= start and src[last] in _BLANK_CHARS:  # no copy of big blocks
            last -= 1
        first = self.line_at(start)
        if last <= start:
            return first, first
        return first, self.line_at(last)

    def child_state(self, src: str, lazy_line_starts: Any = None) -> LineState:
        child = super().child_state(src, lazy_line_starts)
        assert isinstance(child, LineState)
        frame = self._frames[-1] if self._frames else None
        if frame is None:
            child.line0 = self.line0
        elif frame.kind == "block_quote":
            child.line0 = frame.line
        else:
            pos = frame.pos
            frame.items.append(pos)
            end = self.src.find("\n", pos)
            marker = _LIST_MARKER.match(self.src, pos, len(self.src) if end < 0 else end)
            # mistune drops a marker line that holds nothing but the marker
            child.line0 = self.line_at(pos) + (1 if marker and not marker.group(1).strip() else 0)
            # if another item follows, the cursor sits just past its marker line
            frame.pos = _line_start(self.src, self.cursor - 1)
        return child

    def add_paragraph(self, text: str) -> None:
        start, end = self.span_of(self.cursor, self.cursor + len(text))
        tokens = self.tokens
        token = tokens[-1] if tokens else None
        if token is not None and token["type"] == "paragraph":
            token["text"] += text
            token.setdefault("_start", start)
            token["_end"] = max(end, token.get("_end", end))
        else:
            self.budget.spend()
            tokens.append({"type": "paragraph", "text": text, "_start": start, "_end": end})

    def append_paragraph(self) -> int | None:
        start = self.cursor
        pos = super().append_paragraph()
        if pos:
            _, end = self.span_of(start, pos)
            token = self.tokens[-1]
            token["_end"] = max(end, token.get("_end", end))
        return pos


def _cache_blank_starts(state: BlockState, blank_line: re.Pattern[str]) -> None:
    """Fill mistune's cache of the offsets where runs of blank lines start in ``state.src``
    (the matches of ``blank_line``, mistune's BLANK_LINE): ten times faster than its scan."""
    src = state.src
    cache = state.env.get(_BLANK_STARTS_KEY)
    if cache is not None and cache[0] is src:
        return
    first = blank_line.match(src)
    starts = [0] if first else []
    starts.extend(m.start() + 1 for m in _BLANK_RUN.finditer(src, first.end() if first else 0))
    state.env[_BLANK_STARTS_KEY] = (src, starts)


_compile_list_break_sc = list_parser._compile_list_break_sc


def _list_break_sc(block: Any, leading_width: int) -> re.Pattern[str]:
    """mistune's pattern for the lines that end a list item, kept per indent by speclint's
    parser (its rules do not change once built); other parsers get mistune's own."""
    cache = getattr(block, "list_break_sc", None)
    if cache is None:
        return _compile_list_break_sc(block, leading_width)
    found = cache.get(leading_width)
    if found is None:
        found = cache[leading_width] = _compile_list_break_sc(block, leading_width)
    return found


list_parser._compile_list_break_sc = _list_break_sc


class LineStartScanner:
    """mistune's block scanner, whose ``search`` tries line starts only.

    Every block rule starts with ``^`` (multi-line), so a match can only start at a line
    start; ``Pattern.search`` tries every character instead, some fifteen alternatives each,
    which costs about 0.3 us per character of a paragraph that opens like a block (``*``,
    ``[``, a digit) while mistune looks for its end. This finds the same match: the first
    line start, from ``pos`` on, where the pattern matches. ``match`` is the pattern's own.
    """

    __slots__ = ("compiled", "match")

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled
        self.match = compiled.match

    def search(self, src: str, pos: int = 0) -> re.Match[str] | None:
        match = self.match
        pos = min(max(pos, 0), len(src))  # as Pattern.search takes it
        if pos == 0 or src[pos - 1] == "\n":
            found = match(src, pos)
            if found is not None:
                return found
        find = src.find
        while (pos := find("\n", pos) + 1) > 0:
            found = match(src, pos)
            if found is not None:
                return found
        return None


_FENCE_ENDS: dict[tuple[str, int], re.Pattern[str]] = {}  # see parse_fenced_code


def _line_start(src: str, pos: int) -> int:
    """Offset where the line holding offset ``pos`` starts."""
    return src.rfind("\n", 0, max(pos, 0)) + 1


class LineBlockParser(mistune.BlockParser):
    """Block parser that stamps ``_start``/``_end`` file lines on every token."""

    state_cls = LineState

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the pattern that ends a list item, by the item's indent (see _list_break_sc)
        self.list_break_sc: dict[int, re.Pattern[str]] = {}
        self.scanners: dict[int, LineStartScanner] = {}  # see compile_sc
        if self.specification.get("thematic_break") == _THEMATIC_BREAK:
            self.specification["thematic_break"] = _THEMATIC_BREAK_POSSESSIVE

    def parse(self, state: LineState, rules: list[str] | None = None) -> None:  # type: ignore[override]
        state.budget.spend()  # the document, or one container's content (a list item...)
        super().parse(state, rules)

    def extract_block_quote(self, m: re.Match[str], state: LineState) -> Any:  # type: ignore[override]
        """mistune copies a quote's lines once for each level it is nested in (up to 20):
        each line copied spends a block, so deep quotes cannot multiply the work unbounded."""
        text, end_pos, lazy_line_starts = super().extract_block_quote(m, state)
        state.budget.spend(text.count("\n"))
        return text, end_pos, lazy_line_starts

    def parse_ref_link(self, m: re.Match[str], state: BlockState) -> int | None:
        _cache_blank_starts(state, self.BLANK_LINE)
        return super().parse_ref_link(m, state)

    def parse_method(self, m: re.Match[str], state: LineState) -> int | None:  # type: ignore[override]
        rule = m.lastgroup
        assert rule
        start = m.start()
        tokens = state.tokens
        frames = state._frames
        if rule != "blank_line":
            state.budget.spend()
        if rule in _ONE_LINE_RULES:
            # the commonest rules: one new token, on the line where the match starts
            end_pos = self._methods[rule](m, state)
            tokens[-1]["_start"] = tokens[-1]["_end"] = state.line_at(start)
            if frames and frames[-1].cut is None:
                frames[-1].cut = start  # see below
            return end_pos
        before = len(tokens)
        # a setext underline turns the paragraph before it into the heading
        last = tokens[-1] if before and rule == "setex_heading" else None
        last_type = last["type"] if last is not None else None
        frame: _Frame | None = None
        if rule == "block_quote":
            frame = _Frame(rule, state.line_at(start), start)
        elif rule == "list":
            frame = _Frame(rule, 0, _line_start(state.src, start))
        if frame is not None:
            frames.append(frame)
            try:
                end_pos = self._methods[rule](m, state)
            finally:
                frames.pop()
        elif rule == "def_list":
            end_pos = self._parse_def_list(m, state)
        else:
            end_pos = self._methods[rule](m, state)
            if end_pos and rule in _TABLE_RULES and tokens[-1].get("type") == "table":
                state.budget.spend(len(tokens[-1]["rows"]) - 1)  # the body rows
        if end_pos and frames and frames[-1].cut is None:
            # parsed while an enclosing container was collecting its lines: it cuts it short
            frames[-1].cut = start
        if last is not None and last_type == "paragraph" and last["type"] == "heading":
            last["_end"] = state.line_at(start)  # the underline
        elif rule == "ref_footnote" and end_pos:
            _record_footnote(self, m, state)
        cut = frame.cut if frame is not None else None
        _stamp(state, before, start, end_pos if cut is None else cut, frame)
        return end_pos

    def compile_sc(self, rules: list[str] | None = None) -> Any:
        # CommonMark: an ATX heading is never a lazy continuation line of a block quote;
        # mistune 3.4 leaves it out of the rules that end one (``> note`` / ``# Next``
        # put the heading, and its section, inside the quote)
        if rules == _QUOTE_LAZY_BREAKS:
            rules = [*rules, "atx_heading"]
        compiled = super().compile_sc(rules)
        scanner = self.scanners.get(id(compiled))
        if scanner is None or scanner.compiled is not compiled:
            scanner = self.scanners[id(compiled)] = LineStartScanner(compiled)
        return scanner

    def _parse_def_list(self, m: re.Match[str], state: LineState) -> int | None:
        """Definitions are parsed in fresh states: give each the line of its ``:``."""
        head = _previous_paragraph(state)
        if head is None:
            return super().parse_method(m, state)
        definitions, _ = _collect_definitions(state.src, state.cursor, state.cursor_max, False)
        line = state.line_at(state.cursor)
        spans = []
        for text, _loose in definitions:
            spans.append((line, line + text.rstrip(_BLANK_CHARS).count("\n")))
            line += text.count("\n")
        queue = [first for first, _ in spans]

        def new_state() -> LineState:
            child = LineState()
            child.budget = state.budget
            child.line0 = queue.pop(0) if queue else state.line0
            return child

        self.state_cls = new_state  # type: ignore[assignment]
        try:
            end_pos = super().parse_method(m, state)
        finally:
            del self.state_cls
        if end_pos:
            _stamp_def_list(state.tokens[-1], head, spans)
        return end_pos

    def parse_fenced_code(self, m: re.Match[str], state: BlockState) -> int | None:
        """mistune 3.4's parse_fenced_code, with the pattern that closes a fence built once
        for each fence character and length up to 16 (mistune compiles it for every block,
        a lookup in re's cache that was a third of the rule's cost on a file of small code
        blocks), and the info string unescaped only when it holds a backslash.
        ``test_fenced_code_is_read_as_mistune_reads_it`` compares the two."""
        spaces, marker, info = m.group("fenced_1"), m.group("fenced_2"), m.group("fenced_3")
        char = marker[0]
        if info and char == "`" and char in info:
            return None  # CommonMark example 145: no backtick in a backtick fence's info
        closing = _FENCE_ENDS.get((char, len(marker)))
        if closing is None:
            closing = re.compile(r"^ {0,3}" + char + "{" + str(len(marker)) + r",}[ \t]*(?:\n|$)",
                                 re.M)
            if len(marker) <= 16:
                _FENCE_ENDS[(char, len(marker))] = closing
        code_start = m.end() + 1
        found = closing.search(state.src, code_start)
        if found:
            code, end_pos = state.src[code_start:found.start()], found.end()
        else:
            code, end_pos = state.src[code_start:], state.cursor_max
        if spaces and code:
            code = re.compile("^ {0," + str(len(spaces)) + "}", re.M).sub("", code)
        token: Token = {"type": "block_code", "raw": code, "style": "fenced", "marker": marker}
        if info:
            token["attrs"] = {"info": (unescape_char(info) if "\\" in info else info).strip()}
        state.append_token(token)
        return end_pos

    def _parse_indent_code_fast(self, state: LineState) -> int | None:  # type: ignore[override]
        start = state.cursor
        if state.src[start:start + 1] not in _INDENT_CHARS:
            return None  # an indented code line starts with a space or a tab
        before = len(state.tokens)
        end_pos = super()._parse_indent_code_fast(state)
        if end_pos is not None:
            state.budget.spend()
            _stamp(state, before, start, end_pos, None)
        return end_pos


def _stamp(state: LineState, before: int, start: int, end_pos: int | None,
           frame: _Frame | None) -> None:
    """Give the new, unstamped tokens the span they consumed.

    Lists and quotes insert their token before the block that cut them short, and def_list
    replaces the paragraph before it, so look two tokens further back than ``before``.
    """
    if end_pos is None or end_pos <= start:
        end_pos = state.find_line_end_at(start)
    span: tuple[int, int] | None = None
    for token in state.tokens[max(0, before - 2):]:
        if "_start" in token:
            continue
        if span is None:
            span = state.span_of(start, end_pos)
        token["_start"], token["_end"] = span
        if token["type"] == "list" and frame is not None:
            _stamp_list_items(state, token, frame.items, end_pos)


def _stamp_list_items(state: LineState, token: Token, item_starts: list[int],
                      end_pos: int) -> None:
    """An item runs from its marker line to the line before the next item's marker.

    (Its last child may end earlier: link reference definitions leave no token.)
    """
    offsets = [*item_starts, end_pos]
    for index, item in enumerate(token["children"][:len(item_starts)]):
        item["_start"], item["_end"] = state.span_of(
            offsets[index], max(offsets[index], offsets[index + 1]))


def _previous_paragraph(state: LineState) -> Token | None:
    """The paragraph mistune's def_list turns into terms (same rule as the plugin)."""
    tokens = state.tokens
    if tokens and tokens[-1]["type"] == "paragraph":
        return tokens[-1]
    if len(tokens) > 1 and tokens[-1]["type"] == "blank_line" and tokens[-2]["type"] == "paragraph":
        return tokens[-2]
    return None


def _stamp_def_list(token: Token, head: Token, spans: list[tuple[int, int]]) -> None:
    """Terms on the lines of the paragraph they came from, definitions on their lines.

    def_list appends to the list before it, so only the children after the last stamped
    one are new (looking at all of them each time would be quadratic).
    """
    if token.get("type") != "def_list":
        return
    children = token["children"]
    first_new = len(children)
    while first_new > 0 and "_start" not in children[first_new - 1]:
        first_new -= 1
    line = head["_start"]
    definitions = iter(spans)
    for child in children[first_new:]:
        if child["type"] == "def_list_head":
            child["_start"] = child["_end"] = min(line, head["_end"])
            line += 1
        else:
            child["_start"], child["_end"] = next(definitions, (head["_end"], head["_end"]))
    token.setdefault("_start", head["_start"])
    ends = [child["_end"] for child in children[first_new:]]
    token["_end"] = max([token.get("_end", 0), *ends])


def _record_footnote(block: LineBlockParser, m: re.Match[str], state: LineState) -> None:
    """Keep a footnote definition (mistune keeps only its text in ``env``) as a token.

    Its body is parsed like a block quote's, line for line, and the token is put back in
    document order after parsing (``_merge_footnotes``).
    """
    region = state.src[m.start():m.end()]
    mark = _FOOTNOTE_MARK.match(region)
    lines = region[mark.end() if mark else 0:].split("\n")
    indents = [len(line) - len(line.lstrip(" ")) for line in lines[1:] if line.strip()]
    indent = indents[0] if indents else 0
    body = "\n".join([lines[0].strip(" \t")] + [_dedent(line, indent) for line in lines[1:]])
    child = LineState(state)
    child.process(body.rstrip(_BLANK_CHARS) + "\n")
    child.line0 = state.line_at(m.start())
    block.parse(child, block.block_quote_rules)
    first, last = state.span_of(m.start(), m.end())
    token = {"type": "footnote_item", "children": child.tokens, "_start": first, "_end": last,
             "attrs": {"key": m.group("footnote_key")}}
    state.env.setdefault("speclint_footnotes", []).append(token)


def _dedent(line: str, indent: int) -> str:
    width = len(line) - len(line.lstrip(" "))
    return line[min(width, indent):]


TableLine = Callable[[str], "str | None"]  # a row's text between its edges, or None: no row
BlockRule = Callable[[Any, re.Match[str], BlockState], "int | None"]


def _table_rule(row_text: TableLine, invalid: Callable[[BlockState, int], int] | None
                ) -> BlockRule:
    """mistune 3.4's parse_table (``invalid``: what a table that breaks off becomes) or
    parse_nptable, with its own helpers, keeping the table as its cells' texts (``rows``,
    the header first) instead of a dictionary per cell: a 10 MB table would hold one for each
    of its cells while it is parsed."""

    def parse(block: Any, m: re.Match[str], state: BlockState) -> int | None:
        pos = m.end()
        header = row_text(m.group(0))
        if header is None:
            return None
        align_line = state.get_line(pos)
        align = row_text(align_line)
        if align is None:
            return None
        head = _table_head(header, align)
        if head is None:
            return invalid(state, pos + len(align_line)) if invalid else None
        pos += len(align_line)
        rows = [head]
        columns = len(head)
        while pos < state.cursor_max:
            line = state.get_line(pos)
            text = row_text(line)
            if text is None:
                break
            cells = _split_cells(text)
            if len(cells) != columns:
                return invalid(state, pos + len(line)) if invalid else None
            rows.append(cells)
            pos += len(line)
        state.append_token({"type": "table", "rows": rows})
        return pos

    return parse


def _table_head(header: str, align: str) -> list[str] | None:
    """The plugin's ``_process_thead``, its cells split by _split_cells: the header's cells,
    or None when the delimiter row is not one (a cell that is not dashes, optionally flanked
    by colons, or empty; or another number of cells)."""
    cells, delimiters = _split_cells(header), _split_cells(align)
    if len(cells) != len(delimiters):
        return None
    for cell in delimiters:
        if not (gfm_table.ALIGN_CENTER.match(cell) or gfm_table.ALIGN_LEFT.match(cell)
                or gfm_table.ALIGN_RIGHT.match(cell) or gfm_table.ALIGN_NONE.match(cell)
                or not cell.strip()):
            return None
    return cells


def _split_cells(text: str) -> list[str]:
    """The plugin's ``_split_table_cells``, which walks the row a character at a time to
    skip escaped pipes: a row without a backslash has none, and ``str.split`` gives the same
    cells."""
    if "\\" in text:
        return gfm_table._split_table_cells(text)
    return [cell.strip() for cell in text.split("|")]


def compact_table(md: mistune.Markdown) -> None:
    """mistune's table plugin with tables kept as their cells' texts (_table_rule). The rules
    call the plugin's private helpers: mistune is pinned to 3.4.x, and
    test_tables_are_read_as_mistune_reads_them compares the tables with the plugin's own."""
    md.block.register("table", gfm_table.TABLE_PATTERN, _table_rule(
        gfm_table._strip_pipe_table_row, gfm_table._parse_invalid_pipe_table), before="paragraph")
    md.block.register("nptable", gfm_table.NP_TABLE_PATTERN, _table_rule(
        gfm_table._strip_table_line, None), before="paragraph")


def build_markdown() -> mistune.Markdown:
    """A mistune Markdown with speclint's plugins and no inline rendering."""
    return mistune.Markdown(
        renderer=None,
        block=LineBlockParser(),
        plugins=[compact_table, table_in_list, table_in_quote, task_lists, footnotes,
                 def_list],
    )


_MARKDOWN: mistune.Markdown | None = None


class TooDeep(Exception):
    """mistune needs more nested calls for this text than speclint gives it."""


class TooManyBlocks(Exception):
    """The text holds more blocks than ``parse_blocks`` was allowed to parse."""


class _NoLimit(BlockBudget):
    """The budget of a parse without a limit (and of states parsed outside parse_blocks)."""

    __slots__ = ()

    def spend(self, blocks: int = 1) -> None:
        pass


_NO_LIMIT = _NoLimit(0)


DEEP_RECURSION_LIMIT = 40_000  # Python frames: about 5,000 list and quote lines in turn
DEEP_STACK_BYTES = 512 << 20


def parse_blocks(body: str, first_line: int, max_blocks: int = 0) -> list[Token]:
    """Block tokens of ``body`` (LF text) whose first line is file line ``first_line``.

    ``max_blocks`` (0: no limit) bounds the parser's work: past that many blocks (each
    paragraph, each other block rule that matches but blank lines, each container's content,
    each table row, each line of a block quote at each level), TooManyBlocks, before the
    rest of the text is parsed.

    mistune parses a block that interrupts a list or a quote inside the call that collects
    that container, so ``- a`` / ``> b`` lines in turn nest one call per line. A text that
    runs out of Python's usual recursion limit is parsed again with a deeper one, in a thread
    with a stack to match; past that, TooDeep.
    """
    try:
        return _parse_blocks(body, first_line, max_blocks)
    except RecursionError:
        return _parse_deeply(body, first_line, max_blocks)


def _parse_deeply(body: str, first_line: int, max_blocks: int) -> list[Token]:
    found: list[list[Token]] = []
    failed: list[BaseException] = []

    def run() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, DEEP_RECURSION_LIMIT))
        try:
            found.append(_parse_blocks(body, first_line, max_blocks))
        except RecursionError:
            pass
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failed.append(exc)
        finally:
            sys.setrecursionlimit(limit)

    size = threading.stack_size(DEEP_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="speclint-deep-parse")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
    if failed:
        raise failed[0]
    if not found:
        raise TooDeep("lists and block quotes interrupt each other too many times in a row")
    return found[0]


def _parse_blocks(body: str, first_line: int, max_blocks: int) -> list[Token]:
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = build_markdown()
    state = LineState()
    state.budget = BlockBudget(max_blocks) if max_blocks else _NO_LIMIT
    state.line0 = first_line
    if not body.endswith("\n"):
        body += "\n"
    # CommonMark: a line of spaces and tabs is a blank line; mistune takes one of 4+ spaces
    # for indented code (a whitespace "code block" after a heading, two paragraphs merged)
    body = _WHITESPACE_LINE.sub("\n", "\n" + body)[1:]  # the first line has a newline before it
    state.process(body)
    _MARKDOWN.block.parse(state)
    tokens = state.tokens + state.env.get("speclint_footnotes", [])
    _fill_child_spans(tokens)
    return tokens


def _fill_child_spans(tokens: list[Token], parent: Token | None = None) -> None:
    """Table rows get their own line; tokens built outside a tracked state inherit the span.

    Siblings are put in line order: mistune inserts a list or quote that was cut short before
    the block that cut it, which misplaces it when one such container cuts another short
    (``- a`` / ``> b`` / ``  - c`` / ``# H`` gives list, list, quote); footnote definitions are
    appended at the end and move to their place.
    """
    if parent is not None and "_start" in parent:
        start, end = parent["_start"], parent["_end"]
        for token in tokens:
            if "_start" not in token:
                token["_start"] = start
            if "_end" not in token:
                token["_end"] = end
    if len(tokens) > 1:
        tokens.sort(key=_start_line)  # stable: ties keep parse order
    for token in tokens:
        children = token.get("children")
        if children is None:
            continue
        if isinstance(children, list):
            _fill_child_spans(children, token)


def _start_line(token: Token) -> int:
    return token.get("_start", 0)
