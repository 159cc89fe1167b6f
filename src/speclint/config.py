"""Configuration: discovery, validation, and the effective settings for one file (SPEC 7)."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from speclint import yamlsafe
from speclint.errors import UsageError

CONFIG_NAMES = (".speclint.yaml", ".speclint.yml")
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024


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

    def relative(self, path: Path) -> str:
        """POSIX path of ``path`` relative to the config root (for glob matching)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def matches(self, globs: list[str], path: Path) -> bool:
        rel = self.relative(path)
        return any(glob_match(rel, g) for g in globs)

    def for_file(self, path: Path) -> tuple[str | None, dict[str, str]]:
        """(profile from overrides or None, rule settings) for one file."""
        profile: str | None = None
        rules = dict(self.rules)
        for override in self.overrides:
            if self.matches(override["files"], path):
                profile = override.get("profile", profile)
                rules.update(override.get("rules", {}))
        return profile, rules


def glob_match(rel: str, pattern: str) -> bool:
    """gitignore-like globs: '**' crosses folders, a pattern without '/' matches any name."""
    if "/" not in pattern.rstrip("/"):
        return any(fnmatch.fnmatchcase(part, pattern) for part in PurePosixPath(rel).parts)
    return PurePosixPath(rel).full_match(pattern) if hasattr(PurePosixPath, "full_match") \
        else fnmatch.fnmatchcase(rel, pattern.replace("**/", "*").replace("/**", "/*"))


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
    try:
        return "speclint" in tomllib.loads(path.read_text("utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _read(path: Path) -> tuple[dict[str, Any], str | None]:
    """Raw settings and, for YAML, the text (to find lines of bad keys)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read configuration: {exc}") from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("speclint", {})
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{path}: invalid TOML: {exc}") from None
        return data, None
    try:
        data = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        raise UsageError(f"{path}:{exc.line or 1}: invalid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1: configuration must be a mapping of settings")
    return data, text


def _toml_line(path: Path, key: str) -> int:
    lines = path.read_text("utf-8").split("\n")
    in_section = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.startswith("[tool.speclint")
        elif in_section and stripped.split("=")[0].strip().strip('"') == key:
            return number
    return next((n for n, line in enumerate(lines, 1) if "tool.speclint" in line), 1)


def load_config(path: Path) -> Config:
    """Read and validate one configuration file."""
    from speclint import schemas

    data, text = _read(path)
    problems = schemas.errors("config", data)
    if problems:
        key_path, message = problems[0]
        key = ".".join(str(p) for p in key_path) or "(top level)"
        if text is not None:
            line = yamlsafe.key_line(text, key_path) or 1
        else:
            line = _toml_line(path, str(key_path[0]) if key_path else "")
        raise UsageError(f"{path}:{line}: {key}: {message}")
    config = Config(path=path, root=path.parent)
    for key, value in data.items():
        setattr(config, key, value)
    root = path.parent
    config.rule_paths = [str((root / p)) for p in config.rule_paths]
    return config
