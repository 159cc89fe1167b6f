"""``speclint check``: files -> config -> lint (cached, parallel) -> baseline -> report."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from speclint import __version__, discover
from speclint.config import Config, glob_match, load_config
from speclint.config import discover as discover_config
from speclint.errors import UsageError
from speclint.linter import (
    FileProblem,
    Settings,
    fails,
    lint_bytes,
    lint_file,
    problem_result,
    read_spec,
)
from speclint.models import FileResult
from speclint.report import (
    REPO_RELATIVE_FORMATS,
    Report,
    RuleMeta,
    plural,
    render_chunks,
    summarise,
)
from speclint.ruleset import load_profile, load_rules, resolve_selector

PARALLEL_MIN_FILES = 16


def _config(options: dict[str, Any]) -> Config:
    root: Path | None = None
    if options.get("config_file"):
        path: Path | None = Path(options["config_file"])
        if not path.is_file():
            raise UsageError(f"{path}: configuration file does not exist")
        root = pinned_root(path)
    else:
        path = discover_config(Path.cwd())
    if not (options.get("no_cache") or os.environ.get("SPECLINT_NO_CACHE")):
        from speclint import remember
        from speclint.cache import CACHE_DIR

        base = root or (path.parent if path else Path.cwd())
        remember.FOLDER = base / CACHE_DIR / "v1" / "remembered"
    return load_config(path, root) if path else Config(root=Path.cwd())


def pinned_root(path: Path) -> Path | None:
    """The folder a ``--config`` file's globs are relative to, when not its own folder.

    A file that belongs to the tree being linted keeps its own folder (None): inside the
    working directory's git work tree, or the very file discovery finds from the working
    directory; outside any work tree, in the working directory or a folder above it. Inside
    a work tree, a file that merely sits in a folder above it (a temporary folder that holds
    the checkout) does not belong. A file from elsewhere, such as the base branch's
    configuration written to a temporary folder to pin the gate, describes this repository:
    its globs are relative to the git work tree's top folder, else to the working directory.
    """
    folder = path.resolve().parent
    cwd = Path.cwd().resolve()
    repository = discover.repository_root()
    if repository is None:  # no work tree: the working directory, or a folder above it
        return None if cwd.is_relative_to(folder) or folder.is_relative_to(cwd) else cwd
    tree = repository.resolve()
    if folder.is_relative_to(tree):
        return None
    found = discover_config(cwd)  # a file above the work tree that discovery finds anyway
    if found is not None and found.resolve() == path.resolve():
        return None
    return tree


def _settings(options: dict[str, Any], config: Config) -> Settings:
    rules = load_rules(tuple(config.rule_paths))
    select, ignore = (_split(options.get("select", ())), _split(options.get("ignore", ())))
    for selector in select + ignore:
        if not resolve_selector(selector, rules):
            raise UsageError(f"unknown rule, code or element '{selector}'")
    config.check_rule_names(lambda name: bool(resolve_selector(name, rules)))
    profile = options.get("profile") or config.profile
    load_profile(profile)
    for override in config.overrides:
        if "profile" in override:
            load_profile(override["profile"])
    return Settings(
        rules=rules, profile=profile, select=select, ignore=ignore,
        rule_settings=dict(config.rules),
        overrides=[(o["files"], o.get("profile"), o.get("rules", {})) for o in config.overrides],
        root=str(config.root), require_suppression_reason=config.require_suppression_reason,
        max_file_bytes=config.max_file_bytes,
        max_findings_per_rule=config.max_findings_per_rule, max_blocks=config.max_blocks,
        min_chars_per_block=config.min_chars_per_block, debug=bool(options.get("debug")))


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _files(options: dict[str, Any], config: Config) -> list[Path]:
    paths = list(options.get("paths") or ())
    if options.get("changed_since"):
        files = _changed(options["changed_since"], paths, config)
    elif paths:
        files = discover.expand(paths)
    elif config.include:
        walked = discover.walk(config.root)
        files = [f for f in walked if config.matches(config.include, f)]
        files = [Path(os.path.relpath(f)) for f in files]
    else:
        files = discover.expand(["."])
    if config.exclude:
        files = [f for f in files if not config.matches(config.exclude, f)]
    return files


def _changed(ref: str, paths: list[str], config: Config) -> list[Path]:
    """The files the same run without ``--changed-since`` would lint, among those changed
    since ``ref``: named files if changed; under named folders, or else under the configured
    ``include`` globs or the working directory, the changed files a folder walk would find
    (hidden folders and .gitignore'd files skipped). ``exclude`` is applied by the caller."""
    for name in paths:
        if not Path(name).exists() and not Path(name).is_symlink():
            raise UsageError(f"{name}: no such file or folder")
    changed = discover.changed_since(ref)
    if not paths:
        if config.include:
            return [f for f in discover.walked(config.root, changed)
                    if config.matches(config.include, f)]
        return discover.walked(Path("."), changed)
    chosen: dict[str, Path] = {}
    resolved = {os.path.realpath(f): f for f in changed}
    for name in paths:
        path = Path(name)
        real = os.path.realpath(path)
        found = discover.walked(path, changed) if path.is_dir() \
            else [resolved[real]] if real in resolved else []
        for file in found:
            chosen.setdefault(os.path.normpath(file), file)
    return [chosen[key] for key in sorted(chosen)]


def repo_relative_paths(results: list[FileResult], config: Config) -> dict[str, str]:
    """Each result's path relative to the repository root: the git work tree's top folder,
    else the configuration's root, else the working directory. A file outside it keeps an
    absolute path. (SARIF, GitHub and GitLab consumers want repo-relative paths.)"""
    root = discover.repository_root() or (config.root if config.path else Path.cwd())
    top = Path(os.path.realpath(root))
    paths = {}
    for result in results:
        if result.path == "<stdin>":
            continue
        full = Path(os.path.abspath(result.path))  # a symlinked spec keeps its own path
        paths[result.path] = (full.relative_to(top).as_posix() if full.is_relative_to(top)
                              else full.as_posix())
    return paths


def display_path(path: Path) -> str:
    """The path as reports show it: relative to the working directory, POSIX slashes, and
    each byte of a file name that is not UTF-8 shown as U+FFFD (reports are UTF-8)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = str(path)
    return printable(Path(rel).as_posix())


def printable(name: str) -> str:
    """A file name that can be written as UTF-8 (undecodable bytes as U+FFFD)."""
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings


def _lint_one(args: tuple[str, str]) -> FileResult:
    assert _WORKER_SETTINGS is not None
    path, display = args
    return lint_file(Path(path), display, _WORKER_SETTINGS)


def _lint_all(files: list[Path], settings: Settings, jobs: int,
              cache: Any | None) -> list[FileResult]:
    results: dict[str, FileResult] = {}
    todo: list[tuple[str, str, str | None]] = []
    for path in files:
        display = display_path(path)
        key = None
        if cache is not None:
            try:
                data: bytes | None = read_spec(path, settings.max_file_bytes)
            except FileProblem:
                data = None  # lint_file turns it into a finding
            if data is not None:
                key = cache.key(display, data)
                hit = cache.get(key)
                if hit is not None:
                    results[display] = hit
                    continue
        todo.append((str(path), display, key))
    if jobs > 1 and len(todo) >= PARALLEL_MIN_FILES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(settings,)) as pool:
            chunk = max(1, min(32, len(todo) // (jobs * 8)))
            fresh = list(pool.map(_lint_one, [(p, d) for p, d, _ in todo], chunksize=chunk))
    else:
        fresh = [lint_file(Path(p), d, settings) for p, d, _ in todo]
    for (_, display, key), result in zip(todo, fresh, strict=True):
        results[display] = result
        if cache is not None and key is not None:
            cache.put(key, result)
    return [results[d] for d in sorted(results)]


def _stdin(options: dict[str, Any], settings: Settings) -> list[FileResult]:
    name = options.get("stdin_filename") or "<stdin>"
    data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        return [problem_result(name, "too-large", settings,
                               f"more than {settings.max_file_bytes} bytes")]
    return [lint_bytes(name, data, settings, Path(name))]


def _cache(options: dict[str, Any], config: Config, settings: Settings) -> Any | None:
    if options.get("no_cache") or os.environ.get("SPECLINT_NO_CACHE"):
        return None
    from speclint.cache import Cache, settings_key

    rule_sources = sorted({r.source for r in settings.rules})
    parts = [repr(sorted((r.code, r.name, r.type, r.severity, repr(r.params), r.message,
                          repr(r.messages), repr(r.severity_by_status)) for r in settings.rules)),
             settings.profile, repr(settings.select), repr(settings.ignore),
             repr(sorted(settings.rule_settings.items())), repr(settings.overrides),
             settings.root, repr(settings.require_suppression_reason),
             str(settings.max_file_bytes), str(settings.max_findings_per_rule),
             str(settings.max_blocks), str(settings.min_chars_per_block)]
    for source in rule_sources + [str(Path(__file__).parent.parent / "speclint" / "rules")]:
        parts.append(source)
    from speclint import bundle
    from speclint.vocab import rules_dir

    parts.append(bundle.digest())  # every built-in YAML file: rules, profiles, vocabulary
    for file in sorted((rules_dir() / "schemas").glob("*.json")):
        parts.append(file.read_text("utf-8", errors="replace"))
    return Cache(config.root, settings_key(parts))


def _rule_meta(settings: Settings) -> dict[str, RuleMeta]:
    return {r.code: RuleMeta(r.code, r.name, r.element, r.severity, r.summary, r.description,
                             r.hint, builtin=r.builtin)
            for r in settings.rules}


def _write(chunks: Iterable[str], output: str | None, color: bool = False) -> None:
    """Write the report piece by piece to FILE or stdout."""
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.writelines(chunks)
        except OSError as exc:
            raise UsageError(f"{output}: cannot write report: {exc.strerror or exc}") from None
    else:
        for chunk in chunks:
            click.echo(chunk, nl=False, color=color)


def run_check(options: dict[str, Any]) -> int:
    """The whole ``check`` command; returns the exit status."""
    config = _config(options)
    settings = _settings(options, config)
    fail_on = options.get("fail_on") or config.fail_on
    max_warnings, limit_source = options.get("max_warnings"), "--max-warnings"
    if max_warnings is None:
        max_warnings, limit_source = config.max_warnings, f"max_warnings in {config.path}"
    quiet = bool(options.get("quiet"))
    if list(options.get("paths") or ()) == ["-"]:
        results = _stdin(options, settings)
    else:
        files = _files(options, config)
        jobs = options.get("jobs") or os.cpu_count() or 1
        results = _lint_all(files, settings, jobs, _cache(options, config, settings))
    written, baselined, stale = _baselines(options, results)
    summary = summarise(results)
    if options.get("baseline"):
        summary["baselined"] = baselined
    fmt = options.get("fmt") or "text"
    report = Report(results, _rule_meta(settings), __version__, summary,
                    color=_color(options) and not options.get("output"),
                    quiet=quiet, statistics=bool(options.get("statistics")),
                    baselined=baselined,
                    repo_paths=repo_relative_paths(results, config)
                    if fmt in REPO_RELATIVE_FORMATS else {})
    _write(render_chunks(fmt, report), options.get("output"), report.color)
    if not quiet:
        from speclint.report.text_format import summary_line

        if options.get("output"):
            click.echo(summary_line(report), err=fmt == "text")
        elif fmt == "gitlab":  # a bare array: the counts (suppressed included) go to stderr
            click.echo(summary_line(report), err=True)
        if written is not None:
            kept = f", {written.kept} of them kept for files not linted in this run" \
                if written.kept else ""
            click.echo(f"speclint: wrote baseline {options['write_baseline']} with "
                       f"{plural(written.findings, 'finding')} in "
                       f"{plural(written.files, 'file')}{kept}", err=True)
        else:
            for key, code, count in stale:
                click.echo(f"speclint: baseline entry {key} {code} is stale ({count} fewer "
                           "findings); run --write-baseline to prune it", err=True)
    status = _exit_status(results, fail_on, (max_warnings, limit_source), report, options)
    if written is not None and status == 1:
        return 0  # the baseline was written: adopting it must not fail a `set -e` script
    return status


def _baselines(options: dict[str, Any], results: list[FileResult]
               ) -> tuple[Any | None, int, list[tuple[str, str, int]]]:
    """--write-baseline (every current finding), then --baseline (hides known findings from
    ``results``): (what was written, findings hidden, stale entries)."""
    if not (options.get("baseline") or options.get("write_baseline")):
        return None, 0, []
    from speclint import baseline

    # read first: --baseline may name the file --write-baseline is about to replace
    known = baseline.load(Path(options["baseline"])) if options.get("baseline") else None
    written = None
    if options.get("write_baseline"):
        written = baseline.write(Path(options["write_baseline"]), results)
    if known is None:
        return written, 0, []
    applied = baseline.apply(Path(options["baseline"]), results, known)
    return written, applied.hidden, applied.stale


def _color(options: dict[str, Any]) -> bool:
    from speclint.cli import _use_color

    return _use_color(str(options.get("color") or "auto"))


def _exit_status(results: list[FileResult], fail_on: str,
                 warning_limit: tuple[int | None, str], report: Report,
                 options: dict[str, Any]) -> int:
    internal = [r for r in results if r.internal_error]
    for result in internal:
        click.echo(f"speclint: internal error on {result.path}: "
                   f"{result.internal_error.splitlines()[0]} (please report a bug"
                   f"{'' if options.get('debug') else '; --debug shows the traceback'})",
                   err=True)
        if options.get("debug"):
            click.echo(result.internal_error, err=True)
    if internal:
        return 2
    findings = [f for r in results for f in r.findings]
    status = 1 if fails(findings, fail_on) else 0
    max_warnings, source = warning_limit
    warnings = report.summary["warnings"]
    if max_warnings is not None and warnings > max_warnings:
        if not options.get("write_baseline"):
            click.echo(f"speclint: {plural(warnings, 'warning')} "
                       f"exceed{'s' if warnings == 1 else ''} the limit of {max_warnings} "
                       f"({source}): exit status 1", err=True)
        status = 1
    return status


__all__ = ["run_check", "glob_match"]
