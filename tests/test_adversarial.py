"""Hostile and broken input never crashes or hangs speclint (SPEC 8 and 11).

Every input is generated here at test time. Each file is linted by the real command,
``python -m speclint check --no-cache --format json``, under a timeout that only guards against
hangs. A file must give findings (or one clean error line): exit status 0 or 1, valid JSON, all
seven elements, every finding inside the file's lines, and no internal error (SL006).
"""

from __future__ import annotations

import json
import os
import random
import re
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from speclint.models import ELEMENTS

TIMEOUT = 120  # seconds: a hang guard, never a speed budget
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MAX_FILE_BYTES = 10 * 1024 * 1024


def run_check(args: list[str], cwd: Path, timeout: float = TIMEOUT,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache",
                               "--format", "json", *args], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout,
                              env={**os.environ, "NO_COLOR": "1", **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"speclint check {' '.join(args)} hung (over {timeout} s)")


def line_count(data: bytes) -> int:
    """Lines of the original file as SPEC 4.1 counts them (CRLF, CR and LF all end a line)."""
    return len(re.split(rb"\r\n|\r|\n", data))


def assert_sane(done: subprocess.CompletedProcess[str], files: dict[str, bytes]) -> dict[str, Any]:
    """Exit 0/1, no traceback, valid JSON, every finding inside its file; path -> result."""
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), f"exit {done.returncode}: {done.stderr[-2000:]}"
    report = json.loads(done.stdout)
    by_path = {entry["path"]: entry for entry in report["files"]}
    for path, data in files.items():
        assert path in by_path, f"{path} missing from the report"
        entry = by_path[path]
        assert set(entry["elements"]) == set(ELEMENTS)
        last = line_count(data)
        for finding in entry["findings"]:
            assert finding["code"] != "SL006", f"internal error on {path}: {finding['message']}"
            assert 1 <= finding["line"] <= finding["end_line"] <= last, (path, finding, last)
            assert finding["column"] >= 1 and finding["end_column"] >= 1, (path, finding)
        for element in entry["elements"].values():
            for item in element["evidence"]:
                assert 1 <= item["line"] <= last, (path, element, last)
    return by_path


def codes(entry: dict[str, Any]) -> list[str]:
    return [f["code"] for f in entry["findings"]]


# -- inputs -----------------------------------------------------------------------------------

def _alias_bomb(indent: str = "") -> str:
    lines = [f"{indent}a0: &a0 [lol, lol]"]
    lines += [f"{indent}a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 45)]
    return "\n".join(lines)


def _deep_schema(depth: int) -> str:
    inner = '{"type": "string"}'
    for _ in range(depth):
        inner = '{"type": "object", "properties": {"a": ' + inner + "}}"
    return ('{"$schema": "https://json-schema.org/draft/2020-12/schema", '
            '"properties": {"root": ' + inner + "}}")


def _binary() -> bytes:
    rng = random.Random(1234)
    return bytes(rng.randrange(256) for _ in range(256 * 1024))


def _html_heavy() -> bytes:
    parts = ["# HTML\n\n"]
    for i in range(3000):
        parts.append(f'<div class="c{i}"><span>p99 {i} ms</span><table><tr><td>429'
                     f"</td></tr></table>\n\n<details><summary>s</summary>\n\n"
                     f"<!-- comment {i} --> <br/> <img src=x onerror=alert(1)>\n\n")
    parts.append("<div>" * 5000 + "\n\n<script>while(1){}</script>\n<style>*{}</style>\n")
    parts.append("<!--" * 2000 + "\n" + "-->" * 10 + "\n")
    return "".join(parts).encode()


SMALL_CASES: dict[str, Callable[[], bytes]] = {
    "empty.md": lambda: b"",
    "whitespace.md": lambda: b"   \n\t\t\n  \r\n\n \x0b\x0c\n",
    "bom.md": lambda: b"\xef\xbb\xbf---\nstatus: draft\n---\n# Title\n\np99 under 200 ms.\n",
    "bom-only.md": lambda: b"\xef\xbb\xbf",
    "invalid-utf8.md": lambda: b"# T\n\nok\n\xff\xfe bad \xc3\x28 line\nmore\n",
    "latin1.md": lambda: "# Café\n\nNaïve résumé: p99 200 ms\n".encode("latin-1"),
    "binary.md": _binary,
    "nul-bytes.md": lambda: (b"# T\x00itle\n\n\x00\x00 p99 \x00 200 ms\n"
                             b"```json\n{\"a\x00\": 1}\n```\n"),
    "lone-cr.md": lambda: b"# T\r\rp99 is 200 ms\r\r| a | b |\r|---|---|\r| 1 | 2 |\r",
    "mixed-endings.md": lambda: b"# T\r\n\nline\r\rmore\n\r\n## E\r500 error\n\rend",
    "nested-quotes.md": lambda: b"# T\n\n" + b">" * 20_000 + b" deep\n",
    "nested-quote-lines.md": lambda: b"# T\n\n" + b"".join(
        b">" * i + b" x\n" for i in range(1, 1500)),
    "nested-lists-inline.md": lambda: b"# T\n\n" + b"- " * 20_000 + b"x\n",
    "nested-lists-indented.md": lambda: b"# T\n\n" + b"".join(
        b" " * (2 * i) + b"- item\n" for i in range(1500)),
    "nested-ordered.md": lambda: b"# T\n\n" + b"1. " * 10_000 + b"x\n",
    "nested-quote-list.md": lambda: b"# T\n\n" + b"> - " * 10_000 + b"x\n",
    "emphasis.md": lambda: b"# T\n\n" + b"*" * 50_000 + b"x" + b"*" * 50_000 + b"\n"
                           + b"_" * 50_000 + b"\n" + b"**a" * 20_000 + b"\n",
    "brackets.md": lambda: b"# T\n\n" + b"[" * 50_000 + b"x" + b"]" * 50_000 + b"\n",
    "parens.md": lambda: b"# T\n\n" + b"(" * 50_000 + b"\n\n" + b"[a](" * 2_000 + b"\n",
    "backticks.md": lambda: b"# T\n\n" + b"`" * 50_000 + b"\n" + b"<" * 50_000 + b"\n",
    "headings.md": lambda: b"".join(b"## H%d\n" % i for i in range(50_000)),
    "setext-headings.md": lambda: b"T\n===\n\n" + b"x\n---\n" * 20_000,
    "wide-table.md": lambda: (b"# T\n\n|" + b" a |" * 5000 + b"\n|" + b"---|" * 5000 + b"\n|"
                              + b" 1 |" * 5000 + b"\n"),
    "tall-table.md": lambda: b"# Errors\n\n| Code | Meaning |\n|---|---|\n"
                             + b"| 404 | not found |\n" * 100_000,
    "unclosed-fence.md": lambda: b"# T\n\n```json\n{\"a\": 1\n\nmore text\n",
    "unclosed-comment.md": lambda: b"# T\n\n<!-- never closed\n\n## Rate limits\n\n100/s\n",
    "unclosed-front-matter.md": lambda: b"---\nstatus: draft\n# T\n\ntext\n",
    "front-matter-list.md": lambda: b"---\n- a\n- b\n---\n# T\n",
    "front-matter-scalar.md": lambda: b"---\njust a string\n---\n# T\n",
    "front-matter-number.md": lambda: b"---\n42\n---\n# T\n",
    "front-matter-null.md": lambda: b"---\n~\n---\n# T\n",
    "front-matter-deep.md": lambda: b"---\na: " + b"[" * 20_000 + b"]" * 20_000 + b"\n---\n# T\n",
    "front-matter-bomb.md": lambda: f"---\n{_alias_bomb()}\ntitle: *a44\nstatus: *a44\n"
                                    f"not-applicable: {{api-contract: *a44}}\n---\n# T\n".encode(),
    "front-matter-recursive.md": lambda: b"---\ntitle: &a [*a]\n---\n# T\n",
    "yaml-block-bomb.md": lambda: f"# T\n\n```yaml\n{_alias_bomb()}\n```\n".encode(),
    "yaml-schema-bomb.md": lambda: (f"# T\n\n```yaml\n$schema: https://json-schema.org/draft/"
                                    f"2020-12/schema\n{_alias_bomb()}\nproperties: *a44\n```\n"
                                    ).encode(),
    "json-nesting-bomb.md": lambda: b"# T\n\n```json\n" + b"[" * 100_000 + b"]" * 100_000
                                    + b"\n```\n\n```json\n" + b'{"a":' * 50_000 + b"\n```\n",
    "json-schema-deep.md": lambda: f"# T\n\n```json\n{_deep_schema(5000)}\n```\n".encode(),
    "json-schema-deep-yaml.md": lambda: (
        "# T\n\n```jsonschema\n" + _deep_schema(300) + "\n```\n").encode(),
    "ref-loop.md": lambda: (
        b'# T\n\n```json\n{"$schema": "https://json-schema.org/draft/2020-12/schema",\n'
        b'"$ref": "#", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},\n'
        b'"properties": {"x": {"$ref": "#/$defs/a"}, "y": {"$dynamicRef": "#"}}}\n```\n'),
    "remote-ref.md": lambda: (
        b'# T\n\n```json\n{"$schema": "http://127.0.0.1:9/schema",\n'
        b'"$ref": "http://127.0.0.1:9/evil.json",\n'
        b'"properties": {"a": {"$ref": "file:///etc/passwd"}}}\n```\n'),
    "html-heavy.md": _html_heavy,
    "many-fences.md": lambda: b"# T\n\n" + b"```\ncode\n```\n\n" * 20_000,
    "suppression-spam.md": lambda: b"# T\n\n" + b"<!-- speclint-disable SL010 -->\nTBD\n" * 1000
                                   + b"<!-- speclint-disable-next-line -->\n" * 1000,
    "long-words.md": lambda: b"# T\n\n" + b"x" * 1_000_000 + b"\n",
    "control-chars.md": lambda: bytes(range(1, 32)) * 1000 + b"\n# T\n\xe2\x80\xa8 x\xc2\x85y\n",
    "surrogate-like.md": lambda: b"# T\n\n\xed\xa0\x80 lone surrogate \xf4\x90\x80\x80 too big\n",
    # mistune parses a block that interrupts a container inside the call collecting it
    "list-quote-alternating.md": lambda: b"# T\n\n" + b"- a\n> b\n" * 400,
    "list-quote-too-deep.md": lambda: b"# T\n\n" + b"- a\n> b\n" * 8000,
    "definition-lists.md": lambda: b"# T\n\n" + b"Term\n: definition\n\n" * 20_000,
    "json-huge-integer.md": lambda: b"# T\n\n```json\n{\"a\": " + b"1" * 5000 + b"}\n```\n",
}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """All small hostile files plus one good spec, linted in one run (--jobs 1)."""
    folder = tmp_path_factory.mktemp("hostile")
    files = {name: make() for name, make in SMALL_CASES.items()}
    files["good-spec.md"] = (EXAMPLES / "refunds-api.md").read_bytes()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    done = run_check(["--jobs", "1", "."], cwd=folder, timeout=TIMEOUT * 2)
    return folder, assert_sane(done, files)


@pytest.mark.parametrize("name", sorted(SMALL_CASES))
def test_hostile_file_gives_findings(small_run: tuple[Path, dict[str, Any]], name: str) -> None:
    _, results = small_run
    assert name in results


EXPECTED_CODES = {
    "list-quote-too-deep.md": ("SL007", 1),
    "invalid-utf8.md": ("SL002", 4),
    "latin1.md": ("SL002", 1),
    "binary.md": ("SL002", None),
    "surrogate-like.md": ("SL002", 3),
    "unclosed-front-matter.md": ("SL004", 1),
    "front-matter-list.md": ("SL004", 1),
    "front-matter-scalar.md": ("SL004", 1),
    "front-matter-number.md": ("SL004", 1),
    "front-matter-deep.md": ("SL004", None),
    "front-matter-bomb.md": ("SL004", None),
    "front-matter-recursive.md": ("SL004", None),
    "yaml-block-bomb.md": ("SL013", None),
    "json-nesting-bomb.md": ("SL012", None),
}


@pytest.mark.parametrize(("name", "code", "line"),
                         [(n, c, line) for n, (c, line) in sorted(EXPECTED_CODES.items())])
def test_hostile_file_gets_its_finding(small_run: tuple[Path, dict[str, Any]], name: str,
                                       code: str, line: int | None) -> None:
    _, results = small_run
    found = [f for f in results[name]["findings"] if f["code"] == code]
    assert found, (name, codes(results[name]))
    if line is not None:
        assert found[0]["line"] == line


def test_front_matter_null_and_bom_are_fine(small_run: tuple[Path, dict[str, Any]]) -> None:
    _, results = small_run
    assert "SL004" not in codes(results["front-matter-null.md"])
    assert "SL004" not in codes(results["bom.md"])
    assert results["bom.md"]["status"] == "draft"


@pytest.mark.parametrize("keys", ["1: x\n  a: y", "true: x\n  null: y", "1.5: x\n  2: y",
                                  "2020-01-01: x\n  a: y"])
def test_front_matter_keys_of_several_types_are_schema_findings(keys: str) -> None:
    """Keys YAML reads as numbers, booleans, null or dates next to strings: JSON cannot sort
    them (the remembered schema answer is keyed by sorted JSON), and they were an internal
    error; they are SL005 findings like any other unknown key."""
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    data = f"---\nnot-applicable:\n  {keys}\n---\n# T\n".encode()
    result = lint_bytes("fm.md", data, Settings(rules=load_rules()), Path("fm.md"))
    found = [f.code for f in result.findings]
    assert result.internal_error is None and "SL006" not in found
    assert found.count("SL005") == 2, found


def test_good_spec_among_hostile_files_matches_a_solo_run(
        small_run: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    _, results = small_run
    data = (EXAMPLES / "refunds-api.md").read_bytes()
    (tmp_path / "good-spec.md").write_bytes(data)
    alone = assert_sane(run_check(["good-spec.md"], cwd=tmp_path), {"good-spec.md": data})
    mixed, solo = results["good-spec.md"], alone["good-spec.md"]
    assert {k: v["state"] for k, v in mixed["elements"].items()} == \
        {k: v["state"] for k, v in solo["elements"].items()}
    assert mixed["findings"] == solo["findings"]
    assert mixed["elements"] == solo["elements"]


# -- large inputs, one run each ---------------------------------------------------------------

def _realistic(size: int) -> bytes:
    """Real example specs, repeated with numbered titles, cut to ``size`` bytes."""
    parts = [p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md")) if p.name != "README.md"]
    chunks, total, index = [], 0, 0
    while total < size:
        text = parts[index % len(parts)]
        if text.startswith("---"):
            text = text.split("---", 2)[2]
        text = text.replace("\n# ", f"\n## Part {index} ")
        chunks.append(text)
        total += len(text.encode())
        index += 1
    data = "".join(chunks).encode()[:size]
    return data[: data.rfind(b"\n") + 1].ljust(size, b" ")


def test_six_megabyte_single_line(tmp_path: Path) -> None:
    data = b"# T\n\n" + b"word " * 1_200_000 + b"p99 200 ms, TBD\n"
    (tmp_path / "line.md").write_bytes(data)
    results = assert_sane(run_check(["line.md"], cwd=tmp_path), {"line.md": data})
    assert results["line.md"]["elements"]["latency-budget"]["state"] == "present"
    assert "SL010" in codes(results["line.md"])


def test_file_over_max_file_bytes_is_sl003(tmp_path: Path) -> None:
    data = _realistic(MAX_FILE_BYTES + 1)
    (tmp_path / "big.md").write_bytes(data)
    results = assert_sane(run_check(["big.md"], cwd=tmp_path), {"big.md": data})
    assert codes(results["big.md"]) == ["SL003"]


def test_realistic_two_megabyte_file_is_linted(tmp_path: Path) -> None:
    data = _realistic(2 * 1024 * 1024)
    (tmp_path / "big.md").write_bytes(data)
    results = assert_sane(run_check(["big.md"], cwd=tmp_path), {"big.md": data})
    assert "SL003" not in codes(results["big.md"])
    assert results["big.md"]["elements"]["api-contract"]["state"] == "present"


def test_max_file_bytes_boundary(tmp_path: Path) -> None:
    """The limit is a byte count: a file of exactly max_file_bytes lints, one more is SL003."""
    data = _realistic(100_000)
    (tmp_path / "a.md").write_bytes(data)
    (tmp_path / "b.md").write_bytes(data + b"x")
    (tmp_path / ".speclint.yaml").write_text("max_file_bytes: 100000\n", "utf-8")
    results = assert_sane(run_check(["a.md", "b.md"], cwd=tmp_path),
                          {"a.md": data, "b.md": data + b"x"})
    assert "SL003" not in codes(results["a.md"])
    assert codes(results["b.md"]) == ["SL003"]


def test_ten_megabyte_realistic_file_just_under_the_limit(tmp_path: Path) -> None:
    data = _realistic(MAX_FILE_BYTES)
    (tmp_path / "big.md").write_bytes(data)
    results = assert_sane(run_check(["big.md"], cwd=tmp_path, timeout=60), {"big.md": data})
    assert not {"SL003", "SL009"} & set(codes(results["big.md"]))
    assert results["big.md"]["elements"]["api-contract"]["state"] == "present"


# blocks as the parser counts them (speclint.parse.parse_blocks), each count worked out by hand
BLOCK_COUNTS = [
    ("## A\n## B\n", 3),  # the document, two headings
    ("## A\n\n\n## B\n", 3),  # blank lines are not blocks
    ("p1\n\np2\nmore\n", 3),  # the document, two paragraphs
    ("| a |\n|---|\n| 1 |\n| 2 |\n", 4),  # the document, the table, two rows
    ("- a\n- b\n", 6),  # the document, the list, each item's content and its paragraph
    ("> q\n> r\n", 6),  # the document, the quote, its two lines, its content, a paragraph
    ("> > q\n", 8),  # the document; each quote, its line, its content; the paragraph
    ("    code\n\npara\n", 3),  # the document, indented code, a paragraph
]


@pytest.mark.parametrize(("text", "blocks"), BLOCK_COUNTS)
def test_max_blocks_stops_the_parser_past_the_limit(text: str, blocks: int) -> None:
    from speclint.parse import TooManyBlocks, parse_blocks

    assert parse_blocks(text, 1, blocks)
    assert parse_blocks(text, 1, 0)  # no limit
    with pytest.raises(TooManyBlocks):
        parse_blocks(text, 1, blocks - 1)


def test_file_over_max_blocks_is_sl009_and_the_others_are_linted(tmp_path: Path) -> None:
    many = b"".join(b"## Step %d\n" % i for i in range(200))  # 201 blocks; good.md has 70
    good = (EXAMPLES / "refunds-api.md").read_bytes()
    (tmp_path / "many.md").write_bytes(many)
    (tmp_path / "good.md").write_bytes(good)
    (tmp_path / ".speclint.yaml").write_text("max_blocks: 200\n", "utf-8")
    done = run_check(["many.md", "good.md"], cwd=tmp_path)
    results = assert_sane(done, {"many.md": many, "good.md": good})
    assert codes(results["many.md"]) == ["SL009"]
    finding = results["many.md"]["findings"][0]
    assert finding["severity"] == "error" and finding["line"] == 1
    assert "raise max_blocks" in finding["message"] and "(more than 200 blocks: max_blocks)" in \
        finding["message"]
    assert "SL009" not in codes(results["good.md"])
    assert results["good.md"]["elements"]["api-contract"]["state"] == "present"


@pytest.mark.parametrize("name", ["headings", "nested-quote-lines"])
def test_default_max_blocks_stops_files_of_tiny_blocks(tmp_path: Path, name: str) -> None:
    """With the default max_blocks (200,000) and no limit by size: 250,000 headings, and quotes
    nested up to 49 deep on every line (mistune copies each line once per level: about 25
    times), are SL009."""
    data = {"headings": lambda: b"".join(b"## H%d\n" % i for i in range(250_000)),
            "nested-quote-lines": lambda: b"# T\n\n" + b"".join(
                b">" * (i % 50) + b" x\n" for i in range(12_000))}[name]()
    (tmp_path / "tiny.md").write_bytes(data)
    (tmp_path / ".speclint.yaml").write_text("min_chars_per_block: 0\n", "utf-8")
    results = assert_sane(run_check(["tiny.md"], cwd=tmp_path), {"tiny.md": data})
    assert codes(results["tiny.md"]) == ["SL009"]
    assert "(more than 200000 blocks: max_blocks)" in results["tiny.md"]["findings"][0]["message"]


# "## H\n" is 5 characters and one block; with the document, n headings are n + 1 blocks in
# 5n characters, and the limit by size is 10,000 + 5n // 16: 14,545 for n = 14,544 (linted,
# 14,545 blocks) and for n = 14,545 (SL009, 14,546 blocks)
DENSE_LINTED, DENSE_REFUSED = 14_544, 14_545


def test_a_file_of_tiny_blocks_past_its_size_is_sl009_and_the_others_are_linted(
        tmp_path: Path) -> None:
    """Past 10,000 blocks, a file may hold one block per 16 characters (min_chars_per_block):
    one heading more than that is SL009, with the limit and the key in the message."""
    files = {"linted.md": b"## H\n" * DENSE_LINTED, "refused.md": b"## H\n" * DENSE_REFUSED,
             "good.md": (EXAMPLES / "refunds-api.md").read_bytes()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    results = assert_sane(run_check(list(files), cwd=tmp_path), files)
    assert "SL009" not in codes(results["linted.md"])
    assert codes(results["refused.md"]) == ["SL009"]
    message = results["refused.md"]["findings"][0]["message"]
    assert message.endswith("lower min_chars_per_block (0 turns either limit off). (more than "
                            "14545 blocks for its 72725 characters: 10000 plus one per 16 "
                            "characters, min_chars_per_block)"), message
    assert results["good.md"]["elements"]["api-contract"]["state"] == "present"


def test_min_chars_per_block_is_configured_and_zero_turns_it_off(tmp_path: Path) -> None:
    data = b"## H\n" * DENSE_REFUSED
    (tmp_path / "dense.md").write_bytes(data)
    # 14,546 blocks in 72,725 characters: within 10,000 + 72,725 // 15, over 10,000 + 72,725 // 17
    for setting, refused in [("min_chars_per_block: 0", False),
                             ("min_chars_per_block: 15", False), ("min_chars_per_block: 17", True),
                             ("min_chars_per_block: 0\nmax_blocks: 14545", True)]:
        (tmp_path / ".speclint.yaml").write_text(setting + "\n", "utf-8")
        results = assert_sane(run_check(["dense.md"], cwd=tmp_path), {"dense.md": data})
        assert ("SL009" in codes(results["dense.md"])) is refused, setting


@pytest.mark.parametrize(("max_blocks", "min_chars", "chars", "limit"), [
    (200_000, 16, 0, 10_000),  # an empty file may still hold 10,000 blocks
    (200_000, 16, 160_000, 20_000),
    (200_000, 16, 160_015, 20_000),  # whole blocks only
    (200_000, 16, 10 * 1024 * 1024, 200_000),  # 10 MB: max_blocks is the lower
    (0, 16, 160_000, 20_000),  # no max_blocks: the size still limits
    (200_000, 0, 10 * 1024 * 1024 * 100, 200_000),  # no limit by size
    (0, 0, 1_000_000, 0),  # no limit at all
    (50, 16, 0, 50),
])
def test_the_block_limit_is_the_lower_of_max_blocks_and_the_size(
        max_blocks: int, min_chars: int, chars: int, limit: int) -> None:
    from speclint.linter import Settings

    settings = Settings(rules=[], max_blocks=max_blocks, min_chars_per_block=min_chars)
    assert settings.block_limit(chars) == limit
    if limit:
        key = "max_blocks" if limit == max_blocks else "min_chars_per_block"
        assert settings.block_limit_detail(chars).startswith(f"more than {limit} blocks")
        assert settings.block_limit_detail(chars).endswith(key)


def test_max_blocks_zero_means_no_limit(tmp_path: Path) -> None:
    many = b"".join(b"## Step %d\n\nText.\n\n" % i for i in range(300))
    (tmp_path / "many.md").write_bytes(many)
    (tmp_path / ".speclint.yaml").write_text("max_blocks: 0\n", "utf-8")
    results = assert_sane(run_check(["many.md"], cwd=tmp_path), {"many.md": many})
    assert "SL009" not in codes(results["many.md"])
    (tmp_path / ".speclint.yaml").write_text("max_blocks: 100\n", "utf-8")
    results = assert_sane(run_check(["many.md"], cwd=tmp_path), {"many.md": many})
    assert codes(results["many.md"]) == ["SL009"]


# Inputs that once took quadratic time (each named after the code that was slow); they must
# finish within the hang guard.
SUPERLINEAR: dict[str, Callable[[], bytes]] = {
    # one search of the paragraph text per sentence (mentions(), json_inline)
    "sentences": lambda: (b"# T\n\n" + b"The service answers within 200 ms at p99 for each "
                          b"call. " * 105_000 + b"\n"),
    # the link pattern rescanned to the line end from every '['
    "links": lambda: b"# T\n\n" + b"[a](" * 12_000 + b"\n",
    "brackets-and-link": lambda: b"# T\n\n" + b"[" * 50_000 + b"x" + b"]" * 50_000 + b" [a](b)\n",
    # every directive tried for every finding
    "suppressions": lambda: b"# T\n\n" + b"<!-- speclint-disable SL010 -->\nTBD\n" * 5000,
    # (?m)^\s* code patterns: \s* crossed the newlines of blank lines
    "blank-code-lines": lambda: b"# T\n\n```\nmessage\n" + b"\n" * 100_000 + b"x\n```\n",
    # times at c484410 (the day before the fix), measured here:
    # the rest of the paragraph copied after each status code (_statuses_in): 39 s
    "status-codes": lambda: b"# Errors\n\n" + b"`E_BAD` 404 not_found, " * 250_000 + b"\n",
    # the text before and after each "breaking change" copied (compat._breaking): 44 s
    "breaking-denials": lambda: (b"# Compatibility\n\n" + b"not a breaking change, " * 200_000
                                 + b"\n"),
    # an alternative that does not occur again searched to the end after each match of
    # another (Guarded._split_finditer, in migration._way_back): 34-41 s
    "rollback-phrases": lambda: (b"# Migration\n\n" + b"roll back is not supported, " * 10_000
                                 + b"\n"),
    # the front matter composed again for the line of each schema error (key_line): 32 s;
    # keys "k" + three letters, all strings (with hex keys, some read as numbers, it was an
    # internal error instead: test_front_matter_keys_of_several_types_are_schema_findings)
    "front-matter-keys": lambda: (b"---\nnot-applicable:\n" + b"".join(
        b"  k%s:\n" % "".join(string.ascii_lowercase[i // 26 ** p % 26] for p in (2, 1, 0))
        .encode() for i in range(12_000)) + b"---\n# T\n"),
}


@pytest.mark.parametrize("name", sorted(SUPERLINEAR))
def test_superlinear_input(tmp_path: Path, name: str) -> None:
    data = SUPERLINEAR[name]()
    (tmp_path / "q.md").write_bytes(data)
    assert_sane(run_check(["q.md"], cwd=tmp_path, timeout=30), {"q.md": data})


def test_stdin_hostile_input(tmp_path: Path) -> None:
    data = b"\xff\xfe\x00" + b">" * 5000 + b"\n---\n- x\n"
    try:
        done = subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache",
                               "--format", "json", "-", "--stdin-filename", "in.md"],
                              input=data, cwd=tmp_path, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("speclint hung on stdin")
    text = subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())
    results = assert_sane(text, {"in.md": data})
    assert "SL002" in codes(results["in.md"])


# -- nothing runs, nothing is fetched ------------------------------------------------------------

def _python_tag_docs(marker: Path) -> dict[str, bytes]:
    target = str(marker)
    return {
        "apply.md": f"---\nx: !!python/object/apply:os.mkdir ['{target}-apply']\n---\n# T\n"
                    .encode(),
        "name.md": b"---\nx: !!python/name:os.system\n---\n# T\n",
        "new.md": f"---\nx: !!python/object/new:pathlib.Path ['{target}-new']\n---\n# T\n"
                  .encode(),
        "module.md": b"---\nx: !!python/module:os\n---\n# T\n",
        "block.md": f"# T\n\n```yaml\nx: !!python/object/apply:os.mkdir ['{target}-block']\n```\n"
                    .encode(),
        "schema.md": (f"# T\n\n```yaml\n$schema: https://json-schema.org/draft/2020-12/schema\n"
                      f"x: !!python/object/apply:os.mkdir ['{target}-schema']\n```\n").encode(),
    }


def test_python_tags_are_rejected_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    docs = _python_tag_docs(marker)
    for name, data in docs.items():
        (tmp_path / name).write_bytes(data)
    results = assert_sane(run_check(list(docs), cwd=tmp_path), docs)
    for name in ("apply.md", "name.md", "new.md", "module.md"):
        assert "SL004" in codes(results[name]), name
    assert "SL013" in codes(results["block.md"])
    assert not list(tmp_path.glob("pwned*")), "a YAML tag ran code"


def test_python_tags_in_process_set_nothing(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    monkeypatch.delenv("SPECLINT_PWNED", raising=False)
    settings = Settings(rules=load_rules())
    env_doc = b"---\nx: !!python/object/apply:os.putenv ['SPECLINT_PWNED', '1']\n---\n# T\n"
    env_doc2 = (b"---\nx: !!python/object/apply:os.environ.__setitem__ "
                b"['SPECLINT_PWNED', '1']\n---\n# T\n")
    for data in [env_doc, env_doc2, *_python_tag_docs(tmp_path / "pwned").values()]:
        result = lint_bytes("x.md", data, settings, tmp_path / "x.md")
        assert result.internal_error is None
        assert {"SL004", "SL013"} & {f.code for f in result.findings}
    assert "SPECLINT_PWNED" not in os.environ
    assert not list(tmp_path.glob("pwned*"))


def test_python_tag_in_configuration_is_a_clean_error(tmp_path: Path) -> None:
    marker = tmp_path / "pwned-config"
    (tmp_path / ".speclint.yaml").write_text(
        f"profile: !!python/object/apply:os.mkdir ['{marker}']\n", "utf-8")
    (tmp_path / "spec.md").write_text("# T\n", "utf-8")
    done = run_check(["spec.md"], cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not marker.exists()


def test_schema_refs_never_touch_network_or_files(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import urllib.request

    from speclint.linter import Settings, lint_bytes
    from speclint.ruleset import load_rules

    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "banana"}', "utf-8")
    opened: list[str] = []
    real_open = open

    def watch_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(secret):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watch_open)
    settings = Settings(rules=load_rules())
    docs = [
        SMALL_CASES["remote-ref.md"](),
        SMALL_CASES["ref-loop.md"](),
        (b'# T\n\n```json\n{"$schema": "https://json-schema.org/draft/2020-12/schema",\n'
         b'"$ref": "https://example.com/schemas/evil.json",\n'
         b'"$id": "https://example.com/root.json",\n'
         b'"properties": {"a": {"$ref": "other.json#/x"}, "b": {"$ref": "file://'
         + str(secret).encode() + b'"}, "c": {"type": "banana"}}}\n```\n'),
        (b"# T\n\n```yaml\n$schema: http://example.com/custom-meta-schema\n"
         b"$ref: https://example.com/x.yaml\n```\n"),
        (b'---\nnot-applicable: {"$ref": "https://example.com/x"}\n---\n# T\n'),
    ]
    for data in docs:
        result = lint_bytes("x.md", data, settings, tmp_path / "x.md")
        assert result.internal_error is None, result.internal_error
    assert attempts == [] and opened == []
    # the invalid "type": "banana" beside the remote refs is still reported
    codes_found = {f.code for f in lint_bytes("x.md", docs[2], settings, tmp_path / "x.md")
                   .findings}
    assert "SL014" in codes_found


# -- source hygiene ---------------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "speclint"


def _source_lines() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            found.append((f"{path.relative_to(SRC)}:{number}", number, code))
    return found


@pytest.mark.parametrize(("pattern", "why"), [
    (r"\byaml\.(?:unsafe_load|full_load|load_all|unsafe_load_all|full_load_all)\s*\(",
     "only the safe loader"),
    (r"\byaml\.(?:Unsafe|Full)?Loader\b|\byaml\.(?:CLoader|CFullLoader|CUnsafeLoader)\b",
     "no unsafe loader class"),
    (r"(?<![\w.])(?:eval|exec|compile)\s*\(", "no eval/exec/compile of code"),
    (r"^\s*(?:import|from)\s+(?:pickle|cPickle|marshal|shelve|dill)\b|\bpickle\.",
     "no pickle"),
    (r"\b__import__\s*\(|\bimportlib\.import_module\s*\((?!f?\"speclint\.)",
     "no dynamic imports"),
    (r"^\s*(?:import|from)\s+(?:urllib\.request|http|requests|httpx|socket|aiohttp)\b",
     "no network"),
    (r"\bos\.(?:system|popen|exec\w*|spawn\w*)\s*\(|\bshell\s*=\s*True", "no shell"),
])
def test_source_has_no_dangerous_calls(pattern: str, why: str) -> None:
    bad = [where for where, _, code in _source_lines() if re.search(pattern, code)
           # speclintd's Unix socket (the test below): ``import socket`` there, nothing else
           and not (where.startswith("resident.py:") and code.strip() == "import socket")]
    assert bad == [], f"{why}: {bad}"


def test_the_resident_process_uses_unix_sockets_only() -> None:
    """speclintd (resident.py) is the one module with sockets: AF_UNIX, never a network."""
    text = "\n".join(code for where, _, code in _source_lines() if where.startswith("resident.py:"))
    made = re.findall(r"socket\.socket\(([^)]*)\)", text)
    assert made and all(args.startswith("socket.AF_UNIX") for args in made), made
    assert not re.search(r"AF_INET|create_connection|create_server|getaddrinfo", text)


def test_every_yaml_load_uses_the_safe_loader() -> None:
    for where, _, code in _source_lines():
        if re.search(r"\byaml\.(?:load|compose|parse|scan)\s*\(", code):
            assert "SafeLoader" in code or "safe_loader()" in code, f"{where}: {code.strip()}"
    from speclint import yamlsafe

    assert yamlsafe.SafeLoader.__name__ in ("CSafeLoader", "SafeLoader")
    assert issubclass(yamlsafe.SafeLoader, __import__("yaml").SafeLoader) or \
        yamlsafe.SafeLoader.__name__ == "CSafeLoader"


def test_only_discover_runs_a_subprocess_and_only_git() -> None:
    users = sorted({where.split(":")[0] for where, _, code in _source_lines()
                    if re.search(r"\bsubprocess\b", code)})
    assert users in ([], ["discover.py"], ["discover.py", "resident.py"]), users
    text = (SRC / "discover.py").read_text("utf-8")
    assert re.findall(r"subprocess\.run\(\[([^,\]]+)", text) == ['"git"']
    # speclintd starts its own server: this interpreter, with fixed code
    text = (SRC / "resident.py").read_text("utf-8")
    assert re.findall(r"subprocess\.(?:run|Popen|call|check_\w+)\(\[([^,\]]+)", text) == \
        ["sys.executable"]
    assert re.findall(r"subprocess\.\w+\(", text) == ["subprocess.Popen("]
