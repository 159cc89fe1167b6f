"""The fixed set of check types that YAML rules parameterise.

Each check is ``check(rule, run) -> iterable of Hit``; the linter turns hits into Findings.
Installed packages can add check types through the ``speclint.checks`` entry-point group.
"""

from __future__ import annotations

import json
import re
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from speclint import remember, safe_regex, yamlsafe
from speclint.detect.base import Context, Issue, bare, quoted
from speclint.document import Document, normalise_title
from speclint.fragments import Plan, reads_edges
from speclint.models import ElementReport
from speclint.prefilter import SCOPE_FRAGMENTS, Guarded


@dataclass
class Hit:
    """Where a rule fired and the words to put in its message."""

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    message_key: str | None = None


# a scope's line numbers and texts side by side: no (line, text) tuple per line, which for a
# file of a million short lines would be ten times the file
ScopeLines = tuple[Sequence[int], list[str]]


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

    def lines(self, scope: str) -> ScopeLines:
        """scoped_lines(), computed once per file and scope."""
        if scope not in self.cache:
            self.cache[scope] = scoped_lines(self.doc, scope)
        return self.cache[scope]

    def joined(self, scope: str) -> str:
        """The scope's lines as one text, joined by "\\n"."""
        key = "joined:" + scope
        if key not in self.cache:
            self.cache[key] = "\n".join(self.lines(scope)[1])
        return self.cache[key]

    def matches(self, pattern: Any, scope: str) -> Iterator[tuple[int, str, re.Match[str]]]:
        """(line number, line text, match) for every match in the scope, in order.

        Each line is matched on its own, so a match never spans two lines. A pattern that
        does not look at a line's edges (anchors, look-arounds) first runs over the lines
        joined, and only the lines where it found something are matched again. A vocabulary
        pattern first asks the prefilter about the whole scope.
        """
        possible = getattr(pattern, "possible", None)
        if possible is not None and not possible(self.joined(scope)):
            return
        regex = bare(pattern)
        numbers, texts = self.lines(scope)
        indexes = range(len(texts)) if reads_edges(regex.pattern, regex.flags) \
            else self._lines_with_matches(regex, scope)
        for index in indexes:
            line_text = texts[index]
            for local in regex.finditer(line_text):
                yield numbers[index], line_text, local

    def _lines_with_matches(self, regex: Any, scope: str) -> Iterator[int]:
        """Indexes of the lines where ``regex`` matches in the joined text (searched as far
        as the caller reads)."""
        text = self.joined(scope)
        index, counted = 0, 0  # line index of offset ``counted``
        position = 0
        while position <= len(text):
            match = regex.search(text, position)
            if match is None:
                return
            index += text.count("\n", counted, match.start())
            yield index
            line_end = text.find("\n", match.start())
            if line_end < 0:
                return
            position = counted = line_end + 1
            index += 1


Check = Callable[[Any, Run], Iterator[Hit]]
CHECKS: dict[str, Check] = {}


def check_type(name: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        CHECKS[name] = func
        return func
    return register


@cache
def load_plugin_checks() -> None:
    """Check types from installed packages (entry points only; never from a repository).

    A distribution found inside the working tree (a ``*.dist-info`` in the linted repository,
    seen because the working directory is on ``sys.path``) is refused with a warning, and a
    trusted plugin is imported with the working tree hidden from ``sys.path`` (speclint.trust).
    """
    from importlib.metadata import entry_points

    from speclint import trust

    for entry in entry_points(group="speclint.checks"):
        if entry.name in CHECKS:
            continue
        reason = trust.untrusted_reason(getattr(entry, "dist", None))
        if reason:
            sys.stderr.write(f"speclint: warning: ignoring check type '{entry.name}' "
                             f"({entry.value}): {reason}\n")
            continue
        with trust.no_working_tree_on_path():
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


@cache
def _scope_pattern(found: Guarded) -> Guarded:
    """A vocabulary pattern as a rule uses it: asked about a whole scope first, in a small
    RE2 Set of its own (the prose Set is tuned for sentences). Its plan is the vocabulary
    pattern's, whole: the scope is matched line by line with the pattern itself."""
    plan = found.plan
    return Guarded(found.pattern, found.flags, SCOPE_FRAGMENTS,
                   Plan(plan.fragments, (), plan.required, plan.digit))


def matcher(spec: dict[str, Any]) -> Any:
    """A compiled pattern from {pattern | vocabulary | words, ignore_case}.

    Built-in vocabulary patterns are trusted ``re`` patterns; a rule file's ``pattern`` goes
    through safe_regex; ``words`` are escaped literals, so they cannot backtrack.
    """
    if "vocabulary" in spec:
        found = vocabulary_pattern(None, spec["vocabulary"])
        return _scope_pattern(found)
    if "words" in spec:
        words = "|".join(re.escape(str(w)) for w in spec["words"])
        return _compiled(rf"\b(?:{words})\b", spec.get("ignore_case", True), True)
    return _compiled(spec["pattern"], spec.get("ignore_case", False))


def scoped_lines(doc: Document, scope: str) -> ScopeLines:
    """Line numbers and texts of a scope: prose (no code, no comments), headings, code, any."""
    lines = doc.source.lines
    if scope == "any":
        first = doc.source.body_start
        return range(first, len(lines) + 1), lines[first - 1:]
    numbers, texts = array("l"), []
    for block in doc.blocks:
        if scope == "code" and block.kind == "code":
            body = block.text.split("\n")
            numbers.extend(range(block.body_start, block.body_start + len(body)))
            texts += body
        elif scope == "headings" and block.kind == "heading":
            numbers.append(block.start)
            texts.append(lines[block.start - 1])
        elif scope == "prose" and block.kind in ("paragraph", "heading", "table"):
            numbers.extend(range(block.start, block.end + 1))
            texts += _prose(lines[block.start - 1:block.end])
    return numbers, texts


def _prose(chunk: list[str]) -> list[str]:
    """A block's lines with inline code and comments blanked (the same strings where there
    are none)."""
    joined = "\n".join(chunk)
    if "`" not in joined and "<!--" not in joined and "-->" not in joined:
        return chunk
    return [_blank_code_and_comments(text) for text in chunk]


_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_COMMENT_PART = re.compile(r"<!--.*?(?:-->|$)|^(?:(?!<!--).)*?-->")


def _blank_code_and_comments(text: str) -> str:
    """Prose of one line: inline code spans and comments blanked, columns kept."""
    if "`" in text:
        text = _INLINE_CODE.sub(lambda m: " " * len(m.group()), text)
    if "<!--" in text or "-->" in text:
        text = _COMMENT_PART.sub(lambda m: " " * len(m.group()), text)
    return text


def check_rule_params(rule: Any) -> tuple[str, str] | None:
    """(key, why) when a rule's type or params cannot work (key: "type" or "params"), or None."""
    load_plugin_checks()
    if rule.type not in CHECKS:
        return "type", f"unknown check type '{rule.type}' (known: {', '.join(sorted(CHECKS))})"
    specs = [rule.params] + [rule.params[k] for k in ("when", "require") if k in rule.params]
    for spec in specs:
        if not isinstance(spec, dict):
            return "params", "'when' and 'require' must be mappings with a pattern, words or " \
                             "vocabulary"
        try:
            if "pattern" in spec or "vocabulary" in spec or "words" in spec:
                matcher(spec)
        except safe_regex.PatternError as exc:
            return "params", f"bad pattern: {exc}"
        except (re.error, KeyError, TypeError) as exc:
            return "params", f"bad pattern or vocabulary: {exc}"
    if rule.type in ("pattern",) and not any(k in rule.params for k in
                                             ("pattern", "vocabulary", "words")):
        return "params", "a pattern rule needs 'pattern', 'words' or 'vocabulary'"
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
    for line, text in zip(*run.lines("prose"), strict=True):
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
    problems = schemas.errors("front-matter", data)
    lines = _key_lines(yaml_text, [path for path, _ in problems]) if problems else []
    for (path, message), line in zip(problems, lines, strict=True):
        key = ".".join(str(p) for p in path) or "front matter"
        yield Hit(max((line or 0) + 1, 1), fields={"detail": f"{key}: {message}"})


def _key_lines(yaml_text: str, paths: list[list[Any]]) -> list[int | None]:
    """The line of each of ``paths`` in the front matter, remembered together: finding them
    imports PyYAML."""
    return remember.remembered("yaml-key-lines", f"{json.dumps(paths)}\n{yaml_text}",
                               lambda: yamlsafe.key_lines(yaml_text, paths))


@check_type("code-block-valid")
def code_block_valid(rule: Any, run: Run) -> Iterator[Hit]:
    """Code blocks of the languages in the rule's params must parse (json, yaml) or be valid
    schemas (json-schema: ``json_languages`` parsed as JSON, ``yaml_languages`` as YAML,
    ``schema_languages`` checked even without "$schema")."""
    params = rule.params
    kind = params["check"]
    languages = set(params.get("languages", [kind]))
    json_langs = set(params.get("json_languages", ["json"]))
    yaml_langs = set(params.get("yaml_languages", []))
    labelled = set(params.get("schema_languages", []))
    schema_langs = json_langs | yaml_langs
    max_chars = params.get("max_schema_chars")
    # a file's share of the slow checks: meta-validation (up to 200 us a value), YAML (30-40
    # us a block)
    schema_chars = _Allowance(params.get("max_schema_chars_per_file"))
    schema_values = _Allowance(params.get("max_schema_values_per_file"))
    yaml_chars = _Allowance(params.get("max_yaml_chars_per_file"))
    for block in run.doc.blocks:
        if block.kind != "code":
            continue
        lang = block.language
        if kind == "json" and lang in languages:
            yield from _json_errors(block.text, block.body_start)
        elif kind == "yaml" and lang in languages:
            if yaml_chars.take(len(block.text)):
                yield from _yaml_errors(block.text, block.body_start)
        elif kind == "json-schema" and lang in schema_langs:
            schema_label = lang in labelled
            if not _may_be_schema(block.text, schema_label):
                continue  # no "$schema" key: not a schema, nothing to parse
            if max_chars is not None and len(block.text) > max_chars:
                continue  # checking a huge schema against the meta-schema takes minutes
            parser = "json" if lang in json_langs else "yaml"
            values = _schema_values(block.text, parser)
            if not (schema_chars.fits(len(block.text)) and schema_values.fits(values)):
                continue  # the file's schemas have had their time
            schema_chars.take(len(block.text))
            schema_values.take(values)
            yield from _schema_errors(block.text, block.body_start, parser, schema_label)


class _Allowance:
    """Characters (or values) a file may still have checked by one slow check (None: no
    limit)."""

    def __init__(self, chars: int | None) -> None:
        self.left = chars

    def fits(self, chars: int) -> bool:
        """Are ``chars`` left?"""
        return self.left is None or chars <= self.left

    def take(self, chars: int) -> bool:
        """Use up ``chars`` of it if that many are left (else check nothing: False)."""
        if not self.fits(chars):
            return False
        if self.left is not None:
            self.left -= chars
        return True


def _schema_values(text: str, parser: str) -> int:
    """About how many values the meta-schema check visits in a schema block, from its text
    alone (so that a remembered verdict uses up the allowance as a fresh one does): in JSON
    every value but the first follows a comma, a colon or an opening bracket or brace, and in
    YAML one may also start a line; marks inside strings count too. Each value costs the check
    up to about 200 us (``allOf: [{}, {}, ...]``: 60 us a character), so their count, not the
    block's length, bounds its time."""
    marks = sum(map(text.count, ",:[{"))
    return marks + (text.count("\n") if parser == "yaml" else 0)


def _may_be_schema(text: str, labelled: bool) -> bool:
    """Might this block be a schema (labelled as one, or with a "$schema" key)? Decided from
    the text alone, without parsing it, and so that a remembered verdict uses up the file's
    budget as a fresh one does: in JSON or YAML a "$schema" key is written with "schema"
    unless escaped, and an escape holds a backslash."""
    return labelled or "schema" in text or "\\" in text


def _json_errors(text: str, first_line: int) -> Iterator[Hit]:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        comma = _trailing_comma(text, exc.pos)
        if comma is not None:  # "x": 1,} -- the comma is the mistake, not the brace
            line = text.count("\n", 0, comma)
            column = comma - (text.rfind("\n", 0, comma) + 1) + 1
            detail = f"remove the trailing comma before '{text[exc.pos]}'"
            yield Hit(first_line + line, column, fields={"detail": detail})
        else:
            yield Hit(first_line + exc.lineno - 1, exc.colno, fields={"detail": exc.msg})
    except RecursionError:
        yield Hit(first_line, fields={"detail": "nesting is too deep"})
    except ValueError:
        return  # valid JSON with a number too long for Python to convert: nothing to report


def _trailing_comma(text: str, position: int) -> int | None:
    """Index of a comma right before a closing bracket at ``position``, if that is the error."""
    if position >= len(text) or text[position] not in "]}":
        return None
    before = text[:position].rstrip()
    return len(before) - 1 if before.endswith(",") else None


def _yaml_errors(text: str, first_line: int) -> Iterator[Hit]:
    found = remember.remembered("yaml-block", text, lambda: _first_yaml_error(text))
    if found is not None:
        line, detail = found
        yield Hit(first_line + line - 1, fields={"detail": detail})


def _first_yaml_error(text: str) -> tuple[int, str] | None:
    """(line in the block, message) of the first YAML error in a block, or None."""
    offset = 0  # lines of the documents before this one
    for document in text.split("\n---\n"):
        try:
            yamlsafe.load(document)
        except yamlsafe.YamlError as exc:
            return offset + _yaml_error_line(document, exc.line), str(exc)
        offset += document.count("\n") + 2
    return None


def _yaml_error_line(document: str, line: int | None) -> int:
    """The line to report a YAML error on, inside the block. An error found at the end of the
    text (an unclosed "[" or quote) is reported where the unclosed construct starts."""
    lines = document.split("\n")
    last = max((i for i, text in enumerate(lines, 1) if text.strip()), default=1)
    if line is not None and line <= last:
        return line
    import yaml

    try:
        for _ in yaml.parse(document, Loader=yamlsafe.SafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        if exc.context_mark is not None and exc.context_mark.line + 1 <= last:
            return exc.context_mark.line + 1
    except (yaml.YAMLError, RecursionError, ValueError):
        pass
    return last


def _schema_errors(text: str, first_line: int, parser: str, labelled: bool) -> Iterator[Hit]:
    problem = remember.remembered(f"schema-block-{parser}-{int(labelled)}", text,
                                  lambda: _schema_problem(text, parser, labelled))
    if problem:
        detail, path = problem
        yield Hit(first_line + _schema_path_line(text, parser, tuple(path)) - 1,
                  fields={"detail": detail})


def _schema_path_line(text: str, parser: str, path: tuple[Any, ...]) -> int:
    """1-based line of the keyword at ``path`` in the block (1 when it cannot be found)."""
    if not path:
        return 1
    if parser == "yaml":
        return yamlsafe.key_line(text, list(path)) or 1
    return _json_key_line(text, path) or 1


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]')


def _json_key_line(text: str, path: tuple[Any, ...]) -> int | None:
    """1-based line of the member at ``path`` (keys and indexes) in a JSON text.

    One pass over the tokens with a stack of containers; no recursion, linear time."""
    stack: list[list[Any]] = []  # [kind, current key or index, expecting a key]
    line, counted, best = 1, 0, None
    for token in _JSON_TOKEN.finditer(text):
        value = token.group()
        line += text.count("\n", counted, token.start())
        counted = token.start()
        if value in "{[":
            stack.append([value, 0 if value == "[" else None, value == "{"])
        elif value in "}]":
            if stack:
                stack.pop()
        elif value == ",":
            if stack:
                top = stack[-1]
                if top[0] == "[":
                    top[1] += 1
                else:
                    top[2] = True
        elif value == ":":
            continue
        elif stack and stack[-1][0] == "{" and stack[-1][2]:
            try:
                stack[-1][1] = json.loads(value)
            except ValueError:
                stack[-1][1] = value
            stack[-1][2] = False
            depth = len(stack)
            if depth <= len(path) and all(str(frame[1]) == str(step) for frame, step
                                          in zip(stack, path[:depth], strict=True)):
                if depth == len(path):
                    return line
                best = line  # the deepest member on the way to the path so far
    return best


@lru_cache(maxsize=512)
def _schema_problem(text: str, parser: str, labelled: bool) -> tuple[str, tuple[Any, ...]] | None:
    """What is wrong with a JSON Schema block and where (the path to the bad keyword), or
    None. Cached: checking a schema against its meta-schema costs milliseconds, and specs
    repeat their schemas."""
    try:
        data = json.loads(text) if parser == "json" else yamlsafe.load(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not ("$schema" in data or labelled):
        return None
    from jsonschema.validators import validator_for

    try:
        meta = _meta_validator(validator_for(data, default=_default_validator()))
        error = next(meta.iter_errors(data), None)  # the first, as check_schema reports
    except RecursionError:
        return "schema nesting is too deep", ()
    if error is None:
        return None
    path = ".".join(str(p) for p in error.path) or "schema"
    return f"{path}: {error.message}", tuple(error.path)


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
