"""How many corpus files have each element in each state, to eyeball false positives.

    python scripts/corpus_report.py [../shared/corpus] [--samples N]

Prints a table per source folder and overall, then N sample files (with evidence) for each
element and state, so a reviewer can open them and judge. Runs speclint's own detection
in-process (no rules, no output formats).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from pathlib import Path

from speclint.detect import detect
from speclint.discover import walk
from speclint.document import build_document
from speclint.models import ELEMENTS, STATES
from speclint.source import load_source
from speclint.vocab import load_vocabulary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus")
    parser.add_argument("--samples", type=int, default=2, help="examples per element and state")
    args = parser.parse_args()
    root = Path(args.corpus)
    vocab = load_vocabulary()
    counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in walk(root):
        folder = path.relative_to(root).parts[0] if len(path.relative_to(root).parts) > 1 \
            else "."
        doc = build_document(str(path), load_source(path.read_bytes()))
        _, reports, _ = detect(doc, vocab)
        for element in ELEMENTS:
            report = reports[element]
            counts[folder][(element, report.state)] += 1
            counts["ALL"][(element, report.state)] += 1
            first = report.evidence[0] if report.evidence else None
            note = f" (line {first.line}: {first.kind}: {first.text[:70]})" if first else ""
            examples[(element, report.state)].append(f"{path.relative_to(root)}{note}")
    for folder in sorted(counts, key=lambda f: (f == "ALL", f)):
        print(f"\n{folder}")
        print(f"  {'element':16}" + "".join(f"{s:>16}" for s in STATES))
        for element in ELEMENTS:
            row = "".join(f"{counts[folder][(element, s)]:>16}" for s in STATES)
            print(f"  {element:16}{row}")
    rng = random.Random(0)
    print("\nsamples")
    for element in ELEMENTS:
        for state in STATES:
            picks = examples[(element, state)]
            for item in rng.sample(picks, min(args.samples, len(picks))):
                print(f"  {element} {state}: {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
