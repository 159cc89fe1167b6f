"""Guard against creeping start-up cost (SPEC 9: one small spec in <= 100 ms, <= 8x python).

Nothing here times anything (timings belong in benchmarks/run.py). Instead each test runs the
command line in a fresh interpreter and checks which heavy packages it imported: importing
jsonschema alone costs about as much as the whole start-up budget allows, and mistune, PyYAML
and pathspec are not free either. A command that does not need a package must not import it.
When one does, the failure message shows the chain of speclint frames that imported it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from speclint.authoring import write_template

HEAVY = ("jsonschema", "mistune", "pathspec", "yaml")

# Runs the CLI in-process in a child interpreter, then reports every imported top-level package
# and, for the heavy ones, the speclint frames that imported each of them first.
PROBE = r"""
import builtins, json, runpy, sys, traceback

out, heavy, argv = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3:]
chains = {}
original_import = builtins.__import__

def tracing_import(name, globals=None, locals=None, fromlist=(), level=0):
    top = name.split(".")[0] if level == 0 else ""
    if top in heavy and top not in chains and top not in sys.modules:
        frames = [f"{f.filename.rsplit('speclint', 1)[-1].lstrip('/')}:{f.lineno} {f.name}"
                  for f in traceback.extract_stack()[:-1] if "speclint" in f.filename]
        chains[top] = " -> ".join(frames)
    return original_import(name, globals, locals, fromlist, level)

builtins.__import__ = tracing_import
sys.argv = ["speclint", *argv]
status = 0
try:
    runpy.run_module("speclint", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
finally:
    builtins.__import__ = original_import
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"modules": sorted({m.split(".")[0] for m in sys.modules}),
                   "chains": chains, "status": status}, handle)
"""


def imported(args: list[str], cwd: Path) -> dict:
    """Top-level modules imported by ``speclint ARGS`` (run in a fresh interpreter in ``cwd``)."""
    out = cwd / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECLINT_")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(out), ",".join(HEAVY), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert out.exists(), f"probe failed: {done.stderr[-2000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    result["stdout"], result["stderr"] = done.stdout, done.stderr
    return result


def assert_not_imported(result: dict, forbidden: tuple[str, ...]) -> None:
    loaded = [name for name in forbidden if name in result["modules"]]
    chains = "\n".join(f"  {name}: {result['chains'].get(name, '(not through speclint code)')}"
                       for name in loaded)
    assert not loaded, f"imported {', '.join(loaded)}; first imported by:\n{chains}"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]],
                         ids=["--version", "--help", "check --help"])
def test_version_and_help_import_no_heavy_package(tmp_path: Path, args: list[str]) -> None:
    result = imported(args, tmp_path)
    assert result["status"] == 0, result["stderr"]
    assert "speclint" in result["stdout"].lower() or "usage" in result["stdout"].lower()
    assert_not_imported(result, HEAVY)


def _template(folder: Path, front_matter: bool) -> Path:
    """The `speclint new` template: a small spec that passes; optionally without front matter."""
    path = folder / "spec.md"
    write_template(path, "technical")
    if not front_matter:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            path.write_text(text[text.index("\n---\n", 4) + 5:], encoding="utf-8")
    return path


def test_check_of_one_clean_spec_imports_neither_jsonschema_nor_a_process_pool(
        tmp_path: Path) -> None:
    """No front matter, one file named directly: no schema, no pool, no .gitignore walking."""
    spec = _template(tmp_path, front_matter=False)
    result = imported(["check", "--no-cache", spec.name], tmp_path)
    assert result["status"] == 0, result["stdout"] + result["stderr"]
    assert_not_imported(result, ("jsonschema", "multiprocessing", "pathspec"))


def test_check_of_an_edited_spec_with_known_front_matter_does_not_import_jsonschema(
        tmp_path: Path) -> None:
    """The pre-commit case: the body changed, the front matter was seen valid before."""
    spec = _template(tmp_path, front_matter=True)
    first = imported(["check", spec.name], tmp_path)
    assert first["status"] == 0, first["stdout"] + first["stderr"]
    spec.write_text(spec.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                    encoding="utf-8")
    second = imported(["check", spec.name], tmp_path)
    assert second["status"] == 0, second["stdout"] + second["stderr"]
    # the new result is written to the cache without tempfile (and shutil, random, bz2...)
    assert_not_imported(second, ("jsonschema", "multiprocessing", "pathspec", "tempfile"))


def _check_then_edit(folder: Path, text: str) -> tuple[dict, dict]:
    """Check spec.md holding ``text``, append a sentence, check again: both runs' imports."""
    spec = folder / "spec.md"
    spec.write_text(text, "utf-8")
    first = imported(["check", spec.name], folder)
    spec.write_text(spec.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    return first, imported(["check", spec.name], folder)


def test_an_edited_spec_with_known_front_matter_and_yaml_blocks_does_not_import_yaml(
        tmp_path: Path) -> None:
    """The front matter (with its dates) and the YAML blocks were read on the last run."""
    first, second = _check_then_edit(
        tmp_path, "---\ntitle: Refunds\nstatus: draft\ncreation-date: 2026-01-05\n---\n"
                  "# Refunds\n\n```yaml\nlimits:\n  per_second: 100\n```\n")
    assert "yaml" in first["modules"]
    assert_not_imported(second, ("yaml", "jsonschema"))
    assert second["status"] == first["status"], second["stdout"] + second["stderr"]
    assert second["stdout"] == first["stdout"]


def test_an_edited_spec_with_a_known_front_matter_error_does_not_import_yaml(
        tmp_path: Path) -> None:
    """Finding the line of a bad front matter value needs PyYAML: the line is remembered."""
    first, second = _check_then_edit(
        tmp_path, "---\ntitle: Refunds\nowner: payments\nstatus: shipped\n---\n"
                  "# Refunds\n\nText.\n")
    assert "yaml" in first["modules"]
    assert "spec.md:4:1: warning SL005" in first["stdout"]  # status is on line 4
    assert_not_imported(second, ("yaml", "jsonschema"))
    assert second["stdout"] == first["stdout"]
