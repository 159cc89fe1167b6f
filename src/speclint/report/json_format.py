"""``--format json``: the SPEC 4.1 shape.

Each file is one line of compact JSON inside an indented envelope: readable in a diff, and
encoded by the json module's C encoder (``indent`` would switch to its slow Python encoder,
which dominated a warm run on a large repository).
"""

from __future__ import annotations

import json

from speclint.report import Report


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render(report: Report) -> str:
    tool = {"name": "speclint", "version": report.version}
    lines = ["{", '  "schema_version": 1,', f'  "tool": {_compact(tool)},']
    if report.files:
        files = ",\n".join(f"    {_compact(result.as_dict())}" for result in report.files)
        lines.append(f'  "files": [\n{files}\n  ],')
    else:
        lines.append('  "files": [],')
    lines += [f'  "summary": {_compact(report.summary)}', "}"]
    return "\n".join(lines) + "\n"
