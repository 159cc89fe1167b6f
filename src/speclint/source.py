"""Bytes to text: BOM, UTF-8 check, line endings and front matter, before any parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from speclint import remember, yamlsafe

_LINE_ENDINGS = re.compile(r"\r\n?")


@dataclass
class Source:
    """A file's text with LF endings and its front matter cut off.

    ``lines`` holds every line of the original file (1-based line N is ``lines[N-1]``);
    ``body_start`` is the 1-based line where the Markdown body begins.
    """

    text: str
    lines: list[str]
    body_start: int = 1
    front_matter: dict[str, Any] = field(default_factory=dict)
    has_front_matter: bool = False
    front_matter_error: tuple[int, str] | None = None
    bad_utf8_line: int | None = None
    bom: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.lines[self.body_start - 1 :])


def decode(data: bytes) -> tuple[str, int | None, bool]:
    """Decode UTF-8; return text, the first line with bad bytes (or None), and BOM flag."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return data.decode("utf-8"), None, bom
    except UnicodeDecodeError as exc:
        # lines as speclint counts them: CRLF, lone CR and LF each end one
        prefix = data[:exc.start]
        bad_line = prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1
        return data.decode("utf-8", errors="replace"), bad_line, bom


def normalise(text: str) -> str:
    """LF line endings (same line count), NUL replaced as CommonMark says."""
    if "\r" in text:
        text = _LINE_ENDINGS.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


# front matter is a spec's metadata (the biggest of 601 in the corpus has 1,685 characters);
# PyYAML builds it at some microseconds a value and the schema check adds more, so a
# megabyte of it would take seconds: past this it is SL004, not read
MAX_FRONT_MATTER_CHARS = 100_000
_WRITE_KEYS = "write 'key: value' lines between the '---' lines"


def _closing_line(lines: list[str]) -> int | None:
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def _read_front_matter(yaml_text: str) -> dict[str, Any]:
    """{"data": the parsed YAML} or {"error": (line in the file, message)}."""
    try:
        return {"data": yamlsafe.load(yaml_text) if yaml_text.strip() else {}}
    except yamlsafe.YamlError as exc:
        line = (exc.line or 0) + 1 if exc.line else 1
        return {"error": (line, str(exc))}


def split_front_matter(source: Source) -> None:
    """Detect front matter on line 1 and fill the front-matter fields of ``source``."""
    lines = source.lines
    if not lines or lines[0].rstrip() != "---":
        return
    closing = _closing_line(lines)
    if closing is None:
        source.front_matter_error = (1, "opened with '---' on line 1 is never closed: end it "
                                        "with a '---' line")
        return
    source.has_front_matter = True
    source.body_start = closing + 2
    yaml_text = "\n".join(lines[1:closing])
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        from speclint.schemas import property_names  # on this error only

        keys = ", ".join(property_names("front-matter"))
        source.front_matter_error = (1, f"is longer than {MAX_FRONT_MATTER_CHARS} characters "
                                        f"and was not read: keep only the spec's metadata there "
                                        f"({keys})")
        return
    read = remember.remembered("front-matter-yaml", yaml_text,
                               lambda: _read_front_matter(yaml_text))
    if "error" in read:
        line, problem = read["error"]
        source.front_matter_error = (line, f"is not valid YAML ({problem}): {_WRITE_KEYS}")
        return
    data = read["data"]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        source.front_matter_error = (1, f"must be a YAML mapping, not a {kind}: {_WRITE_KEYS}")
        return
    source.front_matter = data


def load_source(data: bytes) -> Source:
    """Turn a file's bytes into a Source."""
    text, bad_line, bom = decode(data)
    text = normalise(text)
    source = Source(text=text, lines=text.split("\n"), bad_utf8_line=bad_line, bom=bom)
    split_front_matter(source)
    return source
