"""The Document: front matter, blocks with line spans, and the section tree (SPEC 5)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from speclint.parse import Token, parse_blocks
from speclint.source import Source

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_NUMBERING = re.compile(r"^(?:(?:\d+|[ivxlc]+|[a-z])[.)]|\d+(?:\.\d+)*\.?|§)\s+", re.I)
_NON_WORD = re.compile(r"[^\w]+")
_TITLE_MARKUP = re.compile(r"[`*_~]|\[|\]\([^)]*\)")
# words only (ASCII), not starting with a digit: no markup, numbering or punctuation to take away
_WORDS_ONLY = re.compile(r"[A-Za-z][A-Za-z0-9 ]*")


def normalise_title(title: str) -> str:
    """'4.2 RATE-LIMITING' -> 'rate limiting': case, punctuation and numbering away."""
    if _WORDS_ONLY.fullmatch(title):  # most titles: one scan instead of three
        return " ".join(title.lower().split())
    text = _TITLE_MARKUP.sub(" ", title).strip()
    text = _NUMBERING.sub("", text)
    text = _NON_WORD.sub(" ", text.lower()).replace("_", " ")
    return " ".join(text.split())


def strip_comments(text: str) -> str:
    """Remove HTML comments; they never count as content.

    A comment's line breaks stay, so line ``i`` of the result is still line ``i`` of the text.
    """
    if "<!--" not in text:
        return text
    return _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


@dataclass(slots=True)
class Row:
    """One table row: cell texts and the file line."""

    line: int
    cells: list[str]
    header: bool = False


@dataclass(slots=True)
class Block:
    """A leaf block with its line span.

    kind: heading, paragraph, code, table, html, thematic_break.
    ``list_depth`` > 0 inside list items; ``ordered`` tells the innermost list's kind.
    """

    kind: str
    start: int
    end: int
    text: str = ""
    level: int = 0
    info: str = ""
    rows: list[Row] = field(default_factory=list)
    list_depth: int = 0
    ordered: bool = False
    in_quote: bool = False
    item_start: bool = False  # first block of a list item
    fenced: bool = False
    language: str = ""  # a code block's: the first word of its info string, lower case

    @property
    def body_start(self) -> int:
        """File line of a code block's first body line."""
        return self.start + 1 if self.fenced else self.start


@dataclass(slots=True)
class ListInfo:
    """A list container: ordered or not, the marker line of each item."""

    start: int
    end: int
    ordered: bool
    item_lines: list[int]
    depth: int


@dataclass(slots=True, eq=False)
class Section:
    """A heading and everything under it until the next heading of the same or higher level."""

    level: int
    title: str
    norm: str
    start: int
    end: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = None
    heading: Block | None = None  # the heading block (None for the root)

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        stack = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    def all_blocks(self) -> Iterator[Block]:
        yield from self.blocks
        for child in self.children:
            yield from child.all_blocks()

    def ancestors(self) -> Iterator[Section]:
        node = self.parent
        while node is not None and node.level > 0:
            yield node
            node = node.parent


@dataclass
class Document:
    """Everything later stages read about one file."""

    path: str
    source: Source
    blocks: list[Block]
    lists: list[ListInfo]
    root: Section
    comments: list[tuple[int, int, str]]  # (start line, end line, text) of HTML comments
    all_sections: list[Section] = field(default_factory=list)  # the root first, in order

    @property
    def front_matter(self) -> dict[str, Any]:
        return self.source.front_matter

    @property
    def line_count(self) -> int:
        lines = self.source.lines
        return max(1, len(lines) - (1 if lines and lines[-1] == "" else 0))

    @property
    def title_line(self) -> int:
        return self.all_sections[1].start if len(self.all_sections) > 1 else 1

    def release(self) -> None:
        """Cut the links from sections to their parents once the document is done with: the
        tree then holds no cycle, so reference counting frees it at once, and the cyclic
        collector never has to walk its blocks (a fifth of a second per 200,000 headings)."""
        for section in self.all_sections:
            section.parent = None

    def sections(self) -> Iterator[Section]:
        """Every section with a heading, in document order."""
        return iter(self.all_sections[1:])

    def section_at(self, line: int) -> Section:
        found = self.root
        for section in self.all_sections:
            if section.start <= line <= section.end and section.level >= found.level:
                found = section
        return found


def _table_rows(token: Token) -> list[Row]:
    """The header on the table's first line, body row i on ``start + 2 + i`` (the delimiter
    row between them)."""
    start = token["_start"]
    head, *body = token["rows"]
    return [Row(start, head, True)] + [Row(start + 2 + i, cells) for i, cells in enumerate(body)]


class _Flattener:
    """Walk mistune tokens into leaf blocks, remembering list and quote context."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists: list[ListInfo] = []
        self.comments: list[tuple[int, int, str]] = []

    def walk(self, tokens: list[Token], depth: int = 0, ordered: bool = False,
             quote: bool = False) -> None:
        for token in tokens:
            kind = token["type"]
            if kind == "blank_line":
                continue
            if kind == "list":
                self._list(token, depth, quote)
            elif kind == "block_quote":
                self.walk(token["children"], depth, ordered, True)
            elif kind in ("def_list", "def_list_item"):
                self.walk(token.get("children", []), depth, ordered, quote)
            elif kind in ("footnotes", "footnote_item"):
                # a footnote's blocks count as content; a heading in one opens no section
                self.walk(token.get("children", []), depth, ordered, True)
            else:
                self._leaf(token, depth, ordered, quote)

    def _list(self, token: Token, depth: int, quote: bool) -> None:
        ordered = bool(token["attrs"].get("ordered"))
        items = token["children"]
        self.lists.append(ListInfo(token["_start"], token["_end"], ordered,
                                   [item["_start"] for item in items], depth + 1))
        for item in items:
            first = len(self.blocks)
            self.walk(item.get("children", []), depth + 1, ordered, quote)
            if len(self.blocks) > first:
                self.blocks[first].item_start = True

    def _leaf(self, token: Token, depth: int, ordered: bool, quote: bool) -> None:
        kind = token["type"]
        start, end = token["_start"], token["_end"]
        block = Block(kind=kind, start=start, end=end, list_depth=depth, ordered=ordered,
                      in_quote=quote)
        if kind == "heading":
            block.level = token["attrs"]["level"]
            block.text = strip_comments(token.get("text", "")).strip()
        elif kind in ("paragraph", "block_text", "def_list_head"):
            block.kind = "paragraph"
            block.text = strip_comments(token.get("text", ""))
            if not block.text.strip():
                return
        elif kind == "block_code":
            block.kind = "code"
            block.text = token.get("raw", "")
            block.fenced = token.get("style") == "fenced"
            block.info = token.get("attrs", {}).get("info", "") or "" if block.fenced else ""
            block.language = block.info.split()[0].lower() if block.info.strip() else ""
        elif kind == "table":
            block.rows = _table_rows(token)
        elif kind == "block_html":
            block.kind = "html"
            raw = token.get("raw", "")
            for match in _COMMENT.finditer(raw):
                line = start + raw.count("\n", 0, match.start())
                self.comments.append((line, line + match.group().count("\n"), match.group()))
            block.text = strip_comments(raw)
        elif kind not in ("thematic_break",):
            block.text = token.get("text", "") or token.get("raw", "")
        self.blocks.append(block)


def build_sections(blocks: list[Block], last_line: int,
                   order: list[Section] | None = None) -> Section:
    """Section tree from top-level headings (headings in lists or quotes stay blocks);
    ``order`` receives every section, the root first, in document order."""
    root = Section(level=0, title="", norm="", start=1, end=last_line)
    if order is not None:
        order.append(root)
    stack = [root]
    for block in blocks:
        if block.kind == "heading" and block.list_depth == 0 and not block.in_quote:
            while stack[-1].level >= block.level:
                stack[-1].end = block.start - 1
                stack.pop()
            section = Section(block.level, block.text, normalise_title(block.text), block.start,
                              last_line, parent=stack[-1], heading=block)
            if order is not None:
                order.append(section)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            stack[-1].blocks.append(block)
    return root


def _inline_comments(source: Source, blocks: list[Block]) -> list[tuple[int, int, str]]:
    """HTML comments inside paragraphs, headings and tables (html blocks are done already)."""
    if "<!--" not in source.text:
        return []
    found = []
    for block in blocks:
        if block.kind not in ("paragraph", "heading", "table"):
            continue
        raw = "\n".join(source.lines[block.start - 1:block.end])
        if "<!--" in raw:
            for match in _COMMENT.finditer(raw):
                line = block.start + raw.count("\n", 0, match.start())
                found.append((line, line + match.group().count("\n"), match.group()))
    return found


def build_document(path: str, source: Source, max_blocks: int = 0) -> Document:
    """Parse the body of ``source`` into a Document (``max_blocks``: see parse_blocks)."""
    tokens = parse_blocks(source.body, source.body_start, max_blocks)
    flat = _Flattener()
    flat.walk(tokens)
    last_line = max(1, len(source.lines) - (1 if source.lines[-1:] == [""] else 0))
    order: list[Section] = []
    root = build_sections(flat.blocks, last_line, order)
    comments = sorted(flat.comments + _inline_comments(source, flat.blocks))
    return Document(path, source, flat.blocks, flat.lists, root, comments, order)
