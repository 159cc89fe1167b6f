"""Load rules/vocabulary.yaml once per process; each pattern is compiled on first use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from speclint import rules_folder, yamlsafe
from speclint.fragments import Plan
from speclint.prefilter import CODE_FRAGMENTS, FRAGMENTS, Guarded


def rules_dir() -> Path:
    """The built-in rules folder: inside the wheel, or at the repository root."""
    return Path(rules_folder())


@dataclass(frozen=True)
class ElementVocab:
    """Heading aliases and compiled patterns of one element."""

    headings: tuple[str, ...]
    patterns: dict[str, Any]  # name -> Guarded pattern or a tuple of them
    lists: dict[str, tuple[str, ...]]
    values: dict[str, Any]  # numbers and tables (never compiled): name -> int, float, dict

    def value(self, name: str) -> Any:
        return self.values[name]

    def p(self, name: str) -> re.Pattern[str]:
        return self.patterns[name]

    def many(self, name: str) -> tuple[re.Pattern[str], ...]:
        value = self.patterns[name]
        return value if isinstance(value, tuple) else (value,)

    def heading_hits(self, norm_titles: str, key: str = "headings") -> Iterator[int]:
        """Offsets in ``norm_titles`` (normalised titles, one per line) where an alias
        starts as whole words: one scan for every title of a document."""
        pattern = self.patterns.get(f"_{key}")
        return (match.start() for match in pattern.finditer(norm_titles)) if pattern else iter(())

    def union(self, name: str) -> re.Pattern[str]:
        """All patterns of a list as one alternation (one scan instead of many)."""
        return self.patterns[f"_union_{name}"]


@dataclass(frozen=True)
class Vocabulary:
    """Everything the detectors match, compiled."""

    elements: dict[str, ElementVocab]
    na: re.Pattern[str]
    na_min_words: int
    placeholder: re.Pattern[str]
    mention_negated_before: re.Pattern[str]


def _compile(value: Any, known: dict[str, Plan], code: bool = False) -> Any:
    """Guarded by its fragments (speclint.prefilter), compiled on first use."""
    if isinstance(value, list):
        return tuple(_compile(item, known, code) for item in value)
    fragment_set = CODE_FRAGMENTS if code else FRAGMENTS
    return Guarded(value, 0, fragment_set, known.get(fragment_key(value, 0)))


def _alias_pattern(aliases: list[Any]) -> re.Pattern[str]:
    # longest first, so a longer alias wins over its prefix; then alphabetical, so the pattern
    # is the same text in every process (a set's order depends on the string hash seed)
    words = sorted({" ".join(str(a).lower().split()) for a in aliases},
                   key=lambda word: (-len(word), word))
    # between spaces, or the start or end of a title (of a line, when titles are joined)
    return re.compile(r"(?<![^ \n])(?:" + "|".join(re.escape(w) for w in words) + r")(?![^ \n])")


_GLOBAL_FLAGS = re.compile(r"^\(\?([imsx]+)\)")


def _scoped(pattern: str) -> str:
    """'(?i)abc' -> '(?i:abc)', so patterns can be joined into one alternation."""
    match = _GLOBAL_FLAGS.match(pattern)
    if match:
        flags = match.group(1).replace("m", "")
        body = pattern[match.end():]
        multiline = "m" in match.group(1)
        if multiline:
            body = body.replace("^", "(?:^|(?<=\n))")
        return f"(?{flags}:{body})" if flags else f"(?:{body})"
    return f"(?:{pattern})"


def _element(data: dict[str, Any], known: dict[str, Plan]) -> ElementVocab:
    headings = tuple(" ".join(str(h).lower().split()) for h in data.get("headings", []))
    lists = {k: tuple(str(x).lower() for x in v) for k, v in data.items()
             if k.endswith("headings") and k != "headings"}
    patterns: dict[str, Any] = {}
    values = {k: v for k, v in data.items() if isinstance(v, (int, float, dict))}
    for key, value in data.items():
        if key in values:
            continue
        if key.endswith("headings"):
            patterns[f"_{key}"] = _alias_pattern(value)  # titles are short: no prefilter
            continue
        code = key.endswith("_code")  # read on code blocks, not on prose
        patterns[key] = _compile(value, known, code)
        if isinstance(value, list):
            patterns[f"_union_{key}"] = _compile("|".join(_scoped(v) for v in value), known,
                                                 code)
    return ElementVocab(headings, patterns, lists, values)


@cache
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Read and compile the vocabulary (default: the built-in one, from speclint.bundle)."""
    from speclint import bundle

    if path:
        data, known = yamlsafe.load(Path(path).read_text(encoding="utf-8")), {}
    else:
        data, known = bundle.builtin_yaml("vocabulary.yaml"), bundle.known_plans()
    na = data["na"]["pattern"]
    return Vocabulary(
        elements={name: _element(spec, known) for name, spec in data["elements"].items()},
        na=Guarded(na, re.I, FRAGMENTS, known.get(fragment_key(na, re.I))),
        na_min_words=int(data["na"]["min_reason_words"]),
        placeholder=_compile(data["placeholder"], known),
        mention_negated_before=_compile(data["mention_negated_before"], known),
    )


def guarded_patterns(vocab: Vocabulary) -> list[Guarded]:
    """Every prefiltered pattern of a vocabulary."""
    found = [vocab.na, vocab.placeholder, vocab.mention_negated_before]
    for element in vocab.elements.values():
        for value in element.patterns.values():
            found += [p for p in (value if isinstance(value, tuple) else (value,))
                      if isinstance(p, Guarded)]
    return found


def fragment_key(pattern: str, flags: int) -> str:
    """How speclint.bundle files the plan (fragments) of a pattern."""
    return f"{int(flags)}:{pattern}"
