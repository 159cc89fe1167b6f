"""Property-based tests: random specs and random bytes never break speclint (SPEC 11).

Markdown is built from spec-like pieces (front matter, headings named like the elements, tables,
lists, fences, comments, percentiles, limits, error codes) joined with random line endings.
``lint_bytes`` is called directly for speed; the ``--jobs`` and hash-seed comparisons run the
real command on a generated folder. Example counts are bounded so the suite stays fast.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speclint.linter import Settings, lint_bytes
from speclint.models import ELEMENTS
from speclint.ruleset import load_rules

SETTINGS = Settings(rules=load_rules())
FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- spec-like pieces ---------------------------------------------------------------------------

TITLES = ["API", "Endpoints", "Data model", "Schema", "Latency", "Performance", "SLOs",
          "Migration plan", "Rollout", "Rollback", "Errors", "Error codes", "Rate limits",
          "Quotas", "Compatibility", "Versioning", "Deprecation", "Summary", "Goals",
          "Open questions", "4.2 RATE-LIMITING", "Appendix: `code`", "Étapes", ""]
SENTENCES = [
    "The p99 latency of GET /v1/items is under 200 ms.", "p50 300ms, p95 250ms, p99 100ms.",
    "Median response time is 40 ms.", "The endpoint must be fast.",
    "Each API key may send 100 requests per second; beyond that we return 429.",
    "Each account can have at most 100 imports.", "Returns 404 when the item is missing.",
    "Fails with `RATE_LIMITED` if the quota is exceeded.", "POST /v2/charges/{id}/refunds",
    "curl -X DELETE https://api.example.com/v1/x", "Not applicable: this is a CLI change only.",
    "N/A", "TBD", "TODO: decide", "???", "Step 1: backfill. Step 2: cut over.",
    "We can roll back by turning the flag off.", "This is a breaking change.",
    "Semantic versioning applies; v1 stays supported for 12 months.",
    "The `Order` entity has `id: uuid` and `total: int`.", "Idempotency keys dedupe retries.",
    "e.g. 5xx, i.e. 503 or 999.", "Rate: 1,000 rps.", "[link](#missing-anchor)", "**bold** _em_",
    "<!-- speclint-disable-next-line SL010 -- example -->", "<!-- speclint-disable nonsense -->",
    "<!-- open comment", "-->", "<br/>", "\\*escaped\\*", "| not | a table",
]
FRONT_MATTER = [
    "status: draft", "status: approved", "status: finished", "profile: api",
    "profile: nope", "not-applicable: {rate-limits: internal batch job with no callers}",
    "not-applicable: [x]", "title: [1, 2", "owner: &a [x, *a]", "- list", "plain scalar",
    "a: !!python/name:os.system", "x: 1e999", "date: 2024-02-30", "", "---",
]
CODE = ["```json\n{\"amount\": 100}\n```", "```json\n{\"amount\": 100,}\n```",
        "```yaml\npaths:\n  /v1/x: {get: {}}\n```", "```yaml\na: [\n```",
        "```proto\nservice S {\n  rpc Get(GetRequest) returns (Item);\n}\n```",
        "```graphql\ntype Mutation { create: Item }\n```",
        "```sql\nCREATE TABLE t (\n  id int\n);\n```",
        "```json\n{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", "
        "\"type\": \"banana\"}\n```", "```\nunclosed fence", "~~~\ntilde\n~~~", "    indented code"]

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=30)
sentence = st.one_of(st.sampled_from(SENTENCES), words)


@st.composite
def table(draw: Any) -> str:
    columns = draw(st.integers(1, 5))
    header = draw(st.lists(st.sampled_from(["Code", "Status", "Meaning", "Field", "Type",
                                            "p99 (ms)", "Limit", "Step", "", "x|y"]),
                           min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(sentence, min_size=1, max_size=columns + 1), max_size=6))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * columns]
    lines += ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@st.composite
def listing(draw: Any) -> str:
    items = draw(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["-", "*", "1.", "2)"]),
                                    sentence), min_size=1, max_size=8))
    return "\n".join("  " * depth + f"{marker} {text}" for depth, marker, text in items)


block = st.one_of(
    st.builds(lambda level, title: "#" * level + " " + title, st.integers(1, 7),
              st.one_of(st.sampled_from(TITLES), words)),
    st.builds(lambda title, under: f"{title}\n{under}", st.sampled_from(TITLES),
              st.sampled_from(["===", "---"])),
    st.lists(sentence, min_size=1, max_size=4).map(" ".join),
    table(), listing(), st.sampled_from(CODE),
    st.builds(lambda depth, text: ">" * depth + " " + text, st.integers(1, 30), sentence),
    st.sampled_from(["---", "***", "<div>\n<p>html</p>\n</div>", "<!--\nmulti\nline\n-->",
                     "[^1]: footnote", "Term\n: definition", "- [ ] task", "\t\ttabbed"]),
)


@st.composite
def spec(draw: Any) -> bytes:
    parts = []
    if draw(st.booleans()):
        lines = draw(st.lists(st.sampled_from(FRONT_MATTER), max_size=4))
        closed = draw(st.integers(0, 9)) > 0
        parts.append("---\n" + "\n".join(lines) + ("\n---" if closed else ""))
    parts += draw(st.lists(block, max_size=15))
    text = "\n\n".join(parts) + draw(st.sampled_from(["", "\n", "\n\n"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        text = "".join(c if c != "\n" else draw(st.sampled_from(["\n", "\r\n", "\r"]))
                       for c in text)
    else:
        text = text.replace("\n", ending)
    data = text.encode("utf-8")
    if draw(st.booleans()) and draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.sampled_from([b"\xff", b"\x00", b"\xc3"])) + \
            data[position:]
    return data


# -- properties ---------------------------------------------------------------------------------

def line_count(data: bytes) -> int:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return len(re.split(rb"\r\n|\r|\n", data))


def check_result(data: bytes) -> dict[str, Any]:
    result = lint_bytes("spec.md", data, SETTINGS, Path("spec.md"))
    assert result.internal_error is None, result.internal_error
    last = line_count(data)
    payload = result.as_dict()
    assert set(payload["elements"]) == set(ELEMENTS)
    for finding in result.findings:
        assert finding.code != "SL006"
        assert 1 <= finding.line <= finding.end_line <= last, (finding, last)
        assert finding.column >= 1 and finding.end_column >= 1
        if finding.line == finding.end_line:
            assert finding.end_column >= finding.column, finding
    for report in result.elements.values():
        for item in report.evidence:
            assert 1 <= item.line <= last, (item, last)
    assert result.findings == sorted(result.findings)
    return payload


@FAST
@given(spec())
def test_random_specs_never_crash_and_stay_in_the_file(data: bytes) -> None:
    first = check_result(data)
    again = check_result(data)
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(data: bytes) -> None:
    check_result(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"---\n", b"```\n", b"<!--", b"-->", b"> ", b"- ", b"|",
                                 b"#", b"\r", b"\n", b"\r\n", b"\x00", b"\xff", b"*", b"[",
                                 b"](", b"`", b"p99 ", b"200 ms", b"429", b"TBD", b"\t",
                                 b"&a ", b"*a", b"!!python/", b"{", b"}", b"    "]),
                max_size=200).map(b"".join))
def test_random_markup_soup_never_crashes(data: bytes) -> None:
    check_result(data)


# -- whole runs: --jobs and hash seeds never change the report -------------------------------------

def _run(folder: Path, jobs: int, seed: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache", "--format",
                           "json", "--jobs", str(jobs), "."], cwd=folder, capture_output=True,
                          timeout=120, env={**os.environ, "PYTHONHASHSEED": seed,
                                            "NO_COLOR": "1"})


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(st.lists(spec(), min_size=20, max_size=24))
def test_jobs_and_hash_seed_do_not_change_the_report(tmp_path_factory: Any,
                                                     files: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("specs")
    for index, data in enumerate(files):
        sub = folder / ("nested" if index % 3 == 0 else ".")
        sub.mkdir(exist_ok=True)
        (sub / f"spec-{index:02}.md").write_bytes(data)
    one = _run(folder, 1, "1")
    two = _run(folder, 2, "2")
    assert one.returncode in (0, 1), one.stderr.decode()
    assert b"Traceback" not in one.stderr + two.stderr
    assert (one.returncode, one.stdout) == (two.returncode, two.stdout)
    report = json.loads(one.stdout)
    assert len(report["files"]) == len(files)


_ALIAS_PATTERNS = """
from speclint.vocab import load_vocabulary
for name, element in sorted(load_vocabulary().elements.items()):
    for key, aliases in sorted(element.aliases.items()):
        print(name, key, aliases)
"""


def test_heading_aliases_are_in_one_order_under_any_hash_seed() -> None:
    """Aliases come from a set; they are kept in one order whatever the seed, so every
    process reads (and reports evidence from) the same list."""
    texts = [subprocess.run([sys.executable, "-c", _ALIAS_PATTERNS], capture_output=True,
                            text=True, timeout=60, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2", "3")]
    assert texts[0].count("\n") >= 10
    assert texts[0] == texts[1] == texts[2]


_TITLE_WORDS = ["api", "rate", "limits", "error", "codes", "data", "model", "v2", "rate-limits"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TITLE_WORDS), min_size=1, max_size=5), max_size=8),
       st.lists(st.sampled_from(_TITLE_WORDS[:-1]), min_size=1, max_size=3),
       st.booleans())
def test_a_title_holds_an_alias_as_whole_words_in_a_row(titles: list[list[str]],
                                                        alias: list[str], indexed: bool) -> None:
    """The word index finds the titles that the alias, between spaces or the ends of the
    title, occurs in: what a regular expression with those bounds finds; looking through
    each title or (past _FEW_TITLES titles, here past none) through the index of runs."""
    from unittest import mock

    from speclint.detect import base

    with mock.patch.object(base, "_FEW_TITLES", -1 if indexed else 10**9):
        _alias_titles_found(titles, alias)


def _alias_titles_found(titles: list[list[str]], alias: list[str]) -> None:
    from speclint.detect.base import Context
    from speclint.document import build_document
    from speclint.source import load_source
    from speclint.vocab import load_vocabulary

    text = "# Spec\n\n" + "".join(f"## {' '.join(words)}\n\ntext\n\n" for words in titles)
    ctx = Context(build_document("t.md", load_source(text.encode())), load_vocabulary())
    bounded = re.compile(r"(?<![^ ])" + re.escape(" ".join(alias)) + r"(?![^ ])")
    expected = [index for index, section in enumerate(ctx.titled_sections)
                if bounded.search(section.norm)]
    assert ctx._titles_holding(tuple(alias)) == expected
