"""``--format text``: one line per finding, a hint line, and a summary."""

from __future__ import annotations

from collections import Counter

import click

from speclint.report import Report, plural

_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}


def summary_line(report: Report) -> str:
    s = report.summary
    parts = [plural(s["errors"], "error"), plural(s["warnings"], "warning"),
             plural(s["infos"], "info")]
    text = f"{plural(s['files'], 'file')} checked: {', '.join(parts)}"
    extras = [f"{s['suppressed']} suppressed"]
    if report.baselined:
        extras.append(f"{report.baselined} baselined")
    return text + f" ({', '.join(extras)})."


def render(report: Report) -> str:
    out: list[str] = []
    color = report.color
    for result in report.files:
        for f in result.findings:
            sev = click.style(f.severity, fg=_STYLE[f.severity], bold=True) if color \
                else f.severity
            code = click.style(f.code, bold=True) if color else f.code
            out.append(f"{result.path}:{f.line}:{f.column}: {sev} {code} {f.rule}: {f.message}")
            if f.hint and not report.quiet:
                out.append(f"  hint: {f.hint}")
    if report.statistics:
        counts = Counter((f.code, f.rule) for r in report.files for f in r.findings)
        for (code, rule), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{count:6d}  {code}  {rule}")
    if not report.quiet:  # --quiet: findings only (SPEC 4)
        out.append(summary_line(report))
    return "".join(line + "\n" for line in out)
