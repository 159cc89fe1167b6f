"""Cheap necessary conditions for regular expressions, read off their parse tree.

Most vocabulary patterns cannot match a sentence unless one of a few literal words occurs in
it ("rate limit" needs "rate" or "throttl"...). ``Guarded`` checks those literals with plain
substring tests on the lower-cased text (fast, in C) and only runs the regular expression
when one is there. The answer is always the same as the bare pattern's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

DIGIT = "\x00digit"  # stands for "some decimal digit must occur"
_DIGIT = re.compile(r"\d")
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))
_LOWER: dict[str, tuple[str, bool]] = {}


def lowered(text: str) -> tuple[str, bool]:
    """(text.lower(), has a digit), remembered for recent texts (units are re-read often)."""
    found = _LOWER.get(text)
    if found is None:
        if len(_LOWER) > 20000:
            _LOWER.clear()
        found = _LOWER[text] = (text.lower(), _DIGIT.search(text) is not None)
    return found


def _better(best: tuple[int, set[str]] | None, found: set[str] | None) -> Any:
    if not found:
        return best
    score = min(3 if item == DIGIT else len(item) for item in found)
    return (score, found) if best is None or score > best[0] else best


def _sequence(items: list[Any]) -> set[str] | None:
    """One set of literals, one of which every match of this sequence contains."""
    best: tuple[int, set[str]] | None = None
    run: list[str] = []
    for op, value in items + [(None, None)]:
        if op is C.LITERAL:
            run.append(chr(value).lower())
            continue
        if len(run) >= 2 or (run and not run[0].isalnum() and not run[0].isspace()):
            best = _better(best, {"".join(run)})  # a lone '`' or '_' is rare in prose
        run = []
        if op is C.SUBPATTERN:
            best = _better(best, _node(list(value[3])))
        elif op is C.BRANCH:
            best = _better(best, _branch(value[1]))
        elif op in _REPEATS and value[0] >= 1:
            best = _better(best, _node(list(value[2])))
        elif op is C.IN and value == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            best = _better(best, {DIGIT})
    return None if best is None else best[1]


def _branch(alternatives: list[Any]) -> set[str] | None:
    found: set[str] = set()
    for alternative in alternatives:
        literals = _sequence(list(alternative))
        if literals is None:
            return None
        found |= literals
    return found


def _node(items: list[Any]) -> set[str] | None:
    if len(items) == 1 and items[0][0] is C.BRANCH:
        return _branch(items[0][1][1])
    return _sequence(items)


def necessary_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case literals one of which occurs in every text the pattern can match."""
    try:
        literals = _node(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except (re.error, RecursionError, TypeError, IndexError):
        return None
    if not literals:
        return None
    # "api" already covers "api changes": keep only literals that contain no other one
    kept = {item for item in literals
            if not any(other != item and other in item for other in literals)}
    return tuple(sorted(kept))


class Guarded:
    """A compiled pattern behind its literal prefilter; same results as the pattern."""

    __slots__ = ("regex", "literals", "pattern")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.literals = necessary_literals(regex)

    def possible(self, text: str) -> bool:
        if self.literals is None:
            return True
        low, digit = lowered(text)
        for item in self.literals:
            if item in low if item != DIGIT else digit:
                return True
        return False

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        return self.regex.search(text, *args) if self.possible(text) else None

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        return self.regex.match(text, *args) if self.possible(text) else None

    def fullmatch(self, text: str, *args: Any) -> re.Match[str] | None:
        return self.regex.fullmatch(text, *args) if self.possible(text) else None

    def finditer(self, text: str, *args: Any) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, *args) if self.possible(text) else iter(())

    def findall(self, text: str, *args: Any) -> list[Any]:
        return self.regex.findall(text, *args) if self.possible(text) else []
