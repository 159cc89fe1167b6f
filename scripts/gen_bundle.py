#!/usr/bin/env python3
"""Write rules/bundle.json, the built-in rules read ahead of time (speclint.bundle).

    python scripts/gen_bundle.py           regenerate rules/bundle.json
    python scripts/gen_bundle.py --check   exit 1 if rules/bundle.json is stale

Run it after editing any YAML file in rules/. Until then speclint reads the YAML itself
(a stale bundle is never used), only more slowly at start-up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "rules" / "bundle.json"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from generated import write_or_check  # noqa: E402

from speclint import bundle  # noqa: E402
from speclint.vocab import guarded_patterns, load_vocabulary  # noqa: E402


def render() -> str:
    patterns = [(p.pattern, int(p.flags)) for p in guarded_patterns(load_vocabulary())]
    return json.dumps(bundle.build(patterns), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    return write_or_check(TARGET, render(), argv, ROOT, "gen_bundle.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
