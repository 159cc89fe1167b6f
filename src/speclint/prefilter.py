"""One pass over a text tells which vocabulary patterns can match it (same answers, faster).

Python's ``re`` spends 15-100 ns per character to find out that a pattern does not match a
sentence, and the vocabulary has some ninety patterns, most of which match nothing in a given
sentence. Each pattern has a fragment (speclint.fragments): a piece that every match contains.

- one RE2 ``Set`` holds the fragments of every guarded pattern, and one linear-time scan of a
  text says which of them occur in it (``FragmentSet.found``, remembered per text until the
  next document);
- ``Guarded`` runs its pattern only when its fragment occurred (a pattern without a useful
  fragment always runs), and not at all on a text that lacks a character every match holds
  (a cheap check in C before any scan);
- a big alternation is guarded alternative by alternative (only those whose fragments occur
  are run), and a short text that was never scanned is matched directly (the pattern costs
  less than the scan).

Its answers are always exactly the bare pattern's (tests/test_prefilter.py).

Prose, code blocks and whole rule scopes are different kinds of text: each has a Set of its
own, so each automaton stays small.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from speclint.fragments import Plan, plan, scanned

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it, no prefilter
    _re2 = None

RE2_MAX_MEM = 32 << 20
_DIGIT = re.compile(r"\d")
# one document's texts are remembered until the next document (forget); this many is a
# document of tiny blocks, whose masks are then worked out again rather than kept
_MEMO_SIZE = 1_000_000
# a text this short that was never scanned is matched directly: the pattern costs less
# than a scan (and a remembered mask) would
SHORT_TEXT = 64


class FragmentSet:
    """Every registered fragment in one RE2 Set; ``found(text)`` is a bit mask of those in it.

    Index 0 is an empty fragment that occurs in every text: a scan that returns nothing at
    all failed (RE2 out of memory), and then every pattern runs.
    """

    def __init__(self) -> None:
        self._bits: dict[str, int] = {"": 1}
        self._set: Any = None
        self._broken = _re2 is None
        self._values = [1]  # the bit of each fragment, in Set order
        self.memo: dict[str, int] = {}  # text -> mask (read directly by Guarded)

    def needs(self, texts: tuple[str, ...]) -> int:
        """The bit mask standing for ``texts`` (registered on first sight)."""
        mask = 0
        for text in texts:
            bit = self._bits.get(text)
            if bit is None:
                bit = self._bits[text] = 1 << len(self._bits)
                self._values.append(bit)
                self._set = None  # recompiled on the next scan
                self.memo.clear()  # remembered masks lack the new bit
            mask |= bit
        return mask

    def _compile(self) -> Any:
        assert _re2 is not None
        options = _re2.Options()
        options.max_mem = RE2_MAX_MEM
        options.log_errors = False
        options.encoding = _re2.Options.Encoding.LATIN1
        compiled = _re2.Set.SearchSet(options)
        try:
            for text in self._bits:  # in bit order
                compiled.Add(text.encode("ascii"))  # escapes only: Latin-1 too
            compiled.Compile()
        except _re2.error:
            self._broken = True
            return None
        return compiled

    def found(self, text: str) -> int:
        """Mask of the fragments occurring in ``text``; -1 (all) when RE2 cannot tell."""
        mask = self.memo.get(text)
        if mask is not None:
            return mask
        if self._broken:
            mask = -1
        else:
            if self._set is None:
                self._set = self._compile()
            matched = self._set.Match(scanned(text)) if self._set is not None else None
            mask = sum(map(self._values.__getitem__, matched)) if matched else -1
        if len(self.memo) >= _MEMO_SIZE:
            self.memo.clear()
        self.memo[text] = mask
        return mask


FRAGMENTS = FragmentSet()  # for patterns read on prose: sentences, list items, table rows
CODE_FRAGMENTS = FragmentSet()  # for patterns read on code blocks (another kind of text)
SCOPE_FRAGMENTS = FragmentSet()  # for the patterns of rules, asked about whole scopes


def forget() -> None:
    """Drop the remembered masks (and the texts they keep alive): one document's texts are
    of no use for the next one."""
    for fragment_set in (FRAGMENTS, CODE_FRAGMENTS, SCOPE_FRAGMENTS):
        fragment_set.memo.clear()


class Guarded:
    """A pattern compiled on first use, run only on texts that hold all of its fragments.

    An alternation that splits (speclint.fragments.branches) is guarded alternative by
    alternative: only those whose fragments occur in a text are run, and the earliest match
    (on a tie, the first alternative's) is the alternation's own.
    """

    __slots__ = ("pattern", "flags", "fragment_set", "plan", "fragments", "needs", "options",
                 "_always", "_either", "_branches", "_required", "_digit", "_checks", "_memo",
                 "_regex")

    def __init__(self, pattern: str, flags: int = 0, fragment_set: FragmentSet = FRAGMENTS,
                 known: Plan | None = None) -> None:
        """``known``: the plan (fragments, alternatives), worked out ahead of time
        (speclint.bundle)."""
        self.pattern = pattern
        self.flags = flags
        self.fragment_set = fragment_set
        found = known if known is not None else plan(pattern, flags)
        self.plan = found
        self.fragments = found.fragments
        self._branches = tuple(Guarded(source, flags, fragment_set, Plan(parts))
                               for source, parts in found.branches)
        self.needs = 0 if self._branches else fragment_set.needs(self.fragments)
        # the pattern may match a text holding every fragment of one of these masks
        self.options = tuple(b.needs for b in self._branches) or (self.needs,)
        self._always = not all(self.options)
        # one fragment per option (the usual case): any of their bits will do
        self._either = 0
        if all(need & (need - 1) == 0 for need in self.options):
            for need in self.options:
                self._either |= need
        self._required, self._digit = found.required, found.digit
        self._checks = bool(found.required or found.digit)
        self._memo = fragment_set.memo
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.pattern, self.flags)
        return self._regex

    @property
    def groups(self) -> int:
        return self.regex.groups

    @property
    def guarded(self) -> bool:
        """Does the prefilter know a fragment of every match (or of every alternative's)?"""
        return not self._always

    @property
    def needs_characters(self) -> bool:
        """Does every match hold some known characters, or a digit (``possible`` tests them
        even when the pattern is not guarded)?"""
        return self._checks

    def _mask(self, text: str) -> int:
        mask = self._memo.get(text)
        return self.fragment_set.found(text) if mask is None else mask

    def _has_required(self, text: str) -> bool:
        """Does ``text`` hold every character that a match needs (a fast check in C)?"""
        for char in self._required:
            if char not in text:
                return False
        return not self._digit or _DIGIT.search(text) is not None

    def possible(self, text: str) -> bool:
        if self._always:
            return not self._checks or self._has_required(text)
        mask = self._memo.get(text)
        if mask is None:
            if self._checks and not self._has_required(text):
                return False  # no need to scan
            if len(text) <= SHORT_TEXT:
                return True  # a short text never scanned: the pattern costs less than a scan
            mask = self.fragment_set.found(text)
        if self._either:
            return bool(mask & self._either)
        return any(mask & need == need for need in self.options)

    def _candidates(self, text: str) -> Iterator[Guarded]:
        """The alternatives that may match ``text``, in order."""
        if self._checks and not self._has_required(text):
            return iter(())
        mask = self._mask(text)
        return (b for b in self._branches if b.needs & mask == b.needs)

    # The alternatives are run one by one (split), except with ``endpos`` (the text then ends
    # early for ``\\b`` and ``$``: no prefilter) and on a short text never scanned (the
    # pattern itself costs less than a scan would)
    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        if not (self._branches and len(args) < 2 and (  # self._splits(text, args)
                len(text) > SHORT_TEXT or text in self._memo)):
            return self.regex.search(text, *args) if len(args) > 1 or self.possible(text) \
                else None
        best: re.Match[str] | None = None
        start = args[0] if args else 0
        for branch in self._candidates(text):
            match = branch.regex.search(text, *args)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
                if match.start() <= start:
                    break  # nothing starts earlier, and on a tie the first one wins
        return best

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        if self._branches or args:
            return self._anchored("match", text, args)
        return self.regex.match(text) if self.possible(text) else None  # the usual case

    def fullmatch(self, text: str, *args: Any) -> re.Match[str] | None:
        if self._branches or args:
            return self._anchored("fullmatch", text, args)
        return self.regex.fullmatch(text) if self.possible(text) else None

    def _splits(self, text: str, args: tuple[Any, ...]) -> bool:
        """Run the alternatives one by one? (written out in ``search`` and ``finditer``, the
        hot paths, where a call costs more than the test)"""
        return bool(self._branches) and len(args) < 2 and (
            len(text) > SHORT_TEXT or text in self._memo)

    def _anchored(self, method: str, text: str, args: tuple[Any, ...]) -> re.Match[str] | None:
        """``match`` or ``fullmatch``: at a fixed start, the first alternative that matches."""
        if not self._splits(text, args):
            return getattr(self.regex, method)(text, *args) \
                if len(args) > 1 or self.possible(text) else None
        for branch in self._candidates(text):
            match = getattr(branch.regex, method)(text, *args)
            if match is not None:
                return match
        return None

    def finditer(self, text: str, *args: Any) -> Iterator[re.Match[str]]:
        if not (self._branches and len(args) < 2 and (  # self._splits(text, args)
                len(text) > SHORT_TEXT or text in self._memo)):
            return self.regex.finditer(text, *args) if len(args) > 1 or self.possible(text) \
                else iter(())
        return self._split_finditer(text, args[0] if args else 0)

    def _split_finditer(self, text: str, position: int) -> Iterator[re.Match[str]]:
        """search() again and again, each from where the last match ended, as finditer does
        (no alternative matches the empty string). Each alternative's next match is kept
        until the matches pass it: where one occurs less often than the others, searching
        it again from every match would read the rest of the text each time (a paragraph of
        4,000 rollback phrases took 8 s). A kept match is the one a new search would find:
        it starts after the new position, and nothing matched before it."""
        branches = [branch.regex for branch in self._candidates(text)]
        upcoming = [branch.search(text, position) for branch in branches]
        while True:
            best: re.Match[str] | None = None
            for match in upcoming:  # the earliest; on a tie, the first alternative's
                if match is not None and (best is None or match.start() < best.start()):
                    best = match
            if best is None:
                return
            yield best
            position = best.end()
            for index, match in enumerate(upcoming):
                if match is not None and match.start() < position:
                    upcoming[index] = branches[index].search(text, position)

    def findall(self, text: str, *args: Any) -> list[Any]:
        if not self._splits(text, args):
            return self.regex.findall(text, *args) if len(args) > 1 or self.possible(text) \
                else []
        return [match.group() for match in self.finditer(text, *args)]  # no groups

    def __repr__(self) -> str:
        return f"Guarded({self.pattern!r})"
