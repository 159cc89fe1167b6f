"""Look for inputs whose lint time grows faster than their size (quadratic paths).

    python benchmarks/growth.py [--count 1500] [--ratio 7] [--random 500]

Each phrase the vocabulary looks for is repeated ``count`` and four times ``count`` times under
each of several section titles, in each of several shapes (one long paragraph, sentences, list
items, table rows, one long table cell, quoted lines, nested items, definitions, sections
titled with it), and both are linted in-process (warm). An input whose time grows more than
``ratio`` times for four times the size is printed as a suspect; so are ``--random`` inputs
made of three phrases at a time. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PHRASES = [
    "p99 is 5 ms", "100 requests per second per key", "returns 404 Not Found", "`E_BAD`: bad input",
    "RESOURCE_EXHAUSTED", "roll back by turning the flag off", "step 1 backfill", "phase 2",
    "deprecated in v2", "backward compatible", "breaking change", "POST /v1/refunds",
    "GET /v1/x/{id}", "TBD", "N/A", "not applicable", "idempotency key", "Idempotency-Key header",
    "rate limit of 5 per minute", "429 Too Many Requests", "retry after 30 s", "at most 3 retries",
    "`card_declined` 402", "field `id` string", "id: string", "CREATE TABLE t (id int)",
    "message Foo {", "timeout 30 s", "SLO 99.9%", "no API changes", "no breaking change",
    "cannot be rolled back", "[link](#missing)", "e.g. x", "i.e. y", "version v1", "semver",
    "HTTP 500", "status 200", "error code 1234", "quota of 10 GB per day", "burst of 20",
    "latency under 200 ms", "p50 of 20 ms", "migration", "kill switch", "feature flag",
    "dual write",
]
SECTIONS = ["# Errors", "# Rate limits", "# Latency", "# Migration plan", "# Compatibility",
            "# API", "# Data model", "# Overview"]
SHAPES: dict[str, Callable[[str, str, int], str]] = {
    "paragraph": lambda h, p, n: f"{h}\n\n" + f"{p}, " * n + "\n",
    "sentences": lambda h, p, n: f"{h}\n\n" + f"{p}. " * n + "\n",
    "items": lambda h, p, n: f"{h}\n\n" + f"- {p}\n" * n,
    "rows": lambda h, p, n: f"{h}\n\n| A | B |\n|---|---|\n" + f"| {p} | {p} |\n" * n,
    "cell": lambda h, p, n: f"{h}\n\n| A | B |\n|---|---|\n| x | " + f"{p} " * n + "|\n",
    "quoted": lambda h, p, n: f"{h}\n\n" + f"> {p}\n>\n" * n,
    "nested items": lambda h, p, n: f"{h}\n\n" + f"- {p}\n  - {p}\n" * n,
    "definitions": lambda h, p, n: f"{h}\n\n" + f"Term\n: {p}\n\n" * n,
    "sections": lambda h, p, n: f"{h}\n\n" + f"## {p}\n\n{p}.\n\n" * n,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1500, help="repetitions (and 4x that)")
    parser.add_argument("--ratio", type=float, default=7.0, help="growth that is a suspect")
    parser.add_argument("--random", type=int, default=500, help="inputs of three phrases")
    args = parser.parse_args(argv)

    from profile_stages import _settings

    from speclint.linter import lint_bytes

    settings = _settings()

    def seconds(text: str) -> float:
        start = time.perf_counter()
        lint_bytes("f.md", text.encode(), settings, Path("f.md"))
        return time.perf_counter() - start

    seconds(SHAPES["paragraph"]("# Warm-up", "p99 is 5 ms", 10))
    cases = [(shape, title, phrase) for shape in SHAPES for title in SECTIONS
             for phrase in PHRASES]
    rng = random.Random(7)
    cases += [(rng.choice(list(SHAPES)), rng.choice(SECTIONS), ", ".join(rng.sample(PHRASES, 3)))
              for _ in range(args.random)]
    suspects = 0
    for shape, title, phrase in cases:
        make = SHAPES[shape]
        small = seconds(make(title, phrase, args.count))
        big = seconds(make(title, phrase, 4 * args.count))
        if big > 0.05 and big / max(small, 1e-4) > args.ratio:  # again, the fastest of three
            small = min(small, *(seconds(make(title, phrase, args.count)) for _ in range(2)))
            big = min(big, *(seconds(make(title, phrase, 4 * args.count)) for _ in range(2)))
        if big > 0.05 and big / max(small, 1e-4) > args.ratio:
            suspects += 1
            print(f"suspect: x{big / small:.1f} ({big:.2f} s) {shape} under {title!r}: {phrase!r}",
                  flush=True)
    print(f"{len(cases)} inputs, {suspects} suspects")
    return 1 if suspects else 0


if __name__ == "__main__":
    sys.exit(main())
