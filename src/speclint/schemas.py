"""JSON Schema validation of rule files, configuration and front matter (imported lazily)."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from speclint import seal
from speclint.vocab import rules_dir

# Where verdicts are remembered (set by the runner when caching is on), so an unchanged
# configuration or front matter does not import jsonschema again; sealed (speclint.seal),
# because the folder is inside the repository.
VERDICT_DIR: Path | None = None


@cache
def _schema_text(name: str) -> str:
    return (rules_dir() / "schemas" / f"{name}.schema.json").read_text("utf-8")


@cache
def validator(name: str) -> Any:
    """A reusable validator for ``rules/schemas/<name>.schema.json``."""
    from jsonschema.validators import validator_for

    schema = json.loads(_schema_text(name))
    cls = validator_for(schema)
    return cls(schema)


def _verdict_file(name: str, data: Any) -> Path | None:
    if VERDICT_DIR is None:
        return None
    digest = hashlib.sha256(_schema_text(name).encode())
    digest.update(json.dumps(data, sort_keys=True, default=repr).encode())
    return VERDICT_DIR / f"{name}-{digest.hexdigest()}"


def errors(name: str, data: Any) -> list[tuple[list[Any], str]]:
    """(path, message) for each schema violation, in a stable order; [] when valid.

    With VERDICT_DIR set, the answer for the same schema and data is remembered on disk, so
    an unchanged configuration or front matter never imports jsonschema again.
    """
    verdict = _verdict_file(name, data)
    if verdict is not None:
        try:
            payload = seal.unseal(verdict.name, verdict.read_text("utf-8"))
            if payload is not None:
                return [(list(path), message) for path, message in json.loads(payload)]
        except (OSError, ValueError, TypeError):
            pass
    found = _errors(name, data)
    if verdict is not None:
        try:
            verdict.parent.mkdir(parents=True, exist_ok=True)
            temporary = verdict.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(seal.seal(verdict.name, json.dumps(found, default=str)),
                                 encoding="utf-8")
            os.replace(temporary, verdict)
        except OSError:
            pass
    return found


def _errors(name: str, data: Any) -> list[tuple[list[Any], str]]:
    found = []
    for error in validator(name).iter_errors(data):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and "(" in error.message:
            extra = error.message.split("'")[1] if "'" in error.message else ""
            if extra:
                path.append(extra)
                found.append((path, f"unknown key '{extra}'"))
                continue
        found.append((path, error.message))
    return sorted(found, key=lambda item: [str(p) for p in item[0]])
