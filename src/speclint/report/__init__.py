"""Formatters: one module per output format, each a pure function of the run's results."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from speclint.models import FileResult

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")


@dataclass(frozen=True)
class RuleMeta:
    """What a formatter may say about a rule."""

    code: str
    name: str
    element: str | None
    severity: str
    summary: str
    description: str = ""
    hint: str | None = None
    builtin: bool = True  # documented in speclint's docs/rules.md (custom rules are not)


# Formats whose consumers want paths relative to the repository root, not the working
# directory: GitHub code scanning and annotations, GitLab Code Quality.
REPO_RELATIVE_FORMATS = ("sarif", "github", "gitlab")


@dataclass
class Report:
    """The whole run, ready to format. ``files`` are sorted by path (relative to the cwd)."""

    files: list[FileResult]
    rules: dict[str, RuleMeta]  # by code
    version: str
    summary: dict[str, int] = field(default_factory=dict)
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    baselined: int = 0
    repo_paths: dict[str, str] = field(default_factory=dict)  # file path -> repo-relative

    def repo_path(self, path: str) -> str:
        """``path`` relative to the repository root (REPO_RELATIVE_FORMATS use it): POSIX, no
        leading ``./``; absolute for a file outside the repository."""
        return clean_path(self.repo_paths.get(path, path))


def plural(count: int, word: str) -> str:
    """'1 file', '2 files'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def clean_path(path: str) -> str:
    """POSIX path without a leading ``./``."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation other than '-' and
    '_' dropped, each space a '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def rule_heading(code: str, name: str) -> str:
    """The heading of a rule in docs/rules.md (authoring.explain writes it)."""
    return f"{code} {name}"


class Formatter(Protocol):
    def __call__(self, report: Report) -> str: ...


def summarise(files: list[FileResult]) -> dict[str, int]:
    """Counts for every format's summary."""
    counts = {"files": len(files), "errors": 0, "warnings": 0, "infos": 0, "suppressed": 0}
    for result in files:
        counts["suppressed"] += result.suppressed
        for finding in result.findings:
            counts[finding.severity + "s"] += 1
    return counts


def render_chunks(name: str, report: Report) -> Iterator[str]:
    """A format's output in pieces: streamed when the formatter can, else whole."""
    module = importlib.import_module(f"speclint.report.{name}_format")
    chunks = getattr(module, "render_chunks", None)
    if chunks is not None:
        yield from chunks(report)
    else:
        yield module.render(report)


def get_formatter(name: str) -> Formatter:
    """Import only the formatter asked for (keeps start-up small)."""
    module = importlib.import_module(f"speclint.report.{name}_format")
    render: Any = module.render
    return render
