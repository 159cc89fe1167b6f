"""Element reports keep the first EVIDENCE_KEPT pieces of evidence by line, however many a
detector could list (some stop looking once they have them)."""

from __future__ import annotations

from pathlib import Path

from speclint.linter import Settings, lint_bytes
from speclint.models import EVIDENCE_KEPT
from speclint.ruleset import load_rules


def _reports(text: str) -> dict[str, dict]:
    result = lint_bytes("m.md", text.encode(), Settings(rules=load_rules()), Path("m.md"))
    return {name: report.as_dict() for name, report in result.elements.items()}


def test_a_data_model_of_many_payload_examples_lists_the_first_ones() -> None:
    # no operations: the payload examples are attempts at a data model (incomplete)
    blocks = "".join(f'```json\n{{"field_{i}": "value"}}\n```\n\n' for i in range(8))
    text = "# Store\n\n" + blocks
    #       1 2        block i opens on line 3 + 4i, its body on 4 + 4i
    report = _reports(text)["data-model"]
    assert report["state"] == "incomplete"
    lines = [e["line"] for e in report["evidence"]]
    assert lines == [4 + 4 * i for i in range(EVIDENCE_KEPT)]
    assert all(e["kind"] == "payload" for e in report["evidence"])


def test_many_limits_and_latency_targets_report_the_first_ones() -> None:
    rows = "".join(f"| GET /v1/items/{i} | {10 + i} ms | {100 + i} requests per second per key |\n"
                   for i in range(8))
    text = ("# Items\n\n## Latency and rate limits\n\n"          # 1-4
            "| Operation | p99 | Rate limit |\n|---|---|---|\n"  # 5-6
            + rows)                                              # row i on line 7 + i
    reports = _reports(text)
    first_rows = [7 + i for i in range(EVIDENCE_KEPT)]
    for name, kind in (("latency-budget", "percentile-target"),
                       ("rate-limits", "limit-per-window")):
        assert reports[name]["state"] == "present"
        assert [e["line"] for e in reports[name]["evidence"]] == first_rows, name
        assert {e["kind"] for e in reports[name]["evidence"]} == {kind}


def test_an_error_table_reports_its_first_rows() -> None:
    rows = "".join(f"| E_{i}_FAILED | failure number {i} |\n" for i in range(8))
    text = "# Errors\n\n| Code | Meaning |\n|---|---|\n" + rows  # row i on line 5 + i
    report = _reports(text)["error-codes"]
    assert report["state"] == "present"
    assert [e["line"] for e in report["evidence"]] == [5 + i for i in range(EVIDENCE_KEPT)]
    assert report["evidence"][0]["text"] == "E_0_FAILED: failure number 0"
