"""mistune block parsing with exact line spans on every block token.

mistune 3.4 records no positions. ``LineBlockParser`` wraps the block-rule dispatcher
(``parse_method``), the indented-code fast path and the paragraph hooks of ``LineState``, and
maps every child state (block quotes, list items) line for line onto its parent, so each token
gets ``_start``/``_end``: 1-based lines in original-file coordinates.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import mistune
from mistune.core import BlockState
from mistune.plugins.def_list import def_list
from mistune.plugins.footnotes import footnotes
from mistune.plugins.table import table, table_in_list, table_in_quote
from mistune.plugins.task_lists import task_lists

Token = dict[str, Any]

_LIST_MARKER = re.compile(r" {0,3}(?:[*+-]|\d{1,9}[.)])([^\n]*)")


class LineState(BlockState):
    """A block state that knows the file line of its first source line."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.line0 = 1
        self._newlines: list[int] | None = None
        self.child_line0: int | None = None  # set by the parser just before child_state()

    def process(self, src: str) -> None:
        super().process(src)
        self._newlines = None

    def line_at(self, pos: int) -> int:
        """File line of character offset ``pos`` in this state's source."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.src)]
        return self.line0 + bisect_right(self._newlines, pos - 1)

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Line span of ``src[start:end]`` without trailing blank lines."""
        text = self.src[start:end]
        stripped = len(text.rstrip())
        last = start + stripped - 1 if stripped else start
        return self.line_at(start), max(self.line_at(start), self.line_at(last))

    def child_state(self, src: str, lazy_line_starts: Any = None) -> LineState:
        child = super().child_state(src, lazy_line_starts)
        assert isinstance(child, LineState)
        child.line0 = self.child_line0 if self.child_line0 is not None else self.line0
        return child

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        merging = last is not None and last["type"] == "paragraph"
        super().add_paragraph(text)
        start, end = self.span_of(self.cursor, self.cursor + len(text))
        token = self.tokens[-1]
        if not merging or "_start" not in token:
            token["_start"] = start
        token["_end"] = max(end, token.get("_end", end))

    def append_paragraph(self) -> int | None:
        start = self.cursor
        pos = super().append_paragraph()
        if pos:
            _, end = self.span_of(start, pos)
            token = self.tokens[-1]
            token["_end"] = max(end, token.get("_end", end))
        return pos


class LineBlockParser(mistune.BlockParser):
    """Block parser that stamps ``_start``/``_end`` file lines on every token."""

    state_cls = LineState

    def parse_method(self, m: re.Match[str], state: LineState) -> int | None:  # type: ignore[override]
        rule = m.lastgroup
        start = m.start()
        before = len(state.tokens)
        last = state.tokens[-1] if state.tokens else None
        if rule in ("block_quote", "list"):
            return self._parse_container(rule, m, state, before)
        end_pos = super().parse_method(m, state)
        if rule == "setex_heading" and len(state.tokens) == before and last is not None:
            if last.get("type") == "heading":
                last["_end"] = state.line_at(m.start())
            return end_pos
        self._stamp(state, before, start, end_pos)
        if rule == "def_list":
            _fix_def_list_start(state, last)
        return end_pos

    def _parse_container(
        self, rule: str, m: re.Match[str], state: LineState, before: int
    ) -> int | None:
        """Quotes and lists: give each child state the file line of its first line."""
        start = m.start()
        first_line = state.line_at(start)
        if rule == "block_quote":
            state.child_line0 = first_line
            end_pos = super().parse_method(m, state)
        else:
            end_pos = self._parse_list_items(m, state, first_line)
        state.child_line0 = None
        self._stamp(state, before, start, end_pos)
        return end_pos

    def _parse_list_items(self, m: re.Match[str], state: LineState, first_line: int) -> int | None:
        """Track each list item's marker line while mistune parses the list."""
        original = state.child_state
        marker_line = [first_line]
        item_lines: list[int] = []

        def child_state(src: str, lazy_line_starts: Any = None) -> LineState:
            line = marker_line[0]
            item_lines.append(line)
            state.child_line0 = line + _blank_marker_offset(state, line)
            child = original(src, lazy_line_starts)
            # if another item follows, the cursor sits just past its marker line
            marker_line[0] = state.line_at(state.cursor - 1)
            return child

        previous = state.__dict__.get("child_state")
        state.child_state = child_state  # type: ignore[method-assign]
        before = len(state.tokens)
        try:
            end_pos = super().parse_method(m, state)
        finally:
            if previous is None:
                del state.child_state
            else:
                state.child_state = previous  # type: ignore[method-assign]
        _stamp_list_items(state.tokens[before:], item_lines)
        return end_pos

    def _parse_indent_code_fast(self, state: LineState) -> int | None:  # type: ignore[override]
        before = len(state.tokens)
        start = state.cursor
        end_pos = super()._parse_indent_code_fast(state)
        if end_pos is not None:
            self._stamp(state, before, start, end_pos)
        return end_pos

    @staticmethod
    def _stamp(state: LineState, before: int, start: int, end_pos: int | None) -> None:
        """Give new, unstamped tokens the span they consumed.

        A block cut short by a nested block (a quote or list interrupted by a fence)
        ends where that block starts.
        """
        new = state.tokens[before:]
        if not new:
            return
        if end_pos is None or end_pos <= start:
            end_pos = state.find_line_end_at(start)
        first, last = state.span_of(start, end_pos)
        nested_starts = [t["_start"] for t in new if "_start" in t and t["type"] != "paragraph"]
        if nested_starts:
            last = max(first, min(nested_starts) - 1)
            last = _trim_blank_end(state, first, last)
        for token in new:
            if "_start" not in token:
                token["_start"], token["_end"] = first, last


def _stamp_list_items(tokens: list[Token], item_lines: list[int]) -> None:
    """List items start on their marker line and end with their last child."""
    for token in tokens:
        if token["type"] != "list" or "_start" in token:
            continue
        for item, line in zip(token["children"], item_lines, strict=False):
            ends = [child["_end"] for child in item["children"] if "_end" in child]
            item["_start"], item["_end"] = line, max(ends, default=line)


def _trim_blank_end(state: LineState, first: int, last: int) -> int:
    lines = state.src.split("\n")
    while last > first and not lines[last - state.line0].strip():
        last -= 1
    return last


def _blank_marker_offset(state: LineState, line: int) -> int:
    """1 when a list item's marker line has no text (its content starts a line later)."""
    index = line - state.line0
    newlines = state._newlines or []
    begin = newlines[index - 1] + 1 if index > 0 else 0
    end = newlines[index] if index < len(newlines) else len(state.src)
    match = _LIST_MARKER.match(state.src, begin, end)
    return 1 if match and not match.group(1).strip() else 0


def _fix_def_list_start(state: LineState, previous: Token | None) -> None:
    """def_list swallows the paragraph before it: start at that paragraph."""
    if not state.tokens or previous is None or "_start" not in previous:
        return
    token = state.tokens[-1]
    if token["type"] == "def_list" and previous not in state.tokens:
        token["_start"] = min(token["_start"], previous["_start"])


def _stamp_table_rows(table_token: Token) -> None:
    """Header on the table's first line, body row i on ``start + 2 + i``."""
    start = table_token["_start"]
    for part in table_token["children"]:
        if part["type"] == "table_head":
            part["_start"] = part["_end"] = start
        else:
            part["_start"], part["_end"] = start + 2, table_token["_end"]
            for index, row in enumerate(part["children"]):
                row["_start"] = row["_end"] = start + 2 + index


def build_markdown() -> mistune.Markdown:
    """A mistune Markdown with speclint's plugins and no inline rendering."""
    return mistune.Markdown(
        renderer=None,
        block=LineBlockParser(),
        plugins=[table, table_in_list, table_in_quote, task_lists, footnotes, def_list],
    )


_MARKDOWN: mistune.Markdown | None = None


def parse_blocks(body: str, first_line: int) -> list[Token]:
    """Block tokens of ``body`` (LF text) whose first line is file line ``first_line``."""
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = build_markdown()
    state = LineState()
    state.line0 = first_line
    if not body.endswith("\n"):
        body += "\n"
    state.process(body)
    _MARKDOWN.block.parse(state)
    _fill_child_spans(state.tokens)
    return state.tokens


def _fill_child_spans(tokens: list[Token], parent: Token | None = None) -> None:
    """Table rows get their own line; tokens built outside a tracked state inherit the span."""
    for token in tokens:
        if token["type"] == "table":
            _stamp_table_rows(token)
        if "_start" not in token and parent is not None:
            token["_start"], token["_end"] = parent["_start"], parent["_end"]
        children = token.get("children")
        if isinstance(children, list):
            _fill_child_spans(children, token)
