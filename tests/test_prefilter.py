"""The fragment prefilter never changes a pattern's answer (speclint.prefilter)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speclint import prefilter
from speclint.detect.base import BitIndex, Context
from speclint.document import build_document
from speclint.fragments import branches, fragments, required, scanned
from speclint.prefilter import FragmentSet, Guarded
from speclint.source import load_source
from speclint.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]

# characters where Python's re and an ASCII reading disagree: letters that fold to ASCII
# (Kelvin K, long s, dotted and dotless i), micro and mu, letters, digits and spaces outside
# ASCII, marks, and punctuation that is none of these
TRICKY = "\u212a\u017f\u0130\u0131\u00b5\u03bc\u039c\u00e9\u4e2d\u0663\u00b2\u00a0\u2003" \
         "\u2028\u0085\u0301\u2014\u2013\u201c\u2019\U0001f600\x0b\x1c"


def _vocabulary_patterns() -> list[tuple[str, Guarded]]:
    vocab = load_vocabulary()
    found = [("na", vocab.na), ("placeholder", vocab.placeholder),
             ("mention_negated_before", vocab.mention_negated_before)]
    for element, ev in vocab.elements.items():
        for key, value in ev.patterns.items():
            for index, pattern in enumerate(value if isinstance(value, tuple) else (value,)):
                if isinstance(pattern, Guarded):
                    found.append((f"{element}.{key}[{index}]", pattern))
    return found


PATTERNS = _vocabulary_patterns()


@contextlib.contextmanager
def scanning_every_text() -> Iterator[None]:
    """No text is short enough to be matched without a scan."""
    saved = prefilter.SHORT_TEXT
    prefilter.SHORT_TEXT = -1
    try:
        yield
    finally:
        prefilter.SHORT_TEXT = saved


def _spans(pattern: Guarded, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _bare_spans(pattern: Guarded, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.regex.finditer(text)]


def test_there_are_patterns_to_guard_and_most_have_fragments() -> None:
    assert len(PATTERNS) > 80
    assert sum(1 for _, p in PATTERNS if p.needs) > 60


def test_scanned_keeps_ascii_and_stands_in_for_the_rest() -> None:
    assert scanned("p99 < 80 ms") == b"p99 < 80 ms"
    # letter -> "_", digit -> "0", space -> " ", anything else -> \x80
    assert scanned("caf\u00e9 \u0663\u00a0\u2014 \U0001f600") == b"caf_ 0 \x80 \x80"
    assert scanned("\u212a") == b"_"


def test_a_fragment_runs_in_one_scan_and_says_what_cannot_match() -> None:
    guarded = Guarded(r"(?i)\bp(\d\d)\b")
    assert guarded.needs
    assert guarded.search("no percentile here") is None
    assert guarded.search("The P99 is 80 ms").group(1) == "99"


def test_fragments_stop_at_open_loops_and_keep_both_sides() -> None:
    # every match holds "version..." and one of the words after the 60-character gap
    found = fragments(r"(?i)\bversion(?:ed|ing)?\b[^.\n]{0,60}(?:/v\d+|\bprefix\b)", most=2)
    assert len(found) == 2
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    first, second = (re2.compile(f.encode("ascii"), options) for f in found)
    assert first.search(b"the VERSIONED api") and not first.search(b"a versioner")
    assert second.search(b"under /v2") and second.search(b"a prefix") and not second.search(
        b"prefixes")


def test_a_pattern_without_a_specific_fragment_always_runs() -> None:
    assert fragments(r"\w+\s*") == ()
    assert Guarded(r"\w+").needs == 0


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(?i)\bkey\b", "the \u212aey is rotated"),  # Kelvin sign folds to k
    (r"(?i)\bmost\b", "at mo\u017ft"),  # long s folds to s
    (r"(?i)limit", "L\u0130M\u0131T"),  # dotted and dotless i fold to i
    (r"(?i)\u00b5s", "40 \u039cs"),  # micro sign and capital mu
    (r"(?i)\u212a", "k"),  # a pattern letter outside ASCII that folds to an ASCII one
    (r"\d+ ms", "\u0663\u0660 ms"),  # Arabic-Indic digits are \d
    (r"p99\s+under", "p99\u00a0under"),  # no-break space is \s
    (r"\bms\b", "\u00e9ms"),  # no word boundary after a letter outside ASCII
    (r"[^_]x", "\u00e9x"),  # a negated class still lets a stand-in through
    (r"(?i)[a-z]{3}", "\u212a\u017f\u0131"),
    (r"\w\W\w", "\u4e2d\u2014\u0663"),
])
def test_characters_outside_ascii_read_as_python_reads_them(pattern: str, text: str) -> None:
    guarded = Guarded(pattern)
    with scanning_every_text():
        assert _spans(guarded, text) == _bare_spans(guarded, text)


def _texts() -> list[str]:
    vocab = load_vocabulary()
    texts: list[str] = []
    files = sorted((ROOT / "examples").glob("*.md")) + sorted(
        (ROOT / "tests" / "accuracy" / "cases").glob("*.md"))
    for path in files:
        ctx = Context(build_document(str(path), load_source(path.read_bytes())), vocab)
        texts += [u.text for u in ctx.units] + [u.block.text for u in ctx.units]
        texts += [b.text for b, _ in ctx.code_blocks]
    return texts


def test_every_vocabulary_pattern_gives_the_same_matches_guarded_or_not() -> None:
    with scanning_every_text():
        _same_matches_on_real_texts()


def _same_matches_on_real_texts() -> None:
    texts = _texts()
    skipped = 0
    for name, guarded in PATTERNS:
        for text in texts:
            expected = _bare_spans(guarded, text)
            assert _spans(guarded, text) == expected, (name, text[:200])
            skipped += not expected and not guarded.possible(text)
    assert skipped > len(texts) * 40  # the prefilter does skip most texts


def _contexts() -> list[Context]:
    vocab = load_vocabulary()
    files = sorted((ROOT / "examples").glob("*.md")) + sorted(
        (ROOT / "tests" / "accuracy" / "cases").glob("*.md"))
    return [Context(build_document(str(p), load_source(p.read_bytes())), vocab) for p in files]


def test_detectors_skip_only_units_and_code_blocks_where_a_pattern_cannot_match() -> None:
    """units_where and code_blocks_where leave out only texts the bare pattern misses."""
    left_out = 0
    for ctx in _contexts():
        for name, guarded in PATTERNS:
            search = guarded.regex.search
            if guarded.fragment_set is prefilter.CODE_FRAGMENTS:
                kept = {id(block) for block, _ in ctx.code_blocks_where([guarded])}
                for block, _ in ctx.code_blocks:
                    assert id(block) in kept or not search(block.text), (name, block.text[:80])
                left_out += len(ctx.code_blocks) - len(kept)
            elif guarded.fragment_set is prefilter.FRAGMENTS:
                kept = {id(unit) for unit in ctx.units_where(guarded)}
                for unit in ctx.units:
                    assert id(unit) in kept or not search(unit.text), (name, unit.text[:80])
                left_out += len(ctx.units) - len(kept)
    assert left_out > 10_000  # the prefilter does leave most of them out


# pieces of real vocabulary (words the patterns look for) mixed with the tricky characters
_WORDS = ["p99", "p50", "ms", "s", "latency", "rate limit", "per second", "429", "404",
          "RESOURCE_EXHAUSTED", "`card_declined`", "rollback", "roll back", "kill switch",
          "flag off", "step 1", "phase 2", "migration", "deprecated", "/v1/", "semver",
          "backward compatible", "TODO", "TBD", "to be decided", "POST /v1/refunds",
          "GET", "HTTP", "status", "error", "100 requests per second", "1,000 req/min",
          "5k/hour", "N/A", "not applicable", "version", "header", "package", "at most 3",
          "idempotent", "message Foo {", "CREATE TABLE t (id int", "`{\"a\": 1}`",
          "interface", "type", "struct", "\n", " ", ".", ",", ":", "-", "|", "`", "*", "_"]
_PIECES = st.one_of(st.sampled_from(_WORDS), st.sampled_from(list(TRICKY)),
                    st.text(alphabet="aAkKsSiI0189 .-_/:`\n" + TRICKY, max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_random_text_gives_the_same_matches_guarded_or_not(text: str) -> None:
    with scanning_every_text():  # short texts too (they are otherwise matched directly)
        for name, guarded in PATTERNS:
            assert _spans(guarded, text) == _bare_spans(guarded, text), name


def test_positions_and_bounds_are_honoured() -> None:
    guarded = Guarded(r"\bms\b")
    text = "10 ms then 20 msx"
    assert guarded.search(text, 5) is None
    assert guarded.search(text, 0, 13) is not None  # endpos: the text ends early
    assert guarded.search(text, 0, 13).span() == re.search(r"\bms\b", text[:13]).span()


def test_without_re2_every_pattern_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "_re2", None)
    fragment_set = FragmentSet()
    fragment_set.needs(("abc",))
    assert fragment_set.found("nothing here") == -1


def test_a_scan_that_fails_lets_every_pattern_run(monkeypatch: pytest.MonkeyPatch) -> None:
    fragment_set = FragmentSet()
    fragment_set.needs(("abc",))

    class Failing:
        def Match(self, text: bytes) -> None:  # noqa: N802 - RE2's name
            return None  # what RE2 answers when its automaton runs out of memory

    monkeypatch.setattr(fragment_set, "_compile", lambda: Failing())
    assert fragment_set.found("abc") == -1


def test_new_fragments_forget_remembered_masks() -> None:
    fragment_set = FragmentSet()
    first = fragment_set.needs(("abc",))
    assert fragment_set.found("xyz def") & first == 0
    second = fragment_set.needs(("def",))
    assert fragment_set.found("xyz def") & second == second


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=8).map("".join), min_size=1, max_size=6))
def test_a_fragment_of_any_line_is_in_the_lines_joined(lines: list[str]) -> None:
    joined = "\n".join(lines)
    with scanning_every_text():
        for name, guarded in PATTERNS:
            if any(guarded.regex.search(line) for line in lines):
                assert guarded.possible(joined), name


def test_scanned_reads_dense_and_sparse_text_alike() -> None:
    assert scanned("\u00e9" * 100 + "a\u2014") == b"_" * 100 + b"a\x80"  # one pass
    assert scanned("a" * 100 + "\u00e9\u2014") == b"a" * 100 + b"_\x80"  # codec handler
    assert scanned("\ud800") == b"\x80"  # a lone surrogate is no letter


def test_an_alternation_splits_into_its_alternatives_only_where_that_is_exact() -> None:
    assert branches(r"(?i)\bsemver\b|(?:\bapi\b|\babi\b)|(?i:v\d+|\bpath\b)") == (
        r"(?i)\bsemver\b", r"(?i)(?:\bapi\b)", r"(?i)(?:\babi\b)", r"(?i)(?i:v\d+)",
        r"(?i)(?i:\bpath\b)")
    assert branches(r"a[|)]|b\||c(?:d|e)") == ("a[|)]", r"b\|", "c(?:d|e)")
    assert branches(r"(a)|b|c") == ()  # a capture group: matches would number groups anew
    assert branches(r"a|b|c*") == ()  # an alternative that matches the empty string
    assert branches(r"(?x) a | b | c") == ()  # verbose mode
    assert branches(r"abc|def") == ()  # too few to be worth a search each


_SPLIT = [(name, g) for name, g in PATTERNS if g.options != (g.needs,)]


def test_the_big_vocabulary_alternations_are_split() -> None:
    assert len(_SPLIT) > 10
    assert all(len(guarded.options) >= 3 for _, guarded in _SPLIT)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join), st.integers(0, 30))
def test_a_split_alternation_searches_matches_and_finds_as_the_whole(text: str,
                                                                     start: int) -> None:
    with scanning_every_text():
        _split_same_as_whole(text, start)


def _split_same_as_whole(text: str, start: int) -> None:
    for name, guarded in _SPLIT:
        bare = guarded.regex
        for method in ("search", "match", "fullmatch"):
            found = getattr(guarded, method)(text, start)
            expected = getattr(bare, method)(text, start)
            assert (found and found.span()) == (expected and expected.span()), (name, method)
        assert guarded.findall(text) == bare.findall(text), name
        # finditer keeps each alternative's next match until the matches pass it
        for text_at in (text, text * 3):
            assert [m.span() for m in guarded.finditer(text_at, start)] == [
                m.span() for m in bare.finditer(text_at, start)], (name, "finditer")


def test_a_split_alternation_prefers_the_earliest_match_then_the_first_alternative() -> None:
    guarded = Guarded(r"\bfoo bar\b|\bbar\b|\bfoo\b")
    text = "a bar, then foo bar"
    assert guarded.search(text).span() == re.search(guarded.pattern, text).span() == (2, 5)
    assert guarded.search(text, 6).group() == "foo bar"  # same start: the first alternative
    assert [m.group() for m in guarded.finditer(text)] == ["bar", "foo bar"]


def test_a_split_finditer_drops_an_alternative_match_the_last_match_overlaps() -> None:
    """Each alternative's next match is kept between matches, but one that starts inside
    the match just found (even on its last character) is searched again, as finditer does."""
    guarded = Guarded(r"\bxab|bcd\b|zzz\b")
    assert guarded._branches  # split: the alternatives are searched one by one
    with scanning_every_text():
        for text in ("xabcd", "xabcd bcd zzz xab", "bcd xabcd"):
            assert [m.span() for m in guarded.finditer(text)] == [
                m.span() for m in re.finditer(guarded.pattern, text)], text


def test_characters_every_match_needs_are_checked_before_any_scan() -> None:
    assert required(r'`\s*\{\s*"?\w+"?\s*:') == (frozenset("`{:"), False)
    assert required(r"(?i)(\d[\d,]*)\s*(?:per|/)") == (frozenset(), True)  # a digit
    assert required(r"(?i)a-b|c-d") == (frozenset("-"), False)  # letters fold, "-" does not
    assert required(r"x?y{0,3}z+(?=q)") == (frozenset("z"), False)  # optional, look-ahead
    assert required(r"[0-9]|\u0663") == (frozenset(), True)  # an Arabic-Indic digit is \d
    guarded = Guarded(r'`\s*\{\s*"?\w+"?\s*:')
    assert guarded.needs == 0 and not guarded.possible("no braces: here")
    assert guarded.search('send `{"a": 1}`').group() == '`{"a":'


def test_a_short_text_never_scanned_is_matched_directly() -> None:
    guarded = Guarded(r"(?i)\brate[- ]limit|\bquota\b|\bthrottl\w*")
    text = "a quota of 5"
    assert len(text) <= prefilter.SHORT_TEXT and text not in guarded.fragment_set.memo
    assert guarded.search(text).group() == "quota"
    assert text not in guarded.fragment_set.memo  # no scan, nothing remembered
    long_text = "nothing to see here " * 5
    assert guarded.search(long_text) is None and long_text in guarded.fragment_set.memo


def _holding_slowly(masks: list[int], needs: tuple[int, ...]) -> list[int]:
    """What BitIndex.holding answers, by a pass over every mask (-1: could not scan)."""
    return [index for index, mask in enumerate(masks)
            if mask < 0 or any(mask & (need | 1) == (need | 1) for need in needs)]


@given(st.lists(st.one_of(st.just(-1), st.integers(0, 63).map(lambda m: m | 1)), max_size=12),
       st.lists(st.integers(0, 63), min_size=1, max_size=3).map(tuple))
@settings(max_examples=500, deadline=None)
def test_bit_index_finds_the_texts_a_pass_over_every_mask_finds(
        masks: list[int], needs: tuple[int, ...]) -> None:
    # bit 0 is the empty fragment, set in every scanned text's mask
    assert BitIndex(masks).holding(needs) == _holding_slowly(masks, needs)


def test_bit_index_needing_several_fragments_wants_them_all() -> None:
    index = BitIndex([0b0011, 0b0101, 0b0111, -1, 0b0001])
    assert index.holding((0b0110,)) == [2, 3]         # bits 1 and 2 together, or unknown
    assert index.holding((0b0010, 0b0100)) == [0, 1, 2, 3]  # either fragment
    assert index.holding((0b1000,)) == [3]            # nobody has bit 3
    assert index.holding((0b0001,)) == [0, 1, 2, 3, 4]  # the empty fragment: every text


def test_units_where_mixes_patterns_with_and_without_a_fragment() -> None:
    """A pattern with no fragment but a digit in every match still rules out the units
    without a digit; with a guarded pattern beside it, a unit either may match stays."""
    vocab = load_vocabulary()
    mentions = vocab.elements["rate-limits"].p("mentions")
    digit_word = Guarded(r"\d\s*[a-z]")  # no fragment worth scanning for, but a digit
    assert not digit_word.guarded and digit_word.needs_characters and mentions.guarded
    text = ("# Spec\n\nNothing here yet.\n\nWe apply rate limiting.\n\n"
            "Up to 100 requests per minute.\n\nVersion 2 ships later.\n")
    ctx = Context(build_document("spec.md", load_source(text.encode())), vocab)
    kept = [u.text for u in ctx.units_where(digit_word, mentions)]
    assert kept == ["We apply rate limiting.", "Up to 100 requests per minute.",
                    "Version 2 ships later."]
    assert [u.text for u in ctx.units_where(digit_word)] == kept[1:]


def test_a_rate_is_guarded_alternative_by_alternative() -> None:
    """Each shape of a rate (per second, /s, / s, rps, req/s) has a fragment, so a unit with
    a number but no window is not even a candidate (it was, for every number in a table)."""
    vocab = load_vocabulary()
    rate = vocab.elements["rate-limits"].p("rate")
    assert rate.guarded
    text = ("# Spec\n\n| Percentile | Target |\n|---|---|\n| p99 | 200 ms |\n\n"
            "Up to 100 requests per minute.\n\nAt most 5 req/s.\n\n10 rps.\n\n3 / day.\n")
    ctx = Context(build_document("spec.md", load_source(text.encode())), vocab)
    kept = [u.text for u in ctx.units_where(rate)]
    assert kept == ["Up to 100 requests per minute.", "At most 5 req/s.", "10 rps.", "3 / day."]
    assert all(rate.search(text) for text in kept)


def test_block_has_agrees_with_the_bare_pattern_whether_or_not_any_block_can_match() -> None:
    """_blocks_where first asks the prefilter about every block at once; the answer per block
    must still be the bare pattern's."""
    vocab = load_vocabulary()
    inline = vocab.elements["api-contract"].p("json_inline")
    for body in ("Nothing here.\n\nStill nothing.\n",
                 'Nothing here.\n\nThe body is `{"id": "r_1", "amount": 100}`.\n'):
        ctx = Context(build_document("spec.md", load_source(f"# Spec\n\n{body}".encode())),
                      vocab)
        answers = [ctx.block_has(inline, unit.block) for unit in ctx.units]
        assert answers == [bool(inline.regex.search(unit.block.text)) for unit in ctx.units]
        assert any(answers) == ("amount" in body)
