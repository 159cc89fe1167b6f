"""The one way speclint reads YAML: the safe (C) loader, with an alias budget."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIASES = 100


class YamlError(ValueError):
    """YAML that speclint refuses to read; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _count_aliases(text: str) -> int:
    """Count alias events (``*name``) without building the document."""
    count = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                break
    return count


def load(text: str) -> Any:
    """Parse one YAML document safely; raise YamlError with a line on failure."""
    try:
        if "*" in text and "&" in text and _count_aliases(text) > MAX_ALIASES:
            raise YamlError(f"YAML uses more than {MAX_ALIASES} aliases (possible alias bomb)")
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader/CSafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(problem, line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlError("YAML nesting is too deep") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # the safe constructors raise these for impossible dates, huge numbers...
        raise YamlError(f"invalid value: {exc}") from None


def key_line(text: str, path: list[Any]) -> int | None:
    """1-based line of the node at ``path`` (keys and indexes) in a YAML text, if found."""
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                return line
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
                and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line
