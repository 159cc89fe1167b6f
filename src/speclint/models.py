"""Plain values passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ELEMENTS: tuple[str, ...] = (
    "api-contract",
    "data-model",
    "latency-budget",
    "migration-plan",
    "error-codes",
    "rate-limits",
    "compatibility",
)
STATES = ("present", "incomplete", "missing", "not-applicable")
SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place in one file."""

    line: int
    column: int
    code: str
    rule: str
    element: str | None
    severity: str
    message: str
    end_line: int
    end_column: int
    hint: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        """The order of findings in a report (line, column, code, then the rest); faster
        than the generated comparisons when a file has many findings."""
        return (self.line, self.column, self.code, self.rule, self.element or "",
                self.severity, self.message, self.end_line, self.end_column, self.hint or "")

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "rule": self.rule,
            "element": self.element,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "hint": self.hint,  # SPEC 4.1: always there, null when the rule has none
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            line=data["line"],
            column=data["column"],
            code=data["code"],
            rule=data["rule"],
            element=data["element"],
            severity=data["severity"],
            message=data["message"],
            end_line=data["end_line"],
            end_column=data["end_column"],
            hint=data.get("hint"),
        )


@dataclass(frozen=True)
class Evidence:
    """A place in the file that helped decide an element's state."""

    line: int
    kind: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "kind": self.kind, "text": self.text}


EVIDENCE_KEPT = 5  # pieces of evidence an element report keeps (the first, by line)


@dataclass
class ElementReport:
    """The decided state of one element in one file."""

    element: str
    state: str
    line: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    reason: str | None = None  # machine-readable cause of incomplete/na, e.g. "bare-na"

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "line": self.line,
            "evidence": [e.as_dict() for e in self.evidence[:EVIDENCE_KEPT]],
        }

    @classmethod
    def from_dict(cls, element: str, data: dict[str, Any]) -> ElementReport:
        return cls(
            element=element,
            state=data["state"],
            line=data["line"],
            evidence=[Evidence(**e) for e in data["evidence"]],
        )


@dataclass
class FileResult:
    """Everything speclint says about one file."""

    path: str
    profile: str
    status: str
    elements: dict[str, ElementReport]
    findings: list[Finding]
    suppressed: int = 0
    internal_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "profile": self.profile,
            "status": self.status,
            "elements": {e: self.elements[e].as_dict() for e in ELEMENTS},
            "findings": [f.as_dict() for f in self.findings],
        }
