"""Baselines (SPEC 12): known findings as counts per file and rule, not lines."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from speclint.errors import UsageError
from speclint.models import FileResult


def _key(path: str, base: Path) -> str:
    """File path relative to the baseline's folder, POSIX style."""
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


@dataclass
class Written:
    findings: int  # findings recorded in the file
    files: int  # files with an entry
    kept: int  # findings kept from entries of files this run did not lint


def write(file: Path, results: list[FileResult]) -> Written:
    """Record the findings of ``results`` (call it before ``apply``, so known findings count).

    Entries of the files linted in this run are replaced (a file without findings loses its
    entry); entries of other files are kept, so a partial run (one file, --changed-since, a
    pre-commit batch) does not wipe the rest, unless that file no longer exists. An existing
    FILE that is not a speclint baseline is an error, never overwritten.
    """
    base = file.parent
    entries: dict[str, dict[str, int]] = {}
    linted: set[str] = set()
    for result in results:
        if result.path == "<stdin>":
            continue
        key = _key(result.path, base)
        linted.add(key)
        counts = Counter(f.code for f in result.findings)
        if counts:
            entries[key] = dict(sorted(counts.items()))
    kept = 0
    if file.exists():
        for key, codes in load(file).items():
            if key not in linted and (base / key).is_file():
                entries[key] = dict(sorted(codes.items()))
                kept += sum(codes.values())
    data = {"version": 1, "tool": "speclint",
            "files": dict(sorted(entries.items()))}
    text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    try:
        fd, tmp = tempfile.mkstemp(dir=base, prefix=f".{file.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{file}: cannot write baseline: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, file)
    except OSError as exc:
        raise UsageError(f"{file}: cannot write baseline: {exc.strerror or exc}") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return Written(sum(sum(c.values()) for c in entries.values()), len(entries), kept)


def load(file: Path) -> dict[str, dict[str, int]]:
    try:
        data = json.loads(file.read_text("utf-8"))
        files = data["files"]
        if data.get("version") != 1 or not isinstance(files, dict):
            raise ValueError("unknown baseline version")
        return {str(k): {str(c): int(n) for c, n in v.items()} for k, v in files.items()}
    except OSError as exc:
        raise UsageError(f"{file}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"{file}: not a speclint baseline: {exc}") from None


@dataclass
class Applied:
    hidden: int
    stale: list[tuple[str, str, int]]  # (file, code, unused count)


def apply(file: Path, results: list[FileResult],
          known: dict[str, dict[str, int]] | None = None) -> Applied:
    """Hide up to the recorded count of findings per file and rule; later ones are new.

    ``known`` is FILE's content read earlier (when the same run rewrites FILE first).
    """
    known = load(file) if known is None else known
    base = file.parent
    hidden = 0
    stale: list[tuple[str, str, int]] = []
    for result in results:
        key = _key(result.path, base)
        allowed = dict(known.get(key, {}))
        kept = []
        for finding in result.findings:
            if allowed.get(finding.code, 0) > 0:
                allowed[finding.code] -= 1
                hidden += 1
            else:
                kept.append(finding)
        result.findings = kept
        stale += [(key, code, n) for code, n in sorted(allowed.items()) if n > 0]
    linted = {_key(r.path, base) for r in results}
    for key, codes in sorted(known.items()):
        if key not in linted and not (base / key).exists():
            stale += [(key, code, n) for code, n in sorted(codes.items())]
    return Applied(hidden, stale)
