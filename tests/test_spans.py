"""Line spans: golden tests written by hand, and a cross-check against markdown-it-py."""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import mistune
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mistune import list_parser
from mistune.core import BlockState

from speclint import parse
from speclint.parse import LineBlockParser, Token, _cache_blank_starts, parse_blocks
from speclint.source import load_source

try:  # a test-only dependency: only the cross-check needs it
    import markdown_it
except ImportError:  # pragma: no cover
    markdown_it = None

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_SAMPLE = 150
CORPUS_SEED = 20240601
NESTING_LIMIT = 20  # mistune's DEFAULT_MAX_NESTED_LEVEL

# markdown-it's own nesting limit (20 token levels) is lower than mistune's: lift it
MARKDOWN_IT = (markdown_it.MarkdownIt("commonmark", {"maxNesting": 1000}).enable("table")
               if markdown_it is not None else None)
needs_markdown_it = pytest.mark.skipif(markdown_it is None, reason="markdown-it-py not installed")

# ------------------------------------------------------------------ golden spans
#
# Every expected span below was written by hand from the numbered input next to it. The tree is
# speclint's token tree in document order, two spaces per nesting level, blank lines and table
# internals left out.

SKIP_TYPES = {"blank_line", "table_head", "table_body", "table_row", "table_cell"}


def tree(data: str | bytes) -> list[str]:
    source = load_source(data.encode("utf-8") if isinstance(data, str) else data)
    out: list[str] = []

    def walk(tokens: list[Token], depth: int) -> None:
        for token in tokens:
            if token["type"] in SKIP_TYPES:
                continue
            out.append(f"{'  ' * depth}{token['type']} {token['_start']}-{token['_end']}")
            children = token.get("children")
            if isinstance(children, list) and token["type"] != "table":
                walk(children, depth + 1)

    walk(parse_blocks(source.body, source.body_start), 0)
    return out


def test_crlf_line_endings() -> None:
    data = b"# Title\r\n\r\nPara one\r\nstill para\r\n\r\n## Next\r\n"
    #        1           2    3           4              5    6
    assert tree(data) == ["heading 1-1", "paragraph 3-4", "heading 6-6"]


def test_lone_cr_line_endings() -> None:
    data = b"# Title\r\rPara\rmore\r\r## Next\r"
    assert tree(data) == ["heading 1-1", "paragraph 3-4", "heading 6-6"]


def test_mixed_line_endings() -> None:
    data = b"# A\r\nline\nline\rline\r\n\r\n- x\n"
    #        1      2     3     4       5    6
    assert tree(data) == ["heading 1-1", "paragraph 2-4",
                          "list 6-6", "  list_item 6-6", "    block_text 6-6"]


def test_bom_is_not_text() -> None:
    # mistune alone reads "\ufeff# Title" as a paragraph
    assert tree(b"\xef\xbb\xbf# Title\n\ntext\n") == ["heading 1-1", "paragraph 3-3"]


def test_front_matter_shifts_every_span() -> None:
    text = "---\ntitle: x\nstatus: draft\n---\n# Title\n\ntext\n- item\n"
    #       1    2         3              4    5        6 7     8
    assert tree(text) == ["heading 5-5", "paragraph 7-7",
                          "list 8-8", "  list_item 8-8", "    block_text 8-8"]


def test_bom_crlf_and_front_matter_together() -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n\r\n# T\r\n\r\ntext\r\n"
    #                    1        2           3      4    5      6    7
    assert tree(data) == ["heading 5-5", "paragraph 7-7"]


def test_unclosed_front_matter_is_markdown() -> None:
    text = "---\ntitle: x\n\n# Title\n"
    #       1    2         3 4
    assert tree(text) == ["thematic_break 1-1", "paragraph 2-2", "heading 4-4"]


def test_setext_headings_span_their_underline() -> None:
    text = "Title\n=====\n\nSub title\nsecond line\n---\n\ntext\n"
    #       1      2      3 4          5            6    7 8
    assert tree(text) == ["heading 1-2", "heading 4-6", "paragraph 8-8"]


def test_atx_headings_with_closing_hashes() -> None:
    text = "## Rate limits ##\n\n### Errors ###   \n#\n"
    assert tree(text) == ["heading 1-1", "heading 3-3", "heading 4-4"]


def test_headings_in_quotes_and_list_items() -> None:
    text = ("> # Quoted heading\n"   # 1
            "> text\n"               # 2
            "\n"                     # 3
            "- ## Listed heading\n"  # 4
            "  body\n"               # 5
            "\n"                     # 6
            "1. item\n"              # 7
            "   ### Deep heading\n")  # 8
    assert tree(text) == [
        "block_quote 1-2", "  heading 1-1", "  paragraph 2-2",
        "list 4-5", "  list_item 4-5", "    heading 4-4", "    block_text 5-5",
        "list 7-8", "  list_item 7-8", "    block_text 7-7", "    heading 8-8",
    ]


def test_hash_lines_inside_code_are_code() -> None:
    text = ("# Real\n"               # 1
            "\n"                     # 2
            "```md\n"                # 3
            "# not a heading\n"      # 4
            "## nor this\n"          # 5
            "```\n"                  # 6
            "\n"                     # 7
            "~~~\n"                  # 8
            "# tilde\n"              # 9
            "~~~\n"                  # 10
            "\n"                     # 11
            "    # indented code\n"  # 12
            "    more\n"             # 13
            "\n"                     # 14
            "## After\n")            # 15
    assert tree(text) == ["heading 1-1", "block_code 3-6", "block_code 8-10",
                          "block_code 12-13", "heading 15-15"]


def test_unclosed_fence_runs_to_the_end() -> None:
    text = "# A\n\n```\n# inside\n\ntext\n"
    assert tree(text) == ["heading 1-1", "block_code 3-6"]


def test_tables_top_level_in_lists_and_in_quotes() -> None:
    text = ("Intro\n"           # 1
            "\n"                # 2
            "| Name | Type |\n"  # 3
            "|------|------|\n"  # 4
            "| id   | int  |\n"  # 5
            "| name | str  |\n"  # 6
            "\n"                # 7
            "- item\n"          # 8
            "\n"                # 9
            "  | a | b |\n"     # 10
            "  |---|---|\n"     # 11
            "  | 1 | 2 |\n"     # 12
            "\n"                # 13
            "> | q | r |\n"     # 14
            "> |---|---|\n"     # 15
            "> | 3 | 4 |\n")    # 16
    assert tree(text) == [
        "paragraph 1-1", "table 3-6",
        "list 8-12", "  list_item 8-12", "    paragraph 8-8", "    table 10-12",
        "block_quote 14-16", "  table 14-16",
    ]


def test_a_table_is_kept_as_its_cell_texts() -> None:
    text = "text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n|  3  | 4 |\n"
    #       1     2 3          4          5          6
    table = parse_blocks(text, 1)[2]
    assert (table["type"], table["_start"], table["_end"]) == ("table", 3, 6)
    assert "children" not in table  # no dictionary per cell
    assert table["rows"] == [["a", "b"], ["1", "2"], ["3", "4"]]


_PLAIN_TABLES = mistune.create_markdown(renderer=None, plugins=[
    "table", "mistune.plugins.table.table_in_list", "mistune.plugins.table.table_in_quote"])


def _tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Every table in a token tree, as its rows of cell texts (header first)."""
    found: list[list[list[str]]] = []
    for token in tokens:
        if token["type"] == "table":
            if "rows" in token:
                found.append(token["rows"])
            else:  # mistune's own tokens: a dictionary per cell
                head, body = token["children"]
                found.append([[c["text"] for c in head["children"]]]
                             + [[c["text"] for c in row["children"]] for row in body["children"]])
        elif isinstance(token.get("children"), list):
            found += _tables(token["children"])
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "| a | b |", "|---|---|", "| :-: | --: |", "| 1 | 2 |", "| 1 | 2 | 3 |", "| x \\| y | z |",
    "a | b", "--- | ---", "1 | 2", "|  |  |", "| a |", "|---|", "text", "", "> | q | r |",
    "> |---|---|", "- | l | m |", "  |---|---|", "    | c | d |", "|-x-|---|",
    "| x \\\\| y |", "| \\\\\\| z | w |", "| \u00a0 |\tb\t|", "|\u2003q | r\\ |"]),
    max_size=12))
def test_tables_are_read_as_mistune_reads_them(lines: list[str]) -> None:
    """The table rules keep a table as its cells' texts but find the same tables, rows and
    cells as mistune's table plugin (with a dictionary per cell). A table that breaks off and
    becomes a paragraph is missing from both."""
    text = "\n".join(lines) + "\n"
    state = BlockState()
    state.process(text)
    _PLAIN_TABLES.block.parse(state)
    # in any order: speclint puts containers that mistune misplaces back in line order
    assert sorted(_tables(parse_blocks(text, 1))) == sorted(_tables(state.tokens))


_PLAIN = mistune.create_markdown(renderer=None)


def _code_blocks(tokens: list[Token]) -> list[tuple[str, str, str | None]]:
    """Every code block in a token tree: its text, its style and its info string."""
    found: list[tuple[str, str, str | None]] = []
    for token in tokens:
        if token["type"] == "block_code":
            found.append((token["raw"], token["style"], (token.get("attrs") or {}).get("info")))
        elif isinstance(token.get("children"), list):
            found += _code_blocks(token["children"])
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "```", "````", "~~~", "~~~~~", "```json", "``` py\\\\thon {x}", "```a`b", " ```",
    "   ~~~~ yaml", "  ```text", "code", "  two spaces", "", "    indented", "> ```", "> code",
    "- ```", "  code in item", "```&amp; x", "~~~ a`b", "``````````````````` long", "~~~\\*x\\*"]),
    max_size=12))
def test_fenced_code_is_read_as_mistune_reads_it(lines: list[str]) -> None:
    """speclint's fenced-code rule (its closing patterns kept, the info string unescaped
    only when it holds a backslash) finds the code blocks mistune's own rule finds."""
    text = "\n".join(lines) + "\n"
    state = BlockState()
    state.process(text)
    _PLAIN.block.parse(state)
    assert _code_blocks(parse_blocks(text, 1)) == _code_blocks(state.tokens)


def test_nested_lists() -> None:
    text = ("- one\n"          # 1
            "  - one.a\n"      # 2
            "  - one.b\n"      # 3
            "    1. deep\n"    # 4
            "- two\n"          # 5
            "\n"               # 6
            "  para of two\n"  # 7
            "- three\n")       # 8
    assert tree(text) == [
        "list 1-8",
        "  list_item 1-4", "    paragraph 1-1",
        "    list 2-4",
        "      list_item 2-2", "        block_text 2-2",  # the inner lists are tight
        "      list_item 3-4", "        block_text 3-3",
        "        list 4-4", "          list_item 4-4", "            block_text 4-4",
        "  list_item 5-7", "    paragraph 5-5", "    paragraph 7-7",
        "  list_item 8-8", "    paragraph 8-8",
    ]


def test_ordered_lists_and_a_change_of_delimiter() -> None:
    text = "3. three\n4. four\n\n10) ten\n"
    #       1         2        3 4
    assert tree(text) == [
        "list 1-2", "  list_item 1-1", "    block_text 1-1",
        "  list_item 2-2", "    block_text 2-2",
        "list 4-4", "  list_item 4-4", "    block_text 4-4",
    ]


def test_lazy_continuation_in_a_quote() -> None:
    text = "> quoted line\nlazy continuation\n> back in quote\n\nafter\n"
    #       1              2                  3                4 5
    assert tree(text) == ["block_quote 1-3", "  paragraph 1-3", "paragraph 5-5"]


def test_heading_after_a_quote_is_not_lazy() -> None:
    # mistune 3.4 alone puts the heading inside the quote
    text = "> note\n## Next\ntext\n"
    assert tree(text) == ["block_quote 1-1", "  paragraph 1-1", "heading 2-2", "paragraph 3-3"]


def test_list_item_starting_with_a_blank_marker_line() -> None:
    text = "-\n  foo\n- bar\n\n1.\n   first\n2. second\n"
    #       1  2      3      4 5   6         7
    assert tree(text) == [
        "list 1-3", "  list_item 1-2", "    block_text 2-2",
        "  list_item 3-3", "    block_text 3-3",
        "list 5-7", "  list_item 5-6", "    block_text 6-6",
        "  list_item 7-7", "    block_text 7-7",
    ]


def test_quote_interrupted_by_a_fence() -> None:
    text = "> quote text\n```\ncode\n```\n"
    assert tree(text) == ["block_quote 1-1", "  paragraph 1-1", "block_code 2-4"]


def test_list_cut_short_by_a_heading_and_a_quote() -> None:
    text = ("- a\n"      # 1
            "> b\n"      # 2
            "  - c\n"    # 3
            "# H\n")     # 4
    # mistune orders these list, list, quote; speclint puts siblings in line order
    assert tree(text) == [
        "list 1-1", "  list_item 1-1", "    block_text 1-1",
        "block_quote 2-2", "  paragraph 2-2",
        "list 3-3", "  list_item 3-3", "    block_text 3-3",
        "heading 4-4",
    ]


def test_list_item_ends_with_its_link_definition() -> None:
    text = "1. item text\n\n   [ref]: https://example.test\n2. next\n"
    #       1             2 3                               4
    assert tree(text) == [
        "list 1-4", "  list_item 1-3", "    paragraph 1-1",
        "  list_item 4-4", "    paragraph 4-4",
    ]


def test_definition_lists() -> None:
    text = ("Term\n"                # 1
            ": definition one\n"    # 2
            ": definition two\n"    # 3
            "  continued\n"         # 4
            "\n"                    # 5
            "text\n"                # 6
            "\n"                    # 7
            "Other term\n"          # 8
            "\n"                    # 9
            ":   - a list\n"        # 10
            "    - in it\n")        # 11
    assert tree(text) == [
        "def_list 1-4",
        "  def_list_head 1-1",
        "  def_list_item 2-2", "    block_text 2-2",
        "  def_list_item 3-4", "    block_text 3-4",
        "paragraph 6-6",
        "def_list 8-11",
        "  def_list_head 8-8",
        "  def_list_item 10-11",
        "    list 10-11", "      list_item 10-10", "        block_text 10-10",
        "      list_item 11-11", "        block_text 11-11",
    ]


def test_footnote_definitions_are_kept_in_place() -> None:
    text = ("Text with a note.[^1]\n"  # 1
            "\n"                       # 2
            "[^1]: The note text\n"    # 3
            "    continues here.\n"    # 4
            "\n"                       # 5
            "After.\n"                 # 6
            "\n"                       # 7
            "[^two]:\n"                # 8
            "    Second note.\n")      # 9
    assert tree(text) == ["paragraph 1-1", "footnote_item 3-4", "  paragraph 3-4",
                          "paragraph 6-6", "footnote_item 8-9", "  paragraph 9-9"]


def test_html_comment_blocks() -> None:
    text = ("# Title\n"                    # 1
            "\n"                           # 2
            "<!-- single comment -->\n"    # 3
            "\n"                           # 4
            "<!--\n"                       # 5
            "multi\n"                      # 6
            "\n"                           # 7
            "line -->\n"                   # 8
            "\n"                           # 9
            "Text <!-- inline --> more\n"  # 10
            "and <!-- spans\n"             # 11
            "two --> lines\n")             # 12
    assert tree(text) == ["heading 1-1", "block_html 3-3", "block_html 5-8", "paragraph 10-12"]


def test_unicode_line_separators_do_not_split_lines() -> None:
    text = ("# Title\u2028still the title\n"  # 1
            "\n"                             # 2
            "para\x0cwith a form feed\n"     # 3
            "line two\u2028same line\x85\n"  # 4
            "\n"                             # 5
            "- item\u2029x\n"                # 6
            "\n"                             # 7
            "## Next\x1c\n")                 # 8
    assert tree(text) == ["heading 1-1", "paragraph 3-4",
                          "list 6-6", "  list_item 6-6", "    block_text 6-6", "heading 8-8"]


def test_whitespace_only_lines_are_blank() -> None:
    # mistune alone makes the 8-space line after the heading a code block, and joins the
    # paragraphs around the 5-space line
    text = "## H\n        \ntext\n     \nmore\n"
    assert tree(text) == ["heading 1-1", "paragraph 3-3", "paragraph 5-5"]


def test_indented_code_after_a_paragraph_is_a_continuation() -> None:
    text = "para\n    not code\n\n    code\n"
    assert tree(text) == ["paragraph 1-2", "block_code 4-4"]


def test_thematic_breaks_and_a_setext_underline_after_a_heading() -> None:
    text = "# H\n---\n\n***\n"
    assert tree(text) == ["heading 1-1", "thematic_break 2-2", "thematic_break 4-4"]


def test_deep_nesting_stops_at_the_mistune_limit() -> None:
    text = "> " * 30 + "deep\n\nafter\n"
    spans = tree(text)
    assert spans[-1] == "paragraph 3-3"
    assert all(line.strip().endswith(" 1-1") for line in spans[:-1])
    assert sum("block_quote" in line for line in spans) == NESTING_LIMIT


def test_hostile_nesting_is_fast() -> None:
    start = time.perf_counter()
    spans = tree(">" * 20_000 + " x\n" + "- " * 10_000 + "y\n")
    assert spans and time.perf_counter() - start < 5


def test_empty_and_unterminated_documents() -> None:
    assert tree("") == []
    assert tree("---\ntitle: x\n---\n") == []
    assert tree("# no newline at the end") == ["heading 1-1"]


# ------------------------------------------------------------------ mistune speed-ups
#
# parse.py replaces two slow steps of mistune 3.4 with faster ones that must give the same
# answers; these tests hold them to mistune's own code.

BLANK_CASES = [
    "", "\n", "\n\n", "a", "a\n", "a\n\nb", "\n\na\n", "  \n\t\na\n", "a\n \n\n  \nb\n",
    "a\n\v\n\f\nb", "a\n\n", "a\nb\nc\n", "x\n \t \n", " a\n\n\n\n b \n\n",
    "\u00a0\n\na\n",  # a no-break space makes a line with content
]


def _mistune_blank_starts(src: str) -> list[int]:
    """The offsets mistune 3.4 computes in ``_find_next_blank_line``."""
    return [m.start() for m in mistune.BlockParser.BLANK_LINE.finditer(src)]


@pytest.mark.parametrize("src", BLANK_CASES)
def test_blank_line_starts_equal_mistunes_scan(src: str) -> None:
    state = BlockState()
    state.process(src)
    _cache_blank_starts(state, LineBlockParser.BLANK_LINE)
    assert state.env["__blank_line_starts__"] == (state.src, _mistune_blank_starts(state.src))


def test_blank_line_starts_equal_mistunes_scan_on_random_text() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        src = "".join(rng.choice(["\n", " ", "\t", "\v", "\f", "a", "\n\n"])
                      for _ in range(rng.randrange(30)))
        state = BlockState()
        state.src = src
        _cache_blank_starts(state, LineBlockParser.BLANK_LINE)
        assert state.env["__blank_line_starts__"][1] == _mistune_blank_starts(src), repr(src)


NESTED_LISTS = "- a\n  - b\n    - c\n  - d\n- e\n\n   - f\n1. g\n   * h\n"


def test_list_break_patterns_are_mistunes_built_once_per_indent() -> None:
    markdown = parse.build_markdown()
    markdown.parse(NESTED_LISTS)
    cache = dict(markdown.block.list_break_sc)
    assert cache
    for width, pattern in cache.items():
        assert pattern.pattern == parse._compile_list_break_sc(markdown.block, width).pattern
    markdown.parse(NESTED_LISTS)
    assert markdown.block.list_break_sc == cache  # the same pattern objects: nothing rebuilt
    assert all(markdown.block.list_break_sc[w] is p for w, p in cache.items())


def test_a_plain_mistune_parser_keeps_mistunes_list_code(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = mistune.create_markdown(renderer=None)
    assert not hasattr(plain.block, "list_break_sc")
    ours = plain(NESTED_LISTS)
    monkeypatch.setattr(list_parser, "_compile_list_break_sc", parse._compile_list_break_sc)
    assert mistune.create_markdown(renderer=None)(NESTED_LISTS) == ours


# ------------------------------------------------------------------ cross-check vs markdown-it-py
#
# markdown-it-py (test-only dependency) records a native ``map`` on every block token:
# [first line, line after the last] 0-based, relative to the text it was given. We give both
# parsers the same body (after source.py) and compare every block, top-level and nested:
#
#   * blocks are matched by kind and document order (pre-order walk); the kinds compared are
#     paragraph, heading, code (fence / indented), table, quote, list, item, html, hr;
#   * start lines must match exactly;
#   * end lines must match after trimming trailing lines that hold no content (only whitespace
#     and ``>`` quote markers) on both sides: markdown-it counts the blank lines that follow a
#     list item or a paragraph in a quote into its map, speclint never does;
#   * where mistune and markdown-it legitimately build a different structure, the blocks in
#     that region are skipped on both sides, each with a named reason (``QUIRKS``); any other
#     difference in the kind sequence is a failure.

MIT_KINDS = {
    "paragraph_open": "paragraph", "heading_open": "heading", "fence": "code",
    "code_block": "code", "table_open": "table", "blockquote_open": "quote",
    "bullet_list_open": "list", "ordered_list_open": "list", "list_item_open": "item",
    "html_block": "html", "hr": "hr",
}
SPECLINT_KINDS = {
    "paragraph": "paragraph", "block_text": "paragraph", "heading": "heading",
    "block_code": "code", "table": "table", "block_quote": "quote", "list": "list",
    "list_item": "item", "block_html": "html", "thematic_break": "hr",
}
CONTAINERS = ("block_quote", "list", "list_item")

QUIRKS = {
    "footnote": "mistune's footnotes plugin owns `[^x]: ...` definitions (and their indented "
                "continuation lines); markdown-it has no footnotes and reads them as link "
                "definitions, paragraphs or code",
    "def_list": "mistune's def_list plugin turns `Term` + `: definition` into a def_list; "
                "markdown-it has no definition lists",
    "table": "mistune rejects a table row that does not start and end with `|` or has the "
             "wrong cell count (the table stops there, or becomes a paragraph when the row is "
             "in the middle); GFM (markdown-it) takes any row with a pipe and pads or "
             "truncates it",
    "html": "mistune's HTML block start conditions differ from CommonMark's (type 7 "
            "self-closing tags, a bare <div> that cannot interrupt a paragraph in a container)",
    "lazy_item": "mistune keeps a line indented less than a list item's content as part of "
                 "the item (and may start a nested list or end a fence there); CommonMark "
                 "allows such lazy lines only as paragraph continuation text",
    "lazy_quote": "mistune re-parses a block quote's lazy lines (no `>`) inside the quote, "
                  "where they can start blocks; in CommonMark a lazy line only continues a "
                  "paragraph",
    "nesting": "mistune stops nesting containers at 20 levels (max_nested_level); deeper "
               "markers stay paragraph text",
}

_NO_CONTENT = re.compile(r"[\s>]*")
_QUOTE_LINE = re.compile(r"[ \t]*>")
_QUOTE_PREFIX = re.compile(r" {0,3}> ?")
_ITEM_MARKER = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])([ \t]*)(.?)")

Region = tuple[int, int, str]  # first line, last line, reason (a key of QUIRKS)


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    depth: int = 0


def _trim(lines: list[str], start: int, end: int) -> int:
    """Move ``end`` up past lines that hold only whitespace and quote markers."""
    while end > start and _NO_CONTENT.fullmatch(lines[end - 1]):
        end -= 1
    return end


def markdown_it_spans(body: str, offset: int, lines: list[str]) -> list[Span]:
    spans = []
    depth = 0
    for token in MARKDOWN_IT.parse(body):
        if token.nesting == -1 and token.type in ("blockquote_close", "bullet_list_close",
                                                   "ordered_list_close", "list_item_close"):
            depth -= 1
        kind = MIT_KINDS.get(token.type)
        if kind is None or token.map is None:
            continue
        start = token.map[0] + 1 + offset
        spans.append(Span(kind, start, _trim(lines, start, token.map[1] + offset), depth))
        if token.nesting == 1 and kind in ("quote", "list", "item"):
            depth += 1
    return spans


def speclint_spans(tokens: list[Token], lines: list[str], regions: list[Region],
                   depth: int = 0, containers: int = 0) -> list[Span]:
    """Pre-order spans of speclint's tokens; collects the regions of mistune-only blocks."""
    spans = []
    for token in tokens:
        kind = token["type"]
        if kind in ("footnote_item", "def_list"):
            regions.append((token["_start"], token["_end"],
                            "footnote" if kind == "footnote_item" else "def_list"))
            continue
        if kind in ("block_quote", "list") and containers >= NESTING_LIMIT - 1:
            regions.append((token["_start"], token["_end"], "nesting"))
        if kind in SPECLINT_KINDS:
            start = token["_start"]
            spans.append(Span(SPECLINT_KINDS[kind], start, _trim(lines, start, token["_end"]),
                              depth))
        if kind in CONTAINERS:
            inner = containers + (kind != "list_item")
            spans += speclint_spans(token["children"], lines, regions, depth + 1, inner)
    return spans


def _mistune_splits_table(lines: list[str]) -> bool:
    """Would mistune's table plugin stop in, or give up on, this GFM table (header first)?

    Rows as mistune reads them: a header that starts and ends with ``|`` makes a pipe table
    whose rows must too; otherwise every row needs a ``|``; all rows need the header's cell
    count (outer pipes stripped for a pipe table, kept otherwise).
    """
    rows = [line.lstrip(" \t>").rstrip() for line in lines]
    pipe_style = rows[0].startswith("|") and rows[0].endswith("|") and len(rows[0]) > 1

    def cells(row: str) -> int | None:
        if pipe_style:
            if not (row.startswith("|") and row.endswith("|") and len(row) > 1):
                return None
            row = row[1:-1]
        elif "|" not in row:
            return None
        return len(re.split(r"(?<!\\)\|", row))

    count = cells(rows[0])
    return any(cells(row) != count for row in rows[1:])


def _unquote(line: str, depth: int) -> str:
    """The line without up to ``depth`` leading block-quote markers."""
    line = line.expandtabs(4)
    for _ in range(depth):
        match = _QUOTE_PREFIX.match(line)
        if match is None:
            break
        line = line[match.end():]
    return line


def _quote_depth(line: str) -> int:
    depth = 0
    while (match := _QUOTE_PREFIX.match(line)) is not None:
        line, depth = line[match.end():], depth + 1
    return depth


def _content_column(marker_line: str) -> int | None:
    """Column where an item's content starts (after the quote markers before it)."""
    match = _ITEM_MARKER.match(marker_line)
    if match is None:
        return None
    if not match.group(2):  # nothing after the marker: content on the next line
        return match.start(1) + 1
    return match.start(2) if len(match.group(1)) <= 4 else match.start(1) + 1


def _structural_quirks(ours: list[Span], theirs: list[Span], lines: list[str]) -> list[Region]:
    """Regions where the two parsers build different blocks, each for a documented reason."""
    regions: list[Region] = []
    ours_at: dict[tuple[str, int], list[Span]] = {}
    theirs_at: dict[tuple[str, int], list[Span]] = {}
    for spans, index in ((ours, ours_at), (theirs, theirs_at)):
        for span in spans:
            index.setdefault((span.kind, span.start), []).append(span)
    paragraphs = [span for span in ours if span.kind == "paragraph"]
    their_paragraphs = [span for span in theirs if span.kind == "paragraph"]

    for span in theirs:
        if span.kind == "table":
            mine = ours_at.get(("table", span.start), [])
            if mine and mine[0].end == span.end:
                continue
            if _mistune_splits_table(lines[span.start - 1:span.end]):
                regions.append((span.start, span.end, "table"))
        elif span.kind == "html" and ("html", span.start) not in ours_at:
            if any(p.start <= span.start <= p.end for p in paragraphs):
                regions.append((span.start, span.end, "html"))
    for span in ours:
        if span.kind == "html" and ("html", span.start) not in theirs_at:
            if any(p.start <= span.start <= p.end for p in their_paragraphs):
                regions.append((span.start, span.end, "html"))

    lazy: list[Region] = []
    for span in ours:
        if span.kind == "item":
            lazy += _lazy_item(span, theirs_at.get(("item", span.start), []), ours_at, lines)
        elif span.kind == "quote":
            for line in range(span.start + 1, span.end + 1):
                if _QUOTE_LINE.match(lines[line - 1]) or not lines[line - 1].strip():
                    continue
                starting = [s for kind in SPECLINT_KINDS.values()
                            for s in ours_at.get((kind, line), [])]
                if starting:
                    lazy.append((line, max(s.end for s in starting), "lazy_quote"))
    # the two parsers now nest what follows differently: up to the end of markdown-it's
    # innermost container around the line
    containers = [span for span in theirs if span.kind in ("item", "quote")]
    for first, last, reason in lazy:
        around = [s for s in containers if s.start < first <= s.end]
        if around:
            last = max(last, max(around, key=lambda s: s.start).end)
        regions.append((first, last, reason))
    return regions


def _lazy_item(item: Span, theirs: list[Span], ours_at: dict[tuple[str, int], list[Span]],
               lines: list[str]) -> list[Region]:
    """A less-indented line that mistune keeps in the item and CommonMark does not."""
    quotes = _quote_depth(lines[item.start - 1].expandtabs(4))
    column = _content_column(_unquote(lines[item.start - 1], quotes))
    if column is None:
        return []
    their_end = min((s.end for s in theirs), default=item.start)
    for line in range(item.start + 1, item.end + 1):
        text = lines[line - 1]
        text = _unquote(text, quotes)
        if not text.strip() or len(text) - len(text.lstrip(" ")) >= column:
            continue
        starts_block = any((kind, line) in ours_at for kind in SPECLINT_KINDS.values())
        if line > their_end or starts_block:
            return [(line, item.end, "lazy_item")]
    return []


def _drop_regions(ours: list[Span], theirs: list[Span], regions: list[Region]
                  ) -> tuple[list[Span], list[Span], list[Region], Counter[str]]:
    """Drop the blocks (of both sides) that start inside a quirk region.

    A dropped block that runs past its region grows the region, since the other parser may
    have split those lines differently. One sweep in line order; returns the grown regions.
    """
    skipped: Counter[str] = Counter()
    if not regions:
        return ours, theirs, [], skipped
    pending = sorted(regions)
    grown: list[list] = []  # [start, end, reason], merged and grown
    dropped: set[tuple[int, int]] = set()
    both = sorted(((span.start, side, index, span) for side, spans in enumerate((ours, theirs))
                   for index, span in enumerate(spans)), key=lambda item: item[0])
    next_region = 0
    for start, side, index, span in both:
        while next_region < len(pending) and pending[next_region][0] <= start:
            region = pending[next_region]
            if grown and region[0] <= grown[-1][1]:
                grown[-1][1] = max(grown[-1][1], region[1])
            else:
                grown.append(list(region))
            next_region += 1
        if grown and grown[-1][0] <= start <= grown[-1][1]:
            grown[-1][1] = max(grown[-1][1], span.end)
            dropped.add((side, index))
            skipped[grown[-1][2]] += 1
    grown += [list(region) for region in pending[next_region:]]
    kept_ours = [s for i, s in enumerate(ours) if (0, i) not in dropped]
    kept_theirs = [s for i, s in enumerate(theirs) if (1, i) not in dropped]
    return kept_ours, kept_theirs, [(a, b, c) for a, b, c in grown], skipped


@dataclass
class Comparison:
    path: str
    compared: int = 0
    start_ok: int = 0
    ends_compared: int = 0
    end_ok: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def cross_check(path: Path) -> Comparison:
    """Compare speclint's block spans with markdown-it-py's on one file."""
    source = load_source(path.read_bytes())
    lines = source.lines
    regions: list[Region] = []
    ours = speclint_spans(parse_blocks(source.body, source.body_start), lines, regions)
    theirs = markdown_it_spans(source.body, source.body_start - 1, lines)
    regions += _structural_quirks(ours, theirs, lines)
    ours, theirs, regions, skipped = _drop_regions(ours, theirs, regions)
    result = Comparison(str(path), skipped=skipped)
    if [s.kind for s in ours] != [s.kind for s in theirs]:
        index = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False))
                      if a.kind != b.kind), min(len(ours), len(theirs)))
        result.problems.append(
            f"structure differs at block {index}: speclint {ours[index:index + 3]}, "
            f"markdown-it {theirs[index:index + 3]}")
        return result
    for mine, native in zip(ours, theirs, strict=True):
        result.compared += 1
        result.start_ok += mine.start == native.start
        last = max(mine.end, native.end)
        # a quirk region inside a block makes its end incomparable (not its start)
        if any(mine.start < first <= last for first, _, _ in regions):
            if mine.start != native.start:
                result.problems.append(f"{mine.kind}: speclint starts on {mine.start}, "
                                       f"markdown-it on {native.start}")
            continue
        result.ends_compared += 1
        result.end_ok += mine.end == native.end
        if mine.start != native.start or mine.end != native.end:
            result.problems.append(f"{mine.kind}: speclint {mine.start}-{mine.end}, "
                                   f"markdown-it {native.start}-{native.end}")
    return result


def _markdown_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.md"))


LOCAL_FILES = _markdown_files(ROOT / "examples", ROOT / "tests" / "accuracy" / "cases")


@needs_markdown_it
@pytest.mark.parametrize("path", LOCAL_FILES, ids=lambda path: path.name)
def test_spans_match_markdown_it_on_examples_and_cases(path: Path) -> None:
    result = cross_check(path)
    assert not result.problems, "\n".join(result.problems)
    assert result.compared > 0


@needs_markdown_it
def test_spans_match_markdown_it_on_a_corpus_sample() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {CORPUS} (it lives next to the repository)")
    files = _markdown_files(CORPUS)
    sample = random.Random(CORPUS_SEED).sample(files, min(CORPUS_SAMPLE, len(files)))
    began = time.perf_counter()
    results = [cross_check(path) for path in sample]
    took = time.perf_counter() - began
    compared = sum(r.compared for r in results)
    starts = sum(r.start_ok for r in results)
    ends = sum(r.end_ok for r in results)
    ends_compared = sum(r.ends_compared for r in results)
    skipped = sum((r.skipped for r in results), Counter())
    print(f"\ncorpus sample: {len(sample)} files, {compared} blocks compared in {took:.1f}s; "
          f"start lines {starts}/{compared} ({100 * starts / max(compared, 1):.2f}%), "
          f"end lines {ends}/{ends_compared}; skipped for known quirks: {dict(skipped)}")
    problems = [f"{r.path}: {p}" for r in results for p in r.problems]
    assert not problems, "\n".join(problems[:20])
    assert compared > 10_000
    assert set(skipped) <= set(QUIRKS)


@needs_markdown_it
def test_cross_check_catches_a_wrong_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cross-check is not vacuous: shift one paragraph and it fails."""
    path = tmp_path / "spec.md"
    path.write_text("# Title\n\nfirst\n\n- item\n\nlast\n", encoding="utf-8")
    assert cross_check(path).problems == []

    def shifted(body: str, first_line: int, parse=parse_blocks) -> list[Token]:
        tokens = parse(body, first_line)
        tokens[-1]["_start"] += 1
        return tokens

    monkeypatch.setattr(sys.modules[__name__], "parse_blocks", shifted)
    assert cross_check(path).problems == ["paragraph: speclint 8-7, markdown-it 7-7"]


@needs_markdown_it
def test_each_quirk_is_skipped_for_its_reason(tmp_path: Path) -> None:
    cases = {
        "footnote": "text\n\n[^1]: note\n    more\n",
        "def_list": "Term\n: definition\n",
        "table": "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n",
        "html": "text\n\n<img src=\"x.png\" />\n",
        "lazy_item": "-   a\n  - b\n",  # CommonMark: two items; mistune: b nested in a
        "lazy_quote": "> 1. a\n    - b\n",  # CommonMark: lazy text; mistune: a nested list
        "nesting": "> " * 25 + "deep\n",
    }
    for reason, text in cases.items():
        path = tmp_path / f"{reason}.md"
        path.write_text(text, encoding="utf-8")
        result = cross_check(path)
        assert result.problems == [], (reason, result.problems)
        assert result.skipped[reason] > 0, (reason, result.skipped)


if __name__ == "__main__":  # python tests/test_spans.py FILE... : agreement report
    totals: Counter[str] = Counter()
    for name in sys.argv[1:]:
        outcome = cross_check(Path(name))
        totals.update(compared=outcome.compared, start_ok=outcome.start_ok,
                      ends_compared=outcome.ends_compared, end_ok=outcome.end_ok)
        totals.update(outcome.skipped)
        for problem in outcome.problems:
            print(f"{name}: {problem}")
    print(dict(totals))


# ------------------------------------------------------------------ the line-start scanner

SCANNER_PARSER = parse.build_markdown().block
SCANNER_RULES = [None, SCANNER_PARSER.block_quote_rules, SCANNER_PARSER.list_rules,
                 ["blank_line", "indent_code", "fenced_code"], ["thematic_break", "list"]]
BLOCKISH = "#>-*+=_`~|:[]^<!/ \t\n\n\n09.)aZ"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=BLOCKISH, max_size=120), st.data())
def test_line_start_scanner_finds_what_search_finds(text: str, data: st.DataObject) -> None:
    """LineStartScanner.search tries line starts only; it must find the match that the
    pattern's own search finds, from any position (a line start, inside a line, outside)."""
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    pos = data.draw(st.one_of(st.sampled_from(line_starts), st.integers(-2, len(text) + 2)))
    for rules in SCANNER_RULES:
        scanner = SCANNER_PARSER.compile_sc(rules)
        expected = scanner.compiled.search(text, pos)
        found = scanner.search(text, pos)
        assert (found is None) == (expected is None), (rules, text, pos)
        if found is not None and expected is not None:
            assert (found.span(), found.lastgroup) == (expected.span(), expected.lastgroup)


def test_line_start_scanner_on_a_long_line() -> None:
    """After a long line that opens like a block (nested emphasis), the next line start's
    match is found, and a text without one gives None (the hypothesis test above only makes
    short texts)."""
    scanner = SCANNER_PARSER.compile_sc(None)
    text = "*" * 50_000 + "x\n# Next\n"
    found = scanner.search(text, 0)
    assert found is not None and found.start() == 50_002 and found.lastgroup == "atx_heading"
    assert scanner.search("*" * 50_000 + "x", 0) is None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="*-_ \t\nx=", max_size=40))
def test_possessive_thematic_break_matches_the_same_lines(text: str) -> None:
    """speclint's thematic break gives no repetition back (mistune's backtracks through a
    line of millions of "*"); it must match exactly where mistune's matches."""
    ours = re.compile(parse._THEMATIC_BREAK_POSSESSIVE, re.M)
    theirs = re.compile(parse._THEMATIC_BREAK, re.M)
    for pos in range(len(text) + 1):
        expected, found = theirs.match(text, pos), ours.match(text, pos)
        assert (expected and expected.span()) == (found and found.span()), (text, pos)


def test_the_possessive_thematic_break_replaces_mistunes() -> None:
    """The pattern replaced is mistune 3.4's own (a new mistune that changed it would keep
    its own, and this test says so), and on a line of 200,000 "*" and an "x" it keeps no
    backtracking stack: mistune's holds about 32 MB (memory, not time: deterministic)."""
    import tracemalloc

    assert mistune.BlockParser.SPECIFICATION["thematic_break"] == parse._THEMATIC_BREAK
    assert SCANNER_PARSER.specification["thematic_break"] == parse._THEMATIC_BREAK_POSSESSIVE
    line = "*" * 200_000 + "x\n"

    def peak_bytes(pattern: str) -> int:
        compiled = re.compile(pattern, re.M)
        tracemalloc.start()
        try:
            assert compiled.match(line) is None
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak_bytes(parse._THEMATIC_BREAK_POSSESSIVE) < 100_000
    assert peak_bytes(parse._THEMATIC_BREAK) > 10_000_000  # what the test guards against
    assert SCANNER_PARSER.compile_sc(None).match(line) is None
