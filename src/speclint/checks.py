"""The fixed set of check types that YAML rules parameterise.

Each check is ``check(rule, run) -> iterable of Hit``; the linter turns hits into Findings.
Installed packages can add check types through the ``speclint.checks`` entry-point group.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from speclint import safe_regex, yamlsafe
from speclint.detect.base import Context, Issue, quoted
from speclint.document import Document, normalise_title
from speclint.models import ElementReport
from speclint.prefilter import reads_edges


@dataclass
class Hit:
    """Where a rule fired and the words to put in its message."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    message_key: str | None = None


@dataclass
class Run:
    """What checks may read about one file."""

    doc: Document
    ctx: Context
    reports: dict[str, ElementReport]
    issues: list[Issue]
    status: str
    file_problems: dict[str, Hit]
    required_elements: tuple[str, ...]
    cache: dict[str, Any] = field(default_factory=dict)

    def lines(self, scope: str) -> list[tuple[int, str]]:
        """scoped_lines(), computed once per file and scope."""
        if scope not in self.cache:
            self.cache[scope] = list(scoped_lines(self.doc, scope))
        return self.cache[scope]

    def joined(self, scope: str) -> tuple[str, list[int]]:
        """The scope's lines as one text, and the offset of each line in it."""
        key = "joined:" + scope
        if key not in self.cache:
            offsets, position = [], 0
            for _, text in self.lines(scope):
                offsets.append(position)
                position += len(text) + 1
            self.cache[key] = ("\n".join(t for _, t in self.lines(scope)), offsets)
        return self.cache[key]

    def matches(self, pattern: Any, scope: str) -> Iterator[tuple[int, str, re.Match[str]]]:
        """(line number, line text, match) for every match in the scope, in order.

        Each line is matched on its own, so a match never spans two lines. A pattern that
        does not look at a line's edges (anchors, look-arounds) first runs once over the
        lines joined, and only the lines where it found something are matched again.
        """
        regex = getattr(pattern, "regex", pattern)  # one scan: the prefilter would not pay
        lines = self.lines(scope)
        indexes = range(len(lines)) if reads_edges(regex.pattern, regex.flags) \
            else self._lines_with_matches(regex, scope)
        for index in indexes:
            number, line_text = lines[index]
            for local in regex.finditer(line_text):
                yield number, line_text, local

    def _lines_with_matches(self, regex: Any, scope: str) -> list[int]:
        text, offsets = self.joined(scope)
        found: list[int] = []
        position = 0
        while position <= len(text):
            match = regex.search(text, position)
            if match is None:
                break
            index = bisect_right(offsets, match.start()) - 1
            found.append(index)
            position = offsets[index + 1] if index + 1 < len(offsets) else len(text) + 1
        return found


Check = Callable[[Any, Run], Iterator[Hit]]
CHECKS: dict[str, Check] = {}


def check_type(name: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        CHECKS[name] = func
        return func
    return register


@cache
def load_plugin_checks() -> None:
    """Check types from installed packages (entry points only; never from a repository)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="speclint.checks"):
        if entry.name not in CHECKS:
            CHECKS[entry.name] = entry.load()


# -- matchers -----------------------------------------------------------------------------

def vocabulary_pattern(run_or_none: Any, name: str) -> re.Pattern[str]:
    from speclint.vocab import load_vocabulary

    vocab = load_vocabulary()
    if name == "placeholder":
        return vocab.placeholder
    element, _, key = name.partition(".")
    return vocab.elements[element].p(key)


@cache
def _compiled(pattern: str, ignore_case: bool, trusted: bool = False) -> Any:
    """A user pattern, checked and run in linear time (safe_regex); ``trusted``: built here."""
    if trusted:
        return re.compile(pattern, re.I if ignore_case else 0)
    return safe_regex.compile_user(pattern, bool(ignore_case))


def matcher(spec: dict[str, Any]) -> Any:
    """A compiled pattern from {pattern | vocabulary | words, ignore_case}.

    Built-in vocabulary patterns are trusted ``re`` patterns; a rule file's ``pattern`` goes
    through safe_regex; ``words`` are escaped literals, so they cannot backtrack.
    """
    if "vocabulary" in spec:
        return vocabulary_pattern(None, spec["vocabulary"])
    if "words" in spec:
        words = "|".join(re.escape(str(w)) for w in spec["words"])
        return _compiled(rf"\b(?:{words})\b", spec.get("ignore_case", True), True)
    return _compiled(spec["pattern"], spec.get("ignore_case", False))


def scoped_lines(doc: Document, scope: str) -> Iterator[tuple[int, str]]:
    """(line, text) pairs for a scope: prose (no code, no comments), headings, code, any."""
    if scope == "any":
        yield from enumerate(doc.source.lines[doc.source.body_start - 1:], doc.source.body_start)
        return
    for block in doc.blocks:
        if scope == "code" and block.kind == "code":
            yield from enumerate(block.text.split("\n"), block.body_start)
        elif scope == "headings" and block.kind == "heading":
            yield block.start, doc.source.lines[block.start - 1]
        elif scope == "prose" and block.kind in ("paragraph", "heading", "table"):
            for line in range(block.start, block.end + 1):
                yield line, _blank_code_and_comments(doc.source.lines[line - 1])


_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_COMMENT_PART = re.compile(r"<!--.*?(?:-->|$)|^.*?-->")


def _blank_code_and_comments(text: str) -> str:
    """Prose of one line: inline code spans and comments blanked, columns kept."""
    if "`" in text:
        text = _INLINE_CODE.sub(lambda m: " " * len(m.group()), text)
    if "<!--" in text or "-->" in text:
        text = _COMMENT_PART.sub(lambda m: " " * len(m.group()), text)
    return text


def check_rule_params(rule: Any) -> str | None:
    """Why a rule's type or params cannot work, or None."""
    load_plugin_checks()
    if rule.type not in CHECKS:
        return f"unknown check type '{rule.type}' (known: {', '.join(sorted(CHECKS))})"
    specs = [rule.params] + [rule.params[k] for k in ("when", "require") if k in rule.params]
    for spec in specs:
        if not isinstance(spec, dict):
            return "'when' and 'require' must be mappings with a pattern, words or vocabulary"
        try:
            if "pattern" in spec or "vocabulary" in spec or "words" in spec:
                matcher(spec)
        except safe_regex.PatternError as exc:
            return f"bad pattern: {exc}"
        except (re.error, KeyError, TypeError) as exc:
            return f"bad pattern or vocabulary: {exc}"
    if rule.type in ("pattern",) and not any(k in rule.params for k in
                                             ("pattern", "vocabulary", "words")):
        return "a pattern rule needs 'pattern', 'words' or 'vocabulary'"
    return None


# -- element checks -----------------------------------------------------------------------

@check_type("element-required")
def element_required(rule: Any, run: Run) -> Iterator[Hit]:
    if rule.element not in run.required_elements:
        return
    report = run.reports[rule.element]
    if report.state == "missing":
        yield Hit(run.doc.title_line)
    elif report.state == "incomplete" and report.reason not in rule.except_reasons:
        key = report.reason if report.reason in rule.messages else "incomplete"
        yield Hit(report.line or run.doc.title_line, message_key=key)


@check_type("element-quality")
def element_quality(rule: Any, run: Run) -> Iterator[Hit]:
    for issue in run.issues:
        if issue.element == rule.element and issue.kind == rule.params.get("issue"):
            yield Hit(issue.line, issue.column, issue.end_line, issue.end_column,
                      {"text": issue.text})


# -- document checks ----------------------------------------------------------------------

@check_type("file-problem")
def file_problem(rule: Any, run: Run) -> Iterator[Hit]:
    hit = run.file_problems.get(rule.params["problem"])
    if hit:
        yield hit


@check_type("pattern")
def pattern_check(rule: Any, run: Run) -> Iterator[Hit]:
    pattern = matcher(rule.params)
    mentions = rule.params.get("skip_mentions", False)
    scope = rule.params.get("scope", "prose")
    seen: set[int] = set()
    for line, text, _ in run.matches(pattern, scope):
        if line in seen:
            continue
        seen.add(line)
        matches = list(pattern.finditer(text))
        for index, match in enumerate(matches):
            if mentions and (quoted(text, match.start(), match.end())
                             or _enumerated(text, matches, index)):
                continue
            yield Hit(line, match.start() + 1, line, match.end() + 1, {"match": match.group()})


_GAP_CHARS = "\\s,;/|()\"'\u201c\u201d\u2018\u2019"
_LIST_GAP = re.compile(f"[{_GAP_CHARS}]*(?:\\bor\\b|\\band\\b)?[{_GAP_CHARS}]*")


def _enumerated(text: str, matches: list[re.Match[str]], index: int) -> bool:
    """A match listed next to another ('TBD, TODO, FIXME') is an example, not a use."""
    neighbours = [(matches[index - 1].end(), matches[index].start())] if index else []
    if index + 1 < len(matches):
        neighbours.append((matches[index].end(), matches[index + 1].start()))
    return any(_LIST_GAP.fullmatch(text[a:b]) for a, b in neighbours)


@check_type("conditional")
def conditional(rule: Any, run: Run) -> Iterator[Hit]:
    """Fires at the first match of ``when`` if ``require`` matches nowhere in its scope."""
    when, require = rule.params["when"], rule.params["require"]
    first = _first_match(run, when)
    if first is None or _first_match(run, require) is not None:
        return
    line, match = first
    yield Hit(line, match.start() + 1, line, match.end() + 1, {"match": match.group()})


def _first_match(run: Run, spec: dict[str, Any]) -> tuple[int, re.Match[str]] | None:
    pattern = matcher(spec)
    for line, _, match in run.matches(pattern, spec.get("scope", "prose")):
        return line, match
    return None


@check_type("empty-section")
def empty_section(rule: Any, run: Run) -> Iterator[Hit]:
    for section in run.doc.sections():
        content = [b for b in section.blocks if b.kind != "html" or b.text.strip()]
        if not content and not section.children:
            yield Hit(section.start, fields={"title": section.title})


@check_type("section-required")
def section_required(rule: Any, run: Run) -> Iterator[Hit]:
    """A section whose title matches one of ``headings`` must exist (custom rules)."""
    aliases = [normalise_title(h) for h in rule.params.get("headings", [])]
    for section in run.doc.sections():
        if any(f" {a} " in f" {section.norm} " for a in aliases):
            words = sum(len(b.text.split()) for b in section.all_blocks())
            if words >= rule.params.get("min_words", 1):
                return
    yield Hit(run.doc.title_line, fields={"headings": ", ".join(rule.params.get("headings", []))})


@check_type("table-columns")
def table_columns(rule: Any, run: Run) -> Iterator[Hit]:
    """Tables under sections matching ``headings`` must have ``columns`` (custom rules)."""
    aliases = [normalise_title(h) for h in rule.params.get("headings", [])]
    wanted = [normalise_title(c) for c in rule.params.get("columns", [])]
    for section in run.doc.sections():
        if aliases and not any(f" {a} " in f" {section.norm} " for a in aliases):
            continue
        for block in section.blocks:
            if block.kind != "table" or not block.rows:
                continue
            have = {normalise_title(c) for c in block.rows[0].cells}
            missing = [c for c in wanted if c not in have]
            if missing:
                yield Hit(block.start, fields={"columns": ", ".join(missing)})


_LINK = re.compile(r"(?<!\\)\[[^\]\n]*\]\(#([^)\s]*)\)")
_ANCHOR = re.compile(r"""<a\s[^>]*(?:name|id)=["']([^"']+)["']|\{#([\w-]+)\}""")


def heading_slugs(doc: Document) -> set[str]:
    """GitHub-style anchors of all headings, with -1, -2 for duplicates."""
    slugs: set[str] = set()
    counts: dict[str, int] = {}
    for block in doc.blocks:
        if block.kind != "heading":
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block.text)
        base = re.sub(r"[^\w\- ]", "", text.lower().replace("`", "")).replace(" ", "-")
        count = counts.get(base, 0)
        counts[base] = count + 1
        slugs.add(base if count == 0 else f"{base}-{count}")
    for text in doc.source.lines:
        for match in _ANCHOR.finditer(text):
            slugs.add(match.group(1) or match.group(2))
    return slugs


@check_type("internal-link")
def internal_link(rule: Any, run: Run) -> Iterator[Hit]:
    slugs: set[str] | None = None
    for line, text in run.lines("prose"):
        if "](#" not in text:
            continue
        for match in _LINK.finditer(text):
            slugs = heading_slugs(run.doc) if slugs is None else slugs
            anchor = match.group(1)
            if anchor and anchor not in slugs and anchor.lower() not in slugs:
                yield Hit(line, match.start() + 1, line, match.end() + 1, {"anchor": anchor})


@check_type("front-matter-schema")
def front_matter_schema(rule: Any, run: Run) -> Iterator[Hit]:
    data = run.doc.front_matter
    if not data:
        return
    from speclint import schemas

    yaml_text = "\n".join(run.doc.source.lines[1:run.doc.source.body_start - 2])
    for path, message in schemas.errors("front-matter", data):
        line = (yamlsafe.key_line(yaml_text, path) or 0) + 1
        key = ".".join(str(p) for p in path) or "front matter"
        yield Hit(max(line, 1), fields={"detail": f"{key}: {message}"})


@check_type("code-block-valid")
def code_block_valid(rule: Any, run: Run) -> Iterator[Hit]:
    kind = rule.params["check"]
    for block in run.doc.blocks:
        if block.kind != "code":
            continue
        lang = block.info.split()[0].lower() if block.info.strip() else ""
        if kind == "json" and lang == "json":
            yield from _json_errors(block.text, block.body_start)
        elif kind == "yaml" and lang in ("yaml", "yml"):
            yield from _yaml_errors(block.text, block.body_start)
        elif kind == "json-schema" and lang in ("json", "yaml", "yml", "jsonschema",
                                                "json-schema"):
            yield from _schema_errors(block.text, block.body_start, lang)


def _json_errors(text: str, first_line: int) -> Iterator[Hit]:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        yield Hit(first_line + exc.lineno - 1, exc.colno, fields={"detail": exc.msg})
    except RecursionError:
        yield Hit(first_line, fields={"detail": "nesting is too deep"})


def _yaml_errors(text: str, first_line: int) -> Iterator[Hit]:
    try:
        for document in text.split("\n---\n"):
            yamlsafe.load(document)
    except yamlsafe.YamlError as exc:
        yield Hit(first_line + (exc.line or 1) - 1, fields={"detail": str(exc)})


def _schema_errors(text: str, first_line: int, lang: str) -> Iterator[Hit]:
    problem = _schema_problem(text, lang)
    if problem:
        yield Hit(first_line, fields={"detail": problem})


@lru_cache(maxsize=512)
def _schema_problem(text: str, lang: str) -> str | None:
    """What is wrong with a JSON Schema block, or None. Cached: checking a schema against its
    meta-schema costs milliseconds, and specs repeat their schemas."""
    try:
        data = json.loads(text) if lang.startswith("json") and lang != "json-schema" else \
            yamlsafe.load(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not ("$schema" in data or lang in ("jsonschema",
                                                                        "json-schema")):
        return None
    from jsonschema.validators import validator_for

    try:
        meta = _meta_validator(validator_for(data, default=_default_validator()))
        error = next(meta.iter_errors(data), None)  # the first, as check_schema reports
    except RecursionError:
        return "schema nesting is too deep"
    if error is None:
        return None
    path = ".".join(str(p) for p in error.path) or "schema"
    return f"{path}: {error.message}"


@cache
def _meta_validator(cls: Any) -> Any:
    """A validator for a draft's meta-schema, built once (what ``check_schema`` rebuilds on
    every call)."""
    from jsonschema.validators import validator_for

    meta = validator_for(cls.META_SCHEMA, default=cls)
    return meta(cls.META_SCHEMA, format_checker=meta.FORMAT_CHECKER)


def _default_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator


@check_type("suppression")
def suppression(rule: Any, run: Run) -> Iterator[Hit]:
    """Reported by the suppression stage, after every other rule ran."""
    return iter(())
