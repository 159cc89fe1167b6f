"""Regular expressions never hang speclint (SPEC 11).

Built-in vocabulary patterns are trusted, but they run on every line of every spec, so each is
run on long adversarial lines built from the characters its own quantifiers consume. A pattern
passes when it finishes before a generous hang timeout (no speed budget is asserted).

User patterns from rule files go through speclint.safe_regex: dangerous shapes are refused at
rule-load time, and the rest run on RE2 with Python's meaning, which a differential test
checks against ``re``.
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from speclint import safe_regex, yamlsafe
from speclint.errors import UsageError
from speclint.ruleset import load_rule_file
from speclint.vocab import load_vocabulary, rules_dir

HANG_TIMEOUT = 10  # seconds for one 100k-character input: a hang guard, not a budget


def _builtin_patterns() -> list[tuple[str, str, int]]:
    """(name, pattern, flags) of every regular expression in rules/vocabulary.yaml."""
    data = yamlsafe.load((rules_dir() / "vocabulary.yaml").read_text("utf-8"))
    found: list[tuple[str, str, int]] = [("na", data["na"]["pattern"], re.I)]
    for key, value in data.items():
        if isinstance(value, str) and key != "version":
            found.append((key, value, 0))
    for element, spec in data["elements"].items():
        for key, value in spec.items():
            if key.endswith("headings") or isinstance(value, (int, float, dict)):
                continue  # aliases, and numbers and tables (never compiled)
            values = value if isinstance(value, list) else [value]
            for index, pattern in enumerate(values):
                suffix = f"[{index}]" if isinstance(value, list) else ""
                found.append((f"{element}.{key}{suffix}", pattern, 0))
    return found


BUILTIN = _builtin_patterns()
# Patterns whose callers only ever anchor them (``.match`` at one place, detect/errors.py and
# detect/base.py): they are run with ``match`` only. Every other pattern gets ``finditer``.
MATCH_ONLY = {"na", "error-codes.http_after", "error-codes.not_status_after",
              "error-codes.entry_separator"}

# Characters that Markdown specs are made of; each pattern also gets its own characters.
GENERIC = ["a", " ", "1", "`", "-", "/", "{", "*", "|", '"', ".", "_", "\t", "é", "A", "(",
           ":", "#", "<", "p", "\n"]
GENERIC_PAIRS = ["1,", "p9", "1 ", "a ", "x(", "1.", "A_", "E_", "a\n", " \n", "GET ", "per ",
                 "1 a ", "{\n", "type x {\n", "curl -X GET ", "`a_", "//", "p99 ", "200 ms "]


def _quantified_chars(pattern: str, flags: int) -> list[str]:
    """ASCII characters that some quantifier of ``pattern`` can consume."""
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    parsed = sre_parse.parse(pattern, flags)
    alphabet = safe_regex._Alphabet(set())
    analyser = safe_regex._Analyser(alphabet)
    chars = 0

    def visit(seq: object, inside: bool) -> None:
        nonlocal chars
        for op, av in seq:  # type: ignore[attr-defined]
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                body_chars = 0
                for node in av[2]:
                    body_chars |= analyser.node_first(node, parsed.state.flags)[0]
                chars |= body_chars
                visit(av[2], True)
                continue
            for child in safe_regex._subsequences(op, av):
                visit(child, inside)

    visit(parsed, False)
    picked = [c for i, c in enumerate(alphabet.chars) if chars >> i & 1]
    printable = [c for c in picked if c.isascii() and (c.isprintable() or c in "\t\n")]
    return printable or picked[:8]


def _literal_words(pattern: str) -> list[str]:
    """Words written in the pattern (GET, curl, type...), to build near-miss repetitions."""
    return sorted(set(re.findall(r"(?<![\\\w])[A-Za-z_]{2,}", pattern)))[:12]


def adversarial_inputs(pattern: str, flags: int) -> list[str]:
    """Long strings: 100k repeats of one consumed character, 50k of pairs, near misses."""
    own = _quantified_chars(pattern, flags)[:12]
    singles = list(dict.fromkeys(own + GENERIC))
    pairs = list(GENERIC_PAIRS)
    for first in own[:3]:
        pairs += [first + second for second in own[:3] if second != first]
    for word in _literal_words(pattern)[:6]:
        pairs += [word + " ", word + "{\n"]
    texts = [char * 100_000 for char in singles]
    texts += [pair * (100_000 // len(pair)) for pair in dict.fromkeys(pairs)]
    return texts + [char * 100_000 + "!" for char in own]


_WORKER = textwrap.dedent("""
    import json, re, sys
    sys.path[:0] = json.loads(sys.argv[1])
    from test_regex_safety import adversarial_inputs
    from test_regex_safety import MATCH_ONLY
    for name, pattern, flags in json.loads(sys.stdin.read()):
        rx = re.compile(pattern, flags)
        for index, text in enumerate(adversarial_inputs(pattern, flags)):
            print("BEGIN", name, index, repr(text[:16]), len(text), flush=True)
            if name not in MATCH_ONLY:
                for match in rx.finditer(text):
                    pass
            rx.match(text)
        print("PASS", name, flush=True)
""")


def run_with_hang_guard(patterns: list[tuple[str, str, int]],
                        per_input: float = HANG_TIMEOUT) -> dict[str, str | None]:
    """name -> None when the pattern finished every input, else the input it hung on.

    One worker process runs the patterns in turn; when an input takes over ``per_input``
    seconds the worker is killed and a new one goes on with the next pattern.
    """
    results: dict[str, str | None] = {}
    todo = list(patterns)
    paths = [str(Path(__file__).parent), *sys.path]
    while todo:
        process = subprocess.Popen([sys.executable, "-c", _WORKER, json.dumps(paths)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True)
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps([[n, p, int(f)] for n, p, f in todo]))
        process.stdin.close()
        lines: queue.Queue[str | None] = queue.Queue()

        def read(stream: object = process.stdout, sink: queue.Queue = lines) -> None:
            for line in stream:  # type: ignore[attr-defined]
                sink.put(line)
            sink.put(None)

        threading.Thread(target=read, daemon=True).start()
        current = f"BEGIN {todo[0][0]} start-up"
        try:
            while True:
                try:
                    line = lines.get(timeout=per_input)
                except queue.Empty:
                    line = "HUNG"
                if line is None or line == "HUNG":
                    name = current.split()[1]
                    results[name] = current if line == "HUNG" else f"worker died: {current}"
                    todo = todo[[n for n, _, _ in todo].index(name) + 1:]
                    break
                if line.startswith("BEGIN"):
                    current = line.strip()
                elif line.startswith("PASS"):
                    name = line.split()[1]
                    results[name] = None
                    todo = todo[1:]
                    if not todo:
                        break
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
    return results


@pytest.fixture(scope="module")
def builtin_results() -> dict[str, str | None]:
    """Every built-in pattern, on two workers (one per core)."""
    todo = list(BUILTIN)
    halves = [todo[0::2], todo[1::2]]
    results: list[dict[str, str | None]] = [{}, {}]

    def run(index: int) -> None:
        results[index] = run_with_hang_guard(halves[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**results[0], **results[1]}


def _params() -> list[object]:
    return [pytest.param(name, pattern, flags, id=name) for name, pattern, flags in BUILTIN]


@pytest.mark.parametrize(("name", "pattern", "flags"), _params())
def test_builtin_pattern_finishes_on_adversarial_lines(
        builtin_results: dict[str, str | None], name: str, pattern: str, flags: int) -> None:
    assert name in builtin_results
    stuck = builtin_results[name]
    assert stuck is None, (f"built-in pattern {name} = {pattern!r} did not finish within "
                           f"{HANG_TIMEOUT} s on input {stuck}")


def test_vocabulary_loader_sees_the_same_patterns() -> None:
    vocab = load_vocabulary()
    known = {pattern for _, pattern, _ in BUILTIN}
    assert vocab.na.pattern in known and vocab.placeholder.pattern in known
    for element in vocab.elements.values():
        for key, value in element.patterns.items():
            if key.startswith("_"):
                continue  # derived: heading aliases and unions of the listed patterns
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                assert getattr(item, "pattern", item) in known, key


# -- user patterns: refused shapes ----------------------------------------------------------

DANGEROUS = [r"(a+)+", r"(a|a)*", r"(.*)*", r"(a*)*", r"(\w+\s?)*", r"(?:\s*,\s*)*",
             r"((ab)+)+", r"(a|ab)+", r"([a-z]+|\d+)*", r"(a{1,3})+", r"(?:\d+|\d+\.\d+)+",
             r"^(a+)+$", r"(x+x+)+y", r"(\d+)*$", r"(?i)(A|a)+", r"(?:a+){2,}",
             r"\b(\w+\s*)+\.", r"(?:[^,]*,?)*;", r"(?:cat|category)+", r"(?:x|(?:y|x))+"]
SAFE = [r"\bTBD\b", r"(ab+)+", r"(\w+\s)+", r"(?:[a-z][a-z-]*\s+){0,3}?per",
        r"\d+(?:\.\d+)?\s*ms", r"(?:foo|bar)+", r"\w+\w+", r"(?i)\bp\d\d\b", r"^#+\s",
        r"(a|b)*", r"[\w.-]+@[\w-]+\.\w+", r"(?:\s|,)+", r"x{2}y", r"(?:GET|POST)\s+/\S*",
        r"(?i)\bwe (?:will|shall) (?:try|aim)\b", r"\b[A-Z]{2,}-\d+\b", r"(?:x1|x2)+",
        r"(?:get|got)+", r"(?:GET|POST|PUT|PATCH)\s+", r"(?:[ab]c|bd)+"]


@pytest.mark.parametrize("pattern", DANGEROUS)
def test_dangerous_shapes_are_refused(pattern: str) -> None:
    assert safe_regex.danger(pattern) is not None
    with pytest.raises(safe_regex.PatternError, match="backtrack catastrophically"):
        safe_regex.compile_user(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert safe_regex.danger(pattern) is None
    assert safe_regex.compile_user(pattern).search("x") is None or True


@pytest.mark.parametrize(("pattern", "words"), [
    (r"(?<=a)b", "look-ahead and look-behind"), (r"a(?=b)", "look-ahead"),
    (r"(a)\1", "back-references"), (r"(?P<x>a)(?P=x)", "back-references"),
    (r"(?>ab)", "atomic"), (r"a++", "possessive"), (r"(a)?(?(1)b|c)", "conditional"),
    (r"a{1001}", "above 1000"), (r"[^\W\d]", "negated set"), (r"(", "invalid"),
    ("a" * 10_001, "longer than"),
])
def test_unsupported_or_invalid_patterns_are_refused(pattern: str, words: str) -> None:
    assert words in (safe_regex.check(pattern) or "")


@pytest.mark.parametrize("pattern", ["(" * 3000 + "a" + ")" * 3000, "(?:" * 400 + "a" + ")?" * 400])
def test_deeply_nested_pattern_is_refused_cleanly(pattern: str) -> None:
    problem = safe_regex.check(pattern)
    assert problem is not None and ("nested" in problem or "invalid" in problem)
    assert "backtrack" not in problem


def test_refusal_message_is_short_for_long_patterns() -> None:
    problem = safe_regex.check("(?:" + "|".join(f"a{i}" for i in range(500)) + "|a)+") or ""
    assert "backtrack catastrophically" in problem and len(problem) < 300


def _rule_file(tmp_path: Path, params: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent("""\
        rules:
          - code: XX001
            name: custom-rule
            type: {type}
            severity: warning
            summary: A custom rule.
            message: "Found {{match}}."
            params:
        {params}
        """).format(type="conditional" if "when" in params else "pattern",
                    params=textwrap.indent(params, "      ")), "utf-8")
    return path


@pytest.mark.parametrize("params", [
    "pattern: '(a+)+$'",
    "pattern: '(\\w+\\s?)*x'",
    "when: {pattern: 'ok'}\nrequire: {pattern: '(a|a)*b'}",
    "pattern: '(?<=x)y'",
])
def test_rule_file_with_bad_pattern_is_a_rule_file_error(tmp_path: Path, params: str) -> None:
    path = _rule_file(tmp_path, params)
    with pytest.raises(UsageError) as caught:
        load_rule_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:")
    line = int(message.split(":")[1])
    assert 1 <= line <= len(path.read_text().splitlines())
    assert "rules.0.params" in message


def test_rule_file_error_via_cli_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    _rule_file(tmp_path / "rules", "pattern: '(.*)*x'")
    (tmp_path / ".speclint.yaml").write_text("rule_paths: [rules]\n", "utf-8")
    (tmp_path / "spec.md").write_text("# T\n\nx\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache", "spec.md"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "rules.yaml:" in lines[0] and "Traceback" not in done.stderr


def test_good_user_pattern_runs_on_a_6mb_line(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    _rule_file(tmp_path / "rules", "pattern: '\\b(?:we|they) (?:might|may)\\b'\nscope: any")
    (tmp_path / ".speclint.yaml").write_text("rule_paths: [rules]\n", "utf-8")
    (tmp_path / "spec.md").write_text("# T\n\n" + "a " * 3_000_000 + "we might\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache",
                           "--format", "json", "spec.md"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["files"][0]["findings"]
    assert any(f["code"] == "XX001" and f["line"] == 3 for f in findings)


# -- user patterns: RE2 means what re means ---------------------------------------------------

DIFFERENTIAL = SAFE + [
    r"\d+", r"\w+", r"\s+", r"\S+", r"\W+", r"\D+", r"[^a-c]+", r"[\d\s]+", r"[\W]+",
    r"(?i)straße|ÉTÉ", r"(?i)[a-zé]+", r"^\w", r"\w$", r"(?m)^x", r"(?s)a.b", r"a.b",
    r"(?P<num>\d+)\s*(?P<unit>ms|s)", r"a{2,3}?", r"x*", r"(?a)\w+", r"(?i:A)b", r"(?x) a \s b",
    r"\Aab", r"ab\Z", r"[\x00-\x1f]", r"[-a]", r"[]a]", r"[\]]", r"\.\*\+", r"(?:)", r"\u00e9+",
]
ALPHABET = "ab AB1é_.,-\t\u00a0\u2003٣²x*+ÉSsßǅ\x1f]"


@pytest.mark.parametrize("pattern", DIFFERENTIAL)
def test_re2_translation_matches_python_re(pattern: str) -> None:
    compiled = safe_regex.compile_user(pattern)
    expected = re.compile(pattern)
    rng = random.Random(pattern)
    for _ in range(300):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 12)))
        if "\\b" in pattern and not text.isascii():
            continue  # documented difference: RE2's \b is ASCII
        want = [(m.span(), m.groups()) for m in expected.finditer(text)]
        got = [(m.span(), m.groups()) for m in compiled.finditer(text)]
        assert got == want, (pattern, text)
        for pos in range(len(text) + 1):
            want_search, got_search = expected.search(text, pos), compiled.search(text, pos)
            assert (got_search.span() if got_search else None) == \
                (want_search.span() if want_search else None), (pattern, text, pos)
            want_match, got_match = expected.match(text, pos), compiled.match(text, pos)
            assert (got_match.span() if got_match else None) == \
                (want_match.span() if want_match else None), (pattern, text, pos)
        assert compiled.findall(text) == expected.findall(text)


def test_engine_is_linear_when_available() -> None:
    pytest.importorskip("re2")
    assert safe_regex.ENGINE == "re2"
    compiled = safe_regex.compile_user(r"\b(?:we|they)\s+(?:might|may)\b", True)
    assert compiled.engine == "re2"
    assert compiled.search("x " * 1_000_000 + "They  may") is not None


def test_fallback_engine_still_checks_shapes() -> None:
    with pytest.raises(safe_regex.PatternError):
        safe_regex.compile_user("(a+)+", False, "re")
    assert safe_regex.compile_user(r"\bTBD\b", False, "re").search("a TBD") is not None
