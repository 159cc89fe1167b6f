"""One bad file never stops the run (SPEC 8): crashes, unreadable files, odd paths.

A crash inside one file becomes an internal-error finding (SL006) for that file; the other files
are still linted and the run exits 2 with one line per crashed file asking for a bug report
(``--debug`` adds the traceback). Files that cannot be read are SL001, oversized ones SL003.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from speclint.linter import Settings, lint_file
from speclint.ruleset import load_rules

TIMEOUT = 60
GOOD = "# Refunds\n\n## Latency\n\nThe p99 latency of POST /v1/refunds is under 300 ms.\n"
BOOM = "# Boom\n\nCRASH-ME here.\n"

# Runs speclint's real CLI with one detector replaced by one that raises on a marker, so the
# crash happens inside the pipeline exactly where a bug would (no hook in speclint needed).
_CRASHING_CLI = textwrap.dedent("""
    import sys
    import speclint.detect as detect

    real = detect.DETECTORS["rate-limits"]

    def crashing(ctx):
        if "CRASH-ME" in ctx.doc.source.text:
            raise ZeroDivisionError("injected failure")
        return real(ctx)

    detect.DETECTORS["rate-limits"] = crashing
    from speclint.cli import main
    sys.argv = ["speclint", *sys.argv[1:]]
    main()
""")


def run(args: list[str], cwd: Path, crash: bool = False,
        limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _CRASHING_CLI] if crash else \
        [sys.executable, "-m", "speclint"]

    def limits() -> None:  # a guard for inputs that would read without end
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    try:
        return subprocess.run([*command, "check", "--no-cache", "--format", "json", *args],
                              cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                              env={**os.environ, "NO_COLOR": "1"},
                              preexec_fn=limits if limit_memory else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"speclint check {' '.join(args)} hung")


def results(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in done.stderr or "--debug" in done.args, done.stderr
    return {entry["path"]: entry for entry in json.loads(done.stdout)["files"]}


def codes(entry: dict[str, Any]) -> list[str]:
    return [f["code"] for f in entry["findings"]]


def _write_pair(folder: Path) -> None:
    (folder / "good.md").write_text(GOOD, "utf-8")
    (folder / "boom.md").write_text(BOOM, "utf-8")


def test_crash_in_one_file_is_sl006_and_exit_2(tmp_path: Path) -> None:
    _write_pair(tmp_path)
    alone = results(run(["good.md"], tmp_path))["good.md"]
    done = run(["good.md", "boom.md"], tmp_path, crash=True)
    assert done.returncode == 2
    found = results(done)
    assert codes(found["boom.md"]) == ["SL006"]
    assert found["good.md"] == alone  # the other file is linted as if alone
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "boom.md" in lines[0] and "bug" in lines[0] and "--debug" in lines[0]
    assert "ZeroDivisionError" in lines[0] and "Traceback" not in done.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    _write_pair(tmp_path)
    done = run(["--debug", "good.md", "boom.md"], tmp_path, crash=True)
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "injected failure" in done.stderr
    assert codes(results(done)["boom.md"]) == ["SL006"]


def test_crash_isolation_in_parallel_workers(tmp_path: Path) -> None:
    for index in range(20):
        (tmp_path / f"good{index:02}.md").write_text(GOOD, "utf-8")
    (tmp_path / "boom.md").write_text(BOOM, "utf-8")
    done = run(["--jobs", "2", "."], tmp_path, crash=True)
    assert done.returncode == 2
    found = results(done)
    assert codes(found["boom.md"]) == ["SL006"]
    assert all("SL006" not in codes(found[f"good{i:02}.md"]) for i in range(20))
    assert len(done.stderr.strip().splitlines()) == 1


def test_crash_with_other_failing_findings_still_exits_2(tmp_path: Path) -> None:
    _write_pair(tmp_path)
    (tmp_path / "bad.md").write_bytes(b"\xff not utf-8\n")
    done = run(["good.md", "boom.md", "bad.md", "--fail-on", "never"], tmp_path, crash=True)
    assert done.returncode == 2
    assert "SL002" in codes(results(done)["bad.md"])


def test_internal_error_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import speclint.detect as detect

    def broken(ctx: Any) -> Any:
        raise RuntimeError("detector bug")

    monkeypatch.setitem(detect.DETECTORS, "compatibility", broken)
    (tmp_path / "x.md").write_text(GOOD, "utf-8")
    result = lint_file(tmp_path / "x.md", "x.md", Settings(rules=load_rules()))
    assert [f.code for f in result.findings] == ["SL006"]
    assert result.internal_error and "RuntimeError: detector bug" in result.internal_error
    assert result.findings[0].line == 1


def test_garbage_collector_is_back_after_each_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Linting pauses the cyclic collector for one file only: after a good file and after a
    crashed one it runs again, the section tree of the file is freed, and a caller that had
    switched the collector off finds it still off."""
    import gc

    import speclint.detect as detect
    import speclint.document as document

    sections: set[int] = set()  # ids: a Section (slots) takes no weak reference
    real_build = document.build_document

    def watched(path: str, source: Any, max_blocks: int = 0) -> Any:
        doc = real_build(path, source, max_blocks)
        sections.update(id(section) for section in doc.all_sections)
        return doc

    monkeypatch.setattr("speclint.linter.build_document", watched)
    (tmp_path / "x.md").write_text(GOOD + "\n### More\n\nText.\n", "utf-8")
    settings = Settings(rules=load_rules())
    assert gc.isenabled()
    lint_file(tmp_path / "x.md", "x.md", settings)
    assert gc.isenabled()
    gc.collect()
    assert len(sections) == 4  # root <-> children cycles, all freed by the collector
    assert not [o for o in gc.get_objects()
                if type(o) is document.Section and id(o) in sections]

    monkeypatch.setitem(detect.DETECTORS, "compatibility", lambda ctx: 1 / 0)
    assert lint_file(tmp_path / "x.md", "x.md", settings).findings[0].code == "SL006"
    assert gc.isenabled()
    gc.disable()
    try:
        lint_file(tmp_path / "x.md", "x.md", settings)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- files that cannot be read -------------------------------------------------------------

@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can read a chmod 000 file, so it cannot be made unreadable")
def test_unreadable_file_is_sl001(tmp_path: Path) -> None:
    _write_pair(tmp_path)
    locked = tmp_path / "locked.md"
    locked.write_text(GOOD, "utf-8")
    locked.chmod(0)
    try:
        found = results(run(["good.md", "locked.md"], tmp_path))
    finally:
        locked.chmod(0o644)
    assert codes(found["locked.md"]) == ["SL001"]
    assert "SL001" not in codes(found["good.md"])


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulates a permission error where the tests run as root."""
    path = tmp_path / "locked.md"
    path.write_text(GOOD, "utf-8")
    real = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    result = lint_file(path, "locked.md", Settings(rules=load_rules()))
    assert [f.code for f in result.findings] == ["SL001"]
    assert "Permission denied" in result.findings[0].message


def test_folder_named_as_a_file_is_sl001(tmp_path: Path) -> None:
    folder = tmp_path / "notes.md"
    folder.mkdir()
    result = lint_file(folder, "notes.md", Settings(rules=load_rules()))
    assert [f.code for f in result.findings] == ["SL001"]


def test_folder_with_markdown_name_is_walked_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "notes.md"
    folder.mkdir()
    (folder / "inner.md").write_text(GOOD, "utf-8")
    done = run(["notes.md"], tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert list(results(done)) == ["notes.md/inner.md"]


def test_broken_symlinks_and_loops(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "inner.md").write_text(GOOD, "utf-8")
    (sub / "loop").symlink_to(tmp_path, target_is_directory=True)
    (sub / "loop2").symlink_to(sub, target_is_directory=True)
    done = run(["."], tmp_path)
    assert done.returncode == 1, done.stderr
    found = results(done)
    assert codes(found["broken.md"]) == ["SL001"]
    assert codes(found["self.md"]) == ["SL001"]
    assert "SL001" not in codes(found["good.md"])
    assert "sub/inner.md" in found
    assert len(found) <= 6  # the loops were not followed for ever


def test_broken_symlink_named_directly(tmp_path: Path) -> None:
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    done = run(["broken.md"], tmp_path)
    assert done.returncode == 1, done.stderr
    assert codes(results(done)["broken.md"]) == ["SL001"]


def test_missing_path_is_one_clean_error(tmp_path: Path) -> None:
    done = run(["does-not-exist.md"], tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_over_max_file_bytes_is_sl003_beside_good_files(tmp_path: Path) -> None:
    (tmp_path / ".speclint.yaml").write_text("max_file_bytes: 1000\n", "utf-8")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    (tmp_path / "big.md").write_text(GOOD + "x" * 2000 + "\n", "utf-8")
    (tmp_path / "link.md").symlink_to(tmp_path / "big.md")
    found = results(run(["."], tmp_path))
    assert codes(found["big.md"]) == ["SL003"]
    assert codes(found["link.md"]) == ["SL003"]
    assert "SL003" not in codes(found["good.md"])


def test_fifo_in_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    found = results(run(["."], tmp_path))
    assert codes(found["pipe.md"]) == ["SL001"]


def test_device_file_is_not_read_without_bound(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    done = run(["."], tmp_path, limit_memory=True)
    assert done.returncode in (0, 1), done.stderr
    assert codes(results(done)["zero.md"]) in (["SL001"], ["SL003"])


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_file_name_that_is_not_utf8_is_reported_in_utf8(tmp_path: Path, fmt: str) -> None:
    (tmp_path / os.fsdecode(b"spec\xff.md")).write_text(GOOD, "utf-8")
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "--no-cache", "--format",
                           fmt, "."], cwd=tmp_path, capture_output=True, timeout=TIMEOUT,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    report = done.stdout.decode("utf-8")  # valid UTF-8: the odd byte is shown as U+FFFD
    shown = ("spec\ufffd.md", "spec\\ufffd.md", "spec%EF%BF%BD.md")  # text, JSON, SARIF URI
    assert any(name in report for name in shown), report[:500]
