"""``--format gitlab``: a GitLab Code Quality report (a bare JSON array).

Each finding is ``{description, check_name, fingerprint, severity, location: {path, lines:
{begin}}}``. Fingerprints are the SARIF ones (path, code, message, occurrence), so they are
unique and survive line shifts. Paths are relative to the repository root. The format has no
room for totals: the suppressed count is in the text summary line that ``speclint check``
prints to stderr (or to the terminal with ``--output FILE``).
"""

from __future__ import annotations

import json
from typing import Any

from speclint.report import Report
from speclint.report.sarif_format import fingerprinted

SEVERITIES = {"error": "critical", "warning": "minor", "info": "info"}


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = [
        {
            "description": f"{finding.code} {finding.rule}: {finding.message}",
            "check_name": f"{finding.code} {finding.rule}",
            "fingerprint": fingerprint,
            "severity": SEVERITIES.get(finding.severity, "minor"),
            "location": {"path": report.repo_path(result.path),
                         "lines": {"begin": finding.line}},
        }
        for result, finding, fingerprint in fingerprinted(report.files, report.repo_path)
    ]
    return json.dumps(issues, indent=2) + "\n"
