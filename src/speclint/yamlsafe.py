"""The one way speclint reads YAML: the safe (C) loader, with an alias budget.

Only ``CSafeLoader`` (or the pure-Python ``SafeLoader`` where libyaml is missing) is used, so
``!!python/...`` tags are rejected, never run. Before any Python object is built, the node graph
is checked: more than ``MAX_ALIASES`` alias uses, a recursive alias, or aliases that would
expand the document by more than ``MAX_EXPANSION`` nodes are refused. An alias bomb is cheap to
build (the aliases share objects) but anything that walks it (schema validation, ``repr`` in an
error message) would run for ever, so it must never reach the rest of speclint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

MAX_ALIASES = 100
MAX_EXPANSION = 10_000  # nodes that aliases may add, counted as if every alias were copied


class YamlError(ValueError):
    """YAML that speclint refuses to read; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def safe_loader() -> Any:
    """The C safe loader where libyaml is there. PyYAML is imported on first use, so a run
    that reads no YAML never pays for it."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def __getattr__(name: str) -> Any:
    if name == "SafeLoader":  # ``yamlsafe.SafeLoader``, as the other modules name it
        return safe_loader()
    raise AttributeError(name)


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_aliases(root: yaml.Node | None) -> None:
    """Raise YamlError for alias bombs and recursive aliases in a composed node graph.

    Iterative, so deep nesting cannot exhaust the Python stack; linear in the number of
    distinct nodes whatever the aliases would expand to.
    """
    if root is None:
        return
    size: dict[int, int] = {}  # id(node) -> node count with aliases expanded
    open_nodes: set[int] = set()  # on the current path: reaching one again is a cycle
    aliases = 0
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        if key in open_nodes:
            raise YamlError("YAML has a recursive alias", node.start_mark.line + 1)
        if key in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlError(f"YAML uses more than {MAX_ALIASES} aliases "
                                "(possible alias bomb)", node.start_mark.line + 1)
            continue
        distinct += 1
        open_nodes.add(key)
        size[key] = 0  # placeholder: seen, not finished
        stack.append((node, True))
        for child in reversed(_children(node)):
            child_key = id(child)
            if child_key in open_nodes:
                raise YamlError("YAML has a recursive alias", child.start_mark.line + 1)
            stack.append((child, False))
    if size[id(root)] - distinct > MAX_EXPANSION:
        raise YamlError(f"YAML aliases expand to {size[id(root)]} nodes "
                        "(possible alias bomb)", root.start_mark.line + 1)


def load(text: str) -> Any:
    """Parse one YAML document safely; raise YamlError with a line on failure."""
    import yaml

    try:
        loader = safe_loader()(text)
        try:
            node = loader.get_single_node()
            if "*" in text:  # an alias is written *name: without one there is none to check
                check_aliases(node)
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except YamlError:
        raise
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
    return key_lines(text, [path])[0]


def key_lines(text: str, paths: list[list[Any]]) -> list[int | None]:
    """key_line of each of ``paths``: the text is composed once and each mapping's keys are
    looked up in a table, so a thousand paths into a mapping of 100,000 keys cost what the
    text does (asked one by one, each composed the text again and scanned the keys)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return [None] * len(paths)
    keys: dict[int, dict[Any, tuple[Any, Any]]] = {}  # by mapping: each key's first (key, value)

    def first_keys(node: Any) -> dict[Any, tuple[Any, Any]]:
        table = keys.get(id(node))
        if table is None:
            table = keys[id(node)] = {}
            for key, value in node.value:
                if isinstance(key.value, str):
                    table.setdefault(key.value, (key, value))
        return table

    def line_of(path: list[Any]) -> int | None:
        node = root
        line = node.start_mark.line + 1 if node is not None else None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = first_keys(node).get(step) if isinstance(step, str) else None
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

    return [line_of(path) for path in paths]
