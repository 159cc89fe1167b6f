"""source.py: bytes to text, line endings, BOM and front matter, in original-file lines."""

from __future__ import annotations

import pytest

from speclint.source import decode, load_source, normalise


def test_crlf_and_lone_cr_become_lf_with_the_same_line_count() -> None:
    assert normalise("a\r\nb\rc\n\r\nd") == "a\nb\nc\n\nd"
    source = load_source(b"one\r\ntwo\rthree\n")
    assert source.lines == ["one", "two", "three", ""]
    assert source.text == "one\ntwo\nthree\n"


def test_unicode_line_separators_stay_inside_their_line() -> None:
    text = "a\u2028b\x0cc\x85d\x1ce\u2029f\nnext\n"
    source = load_source(text.encode("utf-8"))
    assert source.lines == ["a\u2028b\x0cc\x85d\x1ce\u2029f", "next", ""]
    assert source.body.split("\n")[0] == "a\u2028b\x0cc\x85d\x1ce\u2029f"


def test_nul_is_replaced_not_a_line_break() -> None:
    assert load_source(b"a\x00b\nc\n").lines == ["a\ufffdb", "c", ""]


def test_bom_is_stripped_and_remembered() -> None:
    source = load_source(b"\xef\xbb\xbf# Title\n")
    assert source.bom
    assert source.lines[0] == "# Title"
    assert not load_source(b"# Title\n").bom


@pytest.mark.parametrize(("data", "line"), [
    (b"ok\nok\n\xff bad\n", 3),
    (b"ok\r\nok\r\n\xff bad\r\n", 3),
    (b"ok\rok\r\xff bad\r", 3),
    (b"\xef\xbb\xbfok\n\xc3", 2),
    (b"\xfe", 1),
])
def test_first_bad_utf8_line_counts_every_line_ending(data: bytes, line: int) -> None:
    source = load_source(data)
    assert source.bad_utf8_line == line
    assert "\ufffd" in source.lines[line - 1]


def test_decode_reports_no_bad_line_for_good_text() -> None:
    assert decode("ünï\n".encode()) == ("ünï\n", None, False)


def test_front_matter_is_cut_and_lines_keep_file_numbers() -> None:
    data = b"---\ntitle: Refunds\nstatus: draft\n---\n# Refunds\n"
    #        1    2               3              4    5
    source = load_source(data)
    assert source.has_front_matter
    assert source.front_matter == {"title": "Refunds", "status": "draft"}
    assert source.body_start == 5
    assert source.body == "# Refunds\n"
    assert source.lines[source.body_start - 1] == "# Refunds"
    assert source.front_matter_error is None


def test_front_matter_with_bom_crlf_and_a_dots_closing_line() -> None:
    source = load_source(b"\xef\xbb\xbf---\r\nstatus: approved\r\n...\r\n\r\n# T\r\n")
    assert source.bom and source.has_front_matter
    assert source.front_matter == {"status": "approved"}
    assert source.body_start == 4
    assert source.lines[4] == "# T"


def test_empty_front_matter_is_an_empty_mapping() -> None:
    source = load_source(b"---\n---\ntext\n")
    assert source.has_front_matter and source.front_matter == {}
    assert source.body_start == 3


def test_unclosed_front_matter_is_an_error_on_line_1_and_stays_markdown() -> None:
    source = load_source(b"---\ntitle: x\n\n# Title\n")
    assert not source.has_front_matter
    assert source.body_start == 1
    assert source.front_matter_error is not None
    assert source.front_matter_error[0] == 1
    assert "never closed" in source.front_matter_error[1]


def test_front_matter_must_be_a_mapping() -> None:
    source = load_source(b"---\n- a\n- b\n---\n# T\n")
    assert source.front_matter_error is not None
    assert source.front_matter_error[0] == 1
    assert "mapping" in source.front_matter_error[1]
    assert source.body_start == 5  # still cut: it is front matter, just a bad one


def test_invalid_front_matter_yaml_points_at_the_file_line() -> None:
    data = b"---\ntitle: ok\nstatus: [unclosed\nother: x\n---\n# T\n"
    #        1    2          3                  4         5    6
    source = load_source(data)
    assert source.front_matter_error is not None
    line, message = source.front_matter_error
    assert 3 <= line <= 5
    assert "YAML" in message


def test_front_matter_past_its_limit_is_not_read_and_the_body_is() -> None:
    """Front matter is metadata (the corpus's biggest has 1,685 characters): past
    MAX_FRONT_MATTER_CHARS it is an error on line 1 and is not parsed (100,000 keys under
    not-applicable took 5 minutes before their lines were found in one pass, and seconds
    after), while the body after it is still the body."""
    from speclint.source import MAX_FRONT_MATTER_CHARS

    keys = "".join(f"  k{i}: x\n" for i in range(MAX_FRONT_MATTER_CHARS // 10))
    source = load_source(f"---\nnot-applicable:\n{keys}---\n# T\n".encode())
    assert source.front_matter == {} and source.has_front_matter
    assert source.front_matter_error == (1, f"is longer than {MAX_FRONT_MATTER_CHARS} characters "
                                            "and was not read: keep only the spec's metadata "
                                            "there (title, owner, status, profile, "
                                            "not-applicable)")
    assert source.lines[source.body_start - 1] == "# T"
    fits = "a" * (MAX_FRONT_MATTER_CHARS - len("title: "))
    assert load_source(f"---\ntitle: {fits}\n---\n# T\n".encode()).front_matter == {
        "title": fits}


@pytest.mark.parametrize(("data", "message"), [
    (b"---\ntitle: x\n# T\n",
     "opened with '---' on line 1 is never closed: end it with a '---' line"),
    (b"---\n- a\n---\n# T\n",
     "must be a YAML mapping, not a list: write 'key: value' lines between the '---' lines"),
    (b"---\ntitle: [x\n---\n# T\n",
     "is not valid YAML (did not find expected ',' or ']'): write 'key: value' lines between "
     "the '---' lines"),
])
def test_a_front_matter_error_says_what_to_write(data: bytes, message: str) -> None:
    """SL004's message is 'Front matter <this>.': each says what is wrong and what to do."""
    error = load_source(data).front_matter_error
    assert error is not None and error[1] == message


def test_key_lines_compose_the_text_once_and_find_each_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines of keys, indexes and the first of two equal keys, found with one compose of the
    text however many paths are asked (one compose per path made 1,000 findings about a
    mapping of 100,000 keys take minutes)."""
    import yaml

    from speclint import yamlsafe

    text = "a: 1\nb:\n  - x\n  - y: 2\nb: 3\nc: {d: 4}\n"
    #       1     2    3      4        5     6
    composed = []
    real = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: composed.append(1) or real(*a, **k))
    paths = [["a"], ["b"], ["b", 1], ["b", 1, "y"], ["c", "d"], ["missing"], ["a", "deeper"],
             ["b", 9], [], [1]]
    assert yamlsafe.key_lines(text, paths) == [1, 2, 4, 4, 6, 1, 1, 2, 1, 1]
    assert composed == [1]
    assert yamlsafe.key_line(text, ["c"]) == 6
    assert yamlsafe.key_lines("a: [", [["a"]]) == [None]


def test_dashes_after_line_1_are_not_front_matter() -> None:
    source = load_source(b"\n---\ntitle: x\n---\n")
    assert not source.has_front_matter
    assert source.body_start == 1
    assert source.front_matter_error is None


def test_a_closing_line_with_trailing_spaces_counts() -> None:
    source = load_source(b"--- \nstatus: draft\n---  \nbody\n")
    assert source.has_front_matter
    assert source.body_start == 4


def test_no_trailing_newline_and_empty_input() -> None:
    assert load_source(b"# T").lines == ["# T"]
    empty = load_source(b"")
    assert empty.lines == [""]
    assert empty.body == ""
