"""Seal what speclint caches inside a repository, so a pull request cannot plant answers.

The result cache and the schema verdicts live in ``.speclint_cache/`` at the repository root,
where a pull request could commit files of its own: a forged "no findings" for a bad spec, or
"valid" for a configuration that is not. Every entry is therefore sealed with an HMAC keyed by
a secret of this machine's user, kept outside any repository (``$XDG_CACHE_HOME/speclint``,
else ``~/.cache/speclint``); an entry whose seal does not match is a cache miss. A fresh CI
machine has a fresh secret, so nothing committed can ever match. Where the secret cannot be
stored, a secret of this process is used (the cache then helps only within one run).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from pathlib import Path

SECRET_BYTES = 32


def secret_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / ".cache") / "speclint"


@functools.cache
def _secret() -> bytes:
    try:
        path = secret_folder() / "secret"
        data = path.read_bytes()
        if len(data) == SECRET_BYTES:
            return data
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        pass
    fresh = os.urandom(SECRET_BYTES)
    try:
        path = secret_folder() / "secret"
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f"secret.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(fresh)
        # two first runs racing: the last rename wins, and the other run's entries are never
        # matched again (misses, harmless)
        os.replace(temporary, path)
        return path.read_bytes() if path.stat().st_size == SECRET_BYTES else fresh
    except (OSError, RuntimeError):
        return fresh


def seal(key: str, payload: str) -> str:
    """``payload`` with its seal in front (one line), for the cache entry named ``key``."""
    return _tag(key, payload) + "\n" + payload


def unseal(key: str, text: str) -> str | None:
    """The payload of a sealed entry, or None when the seal does not match."""
    tag, _, payload = text.partition("\n")
    return payload if hmac.compare_digest(tag, _tag(key, payload)) else None


def _tag(key: str, payload: str) -> str:
    message = key.encode("utf-8", "surrogatepass") + b"\0" + payload.encode(
        "utf-8", "surrogatepass")
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()
