"""Fragments: contiguous pieces of a regular expression that every match contains, in RE2 syntax.

``fragments`` reads a Python pattern's parse tree and writes, for speclint.prefilter, the most
specific piece that any text the pattern matches must contain, loosened where that keeps it
small: look-arounds and ``$`` dropped, ``^`` read as a line start, and a piece ends at an open
loop (``\\w*``, ``\\s+``, ``[^.]{0,60}``), because one RE2 Set follows every partial match of
every fragment at once.

RE2 reads ``\\w``, ``\\d``, ``\\s`` and ``\\b`` as ASCII and folds case by other rules than
Python's, so it scans a stand-in of the text (``scanned``): ASCII as it is, and each other
character as "0" (a digit), "_" (another word character), " " (a space) or \\x80 (anything
else), one Latin-1 byte each. These are exactly the distinctions Python's classes and word
boundaries make; fragments accept the stand-in wherever Python could match the character it
hides (a negated class, a case-insensitive i, k or s, a letter outside ASCII). A fragment of a
line is also a fragment of the lines joined by "\\n".
"""

from __future__ import annotations

import codecs
import functools
import re
import string
from collections.abc import Iterator
from re import _constants as C  # type: ignore[attr-defined]  # Python 3.11+
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, NamedTuple

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))
_SPACE = r"\t\n\x0b\f\r \x1c-\x1f"  # Python's \s in ASCII (RE2's \s lacks \v and \x1c-\x1f)
_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_WORD: r"\w",
               C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_SPACE: _SPACE}
_BROAD = (C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD, C.CATEGORY_NOT_SPACE)
_ANCHORS = {C.AT_BEGINNING: "(?m:^)", C.AT_BEGINNING_STRING: "(?m:^)", C.AT_BOUNDARY: r"\b",
            C.AT_NON_BOUNDARY: r"\B"}
MIN_SCORE = 1.5  # a fragment worth scanning for: two literal characters, or a digit and two classes
# per pattern: the most specific one. More fragments make a pattern run less often but the
# Set's automaton larger, and every text pays for that (measured on the corpus: one is best)
MAX_FRAGMENTS = 1
MAX_REPEAT = 4  # a counted repeat up to this stays in a fragment; a longer one cuts it

# Outside ASCII, the scanned text keeps only what Python's \\w, \\d, \\s and \\b can tell
# apart: a digit becomes "0", another word character "_", a space " ", anything else \\x80
# (one Latin-1 byte each). Fragments are written to accept those stand-ins (see ``_Translator``).
_STAND_INS = ((re.compile(r"[^\D\x00-\x7f]"), "0"), (re.compile(r"[^\W\x00-\x7f]"), "_"),
              (re.compile(r"[^\S\x00-\x7f]"), " "), (re.compile(r"[^\x00-\x7f]"), "\x80"))
_ALL_STAND_INS = r"_0\x20\x80"
# ASCII letters that Python's case-insensitive matching pairs with a letter outside ASCII
# (i: İ ı, k: K Kelvin, s: ſ); those letters are word characters, so they stand in as "_"
_FOLDS_OUTSIDE_ASCII = "iks"


def scanned(text: str) -> bytes:
    """The bytes that RE2 scans for ``text``: ASCII kept, the rest by its stand-in."""
    if text.isascii():
        return text.encode("ascii")
    if len(text.encode("utf-8", "surrogatepass")) - len(text) > len(text) // 50:
        return text.translate(_STAND_IN_TABLE).encode("latin-1")  # many: one pass
    return text.encode("ascii", errors="speclint-stand-in")  # a few: one call per run


def _stand_in_of(char: str) -> str:
    return next(stand_in for pattern, stand_in in _STAND_INS if pattern.match(char))


class _StandIns(dict):  # type: ignore[type-arg]
    """Code point -> its stand-in's code point, worked out on first sight (ASCII: itself)."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        value = self[code] = code if char.isascii() else ord(_stand_in_of(char))
        return value


_STAND_IN_TABLE = _StandIns()


def _encode_error(error: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: the stand-ins of a run of characters outside ASCII."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start:error.end]
    return run.translate(_STAND_IN_TABLE).encode("latin-1"), error.end


codecs.register_error("speclint-stand-in", _encode_error)


def _char(code: int) -> str:
    """One character in RE2 syntax, over scanned text (outside ASCII: its stand-in)."""
    char = chr(code)
    if char.isascii():
        return char if char.isalnum() else f"\\x{{{code:x}}}"
    stand_in = _stand_in_of(char)
    return f"\\x{{{ord(stand_in):x}}}" if not stand_in.isalnum() and stand_in != "_" else stand_in


def _broad(op: Any, value: Any) -> bool:
    """Does this single-character item match most characters (``.``, ``[^x]``, ``\\S``)?"""
    if op in (C.ANY, C.NOT_LITERAL):
        return True
    return op is C.IN and any(kind is C.NEGATE or (kind is C.CATEGORY and item in _BROAD)
                              for kind, item in value)


def _char_class(items: list[Any], flags: int) -> str:
    negate, parts = False, []
    for kind, value in items:
        if kind is C.NEGATE:
            negate = True
        elif kind is C.LITERAL:
            parts.append(_char(value))
            if flags & re.I:
                parts.append(_ascii_partners(value))
        elif kind is C.RANGE:
            low, high = value
            if low <= 0x7F:
                parts.append(f"{_char(low)}-{_char(min(high, 0x7F))}")
            if high > 0x7F or flags & re.I:
                parts.append(_ALL_STAND_INS)
            if high > 0x7F and flags & re.I:
                parts.append("A-Za-z")  # K Kelvin folds to k, and so on
        elif kind is C.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            return r"(?s:.)"  # [\s\S] and the like: any character
    text = "[" + ("^" if negate else "") + "".join(parts) + "]"
    if negate:  # a stand-in may hide a character outside the set: let every one through
        text = f"(?:{text}|[{_ALL_STAND_INS}])"
    return f"(?i:{text})" if flags & re.I else text


def _ascii_partners(code: int) -> str:
    """What a case-insensitive ``chr(code)`` also matches in the scanned text, besides itself.

    An ASCII letter: its other case, and "_" for i, k and s (İ ı K ſ are word characters).
    A letter outside ASCII: the ASCII letters it folds to (K Kelvin: k and K).
    """
    char = chr(code)
    if char.isascii():
        if char.lower() == char.upper():
            return ""
        return char.swapcase() + ("_" if char.lower() in _FOLDS_OUTSIDE_ASCII else "")
    pattern = re.compile(re.escape(char), re.I)
    return "".join(c for c in string.ascii_letters if pattern.fullmatch(c))


def _literal(code: int, flags: int) -> str:
    text = _char(code)
    partners = _ascii_partners(code) if flags & re.I else ""
    return f"[{text}{partners}]" if partners else text


class _Piece(NamedTuple):
    """A regular expression in RE2 syntax and how specific it is (literal characters)."""

    text: str
    score: float

    def __add__(self, other: object) -> _Piece:
        assert isinstance(other, _Piece)
        return _Piece(self.text + other.text, self.score + other.score)


_EMPTY = _Piece("", 0.0)


class _Shape(NamedTuple):
    """What a piece of a parse tree guarantees about each of its matches.

    Every match starts with a match of ``prefix``, ends with one of ``suffix`` and contains
    one of each ``parts``. ``whole``: ``prefix`` is the item's full meaning (then all three
    are the same piece), so it can be joined to its neighbours.
    """

    whole: bool
    prefix: _Piece
    suffix: _Piece
    parts: tuple[_Piece, ...]


def _exact(text: str, score: float) -> _Shape:
    piece = _Piece(text, score)
    return _Shape(True, piece, piece, (piece,))


_NOTHING = _Shape(False, _EMPTY, _EMPTY, ())  # an item that may match anything, or nothing


class _Translator:
    """Parse tree -> the shape of each item, in RE2 syntax over ``scanned`` text."""

    def item(self, op: Any, value: Any, flags: int) -> _Shape:
        if op is C.LITERAL:
            return _exact(_literal(value, flags), 1.0)
        if op is C.ANY:
            return _exact("(?s:.)" if flags & re.S else r"[^\n]", 0.0)
        if op is C.NOT_LITERAL:
            return _exact(_char_class([(C.NEGATE, None), (C.LITERAL, value)], flags), 0.0)
        if op is C.IN:
            return _exact(_char_class(value, flags), 0.0 if _broad(op, value) else 0.5)
        if op is C.BRANCH:
            return self.branch([self.sequence(list(items), flags) for items in value[1]])
        if op is C.SUBPATTERN:
            return self.sequence(list(value[3]), (flags | value[1]) & ~value[2])
        if op is C.ATOMIC_GROUP:
            return self.sequence(list(value), flags)
        if op in _REPEATS:
            return self.repeat(value, flags)
        if op is C.AT:
            # ^ and \A as line starts: a fragment then also holds in lines joined by "\n"
            return _exact(_ANCHORS.get(value, ""), 0.0)  # $ and \Z: dropped (looser)
        if op in (C.ASSERT, C.ASSERT_NOT):
            return _exact("", 0.0)  # look-arounds: dropped
        return _NOTHING  # back-references, conditionals

    @staticmethod
    def branch(shapes: list[_Shape]) -> _Shape:
        def either(pieces: list[_Piece]) -> _Piece:
            return _Piece("(?:" + "|".join(p.text for p in pieces) + ")",
                          min(p.score for p in pieces))

        prefix = either([shape.prefix for shape in shapes])
        if all(shape.whole for shape in shapes):
            return _Shape(True, prefix, prefix, (prefix,))
        suffix = either([shape.suffix for shape in shapes])
        best = either([max(shape.parts, key=lambda p: p.score, default=_EMPTY)
                       for shape in shapes])
        return _Shape(False, prefix, suffix, (prefix, suffix, best))

    def repeat(self, value: Any, flags: int) -> _Shape:
        low, high, items = value
        items = list(items)
        if high > 1 and len(items) == 1 and _broad(*items[0]):
            return _NOTHING  # [^.\n]{0,60}: no fragment runs across it
        inner = self.sequence(items, flags)
        if inner.whole and high <= MAX_REPEAT:
            return _exact(f"(?:{inner.prefix.text}){{{low},{high}}}",
                          inner.prefix.score * min(low, 2))
        if low == 0:
            return _NOTHING
        # an open loop (\w*, \s+) keeps partial matches alive, and one RE2 Set tracks all
        # of them at once: fragments stop at it; the first and last rounds are still there
        return _Shape(False, inner.prefix, inner.suffix, inner.parts)

    def sequence(self, items: list[Any], flags: int) -> _Shape:
        run, parts = _EMPTY, []
        prefix: _Piece | None = None
        for op, value in items:
            shape = self.item(op, value, flags)
            if shape.whole:
                run += shape.prefix
                continue
            left = run + shape.prefix
            prefix = left if prefix is None else prefix
            parts += [left, *shape.parts]
            run = shape.suffix
        if prefix is None:
            return _Shape(True, run, run, (run,))
        return _Shape(False, prefix, run, (*parts, run))


def fragments(pattern: str, flags: int = 0, most: int | None = None) -> tuple[str, ...]:
    """RE2 patterns that every match of ``pattern`` contains (empty: no useful fragment);
    at most ``most`` (default MAX_FRAGMENTS), the most specific first."""
    try:
        tree = sre_parse.parse(pattern, flags)
        shape = _Translator().sequence(list(tree), tree.state.flags)
    except (re.error, RecursionError, TypeError, ValueError, IndexError):
        return ()
    useful = sorted({piece for piece in shape.parts if piece.score >= MIN_SCORE},
                    key=lambda piece: (-piece.score, piece.text))
    return tuple(piece.text for piece in useful[:MAX_FRAGMENTS if most is None else most])


_EDGES = (C.AT_BEGINNING, C.AT_BEGINNING_STRING, C.AT_END, C.AT_END_STRING)


@functools.cache
def reads_edges(pattern: str, flags: int = 0) -> bool:
    """Can a match depend on where the text starts or ends (anchors, look-arounds)?

    Such a pattern may match a line alone but not the same line among others, and the other
    way round. True when in doubt.
    """
    try:
        tree = sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, TypeError, ValueError, IndexError):
        return True
    return _has_edges(list(tree))


def _has_edges(items: list[Any]) -> bool:
    for op, value in items:
        if op is C.AT and value in _EDGES or op in (C.ASSERT, C.ASSERT_NOT):
            return True
        if op in (C.GROUPREF_EXISTS, C.GROUPREF):
            return True
        if op is C.BRANCH and any(_has_edges(list(alt)) for alt in value[1]):
            return True
        if op is C.SUBPATTERN and _has_edges(list(value[3])):
            return True
        if op is C.ATOMIC_GROUP and _has_edges(list(value)):
            return True
        if op in _REPEATS and _has_edges(list(value[2])):
            return True
    return False


class Plan(NamedTuple):
    """How speclint.prefilter guards a pattern: its fragments; for an alternation, each
    alternative as a pattern of its own with its fragments (then only the alternatives whose
    fragments occur in a text are run on it); and the characters every match contains
    (``required``; ``digit``: a digit too), which Python finds in a text faster than any scan."""

    fragments: tuple[str, ...]
    branches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    required: str = ""
    digit: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"fragments": list(self.fragments),
                "branches": [[source, list(found)] for source, found in self.branches],
                "required": self.required, "digit": self.digit}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        return cls(tuple(data["fragments"]),
                   tuple((source, tuple(found)) for source, found in data["branches"]),
                   data["required"], data["digit"])


def plan(pattern: str, flags: int = 0) -> Plan:
    """The fragments of ``pattern`` and, when it splits (``branches``), of each alternative."""
    split = branches(pattern, flags)
    chars, digit = required(pattern, flags)
    return Plan(fragments(pattern, flags),
                tuple((source, fragments(source, flags)) for source in split),
                "".join(sorted(chars)), digit)


def required(pattern: str, flags: int = 0) -> tuple[frozenset[str], bool]:
    """Characters that every match of ``pattern`` contains, and whether it holds a digit
    (Python's ``\\d``). Look-arounds count for nothing; case-insensitive letters neither."""
    try:
        tree = sre_parse.parse(pattern, flags)
        return _required(list(tree), tree.state.flags)
    except (re.error, RecursionError, TypeError, ValueError, IndexError):
        return frozenset(), False


_NOTHING_REQUIRED: tuple[frozenset[str], bool] = (frozenset(), False)


def _required(items: list[Any], flags: int) -> tuple[frozenset[str], bool]:
    chars: set[str] = set()
    digit = False
    for op, value in items:
        found, needs_digit = _required_item(op, value, flags)
        chars |= found
        digit = digit or needs_digit
    return frozenset(chars), digit


def _required_item(op: Any, value: Any, flags: int) -> tuple[frozenset[str], bool]:
    if op is C.LITERAL:
        return _literal_required(value, flags)
    if op is C.IN:
        return _class_required(value, flags)
    if op is C.SUBPATTERN:
        return _required(list(value[3]), (flags | value[1]) & ~value[2])
    if op is C.ATOMIC_GROUP:
        return _required(list(value), flags)
    if op in _REPEATS:
        low, _, inner = value
        return _required(list(inner), flags) if low >= 1 else _NOTHING_REQUIRED
    if op is C.BRANCH:
        options = [_required(list(items), flags) for items in value[1]]
        return (frozenset.intersection(*(chars for chars, _ in options)),
                all(digit for _, digit in options))
    return _NOTHING_REQUIRED  # any character, anchors, look-arounds, references


def _literal_required(code: int, flags: int) -> tuple[frozenset[str], bool]:
    char = chr(code)
    digit = char.isdecimal()
    if flags & re.I and not (char.isascii() and not char.isalpha()):
        return frozenset(), digit  # it folds: other characters match it too
    return frozenset(char), digit


def _class_required(items: list[Any], flags: int) -> tuple[frozenset[str], bool]:
    """A class of one character requires it; a class of digits requires a digit."""
    if len(items) == 1 and items[0][0] is C.LITERAL:
        return _literal_required(items[0][1], flags)
    digits = all(kind is C.CATEGORY and item is C.CATEGORY_DIGIT
                 or kind is C.RANGE and 0x30 <= item[0] <= item[1] <= 0x39
                 or kind is C.LITERAL and chr(item).isdecimal() for kind, item in items)
    return frozenset(), bool(items) and digits


MIN_BRANCHES = 3  # fewer alternatives are not worth a search each


def branches(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """The alternatives of a top-level alternation, each a pattern of its own.

    Nested groups that only scope flags (``(?i:a|b)|c``) are opened too, so the result is
    ``('(?i:a)', '(?i:b)', 'c')``. Leftmost-first search over the alternatives gives the
    alternation's own match: the earliest start, and there the first alternative. So the
    split is offered only where that is exact and simple: no capture groups (a match has no
    groups to number), no verbose mode, and no alternative that can match the empty string.
    """
    try:
        compiled = re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return ()
    if compiled.groups or compiled.flags & re.X:
        return ()
    found = _alternatives(pattern)
    if len(found) < MIN_BRANCHES:
        return ()
    try:
        if any(sre_parse.parse(source, flags).getwidth()[0] == 0 for source in found):
            return ()
    except (re.error, RecursionError, OverflowError, ValueError):
        return ()
    return tuple(found)


_GLOBAL = re.compile(r"\(\?[aiLmsux]+\)")
_SCOPED = re.compile(r"\(\?(?:[aiLmsux]*(?:-[imsx]+)?:)")


def _alternatives(pattern: str, opened: str = "", closed: str = "") -> list[str]:
    """``pattern`` split at its top-level ``|``, each piece wrapped in ``opened``/``closed``;
    a piece that is one scoped group is opened and split again."""
    prefix = ""
    head = _GLOBAL.match(pattern)
    if head and not opened:
        prefix, pattern = head.group(), pattern[head.end():]
    found = []
    for piece in _split_top(pattern):
        scoped = _SCOPED.match(piece)
        if scoped and _closing(piece, 0) == len(piece) - 1:
            inner = piece[scoped.end():-1]
            found += [prefix + source for source in _alternatives(
                inner, opened + scoped.group(), ")" + closed)]
        else:
            found.append(prefix + opened + piece + closed)
    return found


def _structure(pattern: str, index: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) of each ``(``, ``)`` and ``|`` from
    ``index`` on, escapes and character classes skipped."""
    depth = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
        elif char in "()|":
            depth += 1 if char == "(" else -1 if char == ")" else 0
            yield index, char, depth
        index += 1


def _split_top(pattern: str) -> list[str]:
    """Pieces of ``pattern`` between the ``|`` outside every group and class."""
    pieces, start = [], 0
    for index, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            pieces.append(pattern[start:index])
            start = index + 1
    pieces.append(pattern[start:])
    return pieces


def _class_end(pattern: str, index: int) -> int:
    """Index of the ``]`` closing the class opened at ``index`` (a first ``]`` is literal)."""
    index += 1
    if pattern[index:index + 1] == "^":
        index += 1
    if pattern[index:index + 1] == "]":
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


def _closing(pattern: str, index: int) -> int:
    """Index of the ``)`` closing the group opened at ``index``."""
    for position, char, depth in _structure(pattern, index):
        if char == ")" and depth == 0:
            return position
    return -1
