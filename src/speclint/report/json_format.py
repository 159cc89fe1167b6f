"""``--format json``: the SPEC 4.1 shape."""

from __future__ import annotations

import json

from speclint.report import Report


def render(report: Report) -> str:
    data = {
        "schema_version": 1,
        "tool": {"name": "speclint", "version": report.version},
        "files": [result.as_dict() for result in report.files],
        "summary": report.summary,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
