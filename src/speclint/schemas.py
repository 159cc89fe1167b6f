"""JSON Schema validation of rule files, configuration and front matter (imported lazily)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from speclint import remember
from speclint.vocab import rules_dir


@cache
def _schema_text(name: str) -> str:
    return (rules_dir() / "schemas" / f"{name}.schema.json").read_text("utf-8")


def property_names(name: str) -> list[str]:
    """The top-level keys that schema ``name`` describes (read from its JSON, so jsonschema
    is not imported)."""
    return list(json.loads(_schema_text(name)).get("properties", {}))


@cache
def validator(name: str) -> Any:
    """A reusable validator for ``rules/schemas/<name>.schema.json``."""
    from jsonschema.validators import validator_for

    schema = json.loads(_schema_text(name))
    cls = validator_for(schema)
    return cls(schema)


def errors(name: str, data: Any) -> list[tuple[list[Any], str]]:
    """(path, message) for each schema violation, in a stable order; [] when valid.

    With the cache on, the answer for the same schema and data is remembered
    (speclint.remember), so an unchanged configuration or front matter never imports
    jsonschema again.
    """
    try:
        text = _schema_text(name) + "\0" + json.dumps(data, sort_keys=True, default=repr)
    except TypeError:  # keys of several types ({1: x, a: y}) have no order: not remembered
        found = _errors(name, data)
    else:
        found = remember.remembered(f"schema-{name}", text, lambda: _errors(name, data))
    return [(list(path), message) for path, message in found]


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
