"""Result cache: one JSON file per (content, path, speclint version, effective settings).

Entries are sealed (speclint.seal): the cache sits in the repository, where a pull request
could commit a forged entry, and an entry without this machine's seal is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from speclint import __version__, seal
from speclint.models import ELEMENTS, ElementReport, FileResult, Finding

CACHE_DIR = ".speclint_cache"


def settings_key(parts: list[str]) -> str:
    """Hash of everything besides the file that can change a result."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a file of this process's own, then rename it: a
    reader, or another run sharing the folder, sees the old file or the new one, never half
    of one. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


class Cache:
    """Atomic, shareable, versioned; a broken entry is a miss, never an error."""

    def __init__(self, root: Path, settings: str) -> None:
        self.folder = root / CACHE_DIR / "v1"
        self.settings = settings
        self.writable = True

    def key(self, display: str, data: bytes) -> str:
        digest = hashlib.sha256(self.settings.encode())
        digest.update(display.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> FileResult | None:
        try:
            payload = seal.unseal(key, (self.folder / key[:2] / f"{key}.json").read_text("utf-8"))
            if payload is None:
                return None
            raw = json.loads(payload)
            return FileResult(
                path=raw["path"], profile=raw["profile"], status=raw["status"],
                elements={e: ElementReport.from_dict(e, raw["elements"][e]) for e in ELEMENTS},
                findings=[Finding.from_dict(f) for f in raw["findings"]],
                suppressed=raw["suppressed"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        if not self.writable or result.internal_error:
            return
        data = result.as_dict()
        data["suppressed"] = result.suppressed
        target = self.folder / key[:2] / f"{key}.json"
        try:
            self._ensure_root()
            write_atomic(target, seal.seal(key, json.dumps(data, ensure_ascii=False)))
        except OSError:
            self.writable = False

    def _ensure_root(self) -> None:
        root = self.folder.parent
        if not (root / ".gitignore").exists():
            root.mkdir(parents=True, exist_ok=True)
            (root / ".gitignore").write_text("# created by speclint\n*\n", encoding="utf-8")
