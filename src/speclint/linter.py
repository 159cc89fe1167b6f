"""Lint one file: read -> parse -> detect -> rules -> suppressions. No output here."""

from __future__ import annotations

import gc
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from speclint import prefilter, suppress
from speclint.checks import CHECKS, Hit, Run
from speclint.config import (
    BLOCKS_ALWAYS_ALLOWED,
    DEFAULT_MAX_BLOCKS,
    DEFAULT_MAX_FINDINGS_PER_RULE,
    DEFAULT_MIN_CHARS_PER_BLOCK,
    glob_match,
)
from speclint.detect import detect
from speclint.detect.base import Context
from speclint.document import build_document
from speclint.errors import UsageError
from speclint.models import ELEMENTS, SEVERITY_RANK, ElementReport, FileResult, Finding
from speclint.parse import TooDeep, TooManyBlocks
from speclint.ruleset import Profile, Rule, load_profile, resolve_selector
from speclint.source import Source, load_source
from speclint.vocab import Vocabulary, load_vocabulary

STATUSES = ("draft", "in-review", "approved", "implemented", "deprecated")
DEFAULT_STATUS = "in-review"


@dataclass
class Settings:
    """Everything that decides how a file is linted, resolved before any file is read."""

    rules: list[Rule]
    profile: str = "technical"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rule_settings: dict[str, str] = field(default_factory=dict)
    overrides: list[tuple[list[str], str | None, dict[str, str]]] = field(default_factory=list)
    root: str = "."
    require_suppression_reason: bool = False
    max_file_bytes: int = 10 * 1024 * 1024
    max_findings_per_rule: int = DEFAULT_MAX_FINDINGS_PER_RULE  # 0: no limit
    max_blocks: int = DEFAULT_MAX_BLOCKS  # 0: no limit
    min_chars_per_block: int = DEFAULT_MIN_CHARS_PER_BLOCK  # 0: no limit by size
    debug: bool = False

    def block_limit(self, chars: int) -> int:
        """The most blocks a file of ``chars`` characters may hold (0: no limit): max_blocks,
        and past BLOCKS_ALWAYS_ALLOWED, one per min_chars_per_block characters, so that the
        parse and the rules cost at most a fixed amount per character of the file."""
        by_size = (BLOCKS_ALWAYS_ALLOWED + chars // self.min_chars_per_block
                   if self.min_chars_per_block else 0)
        limits = [limit for limit in (self.max_blocks, by_size) if limit]
        return min(limits) if limits else 0

    def block_limit_detail(self, chars: int) -> str:
        """Why a file of ``chars`` characters may hold no more blocks (SL009's detail)."""
        limit = self.block_limit(chars)
        if limit == self.max_blocks:
            return f"more than {limit} blocks: max_blocks"
        return (f"more than {limit} blocks for its {chars} characters: {BLOCKS_ALWAYS_ALLOWED}"
                f" plus one per {self.min_chars_per_block} characters, min_chars_per_block")

    @property
    def by_key(self) -> dict[str, Rule]:
        keys: dict[str, Rule] = {}
        for rule in self.rules:
            keys[rule.code] = keys[rule.name] = rule
        return keys


def _empty_reports() -> dict[str, ElementReport]:
    return {e: ElementReport(e, "missing") for e in ELEMENTS}


def _enabled(settings: Settings, rule_settings: dict[str, str]) -> dict[str, str]:
    """Rule code -> severity override or 'off', from select/ignore and configuration."""
    result: dict[str, str] = {}
    # element ids first, so a rule code or name configured next to one wins
    for key, value in sorted(rule_settings.items(), key=lambda item: item[0] not in ELEMENTS):
        for rule in resolve_selector(key, settings.rules):
            result[rule.code] = value
    if settings.select:  # the command line overrides configuration
        chosen = {r.code for s in settings.select for r in resolve_selector(s, settings.rules)}
        for rule in settings.rules:
            if rule.code not in chosen:
                result[rule.code] = "off"
            elif result.get(rule.code) == "off":
                del result[rule.code]
    for selector in settings.ignore:
        for rule in resolve_selector(selector, settings.rules):
            result[rule.code] = "off"
    for rule in settings.rules:
        if rule.type == "file-problem":
            result.pop(rule.code, None)
    return result


def _severity(rule: Rule, status: str, profile: Profile, configured: dict[str, str]) -> str:
    severity = rule.severity_by_status.get(status, rule.severity)
    for key in (rule.code, rule.name):
        severity = profile.severity.get(key, severity)
    return configured.get(rule.code, severity)


def _finding(rule: Rule, hit: Hit, severity: str, lines: list[str]) -> Finding:
    template = rule.messages.get(hit.message_key or "", rule.message)
    try:
        message = template.format(**hit.fields) if hit.fields else template
    except (KeyError, IndexError, ValueError):
        message = template
    line = max(1, min(hit.line, len(lines)))
    end_line = max(line, min(hit.end_line or line, len(lines)))
    end_column = hit.end_column or len(lines[end_line - 1]) + 1
    if end_line == line:
        end_column = max(end_column, hit.column)
    return Finding(line, hit.column, rule.code, rule.name, rule.element, severity, message,
                   end_line, end_column, rule.hint)


def _file_problems(source: Source) -> dict[str, Hit]:
    problems: dict[str, Hit] = {}
    if source.bad_utf8_line:
        problems["not-utf8"] = Hit(source.bad_utf8_line)
    if source.front_matter_error:
        line, detail = source.front_matter_error
        problems["front-matter"] = Hit(line, fields={"detail": detail})
    return problems


def _pick(source: Source, settings: Settings, path: Path) -> tuple[str, str, dict[str, str]]:
    """(status, profile name, per-file rule settings)."""
    profile, rule_settings = settings.profile, dict(settings.rule_settings)
    rel = _relative(path, settings.root)
    for globs, override_profile, override_rules in settings.overrides:
        if any(glob_match(rel, g) for g in globs):
            profile = override_profile or profile
            rule_settings.update(override_rules)
    front = source.front_matter
    status = front.get("status") if front.get("status") in STATUSES else DEFAULT_STATUS
    wanted = front.get("profile")
    if isinstance(wanted, str):
        try:
            load_profile(wanted)
            profile = wanted
        except UsageError:
            pass
    return str(status), profile, rule_settings


def _relative(path: Path, root: str) -> str:
    try:
        return path.resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return path.as_posix()


def lint_source(display: str, source: Source, settings: Settings, path: Path,
                extra: dict[str, Hit] | None = None) -> FileResult:
    """Lint decoded text; every rule in ``settings`` runs over it."""
    prefilter.forget()
    status, profile_name, rule_settings = _pick(source, settings, path)
    profile = load_profile(profile_name)
    vocab: Vocabulary = load_vocabulary()
    chars = len(source.text)
    try:
        doc = build_document(display, source, settings.block_limit(chars))
    except TooManyBlocks:
        raise TooManyBlocks(settings.block_limit_detail(chars)) from None
    ctx, reports, issues = detect(doc, vocab)
    run = Run(doc, ctx, reports, issues, status, {**_file_problems(source), **(extra or {})},
              profile.elements)
    configured = _enabled(settings, rule_settings)
    findings: list[Finding] = []
    truncated: list[Rule] = []  # rules stopped at max_findings_per_rule
    lines = source.lines
    for rule in settings.rules:
        if configured.get(rule.code) == "off":
            continue
        if rule.element and not profile.element_rules and rule.type != "element-required":
            continue
        severity = _severity(rule, status, profile, configured)
        if severity == "off":
            continue
        found = _capped(rule, CHECKS[rule.type](rule, run), severity, lines, settings)
        if settings.max_findings_per_rule and len(found) > settings.max_findings_per_rule:
            truncated.append(rule)
        findings += found
    findings, suppressed = _apply_suppressions(findings, doc.comments, settings, lines,
                                               status, profile, configured, truncated)
    doc.release()
    return FileResult(display, profile_name, status, reports,
                      sorted(set(findings), key=Finding.sort_key), suppressed)


def _capped(rule: Rule, hits: Iterable[Hit], severity: str, lines: list[str],
            settings: Settings) -> list[Finding]:
    """Findings of ``rule`` at ``hits``, at most ``max_findings_per_rule``; past it, the next
    hit becomes one finding of the findings-truncated rule instead (SL008)."""
    found: list[Finding] = []
    limit = settings.max_findings_per_rule
    for hit in hits:
        if limit and len(found) >= limit:
            found.append(_truncated(rule, hit, limit, severity, lines, settings))
            break
        found.append(_finding(rule, hit, severity, lines))
    return found


def _truncated(rule: Rule, hit: Hit, limit: int, severity: str, lines: list[str],
               settings: Settings) -> Finding:
    """SL008 in the place of the first finding not shown, with that finding's severity: the
    findings it stands for may be errors, and the cap must never turn a red gate green
    (suppressed and baselined hits count toward the cap, so it errs on the strict side)."""
    fields = {"code": rule.code, "rule": rule.name, "limit": str(limit)}
    return _finding(_problem_rule(settings, "truncated"), Hit(hit.line, hit.column,
                                                              fields=fields), severity, lines)


def _problem_rule(settings: Settings, problem: str) -> Rule:
    """The file-problem rule of one kind (unreadable, too-deep, truncated...)."""
    return next(r for r in settings.rules if r.type == "file-problem"
                and r.params.get("problem") == problem)


def _apply_suppressions(findings: list[Finding], comments: list[tuple[int, int, str]],
                        settings: Settings, lines: list[str], status: str, profile: Profile,
                        configured: dict[str, str],
                        truncated: list[Rule]) -> tuple[list[Finding], int]:
    """Drop the suppressed findings and add those of the suppression rules (SL020-SL022),
    each at most ``max_findings_per_rule`` like any rule. A directive naming a rule of
    ``truncated`` (by code, name or element, or every rule) is never unused: that rule's
    findings past the cap were not looked for."""
    directives = suppress.parse_directives(comments)
    if not directives:
        return findings, 0
    known = {key for r in settings.rules for key in (r.code, r.name)} | set(ELEMENTS)
    unjudged = {key for r in truncated for key in (r.code, r.name, r.element) if key}
    if unjudged:
        unjudged.add(suppress.ALL)
    outcome = suppress.apply(findings, directives, lines, known, unjudged)
    problem_rules = {r.params.get("problem"): r for r in settings.rules
                     if r.type == "suppression"}
    hits: dict[str, list[Hit]] = {}  # problem -> the hits of its rule, in file order
    for problem, directive, selector in outcome.problems:
        rule = problem_rules.get(problem)
        if rule is None or configured.get(rule.code) == "off":
            continue
        if problem == "no-reason" and not settings.require_suppression_reason:
            continue
        hits.setdefault(problem, []).append(Hit(directive.line, fields={"rule": selector}))
    kept = list(outcome.kept)
    for problem, rule_hits in hits.items():
        rule = problem_rules[problem]
        kept += _capped(rule, rule_hits, _severity(rule, status, profile, configured), lines,
                        settings)
    return kept, outcome.suppressed


def problem_result(display: str, problem: str, settings: Settings,
                   detail: str = "") -> FileResult:
    """A file that could not be linted at all: one finding from the file-problem rule."""
    rule = _problem_rule(settings, problem)
    message = rule.message + (f" ({detail})" if detail else "")
    finding = Finding(1, 1, rule.code, rule.name, None, rule.severity, message, 1, 1, rule.hint)
    return FileResult(display, settings.profile, DEFAULT_STATUS, _empty_reports(), [finding],
                      internal_error=detail if problem == "internal" else None)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while one file is linted.

    A file's tokens, blocks, sections and units all live until its result is built, so the
    collections Python would start as they pile up (each a walk over every one of them) find
    nothing to free: on a 4 MB file they cost 15-25% of the time. The collector runs again
    between files; by then reference counting has freed the file's objects (lint_source
    releases the section tree, the one cycle), so it has little to walk.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint_bytes(display: str, data: bytes, settings: Settings, path: Path) -> FileResult:
    """Lint one file's bytes; a crash becomes an internal-error finding, never a traceback."""
    try:
        with _cyclic_gc_paused():
            return lint_source(display, load_source(data), settings, path)
    except UsageError:
        raise
    except TooDeep:
        return problem_result(display, "too-deep", settings)
    except TooManyBlocks as exc:
        return problem_result(display, "too-many-blocks", settings, str(exc))
    except Exception as exc:  # noqa: BLE001 - isolation: one file must not stop the run
        detail = f"{type(exc).__name__}: {exc}"
        if settings.debug:
            import traceback

            detail += "\n" + traceback.format_exc()
        return problem_result(display, "internal", settings, detail)


class FileProblem(Exception):
    """A file that cannot be linted: ``kind`` is a problem_result kind, ``detail`` the why."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def read_spec(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else FileProblem.

    Only regular files are opened (a FIFO would block, a device never ends), and never more
    than ``limit + 1`` bytes are read, whatever the size the file system reports.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("unreadable", "it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("unreadable", "it is not a regular file")
        if info.st_size > limit:
            raise FileProblem("too-large", f"{info.st_size} bytes > {limit}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileProblem("unreadable", exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise FileProblem("too-large", f"more than {limit} bytes")
    return data


def lint_file(path: Path, display: str, settings: Settings) -> FileResult:
    """Read and lint one file; unreadable or oversized files are findings."""
    try:
        data = read_spec(path, settings.max_file_bytes)
    except FileProblem as problem:
        return problem_result(display, problem.kind, settings, problem.detail)
    return lint_bytes(display, data, settings, path)


def fails(result_findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in result_findings)


__all__ = ["Context", "FileProblem", "Settings", "fails", "lint_bytes", "lint_file", "lint_source",
           "read_spec"]
