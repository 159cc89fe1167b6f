"""Load rules/vocabulary.yaml once per process and compile every pattern once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from speclint import yamlsafe


def rules_dir() -> Path:
    """The built-in rules folder: inside the wheel, or at the repository root."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class ElementVocab:
    """Heading aliases and compiled patterns of one element."""

    headings: tuple[str, ...]
    patterns: dict[str, Any]  # name -> re.Pattern or tuple of them
    lists: dict[str, tuple[str, ...]]

    def p(self, name: str) -> re.Pattern[str]:
        return self.patterns[name]

    def many(self, name: str) -> tuple[re.Pattern[str], ...]:
        value = self.patterns[name]
        return value if isinstance(value, tuple) else (value,)

    def heading_matches(self, norm_title: str, key: str = "headings") -> bool:
        padded = f" {norm_title} "
        aliases = self.headings if key == "headings" else self.lists.get(key, ())
        return any(f" {alias} " in padded for alias in aliases)


@dataclass(frozen=True)
class Vocabulary:
    """Everything the detectors match, compiled."""

    elements: dict[str, ElementVocab]
    na: re.Pattern[str]
    na_min_words: int
    placeholder: re.Pattern[str]


def _compile(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(re.compile(item) for item in value)
    return re.compile(value)


def _element(data: dict[str, Any]) -> ElementVocab:
    headings = tuple(" ".join(str(h).lower().split()) for h in data.get("headings", []))
    lists = {k: tuple(str(x).lower() for x in v) for k, v in data.items()
             if k.endswith("headings") and k != "headings"}
    patterns = {k: _compile(v) for k, v in data.items() if not k.endswith("headings")}
    return ElementVocab(headings, patterns, lists)


@cache
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Read and compile the vocabulary (default: the built-in one)."""
    file = Path(path) if path else rules_dir() / "vocabulary.yaml"
    data = yamlsafe.load(file.read_text(encoding="utf-8"))
    return Vocabulary(
        elements={name: _element(spec) for name, spec in data["elements"].items()},
        na=re.compile(data["na"]["pattern"], re.I),
        na_min_words=int(data["na"]["min_reason_words"]),
        placeholder=re.compile(data["placeholder"]),
    )
