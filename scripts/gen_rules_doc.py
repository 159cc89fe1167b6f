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
sys.path.insert(0, str(ROOT / "scripts"))

from generated import write_or_check  # noqa: E402

from speclint.authoring import rules_reference  # noqa: E402


def main(argv: list[str]) -> int:
    return write_or_check(TARGET, rules_reference(), argv, ROOT, "gen_rules_doc.py")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
