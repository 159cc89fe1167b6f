"""User regular expressions from rule files: checked, then run in linear time (SPEC 11).

A pattern in a rule file (``params.pattern``, ``when``/``require`` matchers) is data written by
whoever controls the repository, so it must not be able to hang speclint:

1. It is parsed with Python's own regular-expression parser (rule files are written in Python
   syntax) and refused when it has a shape known to backtrack catastrophically: a quantifier
   inside a repeated group that can give back what the next round takes (``(a+)+``,
   ``(.*)*``, ``(\\w+\\s?)*``), or alternatives under a quantifier that can start with the same
   character (``(a|a)*``, ``(a|ab)+``). The check is syntactic and conservative.
2. It is translated to RE2 syntax and run by RE2 (``google-re2``), whose matching time is
   linear in the text whatever the pattern. The translation keeps Python's meaning of ``\\d``,
   ``\\w``, ``\\s`` (Unicode), ``.``, ``$`` and inline flags. Features RE2 cannot run in linear
   time (look-around, back-references, atomic groups, possessive quantifiers, conditionals)
   and counted repeats above 1000 are refused. One difference is left: ``\\b`` and ``\\B``
   treat only ASCII letters, digits and ``_`` as word characters.

Without google-re2 installed, patterns that pass the check run on Python's ``re``.
Everything here raises :class:`PatternError` (a ``ValueError``) with a message fit for a
``file:line: rules.N.params: ...`` rule-file error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from re import _constants as C  # type: ignore[attr-defined]  # Python 3.11+
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

try:
    import re2 as _re2
except ImportError:  # pragma: no cover - exercised by monkeypatching ENGINE in tests
    _re2 = None

ENGINE = "re2" if _re2 is not None else "re"
MAX_PATTERN_LENGTH = 10_000
MAX_RE2_REPEAT = 1000
RE2_MAX_MEM = 64 << 20

_I, _S, _M, _A, _U = re.I, re.S, re.M, re.A, re.U
_MAXREPEAT = C.MAXREPEAT


class PatternError(ValueError):
    """A user pattern that speclint refuses to compile."""


# -- character sets, approximated over a small alphabet -----------------------------------

# Every ASCII character plus a few that stand for the Unicode classes \w, \d, \s cover; the
# literal characters and range ends of the pattern under test are added to these.
_SAMPLES = "\x85\xa0\xe9\xdf\u0130\u0131\u017f\u0301\u03a9\u0663\u00b2\u2003\u2028\u212a" \
           "\u3000\u4e2d\uff10\U0001f600\U0010ffff"


class _Alphabet:
    def __init__(self, extra: set[int]) -> None:
        chars = {chr(c) for c in range(128)} | set(_SAMPLES)
        chars |= {chr(c) for c in extra if 0 <= c <= 0x10FFFF}
        self.chars = sorted(chars)
        self.all = (1 << len(self.chars)) - 1
        self.newline = 1 << self.chars.index("\n")

    def mask(self, test: Any) -> int:
        bits = 0
        for index, char in enumerate(self.chars):
            if test(char):
                bits |= 1 << index
        return bits


def _variants(char: str, flags: int) -> set[str]:
    if not flags & _I:
        return {char}
    found = {char, char.lower(), char.upper(), char.casefold()}
    return {c for c in found if len(c) == 1}


_CATEGORY_TESTS = {
    "CATEGORY_DIGIT": (lambda c: c.isdecimal(), lambda c: "0" <= c <= "9"),
    "CATEGORY_WORD": (lambda c: c.isalnum() or c == "_",
                      lambda c: c.isascii() and (c.isalnum() or c == "_")),
    "CATEGORY_SPACE": (lambda c: c.isspace(), lambda c: c in " \t\n\r\f\v"),
}


def _category_test(name: str, flags: int) -> Any:
    negate = name.startswith("CATEGORY_NOT_")
    base = name.replace("CATEGORY_NOT_", "CATEGORY_")
    unicode_test, ascii_test = _CATEGORY_TESTS.get(base, (lambda c: True, lambda c: True))
    test = ascii_test if flags & _A else unicode_test
    return (lambda c: not test(c)) if negate else test


def _in_test(items: list[tuple[Any, Any]], flags: int) -> Any:
    negate = bool(items) and items[0][0] is C.NEGATE

    def member(char: str) -> bool:
        variants = _variants(char, flags)
        for op, av in items:
            if op is C.LITERAL and chr(av) in variants:
                return True
            if op is C.RANGE and any(av[0] <= ord(v) <= av[1] for v in variants):
                return True
            if op is C.CATEGORY and _category_test(str(av), flags)(char):
                return True
        return False

    return (lambda c: not member(c)) if negate else member


def _codepoints(seq: Any, found: set[int]) -> set[int]:
    """Literal characters and range ends used anywhere in a parsed pattern."""
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL):
            found.update((av, av - 1, av + 1))
        elif op is C.RANGE:
            found.update((av[0], av[1], av[0] - 1, av[1] + 1))
        elif op is C.IN:
            _codepoints(av, found)
        for child in _subsequences(op, av):
            _codepoints(child, found)
    return found


def _subsequences(op: Any, av: Any) -> list[Any]:
    if op is C.SUBPATTERN:
        return [av[3]]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        return [av[2]]
    if op is C.BRANCH:
        return list(av[1])
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [av[1]]
    if op is C.ATOMIC_GROUP:
        return [av]
    if op is C.GROUPREF_EXISTS:
        return [av[1]] + ([av[2]] if av[2] is not None else [])
    return []


# -- catastrophic-backtracking shapes -----------------------------------------------------

class _Danger(Exception):
    pass


class _Analyser:
    """Finds decision points inside a repeat where both choices can take the same character.

    At such a point a backtracking matcher tries both ways, round after round, and the number
    of ways to split the text grows exponentially (or as a high power) with its length.
    """

    def __init__(self, alphabet: _Alphabet) -> None:
        self.alpha = alphabet
        self.memo: dict[tuple[int, int], tuple[int, bool]] = {}

    def first(self, seq: Any, flags: int) -> tuple[int, bool]:
        """(characters that can start a match, can it match empty)."""
        chars = 0
        for node in seq:
            node_chars, nullable = self.node_first(node, flags)
            chars |= node_chars
            if not nullable:
                return chars, False
        return chars, True

    def node_first(self, node: tuple[Any, Any], flags: int) -> tuple[int, bool]:
        key = (id(node), flags)
        if key not in self.memo:
            self.memo[key] = self._node_first(node, flags)
        return self.memo[key]

    def _node_first(self, node: tuple[Any, Any], flags: int) -> tuple[int, bool]:
        op, av = node
        alpha = self.alpha
        if op is C.LITERAL:
            variants = _variants(chr(av), flags)
            return alpha.mask(lambda c: c in variants or bool(_variants(c, flags) & variants)), \
                False
        if op is C.NOT_LITERAL:
            variants = _variants(chr(av), flags)
            return alpha.mask(lambda c: not (_variants(c, flags) & variants)), False
        if op is C.ANY:
            return (alpha.all if flags & _S else alpha.all & ~alpha.newline), False
        if op is C.IN:
            return alpha.mask(_in_test(av, flags)), False
        if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
            return 0, True
        if op is C.SUBPATTERN:
            return self.first(av[3], (flags | av[1]) & ~av[2])
        if op is C.ATOMIC_GROUP:
            return self.first(av, flags)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            chars, nullable = self.first(av[2], flags)
            return chars, nullable or av[0] == 0
        if op is C.BRANCH or op is C.GROUPREF_EXISTS:
            chars, nullable = 0, False
            for branch in _subsequences(op, av) + ([[]] if op is C.GROUPREF_EXISTS
                                                    and av[2] is None else []):
                branch_chars, branch_nullable = self.first(branch, flags)
                chars |= branch_chars
                nullable = nullable or branch_nullable
            return chars, nullable
        if op is C.GROUPREF:
            return alpha.all, True
        return alpha.all, True  # unknown node: assume the worst

    def prefix(self, seq: Any, flags: int, limit: int = 8) -> list[int]:
        """Character sets of the first positions every match of ``seq`` starts with.

        The list stops where the shape stops being one fixed character per position (a
        quantifier, an alternation) or at ``limit``; what follows is then unknown.
        """
        found: list[int] = []
        for node in seq:
            op, av = node
            if len(found) >= limit:
                break
            if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
                found.append(self.node_first(node, flags)[0])
            elif op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
                continue
            elif op is C.SUBPATTERN:
                inner_flags = (flags | av[1]) & ~av[2]
                inner = self.prefix(av[3], inner_flags, limit - len(found))
                found += inner
                if not _fixed(av[3]):
                    break
            else:
                chars, nullable = self.node_first(node, flags)
                if not nullable:
                    found.append(chars)
                break
        return found

    def walk(self, seq: Any, follow: int, flags: int, repeated: bool) -> None:
        """Check every node of ``seq``; ``follow`` is what can come after the sequence."""
        after = [0] * (len(seq) + 1)
        after[len(seq)] = follow
        for index in range(len(seq) - 1, -1, -1):
            chars, nullable = self.node_first(seq[index], flags)
            after[index] = chars | (after[index + 1] if nullable else 0)
        for index, node in enumerate(seq):
            self.node(node, after[index + 1], flags, repeated)

    def node(self, node: tuple[Any, Any], follow: int, flags: int, repeated: bool) -> None:
        op, av = node
        if op is C.SUBPATTERN:
            self.walk(av[3], follow, (flags | av[1]) & ~av[2], repeated)
        elif op is C.ATOMIC_GROUP:
            self.walk(av, follow, flags, repeated)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            self.walk(av[1], 0, flags, False)
        elif op is C.BRANCH or op is C.GROUPREF_EXISTS:
            branches = _subsequences(op, av)
            if op is C.GROUPREF_EXISTS and av[2] is None:
                branches = branches + [[]]
            if repeated:
                prefixes = [self.prefix(branch, flags) for branch in branches]
                for i, left in enumerate(prefixes):
                    for right in prefixes[i + 1:]:
                        if _compatible(left, right):
                            raise _Danger("alternatives under a quantifier can match the same "
                                          "text, as in (a|a)* or (a|ab)+")
            for branch in branches:
                self.walk(branch, follow, flags, repeated)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, body = av
            body_chars, body_nullable = self.first(body, flags)
            again = high is _MAXREPEAT or high >= 2
            if repeated and low != high and body_chars & follow:
                raise _Danger("a quantifier inside a repeated group can match the same text "
                              "as what follows it, as in (a+)+, (.*)* or (\\w+\\s?)*")
            if again and body_nullable and _has_repeat(body):
                raise _Danger("a repeated group can match the empty string, as in (a*)*")
            inner_follow = (body_chars | follow) if again else follow
            self.walk(body, inner_follow, flags, repeated or again)


def _fixed(seq: Any) -> bool:
    """One character per position, nothing optional (so a prefix of it is exact)."""
    for op, av in seq:
        if op is C.SUBPATTERN:
            if not _fixed(av[3]):
                return False
        elif op not in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.AT, C.ASSERT, C.ASSERT_NOT):
            return False
    return True


def _compatible(left: list[int], right: list[int]) -> bool:
    """Can two alternatives start the same way (one may be a prefix of the other)?"""
    return all(a & b for a, b in zip(left, right, strict=False))


def _has_repeat(seq: Any) -> bool:
    for op, av in seq:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            return True
        if any(_has_repeat(child) for child in _subsequences(op, av)):
            return True
    return False


def _mark_alternatives(pattern: str) -> str:
    """Put an empty look-ahead after each top-level ``|`` so the parser keeps alternatives.

    Python's parser folds ``a|a`` into the set ``[aa]`` and factors common prefixes out of
    alternatives; the marker (zero-width, matching anything) stops that, so the analysis sees
    the alternation the author wrote.
    """
    out = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index:index + 2])
            index += 2
            continue
        if in_class:
            if char == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", index):
                out.append("[^")
                index += 2
                continue
        elif char == "|":
            out.append("|(?=)")
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


def danger(pattern: str, flags: int = 0) -> str | None:
    """Why ``pattern`` can backtrack catastrophically, or None. Raises PatternError if invalid."""
    parsed = _parse(pattern, flags)
    try:
        marked = sre_parse.parse(_mark_alternatives(pattern), flags)
    except (re.error, RecursionError, OverflowError):
        marked = parsed
    try:
        alphabet = _Alphabet(_codepoints(marked, set()))
        _Analyser(alphabet).walk(marked, 0, marked.state.flags, False)
    except _Danger as exc:
        return str(exc)
    except RecursionError:
        raise PatternError("the pattern is nested too deeply") from None
    return None


# -- translation to RE2 -------------------------------------------------------------------

_UNICODE_SPACE = r"\t\n\x0b\f\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}" \
                 r"\x{2029}\x{202f}\x{205f}\x{3000}"
_CLASS_BODY = {  # (unicode, ascii) class contents of the positive categories
    "CATEGORY_DIGIT": (r"\p{Nd}", "0-9"),
    "CATEGORY_WORD": (r"\p{L}\p{N}_", "0-9A-Za-z_"),
    "CATEGORY_SPACE": (_UNICODE_SPACE, r"\t\n\x0b\f\r "),
}


def _char(code: int) -> str:
    char = chr(code)
    if char.isascii() and char.isalnum():
        return char
    return f"\\x{{{code:x}}}"


class _Translator:
    def __init__(self, groupnames: dict[int, str]) -> None:
        self.names = groupnames

    def seq(self, seq: Any, flags: int) -> str:
        return "".join(self.node(node, flags) for node in seq)

    def node(self, node: tuple[Any, Any], flags: int) -> str:
        op, av = node
        if op is C.LITERAL:
            return _char(av)
        if op is C.NOT_LITERAL:
            return f"[^{_char(av)}]"
        if op is C.ANY:
            return r"(?s:.)" if flags & _S else r"[^\n]"
        if op is C.IN:
            return self.charset(av, flags)
        if op is C.AT:
            return self.at(str(av), flags)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(branch, flags) for branch in av[1]) + ")"
        if op is C.SUBPATTERN:
            return self.subpattern(av, flags)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            return self.repeat(op, av, flags)
        unsupported = {
            C.POSSESSIVE_REPEAT: "possessive quantifiers (*+, ++, ?+)",
            C.ATOMIC_GROUP: "atomic groups (?>...)",
            C.GROUPREF: "back-references (\\1, (?P=name))",
            C.GROUPREF_EXISTS: "conditional groups (?(1)...)",
            C.ASSERT: "look-ahead and look-behind assertions",
            C.ASSERT_NOT: "look-ahead and look-behind assertions",
        }
        raise PatternError(f"{unsupported.get(op, str(op))} cannot run in linear time; "
                           "rewrite the pattern without them")

    @staticmethod
    def at(code: str, flags: int) -> str:
        if code == "AT_BEGINNING":
            return "(?m:^)" if flags & _M else r"\A"
        if code == "AT_END":
            return "(?m:$)" if flags & _M else r"\z"
        return {"AT_BEGINNING_STRING": r"\A", "AT_END_STRING": r"\z", "AT_BOUNDARY": r"\b",
                "AT_NON_BOUNDARY": r"\B"}.get(code, r"\b")

    def subpattern(self, av: Any, flags: int) -> str:
        group, add, remove, body = av
        inner = (flags | add) & ~remove
        text = self.seq(body, inner)
        if (inner & _I) != (flags & _I):
            text = f"(?{'i' if inner & _I else '-i'}:{text})"
        if group is None:
            return f"(?:{text})"
        name = self.names.get(group)
        return f"(?P<{name}>{text})" if name else f"({text})"

    def repeat(self, op: Any, av: Any, flags: int) -> str:
        low, high, body = av
        if low > MAX_RE2_REPEAT or (high is not _MAXREPEAT and high > MAX_RE2_REPEAT):
            raise PatternError(f"counted repeats above {MAX_RE2_REPEAT} are not supported")
        text = f"(?:{self.seq(body, flags)})"
        if high is _MAXREPEAT:
            suffix = {0: "*", 1: "+"}.get(low, f"{{{low},}}")
        elif (low, high) == (0, 1):
            suffix = "?"
        else:
            suffix = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
        return text + suffix + ("?" if op is C.MIN_REPEAT else "")

    def charset(self, items: list[tuple[Any, Any]], flags: int) -> str:
        negate = bool(items) and items[0][0] is C.NEGATE
        positive, complements = [], []
        for op, av in items:
            if op is C.NEGATE:
                continue
            if op is C.LITERAL:
                positive.append(_char(av))
            elif op is C.RANGE:
                positive.append(f"{_char(av[0])}-{_char(av[1])}")
            elif op is C.CATEGORY:
                name = str(av)
                base = name.replace("CATEGORY_NOT_", "CATEGORY_")
                body = _CLASS_BODY[base][1 if flags & _A else 0]
                if name == base:
                    positive.append(body)
                elif base == "CATEGORY_DIGIT" and not flags & _A:
                    positive.append(r"\P{Nd}")
                else:
                    complements.append(body)
            else:  # pragma: no cover - the parser emits nothing else in a set
                raise PatternError(f"unsupported character set item {op}")
        if negate:
            if complements:
                raise PatternError("a negated set that contains \\W or \\S cannot be "
                                   "translated; list the characters instead")
            return f"[^{''.join(positive)}]"
        parts = ([f"[{''.join(positive)}]"] if positive else []) + \
                [f"[^{body}]" for body in complements]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _parse(pattern: str, flags: int) -> Any:
    if not isinstance(pattern, str):
        raise PatternError("the pattern must be a string")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"the pattern is longer than {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(pattern, flags)
        return sre_parse.parse(pattern, flags)
    except re.error as exc:
        raise PatternError(f"invalid regular expression: {exc}") from None
    except (RecursionError, OverflowError):
        raise PatternError("the pattern is nested too deeply") from None


def to_re2(pattern: str, flags: int = 0) -> str:
    """The RE2 pattern that means what Python's ``re`` means by ``pattern`` (see module doc)."""
    parsed = _parse(pattern, flags)
    state = parsed.state
    names = {number: name for name, number in state.groupdict.items()}
    try:
        text = _Translator(names).seq(parsed, state.flags)
    except RecursionError:
        raise PatternError("the pattern is nested too deeply") from None
    return f"(?i:{text})" if state.flags & _I else text


# -- compiled user patterns ---------------------------------------------------------------

class UserPattern:
    """A checked user pattern with the parts of ``re.Pattern`` that checks use."""

    def __init__(self, pattern: str, flags: int, engine: str) -> None:
        self.pattern = pattern
        self.flags = flags
        self.engine = engine
        if engine == "re2":
            assert _re2 is not None
            options = _re2.Options()
            options.log_errors = False
            options.max_mem = RE2_MAX_MEM
            try:
                self._regex: Any = _re2.compile(to_re2(pattern, flags), options)
            except _re2.error as exc:
                detail = exc.args[0] if exc.args else exc
                if isinstance(detail, bytes):
                    detail = detail.decode("utf-8", "replace")
                raise PatternError(f"pattern not supported by the linear-time engine: "
                                   f"{detail}") from None
        else:
            self._regex = re.compile(pattern, flags)

    @property
    def groups(self) -> int:
        return int(self._regex.groups)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._regex.search(text, pos, len(text) if endpos is None else endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._regex.match(text, pos, len(text) if endpos is None else endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._regex.fullmatch(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        last = None
        for match in self._regex.finditer(text, pos, len(text) if endpos is None else endpos):
            span = match.span()
            if span != last:  # RE2's finditer can repeat an empty match
                last = span
                yield match

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        found = []
        for match in self.finditer(text, pos, endpos):
            groups = match.groups("")
            found.append(match.group() if not groups else groups[0] if len(groups) == 1
                         else groups)
        return found

    def __repr__(self) -> str:
        return f"UserPattern({self.pattern!r}, engine={self.engine!r})"


def check(pattern: str, ignore_case: bool = False) -> str | None:
    """Why ``pattern`` cannot be a user pattern, or None."""
    try:
        compile_user(pattern, ignore_case)
    except PatternError as exc:
        return str(exc)
    return None


@cache
def compile_user(pattern: str, ignore_case: bool = False, engine: str | None = None) -> \
        UserPattern:
    """Check and compile a user pattern; raise PatternError when it is refused."""
    flags = re.I if ignore_case else 0
    problem = danger(pattern, flags)
    if problem:
        shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
        raise PatternError(f"pattern {shown!r} can backtrack catastrophically: {problem}")
    return UserPattern(pattern, flags, engine or ENGINE)


__all__ = ["ENGINE", "PatternError", "UserPattern", "check", "compile_user", "danger",
           "to_re2"]
