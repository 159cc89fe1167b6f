"""What the generator scripts share: write a generated file, or check that it is current."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(target: Path, text: str, argv: list[str], root: Path, script: str) -> int:
    """With ``--check`` in ``argv``: 1 when ``target`` differs from ``text``; else write it."""
    shown = target.relative_to(root)
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{shown} is stale: run python scripts/{script}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {shown}")
    return 0
