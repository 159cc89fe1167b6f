"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning reads it.

Rules come from ``report.rules`` (sorted by code), plus any code a finding uses that the table
lacks; built-in rules link (``helpUri``) to their heading in docs/rules.md, custom rules have
no link. Columns are Unicode code points (``columnKind``); paths are URIs relative to the
repository root under ``%SRCROOT%`` (``Report.repo_path``), whatever folder speclint ran in.
Fingerprints hash path, code, message and occurrence number, not the line, so editing text
above a finding does not make it look new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from speclint.models import FileResult, Finding
from speclint.report import (
    Report,
    RuleMeta,
    clean_path,
    github_slug,
    rule_heading,
    summarise,
)

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/speclint/speclint"
RULES_DOC = "https://github.com/speclint/speclint/blob/main/docs/rules.md#"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def fingerprinted(files: list[FileResult], path_of: Any = clean_path
                  ) -> Iterator[tuple[FileResult, Finding, str]]:
    """Yield every finding with a stable sha256 of (path, code, message, occurrence).

    ``path_of`` maps a result's path to the one to hash (the repo-relative path, so the
    fingerprint does not depend on the folder speclint ran in).
    """
    for result in files:
        path = path_of(result.path)
        seen: dict[tuple[str, str], int] = {}
        for finding in result.findings:
            key = (finding.code, finding.message)
            seen[key] = seen.get(key, 0) + 1
            payload = json.dumps([path, finding.code, finding.message, seen[key]])
            yield result, finding, hashlib.sha256(payload.encode("utf-8")).hexdigest()


def full_message(finding: Finding) -> str:
    """The message, with the hint on its own line when there is one."""
    return f"{finding.message}\n{finding.hint}" if finding.hint else finding.message


def rule_table(report: Report) -> list[RuleMeta]:
    """Every known rule plus any code only seen in findings, sorted by code."""
    rules = dict(report.rules)
    for result in report.files:
        for f in result.findings:
            if f.code not in rules:
                rules[f.code] = RuleMeta(f.code, f.rule, f.element, f.severity, f.rule,
                                         builtin=False)
    return [rules[code] for code in sorted(rules)]


def help_uri(meta: RuleMeta) -> str | None:
    """The rule's entry in docs/rules.md (the anchor GitHub gives its heading); None for a
    rule speclint does not document (custom rules from ``rule_paths``)."""
    if not meta.builtin:
        return None
    return RULES_DOC + github_slug(rule_heading(meta.code, meta.name))


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    full = meta.description or meta.summary
    help_text = f"{full}\n\n{meta.hint}" if meta.hint else full
    descriptor: dict[str, Any] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
    }
    uri = help_uri(meta)
    if uri:
        descriptor["helpUri"] = uri
    descriptor["defaultConfiguration"] = {"level": LEVELS.get(meta.severity, "warning")}
    tags = ["speclint"] + ([meta.element] if meta.element else [])
    descriptor["properties"] = {"tags": tags}
    return descriptor


def region(finding: Finding) -> dict[str, int]:
    """SARIF region; end is clamped so it never precedes the start."""
    start_line, start_col = max(finding.line, 1), max(finding.column, 1)
    end_line = max(finding.end_line, start_line)
    end_col = max(finding.end_column, 1)
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def artifact_location(path: str) -> dict[str, str]:
    """A repo-relative path under ``%SRCROOT%``; a file outside the repository gets an
    absolute ``file:`` URI instead (it has no place under the repository root)."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def result_object(finding: Finding, path: str, index: int, fingerprint: str) -> dict[str, Any]:
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": full_message(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(path),
                    "region": region(finding),
                }
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }


def render(report: Report) -> str:
    rules = rule_table(report)
    index = {meta.code: i for i, meta in enumerate(rules)}
    results = [
        result_object(finding, report.repo_path(res.path), index[finding.code], fp)
        for res, finding, fp in fingerprinted(report.files, report.repo_path)
    ]
    broken = [res for res in report.files if res.internal_error]
    invocation: dict[str, Any] = {"executionSuccessful": not broken}
    if broken:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"internal error: {res.internal_error}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact_location(report.repo_path(res.path))
                        }
                    }
                ],
            }
            for res in broken
        ]
    summary = report.summary or summarise(report.files)
    run = {
        "tool": {
            "driver": {
                "name": "speclint",
                "version": report.version,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(meta) for meta in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"suppressed": summary.get("suppressed", 0), "baselined": report.baselined},
    }
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2) + "\n"
