"""Formatters: one module per output format, each a pure function of the run's results."""

from __future__ import annotations

import importlib
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


@dataclass
class Report:
    """The whole run, ready to format. ``files`` are sorted by path."""

    files: list[FileResult]
    rules: dict[str, RuleMeta]  # by code
    version: str
    summary: dict[str, int] = field(default_factory=dict)
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    baselined: int = 0


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
