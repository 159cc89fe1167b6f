"""``--format json``: the SPEC 4.1 shape.

Each file is one line of compact JSON inside an indented envelope: readable in a diff, and
encoded by the json module's C encoder (``indent`` would switch to its slow Python encoder,
which dominated a warm run on a large repository).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from speclint.report import Report


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_chunks(report: Report) -> Iterator[str]:
    """The report piece by piece, so a large run never holds the whole text in memory."""
    tool = {"name": "speclint", "version": report.version}
    yield f'{{\n  "schema_version": 1,\n  "tool": {_compact(tool)},\n'
    if not report.files:
        yield '  "files": [],\n'
    else:
        yield '  "files": [\n'
        last = len(report.files) - 1
        for index, result in enumerate(report.files):
            yield f"    {_compact(result.as_dict())}{',' if index < last else ''}\n"
        yield "  ],\n"
    yield f'  "summary": {_compact(report.summary)}\n}}\n'


def render(report: Report) -> str:
    return "".join(render_chunks(report))
