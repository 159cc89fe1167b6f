"""document.py: blocks, rows, lists, the section tree and comments, with hand-checked lines."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speclint import document as document_module
from speclint.checks import scoped_lines
from speclint.document import (
    Block,
    Document,
    ListInfo,
    Row,
    Section,
    build_document,
    normalise_title,
    strip_comments,
)
from speclint.source import load_source


def doc(text: str | bytes) -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return build_document("spec.md", load_source(data))


def outline(section: Section, depth: int = 0) -> list[str]:
    lines = [f"{'  ' * depth}{section.level} {section.norm!r} {section.start}-{section.end}"]
    for child in section.children:
        lines += outline(child, depth + 1)
    return lines


SPEC = """\
---
title: Refunds
---
# Spec Title
intro

## 4.2 RATE-LIMITING
text

### Details

```md
# not a section
```

Setext Section
--------------

> # quoted heading

- ## listed heading

## Errors
last
"""
# front matter 1-3; "# Spec Title" 4; "## 4.2" 7; "### Details" 10; fence 12-14;
# setext 16-17; quote 19; list 21; "## Errors" 23; "last" 24


def test_section_tree_levels_titles_and_spans() -> None:
    document = doc(SPEC)
    assert outline(document.root) == [
        "0 '' 1-24",
        "  1 'spec title' 4-24",
        "    2 'rate limiting' 7-15",
        "      3 'details' 10-15",
        "    2 'setext section' 16-22",
        "    2 'errors' 23-24",
    ]
    titles = [section.title for section in document.sections()]
    assert titles == ["Spec Title", "4.2 RATE-LIMITING", "Details", "Setext Section", "Errors"]
    assert document.title_line == 4


def test_headings_in_code_quotes_and_lists_open_no_section() -> None:
    document = doc(SPEC)
    setext = next(s for s in document.sections() if s.norm == "setext section")
    kinds = [(block.kind, block.start, block.in_quote, block.list_depth)
             for block in setext.blocks]
    assert kinds == [("heading", 19, True, 0), ("heading", 21, False, 1)]
    details = next(s for s in document.sections() if s.norm == "details")
    assert [(b.kind, b.start, b.end) for b in details.blocks] == [("code", 12, 14)]


def test_section_at_and_parents() -> None:
    document = doc(SPEC)
    assert document.section_at(11).norm == "details"
    assert document.section_at(16).norm == "setext section"
    assert document.section_at(2).level == 0  # front matter: the root
    details = document.section_at(11)
    assert [s.norm for s in details.ancestors()] == ["rate limiting", "spec title"]
    assert document.line_count == 24


def test_a_setext_h1_after_an_atx_h2_closes_it() -> None:
    document = doc("## Early\ntext\n\nTop\n===\n\n## Late\n")
    #               1         2    3 4    5    6 7
    assert outline(document.root) == [
        "0 '' 1-7", "  2 'early' 1-3", "  1 'top' 4-7", "    2 'late' 7-7",
    ]


@pytest.mark.parametrize(("title", "norm"), [
    ("4.2 RATE-LIMITING", "rate limiting"),
    ("Rate limiting", "rate limiting"),
    ("`Error` *codes*", "error codes"),
    ("II. Overview", "overview"),
    ("a) Scope", "scope"),
    ("3) Data model", "data model"),
    ("[Latency budget](#latency) & SLOs", "latency budget slos"),
    ("Rollback_plan!", "rollback plan"),
    ("  Non-Goals  ", "non goals"),
])
def test_normalise_title(title: str, norm: str) -> None:
    assert normalise_title(title) == norm


def _normalise_title_slowly(title: str) -> str:
    """normalise_title without its fast path for titles of words only."""
    text = document_module._TITLE_MARKUP.sub(" ", title).strip()
    text = document_module._NUMBERING.sub("", text)
    text = document_module._NON_WORD.sub(" ", text.lower()).replace("_", " ")
    return " ".join(text.split())


_TITLE_PIECES = ["Rate", "limits", "a", "II", "iv", "x", "1", "2.3", "4", " ", "  ", ".", ")",
                 "§", "-", "_", "`", "*", "~", "[", "](#a)", "é", "!"]


@given(st.lists(st.sampled_from(_TITLE_PIECES), max_size=6).map("".join))
@settings(max_examples=500, deadline=None)
def test_the_fast_path_of_normalise_title_gives_the_same_titles(title: str) -> None:
    assert normalise_title(title) == _normalise_title_slowly(title)


def test_blocks_carry_kind_span_and_context() -> None:
    text = ("# T\n"              # 1
            "\n"                 # 2
            "para\n"             # 3
            "\n"                 # 4
            "1. first\n"         # 5
            "   - nested\n"      # 6
            "2. second\n"        # 7
            "\n"                 # 8
            "> quoted\n"         # 9
            "\n"                 # 10
            "```json\n"          # 11
            '{"a": 1}\n'         # 12
            "```\n"              # 13
            "\n"                 # 14
            "    indented\n"     # 15
            "\n"                 # 16
            "---\n")             # 17
    blocks = doc(text).blocks
    summary = [(b.kind, b.start, b.end, b.list_depth, b.ordered, b.in_quote, b.item_start)
               for b in blocks]
    assert summary == [
        ("heading", 1, 1, 0, False, False, False),
        ("paragraph", 3, 3, 0, False, False, False),
        ("paragraph", 5, 5, 1, True, False, True),
        ("paragraph", 6, 6, 2, False, False, True),
        ("paragraph", 7, 7, 1, True, False, True),
        ("paragraph", 9, 9, 0, False, True, False),
        ("code", 11, 13, 0, False, False, False),
        ("code", 15, 15, 0, False, False, False),
        ("thematic_break", 17, 17, 0, False, False, False),
    ]
    fenced, indented = blocks[6], blocks[7]
    assert (fenced.fenced, fenced.info, fenced.body_start, fenced.text) == (
        True, "json", 12, '{"a": 1}\n')
    assert (indented.fenced, indented.body_start, indented.text) == (False, 15, "indented")
    assert (fenced.language, indented.language) == ("json", "")


def test_a_code_block_language_is_the_first_word_of_its_info_in_lower_case() -> None:
    blocks = doc("```JSON title=body.json\n{}\n```\n\n```\nx\n```\n").blocks
    assert [(b.info, b.language) for b in blocks] == [("JSON title=body.json", "json"), ("", "")]


def test_code_text_lines_map_onto_file_lines_in_a_list_item() -> None:
    text = ("- step\n"        # 1
            "\n"              # 2
            "  ```yaml\n"     # 3
            "  a: 1\n"        # 4
            "  b: [\n"        # 5
            "  ```\n")        # 6
    code = next(b for b in doc(text).blocks if b.kind == "code")
    assert (code.start, code.end, code.body_start) == (3, 6, 4)
    lines = code.text.split("\n")
    assert lines[1] == "b: ["
    assert code.body_start + 1 == 5


def test_table_rows_keep_their_lines() -> None:
    text = ("Intro\n"
            "\n"
            "| Code | Meaning |\n"   # 3
            "|------|---------|\n"   # 4
            "| 400  | bad     |\n"   # 5
            "| 404  | missing |\n")  # 6
    table = next(b for b in doc(text).blocks if b.kind == "table")
    assert (table.start, table.end) == (3, 6)
    assert table.rows == [Row(3, ["Code", "Meaning"], True), Row(5, ["400", "bad"]),
                          Row(6, ["404", "missing"])]


def test_scopes_pair_line_numbers_with_texts() -> None:
    """Numbers and texts side by side (an array or a range, and the file's own strings), not
    a tuple per line; prose has inline code and comments blanked, columns kept."""
    text = ("# T\n"                   # 1
            "\n"
            "Some `code` here\n"      # 3
            "and <!-- c --> more\n"   # 4
            "\n"
            "```\n"                   # 6
            "x = 1\n"                 # 7
            "```\n")
    d = doc(text)
    numbers, texts = scoped_lines(d, "prose")
    assert isinstance(numbers, array)
    assert list(numbers) == [1, 3, 4]
    assert texts == ["# T", "Some " + " " * 6 + " here", "and " + " " * 10 + " more"]
    assert texts[0] is d.source.lines[0]
    numbers, texts = scoped_lines(d, "code")
    assert (numbers[0], texts[0]) == (7, "x = 1")
    numbers, texts = scoped_lines(d, "any")
    assert numbers == range(1, 10) and texts == d.source.lines


def test_list_info_marker_lines_and_depth() -> None:
    text = ("- one\n"          # 1
            "  - one.a\n"      # 2
            "  - one.b\n"      # 3
            "    1. deep\n"    # 4
            "- two\n"          # 5
            "\n"               # 6
            "  para of two\n"  # 7
            "-\n"              # 8
            "  blank marker\n")  # 9
    assert doc(text).lists == [
        ListInfo(1, 9, False, [1, 5, 8], 1),
        ListInfo(2, 4, False, [2, 3], 2),
        ListInfo(4, 4, True, [4], 3),
    ]


def test_comments_blocks_inline_headings_and_tables() -> None:
    text = ("# Title <!-- speclint-disable -->\n"  # 1
            "\n"                                   # 2
            "<!-- single -->\n"                    # 3
            "\n"                                   # 4
            "<!--\n"                               # 5
            "multi\n"                              # 6
            "\n"                                   # 7
            "line -->\n"                           # 8
            "\n"                                   # 9
            "Text <!-- inline --> more\n"          # 10
            "and <!-- spans\n"                     # 11
            "two --> lines\n"                      # 12
            "\n"                                   # 13
            "| a | b <!-- c --> |\n"               # 14
            "|---|---|\n"                          # 15
            "\n"                                   # 16
            "- item\n"                             # 17
            "  <!-- in a list -->\n"               # 18
            "\n"                                   # 19
            "```\n"                                # 20
            "<!-- code, not a comment -->\n"       # 21
            "```\n")                               # 22
    comments = doc(text).comments
    assert [(start, end) for start, end, _ in comments] == [
        (1, 1), (3, 3), (5, 8), (10, 10), (11, 12), (14, 14), (18, 18)]
    assert comments[0][2] == "<!-- speclint-disable -->"
    assert comments[2][2] == "<!--\nmulti\n\nline -->"


def test_comments_leave_content_and_keep_line_numbers() -> None:
    text = "# Title <!-- x -->\n\nA <!-- one\ntwo --> B\nC\n"
    document = doc(text)
    heading, paragraph = document.blocks
    assert heading.text == "Title"
    assert paragraph.text.split("\n")[:3] == ["A ", " B", "C"]
    assert strip_comments("a<!--\n\n-->b\nc") == "a\n\nb\nc"
    assert strip_comments("no comment") == "no comment"


def test_html_block_text_keeps_its_lines() -> None:
    block = doc("<div>\n<!-- a\nb -->\nkept\n</div>\n").blocks[0]
    assert block.kind == "html"
    assert (block.start, block.end) == (1, 5)
    assert block.text.split("\n")[3] == "kept"


def test_definition_terms_and_footnotes_are_content() -> None:
    text = ("Term\n"                   # 1
            ": definition\n"           # 2
            "\n"                       # 3
            "Body.[^1]\n"              # 4
            "\n"                       # 5
            "[^1]: TBD in a footnote\n"  # 6
            "    # not a section\n")   # 7
    document = doc(text)
    assert [(b.kind, b.start, b.end, b.text.strip()) for b in document.blocks] == [
        ("paragraph", 1, 1, "Term"),
        ("paragraph", 2, 2, "definition"),
        ("paragraph", 4, 4, "Body.[^1]"),
        ("paragraph", 6, 6, "TBD in a footnote"),
        ("heading", 7, 7, "not a section"),  # the continuation is dedented, like a quote's
    ]
    assert list(document.sections()) == []  # a heading in a footnote opens no section


def test_blocks_under_front_matter_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbf---\r\nstatus: draft\r\n---\r\n# T\r\n\r\n## S\r\ntext\r\n"
    #                    1            2               3      4      5    6       7
    document = doc(data)
    assert [(b.kind, b.start) for b in document.blocks] == [
        ("heading", 4), ("heading", 6), ("paragraph", 7)]
    assert outline(document.root) == ["0 '' 1-7", "  1 't' 4-7", "    2 's' 6-7"]
    assert document.front_matter == {"status": "draft"}


def test_empty_document() -> None:
    document = doc("")
    assert document.blocks == [] and document.lists == [] and document.comments == []
    assert document.title_line == 1 and document.line_count == 1
    assert isinstance(document.root, Section) and document.root.children == []


def test_block_defaults() -> None:
    block = Block("code", 3, 5, fenced=True)
    assert block.body_start == 4
    assert Block("code", 3, 5).body_start == 3


def test_paragraphs_split_into_sentences_with_their_lines() -> None:
    from speclint.detect.base import _sentences
    from speclint.document import Block

    text = ("Rates are capped, e.g. at 10 per second. Dr. A. Smith agrees!\n"
            "Next one?  And `this` too.\n\n\nAfter a gap. see below, v1.2 -- ok.\n- no")
    block = Block("paragraph", 7, 12, text, 0)
    assert list(_sentences(block)) == [
        (7, "Rates are capped, e.g. at 10 per second."),  # not after "e.g."
        (7, "Dr."),
        (7, "A. Smith agrees!"),  # not after a single capital (an initial)
        (8, "Next one?"),
        (8, "And `this` too."),
        (11, "After a gap."),  # a blank line, then a new sentence
        (11, "see below, v1.2 -- ok.\n- no"),  # no split before "-" or inside "1.2"
    ]


@given(st.lists(st.sampled_from(list("ab .!?\n\t`(*A") + ["e.g.", "i.e. ", "Dr. "]),
                max_size=30).map("".join))
@settings(max_examples=400, deadline=None)
def test_one_sentence_fast_path_agrees_with_the_split(text: str) -> None:
    """Where _sentences takes a paragraph as one sentence without looking for sentence ends
    (no mark but the last), the general split finds the same one sentence."""
    from speclint.detect.base import _sentences, _split_sentences
    from speclint.document import Block

    block = Block("paragraph", 3, 9, text, 0)
    assert list(_sentences(block)) == list(_split_sentences(block))


# ------------------------------------------------------------------ element sections
#
# Detectors find an element's sections by heading alias: every title of a document is read in
# one scan (Context.element_sections). The oracle below reads each title on its own.

def _alias_titles(aliases: list[str]) -> list[str]:
    """Titles that hold each alias as whole words, next to other words, or only inside one."""
    titles = []
    for alias in aliases:
        titles += [alias, f"4.2 {alias.upper()}", f"Our {alias} plan", f"`{alias}`-and more",
                   f"{alias}s", f"pre{alias}", f"{alias} {alias}", f"{alias}?"]
    return titles + ["Overview", "", "Goals"]


def test_element_sections_are_the_titles_holding_an_alias_as_whole_words() -> None:
    from speclint import bundle
    from speclint.detect.base import Context
    from speclint.vocab import load_vocabulary

    vocab = load_vocabulary()
    raw = bundle.builtin_yaml("vocabulary.yaml")["elements"]
    checked = 0
    for name, ev in vocab.elements.items():
        for key in (k for k in raw[name] if k.endswith("headings")):
            aliases = [" ".join(str(a).lower().split()) for a in raw[name][key]]
            exact = {str(x).lower() for x in raw[name].get(f"title_{key}", [])}
            titles = _alias_titles(aliases + sorted(exact))
            text = "# Doc\n\n" + "".join(f"## {t}\n\nText.\n\n" for t in titles)
            ctx = Context(doc(text), vocab)
            expected = [s.start for s in ctx.titled_sections
                        if any(f" {a} " in f" {s.norm} " for a in aliases) or s.norm in exact]
            assert [s.start for s in ctx.element_sections(ev, key)] == expected, (name, key)
            assert all(not s.title.endswith("?") for s in ctx.element_sections(ev, key))
            checked += len(expected)
    assert checked > 100  # the titles above do hold aliases


def test_element_sections_of_a_document_without_titles() -> None:
    from speclint.detect.base import Context
    from speclint.vocab import load_vocabulary

    vocab = load_vocabulary()
    ctx = Context(doc("Only text.\n"), vocab)
    assert ctx.element_sections(vocab.elements["rate-limits"]) == []
