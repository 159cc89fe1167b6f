"""Load rules/vocabulary.yaml once per process; each pattern is compiled on first use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
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
    aliases: dict[str, tuple[tuple[str, ...], ...]]  # '...headings' key -> each alias's words

    def value(self, name: str) -> Any:
        return self.values[name]

    def p(self, name: str) -> re.Pattern[str]:
        return self.patterns[name]

    def many(self, name: str) -> tuple[re.Pattern[str], ...]:
        value = self.patterns[name]
        return value if isinstance(value, tuple) else (value,)

    def alias_words(self, key: str = "headings") -> tuple[tuple[str, ...], ...]:
        """The heading aliases of ``key``, each as its words (titles hold an alias when they
        hold its words in a row)."""
        return self.aliases.get(key, ())

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

    @cached_property
    def alias_heads(self) -> dict[int, frozenset[str]]:
        """By length in words: the first words of every element's heading aliases."""
        heads: dict[int, set[str]] = {}
        for ev in self.elements.values():
            for aliases in ev.aliases.values():
                for alias in aliases:
                    heads.setdefault(len(alias), set()).add(alias[0])
        return {size: frozenset(words) for size, words in heads.items()}


def _compile(value: Any, known: dict[str, Plan], code: bool = False) -> Any:
    """Guarded by its fragments (speclint.prefilter), compiled on first use."""
    if isinstance(value, list):
        return tuple(_compile(item, known, code) for item in value)
    fragment_set = CODE_FRAGMENTS if code else FRAGMENTS
    return Guarded(value, 0, fragment_set, known.get(fragment_key(value, 0)))


def _alias_words(aliases: list[Any]) -> tuple[tuple[str, ...], ...]:
    """Each alias as its lower-case words, sorted: the same order in every process (a set's
    order depends on the string hash seed)."""
    return tuple(sorted({tuple(str(a).lower().split()) for a in aliases} - {()}))


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
    aliases: dict[str, tuple[tuple[str, ...], ...]] = {}
    values = {k: v for k, v in data.items() if isinstance(v, (int, float, dict))}
    for key, value in data.items():
        if key in values:
            continue
        if key.endswith("headings"):
            aliases[key] = _alias_words(value)
            continue
        code = key.endswith("_code")  # read on code blocks, not on prose
        patterns[key] = _compile(value, known, code)
        if isinstance(value, list):
            patterns[f"_union_{key}"] = _compile("|".join(_scoped(v) for v in value), known,
                                                 code)
    return ElementVocab(headings, patterns, lists, values, aliases)


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
