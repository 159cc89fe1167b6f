"""The literal prefilter never changes a pattern's answer (speclint.prefilter)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from speclint.detect.base import Context
from speclint.document import build_document
from speclint.prefilter import DIGIT, Guarded, necessary_literals
from speclint.source import load_source
from speclint.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?i)\brate[- ]?limit", ("limit",)),  # the longest required run wins
    (r"\b(?:TBD|TODO)\b", ("bd", "odo")),  # re factors out the common T
    (r"(\d+)\s*ms", (DIGIT,)),
    (r"api(?: changes)?|api contract", ("api",)),  # 'api' covers the longer literals
    (r"a|b", None),  # nothing of two characters or more is required
    (r"x*", None),
])
def test_necessary_literals(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert necessary_literals(re.compile(pattern)) == expected


def test_guard_says_no_only_when_the_pattern_cannot_match() -> None:
    guarded = Guarded(re.compile(r"(?i)\bp(\d\d)\b"))
    assert guarded.search("no percentile here") is None
    assert guarded.search("The P99 is 80 ms").group(1) == "99"


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
    texts = _texts()
    vocab = load_vocabulary()
    checked = 0
    for element in vocab.elements.values():
        for key in list(element.patterns.sources):
            value = element.patterns[key]
            for guarded in value if isinstance(value, tuple) else (value,):
                if not isinstance(guarded, Guarded):
                    continue
                for text in texts:
                    expected = [m.span() for m in guarded.regex.finditer(text)]
                    assert [m.span() for m in guarded.finditer(text)] == expected, key
                checked += 1
    assert checked > 50
