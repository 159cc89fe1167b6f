"""Which files to lint: paths, folders (recursively, .gitignore respected), changed files."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

from speclint.errors import UsageError

MARKDOWN_SUFFIXES = (".md", ".markdown")


def _ignore_spec(folder: Path, parent: object | None) -> object | None:
    gitignore = folder / ".gitignore"
    if not gitignore.is_file():
        return parent
    import pathspec

    try:
        lines = gitignore.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return parent
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return (folder, spec, parent)


def _ignored(path: Path, is_dir: bool, layers: object | None) -> bool:
    while layers is not None:
        folder, spec, parent = layers  # type: ignore[misc]
        rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
        if spec.match_file(rel):
            return True
        layers = parent
    return False


def walk(root: Path) -> list[Path]:
    """Markdown files under ``root``: hidden folders skipped, .gitignore files layered."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, object | None]] = [(root, _ignore_spec(root, None))]
    while stack:
        folder, layers = stack.pop()
        try:
            stat = folder.stat()
            if (stat.st_dev, stat.st_ino) in seen:
                continue  # symlink loop
            seen.add((stat.st_dev, stat.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if _ignored(path, is_dir, layers):
                continue
            if is_dir:
                stack.append((path, _ignore_spec(path, layers)))
            elif entry.name.lower().endswith(MARKDOWN_SUFFIXES):
                found.append(path)
    return sorted(found)


def walked(root: Path, files: list[Path]) -> list[Path]:
    """The ``files`` that ``walk(root)`` would find: under ``root``, Markdown, no hidden file or
    folder on the way, not ignored by a ``.gitignore`` from ``root`` down (layered the same way).

    Used for ``--changed-since``, so changed files obey the rules of a folder walk without
    walking the whole tree.
    """
    base = Path(os.path.abspath(root))
    specs: dict[Path, object | None] = {}

    def layers_for(folder: Path) -> object | None:
        """Ignore layers in effect inside ``folder``, or False when ``folder`` is ignored."""
        if folder in specs:
            return specs[folder]
        if folder == base:
            result = _ignore_spec(base, None)
        else:
            parent = layers_for(folder.parent)
            if parent is False or folder.name.startswith(".") or _ignored(folder, True, parent):
                result = False
            else:
                result = _ignore_spec(folder, parent)
        specs[folder] = result
        return result

    kept = []
    for file in files:
        path = Path(os.path.abspath(file))
        if path == base or not path.is_relative_to(base):
            continue
        if path.name.startswith(".") or not path.name.lower().endswith(MARKDOWN_SUFFIXES):
            continue
        layers = layers_for(path.parent)
        if layers is False or _ignored(path, False, layers):
            continue
        kept.append(file)
    return kept


def expand(paths: list[str]) -> list[Path]:
    """Files named directly are always linted; folders are walked. Missing paths exit 2."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{name}: no such file or folder")
        if path.is_dir():
            files.extend(walk(path))
        else:
            files.append(path)
    unique = {}
    for file in files:
        unique.setdefault(os.path.normpath(file), file)
    return [unique[k] for k in sorted(unique)]


def _run_git(*args: str) -> subprocess.CompletedProcess[str]:
    """``git ARGS`` in the working directory (the one place speclint runs a program)."""
    import subprocess  # only --changed-since needs git

    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def changed_since(ref: str) -> list[Path]:
    """Markdown files added, modified or renamed since the merge base with ``ref``, and
    untracked ones that git does not ignore (anywhere in the work tree)."""
    def git(*args: str) -> str:
        try:
            done = _run_git(*args)
        except OSError as exc:
            raise UsageError(f"--changed-since needs git: {exc}") from None
        if done.returncode != 0:
            message = done.stderr.strip().split("\n")[0] or "git failed"
            raise UsageError(f"--changed-since {ref}: {message}")
        return done.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    base = git("merge-base", ref, "HEAD").strip()
    names = git("diff", "--name-only", "--diff-filter=AMR", "-z", base, "--").split("\0")
    names += git("-C", str(top), "ls-files", "--others", "--exclude-standard", "-z",
                 "--full-name").split("\0")
    cwd = Path.cwd()
    files = []
    for name in filter(None, names):
        path = top / name
        if name.lower().endswith(MARKDOWN_SUFFIXES) and path.is_file():
            files.append(Path(os.path.relpath(path, cwd)))
    return sorted(set(files))


def repository_root() -> Path | None:
    """The top folder of the git work tree around the working directory, or None outside a
    work tree or without git (git is asked once per working directory)."""
    try:
        return _repository_root_of(os.getcwd())
    except OSError:  # the working directory was removed
        return None


@functools.cache
def _repository_root_of(cwd: str) -> Path | None:
    try:
        done = _run_git("rev-parse", "--show-toplevel")
    except OSError:
        return None
    top = done.stdout.strip()
    return Path(top) if done.returncode == 0 and top else None
