"""Where speclint may import code from: never from the working tree it lints.

speclint runs on repositories it does not trust (a CI gate on pull requests). Python puts the
working directory on ``sys.path`` in two common cases: ``python -m speclint`` (always) and an
empty entry in ``PYTHONPATH`` (``PYTHONPATH=$PYTHONPATH:/x`` with PYTHONPATH unset). A folder
on ``sys.path`` is also where ``importlib.metadata`` looks for installed distributions, so a
repository holding ``evil-1.0.dist-info/entry_points.txt`` plus an ``evilmod/`` package would
otherwise register a ``speclint.checks`` plugin and have it imported.

Two guards:

- :func:`drop_working_directory` (speclint.entry) removes the working directory from
  ``sys.path``; the ``speclint`` command calls it before it imports anything else.
- :func:`untrusted_reason` (here) refuses a plugin distribution found inside the *working tree* (the
  working directory, and the git work tree that contains it) unless it lies in one of the
  running interpreter's own site-packages folders (so a project's in-tree ``.venv`` still
  works); :func:`no_working_tree_on_path` hides the working tree from ``sys.path`` while a
  trusted plugin is imported, so a module in the repository cannot shadow it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from speclint.entry import working_directory


def working_tree() -> list[Path]:
    """The folders whose contents speclint must not import: the working directory and the git
    work tree around it (found by walking up to a ``.git`` folder or file; git is not run)."""
    cwd = working_directory()
    if cwd is None:
        return []
    here = Path(cwd).resolve()
    roots = [here]
    for folder in [here, *here.parents]:
        if (folder / ".git").exists():
            if folder != here:
                roots.append(folder)
            break
    return roots


def _site_dirs() -> set[Path]:
    """The running interpreter's own installation folders (site-packages and user site)."""
    import site
    import sysconfig

    found = {sysconfig.get_paths().get(key) for key in ("purelib", "platlib")}
    try:
        found.update(site.getsitepackages())
    except AttributeError:  # some embedded interpreters
        pass
    user = getattr(site, "getusersitepackages", lambda: None)()
    if user and site.ENABLE_USER_SITE:
        found.add(user)
    return {Path(p).resolve() for p in found if p}


def _inside(path: Path, roots: list[Path]) -> Path | None:
    return next((root for root in roots if path == root or path.is_relative_to(root)), None)


def untrusted_reason(dist: Any) -> str | None:
    """Why the distribution ``dist`` must not be imported from, or None when it may be."""
    if dist is None:
        return "its distribution is unknown"
    try:
        location = Path(str(dist.locate_file(""))).resolve()
    except (OSError, NotImplementedError, TypeError, ValueError):
        return "its location is unknown"
    if location in _site_dirs():
        return None
    root = _inside(location, working_tree())
    if root is not None:
        return (f"it is installed inside the working tree ({location}, under {root}); "
                "install plugins into the Python environment instead")
    return None


@contextmanager
def no_working_tree_on_path() -> Iterator[None]:
    """Hide ``sys.path`` entries inside the working tree (other than site-packages folders)."""
    roots = working_tree()
    site_dirs = _site_dirs()
    saved = list(sys.path)

    def untrusted(entry: str) -> bool:
        if entry in ("", "."):
            return True
        try:
            path = Path(entry).resolve()
        except (OSError, RuntimeError):
            return False
        return path not in site_dirs and _inside(path, roots) is not None

    sys.path[:] = [entry for entry in sys.path if not untrusted(entry)]
    try:
        yield
    finally:
        sys.path[:] = saved
