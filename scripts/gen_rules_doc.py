#!/usr/bin/env python3
"""Write docs/rules.md, the rule reference, from the YAML rules in rules/.

    python scripts/gen_rules_doc.py           regenerate docs/rules.md
    python scripts/gen_rules_doc.py --check   exit 1 if docs/rules.md is stale

The text is the same as `speclint explain RULE` prints, one rule after another.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "rules.md"
sys.path.insert(0, str(ROOT / "src"))

from speclint.authoring import rules_reference  # noqa: E402


def main(argv: list[str]) -> int:
    text = rules_reference()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python scripts/gen_rules_doc.py",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
