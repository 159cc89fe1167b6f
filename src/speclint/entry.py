"""Start-up of the ``speclint`` command: clean ``sys.path`` before anything else is imported.

Python puts the working directory on ``sys.path`` for ``python -m speclint`` and for an empty
``PYTHONPATH`` entry, and speclint lints repositories it does not trust (speclint/trust.py).
Every module imported before the working directory is dropped could come from the linted
repository instead of the standard library, so this module imports only ``os`` and ``sys``:
the interpreter has them (built in or frozen) before any code runs. For the same reason it has
no ``from __future__`` import, which is a module looked up on ``sys.path`` like any other.

What runs before this module is out of speclint's hands: the console-script wrapper that pip
writes imports ``re`` first (see docs/security.md).
"""

import os
import sys


def working_directory() -> str | None:
    """The working directory, or None when it was removed."""
    try:
        return os.getcwd()
    except OSError:
        return None


def drop_working_directory(path: list[str]) -> None:
    """Remove ``''``, ``'.'`` and the working directory itself from ``path`` (in place)."""
    cwd = working_directory()
    real = os.path.realpath(cwd) if cwd else None
    path[:] = [entry for entry in path
               if entry not in ("", ".")
               and (cwd is None or os.path.abspath(entry) not in (cwd, real))]


def main() -> None:
    """The ``speclint`` console script and ``python -m speclint``."""
    drop_working_directory(sys.path)
    from speclint.cli import main as cli_main

    cli_main(prog_name="speclint")


def resident() -> None:
    """The ``speclintd`` console script: ``speclint`` served by a resident process."""
    drop_working_directory(sys.path)
    from speclint.resident import main as resident_main

    resident_main(sys.argv[1:])
