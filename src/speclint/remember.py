"""Answers remembered between runs: pure functions of a text, kept in the cache folder.

A pre-commit run lints one spec that was just edited, but its front matter, its YAML blocks
and its configuration are usually what they were on the last run. Reading them again would
import PyYAML or jsonschema (tens of milliseconds each) for the same answer, so with the cache
on the runner sets ``FOLDER`` and such answers are kept there, one file per (kind, text,
speclint version); like result entries, they are not keyed by library versions.

Entries are sealed (speclint.seal): the folder is inside the repository, where a pull request
could commit a forged answer, and an entry without this machine's seal is computed again. An
answer that JSON cannot hold exactly (a set, a non-string key) is never kept; dates and times,
common in front matter, are kept tagged.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from speclint import __version__, seal

FOLDER: Path | None = None  # set by the runner when the cache is on
_DATE, _DATETIME = "__speclint_date__", "__speclint_datetime__"


def remembered(kind: str, text: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, or the answer it gave for the same ``kind`` and ``text`` before."""
    if FOLDER is None:
        return compute()
    digest = hashlib.sha256(f"{__version__}\0{kind}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    name = f"{kind}-{digest.hexdigest()}"
    path = FOLDER / name
    try:
        payload = seal.unseal(name, path.read_text("utf-8"))
        if payload is not None:
            return _decode(payload)
    except (OSError, ValueError, TypeError, RecursionError):
        pass
    answer = compute()
    encoded = _encode(answer)
    if encoded is not None:
        _store(path, seal.seal(name, encoded))
    return answer


def _store(path: Path, sealed: str) -> None:
    from speclint.cache import write_atomic

    try:
        write_atomic(path, sealed)
    except OSError:
        pass  # a read-only checkout: nothing is remembered


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    raise TypeError(type(value).__name__)


def _untagged(value: dict[str, Any]) -> Any:
    if len(value) == 1 and _DATETIME in value:
        return datetime.datetime.fromisoformat(value[_DATETIME])
    if len(value) == 1 and _DATE in value:
        return datetime.date.fromisoformat(value[_DATE])
    return value


def _decode(payload: str) -> Any:
    return json.loads(payload, object_hook=_untagged)


def _encode(answer: Any) -> str | None:
    """JSON for ``answer``, or None when reading it back would not give the same value."""
    try:
        encoded = json.dumps(answer, default=_tagged, ensure_ascii=False, allow_nan=False)
        same = _same(_decode(encoded), answer)
    except (TypeError, ValueError, RecursionError):
        return None
    return encoded if same else None


def _same(read: Any, answer: Any) -> bool:
    """Equal, and of the same types all the way down (JSON turns tuples into lists)."""
    if type(read) is not type(answer):
        return isinstance(answer, tuple) and isinstance(read, list) and _same(read, list(answer))
    if isinstance(answer, dict):
        return read.keys() == answer.keys() and all(_same(read[k], answer[k]) for k in answer)
    if isinstance(answer, list):
        return len(read) == len(answer) and all(map(_same, read, answer))
    return bool(read == answer)
