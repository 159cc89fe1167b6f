"""The built-in rules, profiles and vocabulary, read ahead of time for a fast start.

``rules/*.yaml`` is the source. ``scripts/gen_bundle.py`` reads it into ``rules/bundle.json``:
the parsed data of every YAML file, and the prefilter plan of every vocabulary pattern (its
fragments and those of each alternative, speclint.fragments), which would otherwise take most
of start-up to work out. The bundle is used only while it matches the YAML files byte for byte
and the code that wrote the plans (one hash over all of them), so an edited YAML file takes
effect at once, and a test keeps the shipped bundle current.

The bundle is data (JSON) shipped inside the package, never read from the linted repository.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from speclint.fragments import Plan
from speclint.vocab import rules_dir

BUNDLE = "bundle.json"


def _yaml_files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*.yaml") if "templates" not in p.relative_to(base).parts)


@functools.cache
def digest() -> str:
    """One hash over the path and bytes of every built-in YAML file, and over the code that
    works out the fragments (speclint.fragments), so a bundle made by other code is stale."""
    from speclint import fragments

    base = rules_dir()
    hashed = hashlib.sha256(Path(fragments.__file__).read_bytes())
    for path in _yaml_files(base):
        data = path.read_bytes()
        hashed.update(f"{path.relative_to(base).as_posix()}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()


@functools.cache
def _current() -> dict[str, Any] | None:
    try:
        data = json.loads((rules_dir() / BUNDLE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("digest") != digest():
        return None
    return data


def builtin_yaml(relative: str) -> Any:
    """The parsed data of ``rules/<relative>``: from the bundle when it is current."""
    current = _current()
    if current is not None and relative in current["files"]:
        return current["files"][relative]
    from speclint import yamlsafe

    return yamlsafe.load((rules_dir() / relative).read_text(encoding="utf-8"))


def known_plans() -> dict[str, Plan]:
    """Prefilter plans (fragments) of the built-in vocabulary patterns, keyed by
    ``vocab.fragment_key``."""
    current = _current()
    if current is None:
        return {}
    return {key: Plan.from_json(value) for key, value in current["plans"].items()}


def build(vocabulary_patterns: list[tuple[str, int]]) -> dict[str, Any]:
    """A fresh bundle of the YAML files as they are now (for scripts/gen_bundle.py);
    ``vocabulary_patterns`` are the (pattern, flags) the vocabulary guards."""
    from speclint import yamlsafe
    from speclint.fragments import plan

    base = rules_dir()
    files = {}
    for path in _yaml_files(base):
        data = yamlsafe.load(path.read_text(encoding="utf-8"))
        if json.loads(json.dumps(data)) != data:
            raise ValueError(f"{path}: the YAML does not survive a JSON round trip")
        files[path.relative_to(base).as_posix()] = data
    from speclint.vocab import fragment_key

    found = {fragment_key(p, f): plan(p, f).to_json() for p, f in vocabulary_patterns}
    return {"digest": digest(), "files": files, "plans": dict(sorted(found.items()))}
