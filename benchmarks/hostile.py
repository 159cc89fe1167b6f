"""Hostile inputs at the size of the budget: no input takes more than 10 s per 10 MB (SPEC 9, 11).

    python benchmarks/hostile.py [--megabytes 10 [2 0.5]] [--only NAME] [--timeout 120]

Each input is generated here (nothing is checked in), written to a temporary folder and linted
alone by ``speclint check --no-cache --jobs 1 --format json`` as a whole process. The table
gives wall and CPU seconds, the peak resident memory, the time scaled to 10 MB, and the same
less start-up (the fastest of three runs on ``examples/refunds-api.md``, a complete 5 KB spec,
measured first: what any file costs, which at half a megabyte is already 3-4 s per 10 MB); the
verdict is against 10 s per 10 MB less start-up. For scale, the last column is mistune's own
block parse of the same text (speclint's plugins, no inline parsing, no line spans; in a
separate process), the least any linter built on mistune has to spend: where it is over the
budget by itself, the verdict says so. An input is cut to the size asked for (at most
``max_file_bytes`` at 10 MB), and the verdict says when the file was not linted at all (SL003
too large, SL007 too deep, SL009 more blocks than ``max_blocks`` or than its size allows): the
time is then the parse up to the limit.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import corpus_files, default_corpus  # noqa: E402

BUDGET = 10.0  # seconds per 10 MB
MB = 1024 * 1024

# mistune's block parse of one file, in seconds (printed); recursion as deep as speclint allows
MISTUNE_BLOCK_PARSE = """
import sys, time
import mistune
from mistune.core import BlockState
from mistune.plugins.def_list import def_list
from mistune.plugins.footnotes import footnotes
from mistune.plugins.table import table, table_in_list, table_in_quote
from mistune.plugins.task_lists import task_lists
sys.setrecursionlimit(40_000)
text = open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read()
text = text.replace("\\r\\n", "\\n").replace("\\r", "\\n")
md = mistune.create_markdown(renderer=None, plugins=[
    table, table_in_list, table_in_quote, task_lists, footnotes, def_list])
start = time.perf_counter()
try:
    state = BlockState()
    state.process(text)
    md.block.parse(state)
    print(time.perf_counter() - start)
except RecursionError:
    print("nan")
"""


def _repeat(piece: bytes, size: int, head: bytes = b"# Spec\n\n") -> bytes:
    return head + piece * max(1, (size - len(head)) // len(piece))


def _numbered(template: str, size: int, head: bytes = b"# Spec\n\n") -> bytes:
    parts, total, index = [head], len(head), 0
    while total < size:
        part = template.format(i=index).encode()
        parts.append(part)
        total += len(part)
        index += 1
    return b"".join(parts)


def _realistic(size: int) -> bytes:
    """Corpus specs one after another (front matter dropped), or a made-up spec without one."""
    corpus = default_corpus()
    if not corpus.is_dir():
        return _numbered("## Section {i}\n\nPOST /v1/items/{i} returns 404 when missing; p99 "
                         "under {i} ms. 100 requests per second per key.\n\n", size)
    parts, total = [], 0
    files = corpus_files(corpus)
    random.Random(7).shuffle(files)
    for path in files:
        text = path.read_bytes()
        if text.startswith(b"---"):
            end = text.find(b"\n---", 3)
            text = text[end + 4:] if end > 0 else text
        parts.append(text + b"\n\n")
        total += len(text) + 2
        if total >= size:
            break
    return b"".join(parts)


def _schema_block(count: int, first: int = 0) -> bytes:
    props = ",\n".join(f'  "field_{i}": {{"type": "string"}}' for i in range(first, first + count))
    return (b'```json\n{"$schema": "https://json-schema.org/draft/2020-12/schema",\n'
            b'"type": "object", "properties": {\n' + props.encode() + b"\n}}\n```\n\n")


def _schema_with_properties(size: int) -> bytes:
    return b"# Spec\n\n" + _schema_block(size // 40)


def _schemas_under_the_limit(size: int) -> bytes:
    """Distinct schemas of about 190 KB each, just under SL014's max_schema_chars."""
    blocks = [_schema_block(5_300, i * 5_300) for i in range(max(1, size // 195_000))]
    return b"# Spec\n\n" + b"".join(blocks)


def _empty_subschemas(size: int) -> bytes:
    """Schemas of about 190 KB of ``{}`` each (allOf): the most values per character."""
    block = (b'```json\n{"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": ['
             + b", ".join([b"{}"] * 47_000) + b"]}\n```\n\n")
    return b"# Spec\n\n" + block * max(1, size // len(block))


CASES: dict[str, Callable[[int], bytes]] = {
    "realistic specs": _realistic,
    "placeholder lines (TBD)": lambda n: _repeat(b"TBD\n", n),
    "placeholder paragraphs": lambda n: _repeat(b"TBD\n\n", n),
    "lone-CR placeholder lines": lambda n: _repeat(b"TBD\r", n, b"# Spec\r\r"),
    "headings": lambda n: _numbered("## H{i}\n", n, b""),
    "headings with text": lambda n: _numbered("## Section {i}\n\nSome text here.\n\n", n, b""),
    "operation list": lambda n: _numbered("- POST /v1/x{i}\n", n),
    "percentile table": lambda n: _numbered("| p99 | {i} ms |\n", n,
                                            b"# Latency\n\n| Percentile | Target |\n|---|---|\n"),
    "error table": lambda n: _numbered("| E_{i} | failure number {i} |\n", n,
                                       b"# Errors\n\n| Code | Meaning |\n|---|---|\n"),
    "rate-limit sentences": lambda n: _numbered("Up to {i} requests per second per key. ", n),
    "definition lists": lambda n: _repeat(b"Term\n: definition\n\n", n),
    "one long line": lambda n: _repeat(b"word ", n, b"# Spec\n\n") + b"\n",
    "nested emphasis": lambda n: b"# Spec\n\n" + b"*" * (n // 2) + b"x" + b"*" * (n // 2),
    "brackets": lambda n: b"# Spec\n\n" + b"[" * (n // 2) + b"x" + b"]" * (n // 2),
    "nested quotes, one line each": lambda n: b"# Spec\n\n" + b"".join(
        b">" * (i % 50) + b" x\n" for i in range(n // 27)),
    "fenced code blocks": lambda n: _repeat(b"```json\n{\"a\": 1}\n```\n\n", n),
    "JSON Schema, many properties": _schema_with_properties,
    "JSON Schemas under the size limit": _schemas_under_the_limit,
    "JSON Schemas of empty subschemas": _empty_subschemas,
    "HTML comments": lambda n: _repeat(b"<!-- speclint-disable SL010 -->\nTBD\n", n),
    "nested lists, five levels": lambda n: _repeat(
        b"- a\n  - b\n    - c\n      - d\n        - e\n", n),
    "footnotes": lambda n: _numbered("Text[^{i}].\n\n[^{i}]: Note {i}.\n\n", n),
    "YAML code blocks": lambda n: _numbered(
        "```yaml\nkey{i}: [1, 2, {{a: b}}]\nother: {i}\n```\n\n", n),
    "one paragraph of status codes": lambda n: _repeat(b"`E_BAD` 404 not_found, ", n,
                                                       b"# Errors\n\n") + b"\n",
    "one paragraph of denied breaking changes": lambda n: _repeat(
        b"not a breaking change, ", n, b"# Compatibility\n\n") + b"\n",
    "one paragraph of rollback phrases": lambda n: _repeat(
        b"roll back is not supported, ", n, b"# Migration\n\n") + b"\n",
    "front matter of many keys": lambda n: _numbered("  k{i}: x\n", n - 20,
                                                   b"---\nnot-applicable:\n") + b"---\n# T\n",
    "small tables": lambda n: _repeat(b"| Code | Meaning |\n|---|---|\n| E1 | x |\n\n", n),
    "wide table rows": lambda n: _repeat(b"|" + b" a |" * 200 + b"\n", n,
                                         b"# T\n\n|" + b" h |" * 200 + b"\n|" + b"---|" * 200
                                         + b"\n"),
}


def run(cases: list[str], megabytes: float, timeout: float) -> list[dict[str, object]]:
    """Lint each case in a fresh folder; one row per case."""
    from run import measure  # noqa: PLC0415 - shared with run.py

    size = int(megabytes * MB)
    rows = []
    work = Path(tempfile.mkdtemp(prefix="speclint-hostile-"))
    try:
        startup = _startup_seconds(work, timeout)
        print(f"  start-up (examples/refunds-api.md): {startup:.2f} s", flush=True)
        for name in cases:
            folder = work / f"case{len(rows)}"
            folder.mkdir()
            size_written = _write_case(name, size, folder / "spec.md")
            result = measure(_cmd(), folder, timeout=timeout, capture=True)
            scale = 10 * MB / size_written
            floor = _mistune_seconds(folder / "spec.md", timeout)
            rows.append({"case": name, "bytes": size_written, "seconds": result.seconds,
                         "cpu": result.cpu, "rss": result.maxrss,
                         "per_10mb": result.seconds * scale,
                         "net_per_10mb": max(0.0, result.seconds - startup) * scale,
                         "mistune_per_10mb": floor * scale,
                         "exit": result.returncode, "stopped": _stopped_by(result.stdout)})
            print(f"  {name}: {size_written / MB:.1f} MB, {result.seconds:.2f} s, exit "
                  f"{result.returncode}", flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _write_case(name: str, size: int, path: Path) -> int:
    """Write input ``name`` cut to ``size`` bytes, in a child process: a child forked from
    a parent that had held a 10 MB input inherits its peak memory (ru_maxrss), so the RSS
    column read 172 MB for every small input. Returns the bytes written."""
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--write", name, str(size),
                    str(path)], check=True)
    return path.stat().st_size


def _cmd() -> list[str]:
    from run import speclint_cmd  # noqa: PLC0415 - shared with run.py

    return speclint_cmd() + ["check", "--no-cache", "--jobs", "1", "--format", "json", "spec.md"]


def _startup_seconds(work: Path, timeout: float) -> float:
    """What linting any file costs: the fastest of three runs on a small complete spec (every
    detector and rule has work to do, so each compiles what it uses, as on a big file)."""
    from run import measure  # noqa: PLC0415 - shared with run.py

    folder = work / "startup"
    folder.mkdir()
    shutil.copyfile(HERE.parent / "examples" / "refunds-api.md", folder / "spec.md")
    return min(measure(_cmd(), folder, timeout=timeout).seconds for _ in range(3))


def _at_most(data: bytes, size: int) -> bytes:
    """``data`` cut to ``size`` bytes, at a line end if one is near (a generator may overshoot
    by a piece; a 10 MB input one byte over max_file_bytes would only measure SL003)."""
    if len(data) <= size:
        return data
    cut = data.rfind(b"\n", 0, size)
    return data[:cut + 1] if cut >= size // 2 else data[:size]


# file-level findings that mean the file was not linted at all
NOT_LINTED = {"SL003": "too large", "SL007": "too deep", "SL009": "too many blocks"}


def _stopped_by(report: str) -> str:
    """Why the file was not linted (SL003, SL007, SL009), or "" when it was."""
    try:
        files = json.loads(report)["files"]
    except (ValueError, KeyError):
        return ""
    found = {f["code"] for entry in files for f in entry["findings"]}
    return ", ".join(f"{code} {why}" for code, why in NOT_LINTED.items() if code in found)


def _mistune_seconds(path: Path, timeout: float) -> float:
    """mistune's block parse of ``path`` in a fresh process (nan if it fails)."""
    try:
        done = subprocess.run([sys.executable, "-c", MISTUNE_BLOCK_PARSE, str(path)],
                              capture_output=True, text=True, timeout=timeout, check=False)
        return float(done.stdout.strip() or "nan")
    except (subprocess.TimeoutExpired, ValueError):
        return float("nan")


def verdict(row: dict[str, object]) -> str:
    if row["exit"] not in (0, 1):
        return f"exit {row['exit']}"
    note = f" (not linted: {row['stopped']})" if row.get("stopped") else ""
    if float(row["net_per_10mb"]) <= BUDGET:  # type: ignore[arg-type]
        return "ok" + note
    floor = float(row.get("mistune_per_10mb", "nan"))  # type: ignore[arg-type]
    return ("OVER BUDGET (mistune alone too)" if floor > BUDGET else "OVER BUDGET") + note


def print_rows(rows: list[dict[str, object]]) -> None:
    print(f"\n{'hostile input':42} {'MB':>5} {'wall s':>7} {'cpu s':>7} {'RSS MB':>7} "
          f"{'s/10 MB':>8} {'net':>6} {'mistune':>8}  verdict (net <= {BUDGET:g} s per 10 MB)")
    for row in rows:
        print(f"{row['case']:42} {int(row['bytes']) / MB:5.1f} {row['seconds']:7.2f} "
              f"{row['cpu']:7.2f} {int(row['rss']) / MB:7.0f} {row['per_10mb']:8.2f} "
              f"{row['net_per_10mb']:6.2f} {row['mistune_per_10mb']:8.2f}  {verdict(row)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[10.0],
                        help="size of each input (several: one table per size)")
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="one case")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--write", nargs=3, metavar=("CASE", "BYTES", "PATH"),
                        help=argparse.SUPPRESS)  # what _write_case runs
    args = parser.parse_args(argv)
    if args.write:
        name, size, path = args.write
        Path(path).write_bytes(_at_most(CASES[name](int(size)), int(size)))
        return 0
    rows = []
    for megabytes in args.megabytes:
        found = run(args.only or list(CASES), megabytes, args.timeout)
        print_rows(found)
        rows += found
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
