"""Where does a single-process lint spend its time? A stage-by-stage breakdown.

    python benchmarks/profile_stages.py [--corpus ../shared/corpus] [--sample 300] [--patterns]

Lints a sample of corpus files in-process (the same code path as ``speclint check --jobs 1``)
with timing wrappers around each stage: read+decode, block parsing, the rest of building the
Document, the shared detector context, each detector, each check type and suppressions. For
comparison it also times a bare mistune block-only parse and a full mistune AST parse of the
same bodies. ``--patterns`` also times every vocabulary and rule regular expression (slower,
the wrapper adds about half a microsecond per call; use it for ranking, not absolute numbers).

This is a diagnostic for developers; it prints a table and changes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import corpus_files, default_corpus, sample  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[name] += time.perf_counter() - start
            CALLS[name] += 1

    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    return wrapper


def timed_iter(name: str, func: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """For generator functions: time the consumption, not the call."""
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        start = time.perf_counter()
        try:
            items = list(func(*args, **kwargs))
        finally:
            TIMES[name] += time.perf_counter() - start
            CALLS[name] += 1
        return iter(items)

    return wrapper


class TimedPattern:
    """Stands in for a compiled pattern and charges its calls to one name."""

    def __init__(self, name: str, pattern: re.Pattern[str]) -> None:
        self._name, self._pattern = name, pattern
        compiled = getattr(pattern, "regex", pattern)  # a prefilter.Guarded wraps the regex
        self.pattern, self.flags, self.groups = pattern.pattern, compiled.flags, compiled.groups

    def fullmatch(self, *args: Any) -> Any:
        return self._run("fullmatch", *args)

    def _run(self, method: str, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            result = getattr(self._pattern, method)(*args)
            if method == "finditer":
                result = iter(list(result))
            return result
        finally:
            TIMES["re " + self._name] += time.perf_counter() - start
            CALLS["re " + self._name] += 1

    def __getattr__(self, name: str) -> Any:
        """The rest (prefilter masks, options, plan) is the wrapped pattern's."""
        return getattr(self._pattern, name)

    def search(self, *args: Any) -> Any:
        return self._run("search", *args)

    def match(self, *args: Any) -> Any:
        return self._run("match", *args)

    def finditer(self, *args: Any) -> Any:
        return self._run("finditer", *args)

    def findall(self, *args: Any) -> Any:
        return self._run("findall", *args)

    def split(self, *args: Any) -> Any:
        return self._run("split", *args)

    def sub(self, *args: Any) -> Any:
        return self._run("sub", *args)


def _wrap_patterns() -> None:
    from speclint import checks
    from speclint.vocab import load_vocabulary

    vocab = load_vocabulary()
    for element, ev in vocab.elements.items():
        # patterns may be compiled lazily: ask for every known one so that all get wrapped
        for key in list(ev.patterns):
            value = ev.patterns[key]
            if not isinstance(value, (re.Pattern, tuple)) and not hasattr(value, "regex"):
                continue
            name = f"{element}.{key}"
            if isinstance(value, tuple):
                ev.patterns[key] = tuple(TimedPattern(f"{name}[{i}]", p)
                                         for i, p in enumerate(value))
            else:
                ev.patterns[key] = TimedPattern(name, value)
    object.__setattr__(vocab, "na", TimedPattern("na", vocab.na))
    object.__setattr__(vocab, "placeholder", TimedPattern("placeholder", vocab.placeholder))
    original = checks.matcher

    def matcher(spec: dict[str, Any]) -> Any:
        return TimedPattern("rule " + str(spec.get("pattern") or spec.get("vocabulary")
                                          or spec.get("words"))[:40], original(spec))

    checks.matcher = matcher


def _instrument(patterns: bool) -> None:
    import speclint.detect as detect_mod
    import speclint.document as document
    import speclint.linter as linter
    from speclint import checks, parse

    linter.load_source = timed("1 read+decode: load_source", linter.load_source)
    document.parse_blocks = timed("2 parse: parse_blocks (mistune + line spans)",
                                  parse.parse_blocks)
    linter.build_document = timed("3 build_document (incl. parse)", linter.build_document)

    base_context = detect_mod.Context

    class EagerContext(base_context):  # type: ignore[misc, valid-type]
        """Compute the shared context up front so detectors are charged only their own work."""

        def __init__(self, doc: Any, vocab: Any) -> None:
            super().__init__(doc, vocab)
            start = time.perf_counter()
            _ = self.units, self.code_blocks, self.tables, self.titled_sections
            TIMES["4 detect: shared context (units, ...)"] += time.perf_counter() - start

    detect_mod.Context = EagerContext
    for name, func in list(detect_mod.DETECTORS.items()):
        detect_mod.DETECTORS[name] = timed(f"5 detect: {name}", func)
    detect_mod._cross_element_issues = timed("5 detect: cross-element",
                                             detect_mod._cross_element_issues)
    linter.detect = timed("4-5 detect (total)", detect_mod.detect)
    for kind, func in list(checks.CHECKS.items()):
        checks.CHECKS[kind] = timed_iter(f"6 check: {kind}", func)
    linter._apply_suppressions = timed("7 suppressions", linter._apply_suppressions)
    linter.lint_source = timed("0 lint_source (total)", linter.lint_source)
    if patterns:
        _wrap_patterns()


def _settings() -> Any:
    from speclint.config import Config
    from speclint.runner import _settings as runner_settings

    return runner_settings({}, Config(root=Path.cwd()))


def _floors(files: list[Path]) -> tuple[float, float]:
    """(block-only mistune parse, full mistune AST parse) of the same bodies, in seconds."""
    import mistune
    from mistune.plugins.def_list import def_list
    from mistune.plugins.footnotes import footnotes
    from mistune.plugins.table import table, table_in_list, table_in_quote
    from mistune.plugins.task_lists import task_lists

    from speclint.source import load_source

    plugins = [table, table_in_list, table_in_quote, task_lists, footnotes, def_list]
    bodies = [load_source(f.read_bytes()).body for f in files]
    block_md = mistune.Markdown(renderer=None, plugins=plugins)
    ast_md = mistune.create_markdown(renderer=None, plugins=plugins)
    ast_md.parse("warm up\n")
    block_md.parse("warm up\n")
    start = time.perf_counter()
    for body in bodies:
        state = block_md.block.state_cls()
        state.process(body if body.endswith("\n") else body + "\n")
        block_md.block.parse(state)
    block = time.perf_counter() - start
    start = time.perf_counter()
    for body in bodies:
        ast_md.parse(body)
    return block, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--sample", type=int, default=300, help="files (0: all)")
    parser.add_argument("--patterns", action="store_true", help="time every regex too")
    parser.add_argument("--top", type=int, default=25, help="regexes to show")
    args = parser.parse_args(argv)

    files = corpus_files(args.corpus)
    if args.sample:
        files = sample(files, args.sample)
    size = sum(f.stat().st_size for f in files)
    from speclint.linter import lint_file  # noqa: F401 - import before instrumenting

    settings = _settings()
    _instrument(args.patterns)
    import speclint.linter as linter

    linter.lint_file(files[0], "warm-up", settings)
    TIMES.clear()
    CALLS.clear()
    start = time.perf_counter()
    broken = []
    for file in files:
        result = linter.lint_file(file, file.name, settings)
        if result.internal_error:
            broken.append(f"{file}: {result.internal_error}")
    total = time.perf_counter() - start
    if broken:  # the instrumentation broke something: the times would mean nothing
        sys.exit("internal errors while profiling:\n" + "\n".join(broken[:5]))
    block, ast = _floors(files)

    print(f"{len(files)} files, {size / 1e6:.1f} MB, lint loop {total:.2f} s "
          f"({size / 1e6 / total:.2f} MB/s)")
    print(f"bare mistune block-only parse: {block:.2f} s; full AST parse (the floor): "
          f"{ast:.2f} s\n")
    print(f"{'stage':58} {'seconds':>8} {'% lint':>7}")
    stages = sorted((k, v) for k, v in TIMES.items() if not k.startswith("re "))
    for name, seconds in stages:
        print(f"{name:58} {seconds:8.3f} {100 * seconds / total:6.1f}%")
    if args.patterns:
        print(f"\n{'regular expression':58} {'seconds':>8} {'calls':>8}")
        found = sorted(((v, k) for k, v in TIMES.items() if k.startswith("re ")), reverse=True)
        for seconds, name in found[: args.top]:
            print(f"{name[3:]:58} {seconds:8.3f} {CALLS[name]:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
