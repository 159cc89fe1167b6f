"""Configuration: discovery, validation, and glob matching (SPEC 7).

Discovery walks up from the working directory; in each folder the first of
``.speclint.yaml``, ``.speclint.yml`` and a ``pyproject.toml`` with ``[tool.speclint]`` wins.
Every problem is a UsageError that names the file, the line and the key (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tomllib

from speclint import yamlsafe
from speclint.errors import UsageError

CONFIG_NAMES = (".speclint.yaml", ".speclint.yml")
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FINDINGS_PER_RULE = 1000
# about 100 times the blocks of the biggest real spec in the corpus (docs/security.md)
DEFAULT_MAX_BLOCKS = 200_000
# past BLOCKS_ALWAYS_ALLOWED blocks (five times the biggest real spec's), a file may hold one
# block per this many characters on average (real specs of 500 blocks or more: 39 or more)
DEFAULT_MIN_CHARS_PER_BLOCK = 16
BLOCKS_ALWAYS_ALLOWED = 10_000


@dataclass
class Config:
    """Validated settings; ``root`` is the folder globs are relative to."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    profile: str = "technical"
    rules: dict[str, str] = field(default_factory=dict)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    rule_paths: list[str] = field(default_factory=list)
    fail_on: str = "error"
    max_warnings: int | None = None
    require_suppression_reason: bool = False
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_findings_per_rule: int = DEFAULT_MAX_FINDINGS_PER_RULE
    max_blocks: int = DEFAULT_MAX_BLOCKS
    min_chars_per_block: int = DEFAULT_MIN_CHARS_PER_BLOCK
    text: str | None = None  # the file's text, to find the line of a key later

    def relative(self, path: Path) -> str:
        """POSIX path of ``path`` relative to the config root (for glob matching)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
            return path.as_posix()

    def matches(self, globs: list[str], path: Path) -> bool:
        rel = self.relative(path)
        return any(glob_match(rel, g) for g in globs)

    def check_rule_names(self, known: Callable[[str], bool]) -> None:
        """Every key of ``rules`` and ``overrides[].rules`` must name a rule, code or element."""
        places: list[tuple[list[Any], dict[str, str]]] = [(["rules"], self.rules)]
        places += [(["overrides", i, "rules"], o.get("rules", {}))
                   for i, o in enumerate(self.overrides)]
        for key_path, settings in places:
            for name in settings:
                if not known(name):
                    self.fail([*key_path, name], f"unknown rule, code or element '{name}'")

    def fail(self, key_path: list[Any], message: str) -> None:
        """Raise the one-line error for ``key_path`` in this file."""
        if self.path is None:
            raise UsageError(message)
        key = ".".join(str(p) for p in key_path) or "(top level)"
        raise UsageError(f"{self.path}:{_line(self.path, self.text, key_path)}: {key}: {message}")


# -- globs --------------------------------------------------------------------------------

def glob_match(rel: str, pattern: str) -> bool:
    """gitignore-style globs on a POSIX path relative to the config root.

    '*' and '?' stay within one folder, '**' crosses folders, a pattern with no '/' (other
    than a trailing one) matches at any depth, a trailing '/' matches folders only, and a
    pattern that names a folder matches everything under it.
    """
    return _glob_regex(pattern).fullmatch(rel) is not None


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    anchored = "/" in pattern.rstrip("/")
    folder_only = pattern.endswith("/")
    body, i, text = [], 0, pattern.strip("/")
    while i < len(text):
        if text.startswith("**/", i):
            body.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            body.append(".*")
            i += 2
        elif text[i] == "*":
            body.append("[^/]*")
            i += 1
        elif text[i] == "?":
            body.append("[^/]")
            i += 1
        elif text[i] == "[" and "]" in text[i + 2:]:
            end = text.index("]", i + 2)
            inner = text[i + 1:end]
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            body.append(f"[{inner.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            body.append(re.escape(text[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if folder_only else "(?:/.*)?"
    try:
        return re.compile(prefix + "".join(body) + suffix, re.S)
    except re.error:
        return re.compile(re.escape(pattern))


# -- discovery ----------------------------------------------------------------------------

def discover(start: Path) -> Path | None:
    """Nearest .speclint.yaml/.yml, or pyproject.toml with [tool.speclint], walking up."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    """Whether a pyproject.toml configures speclint. One that does not parse but has a
    ``[tool.speclint]`` table counts, so its error is reported instead of skipping it."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "speclint" not in text:
        return False  # no need to parse it
    import tomllib

    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return re.search(r"^\s*\[\[?\s*tool\s*\.\s*speclint\b", text, re.M) is not None
    return isinstance(tool, dict) and "speclint" in tool


# -- loading ------------------------------------------------------------------------------

def _read(path: Path) -> tuple[Any, str]:
    """Raw settings and the file's text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read configuration: {exc}") from None
    if path.suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text).get("tool", {}).get("speclint", {})
        except tomllib.TOMLDecodeError as exc:
            raise _toml_error(path, exc) from None
        return data, text
    try:
        data = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        raise UsageError(f"{path}:{exc.line or 1}: invalid YAML: {exc}") from None
    duplicate = _duplicate_key(text)
    if duplicate:
        line, key_path, first = duplicate
        key = ".".join(str(p) for p in key_path)
        raise UsageError(f"{path}:{line}: {key}: duplicate key '{key_path[-1]}' (first set on "
                         f"line {first}; YAML would silently keep only the last value)")
    return ({} if data is None else data), text


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> UsageError:
    """``file:line: invalid TOML: ...`` (tomllib says '(at line N, column M)')."""
    found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    where = f":{found.group(1)}" if found else ""
    return UsageError(f"{path}{where}: invalid TOML: {exc}")


def _duplicate_key(text: str) -> tuple[int, list[Any], int] | None:
    """(line, key path, line of the first one) of the first key set twice in one mapping.

    PyYAML keeps the last of two equal keys without a word, so ``fail_on: error`` followed by
    ``fail_on: never`` further down would switch a gate off unnoticed. Runs only on text that
    yamlsafe.load accepted (so aliases are bounded); shared nodes are visited once.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=yamlsafe.SafeLoader)
    except yaml.YAMLError:
        return None
    seen: set[int] = set()
    stack: list[tuple[Any, list[Any]]] = [(root, [])] if root is not None else []
    found: list[tuple[int, list[Any], int]] = []
    while stack:
        node, key_path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in first:
                    found.append((key.start_mark.line + 1, [*key_path, name], first[name]))
                elif name is not None:
                    first[name] = key.start_mark.line + 1
                stack.append((value, [*key_path, name]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, [*key_path, index]) for index, item in enumerate(node.value))
    return min(found, key=lambda item: item[0]) if found else None


def _off_is_false(data: Any) -> None:
    """YAML 1.1 reads a bare ``off`` (or ``no``/``false``) as False: it means 'off' here."""
    if not isinstance(data, dict):
        return
    maps = [data.get("rules")]
    if isinstance(data.get("overrides"), list):
        maps += [o.get("rules") for o in data["overrides"] if isinstance(o, dict)]
    for settings in maps:
        if isinstance(settings, dict):
            for key, value in settings.items():
                if value is False:
                    settings[key] = "off"


def load_config(path: Path, root: Path | None = None) -> Config:
    """Read and validate one configuration file.

    Globs (``include``, ``exclude``, ``overrides[].files``) are relative to ``root``, by default
    the file's folder; ``rule_paths`` are always relative to the file's folder.
    """
    from speclint import schemas

    data, text = _read(path)
    config = Config(path=path, root=root or path.parent, text=text)
    if not isinstance(data, dict):
        config.fail([], "configuration must be a mapping of settings")
    _off_is_false(data)
    problems = schemas.errors("config", data)
    if problems:
        key_path, message = problems[0]
        config.fail(key_path, message + _did_you_mean(key_path, message))
    for key, value in data.items():
        setattr(config, key, value)
    _check_profiles(config)
    config.rule_paths = _rule_paths(config, path.parent)
    return config


def _rule_paths(config: Config, folder: Path) -> list[str]:
    """``rule_paths`` resolved against the configuration file's folder; each must exist."""
    resolved = []
    for index, name in enumerate(config.rule_paths):
        full = folder / name
        if not full.exists():
            line = _line(config.path, config.text, ["rule_paths", index]) if config.path else 1
            raise UsageError(f"{config.path}:{line}: rule_paths: '{name}' does not exist "
                             f"(looked for {full})")
        resolved.append(str(full))
    return resolved


def _did_you_mean(key_path: list[Any], message: str) -> str:
    if not message.startswith("unknown key") or not key_path:
        return ""
    from speclint import schemas

    schema = schemas.validator("config").schema
    known = list(schema["properties"])
    if len(key_path) == 3 and key_path[0] == "overrides":
        known = list(schema["properties"]["overrides"]["items"]["properties"])
    import difflib  # only for a configuration error

    close = difflib.get_close_matches(str(key_path[-1]), known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"


def _check_profiles(config: Config) -> None:
    from speclint.ruleset import profile_names

    names = profile_names()
    wanted = [(["profile"], config.profile)] if config.profile else []
    wanted += [(["overrides", i, "profile"], o["profile"])
               for i, o in enumerate(config.overrides) if "profile" in o]
    for key_path, name in wanted:
        if name not in names:
            config.fail(key_path, f"unknown profile '{name}' (known: {', '.join(names)})")


# -- lines of keys ------------------------------------------------------------------------

def _line(path: Path, text: str | None, key_path: list[Any]) -> int:
    if text is None:
        return 1
    if path.suffix == ".toml":
        return _toml_line(text, key_path)
    return yamlsafe.key_line(text, key_path) or 1


_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_PART = r"""(?:"[^"]*"|'[^']*'|[\w-]+)"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def _dotted(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r""""[^"]*"|'[^']*'|[^.]+""", text)]


def _toml_line(text: str, key_path: list[Any]) -> int:
    """Line of the deepest part of ``key_path`` under [tool.speclint] in a pyproject.toml."""
    wanted = [str(p) for p in key_path]
    best, best_depth = 1, -1
    table: list[str] = []
    arrays: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.split("\n"), 1):
        found = _TABLE.match(line)
        if found:
            table = _dotted(found.group(2))
            if found.group(1) == "[[":
                index = arrays.get(tuple(table), -1) + 1
                arrays[tuple(table)] = index
                table = [*table, str(index)]
            full = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            full = table + _dotted(key.group(1))
        if full[:2] != ["tool", "speclint"]:
            continue
        rel = full[2:]
        depth = 0
        while depth < min(len(rel), len(wanted)) and rel[depth] == wanted[depth]:
            depth += 1
        if depth == len(rel) and depth > best_depth:
            best, best_depth = number, depth
    return best
