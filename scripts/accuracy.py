"""Compare speclint's element states with human labels.

    python scripts/accuracy.py tests/accuracy/labels.yaml tests/accuracy/cases
    python scripts/accuracy.py tests/corpus_labels.yaml ../shared/corpus

Prints agreement, per-element precision and recall of each state, and every disagreement.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

from speclint.detect import detect
from speclint.document import build_document
from speclint.models import ELEMENTS, STATES
from speclint.source import load_source
from speclint.vocab import load_vocabulary


def predict(path: Path) -> dict[str, str]:
    """Element states speclint decides for one file."""
    doc = build_document(str(path), load_source(path.read_bytes()))
    _, reports, _ = detect(doc, load_vocabulary())
    return {e: reports[e].state for e in ELEMENTS}


def compare(labels: dict, root: Path) -> tuple[float, dict, list[str]]:
    """(agreement, {(element, state): (tp, fp, fn)}, disagreement lines)."""
    counts: dict[tuple[str, str], Counter] = {}
    agree = total = 0
    misses = []
    for name, expected in sorted(labels.items()):
        got = predict(root / name)
        for element in ELEMENTS:
            want = expected[element]
            total += 1
            agree += got[element] == want
            for state in STATES:
                c = counts.setdefault((element, state), Counter())
                c["tp"] += got[element] == state == want
                c["fp"] += got[element] == state != want
                c["fn"] += want == state != got[element]
            if got[element] != want:
                misses.append(f"{name}: {element}: expected {want}, got {got[element]}")
    return agree / max(total, 1), counts, misses


def format_report(rate: float, counts: dict, misses: list[str], files: int) -> str:
    """Agreement, per-element precision and recall of each state, then every disagreement."""
    lines = [f"agreement: {rate:.1%} over {files} files"]
    for element in ELEMENTS:
        cells = []
        for state in STATES:
            c = counts[(element, state)]
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
            cells.append(f"{state} P={p:.2f} R={r:.2f}")
        lines.append(f"  {element:15} " + "  ".join(cells))
    return "\n".join(lines + misses)


def main() -> int:
    labels = yaml.safe_load(Path(sys.argv[1]).read_text("utf-8"))
    rate, counts, misses = compare(labels, Path(sys.argv[2]))
    print(format_report(rate, counts, misses, len(labels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
