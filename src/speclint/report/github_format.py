"""``--format github``: GitHub Actions workflow commands, one per finding.

Each finding becomes ``::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,
title=CODE name::message``, with ``file`` relative to the repository root (GitHub matches
annotations to the files of the checkout). A plain-text summary line follows (GitHub shows
only the first few annotations of each kind, and this line carries the suppressed count). When
``$GITHUB_STEP_SUMMARY`` names a file, a Markdown table of the findings is appended to it,
capped so that file stays under GitHub's 1 MiB limit.
"""

from __future__ import annotations

import os

from speclint.models import Finding
from speclint.report import Report, plural, summarise
from speclint.report.sarif_format import full_message

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts per step summary
SHOWN_PER_KIND = 10  # annotations GitHub displays per kind and step


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(path: str, finding: Finding) -> str:
    """One workflow command line for one finding."""
    props = {
        "file": path,
        "line": str(finding.line),
        "col": str(finding.column),
        "endLine": str(finding.end_line),
        "endColumn": str(finding.end_column),
        "title": f"{finding.code} {finding.rule}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    kind = COMMANDS.get(finding.severity, "warning")
    return f"::{kind} {joined}::{escape_data(full_message(finding))}"


def summary_line(report: Report) -> str:
    """Counts in one sentence, suppressed (and baselined) findings included."""
    s = report.summary or summarise(report.files)
    line = (
        f"speclint {report.version}: {plural(s['files'], 'file')} checked, "
        f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, "
        f"{s['infos']} info, {s['suppressed']} suppressed"
    )
    if report.baselined:
        line += f", {report.baselined} baselined"
    return line + "."


def internal_errors(report: Report) -> list[str]:
    return [
        f"::error file={escape_property(report.repo_path(r.path))},"
        "title=speclint internal error::" + escape_data(r.internal_error)
        for r in report.files
        if r.internal_error
    ]


def render(report: Report) -> str:
    lines = [command(report.repo_path(r.path), f) for r in report.files for f in r.findings]
    lines += internal_errors(report)
    counts = report.summary or summarise(report.files)
    lines.append(summary_line(report))
    if max(counts["errors"], counts["warnings"], counts["infos"]) > SHOWN_PER_KIND:
        lines.append(
            f"GitHub shows only the first {SHOWN_PER_KIND} annotations of each kind per step; "
            "every finding is in this log and in the job summary."
        )
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        problem = append_step_summary(target, report)
        if problem:
            lines.append(f"::warning title=speclint::{escape_data(problem)}")
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """Make text safe inside one Markdown table cell, shown literally."""
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "&#124;")):
        text = text.replace(old, new)
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def step_summary(report: Report, budget: int) -> str:
    """Markdown for the job summary, at most ``budget`` UTF-8 bytes."""
    head = f"## speclint\n\n{cell(summary_line(report))}\n\n"
    rows = [
        f"| {cell(report.repo_path(r.path))} | {f.line} | {f.severity} | "
        f"{cell(f.code + ' ' + f.rule)} | {cell(full_message(f))} |\n"
        for r in report.files
        for f in r.findings
    ]
    if not rows:
        return head if len(head.encode()) <= budget else ""
    head += "| File | Line | Severity | Code | Message |\n| --- | ---: | --- | --- | --- |\n"
    reserve = 200  # room for the "not shown" note
    used = len(head.encode()) + reserve
    if used > budget:
        return ""
    shown: list[str] = []
    for row in rows:
        size = len(row.encode())
        if used + size > budget:
            break
        shown.append(row)
        used += size
    text = head + "".join(shown)
    if len(shown) < len(rows):
        text += (
            f"\n{len(rows) - len(shown)} more finding(s) not shown: the job summary is limited "
            "to 1 MiB. Use --format sarif or json for the full list.\n"
        )
    return text


def append_step_summary(target: str, report: Report) -> str | None:
    """Append the Markdown summary under the 1 MiB limit; return a problem, if any."""
    try:
        existing = os.path.getsize(target)
    except OSError:
        existing = 0
    text = step_summary(report, SUMMARY_LIMIT - existing - 1)
    if not text:
        return None
    try:
        with open(target, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        return f"could not write the job summary to {target}: {exc.strerror or exc}"
    return None
