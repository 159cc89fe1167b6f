"""Shared helpers of the benchmark scripts: find the corpus, pick a sample."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def default_corpus() -> Path:
    """$SPECLINT_CORPUS, else ../shared/corpus next to the repository."""
    env = os.environ.get("SPECLINT_CORPUS")
    return Path(env) if env else (REPO.parent / "shared" / "corpus")


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus specs: Markdown files in its source folders (not README.md, not _licenses)."""
    corpus = corpus.resolve()
    if not corpus.is_dir():
        raise SystemExit(f"benchmark: corpus folder {corpus} does not exist (use --corpus)")
    files = [p for p in corpus.rglob("*")
             if p.suffix.lower() in (".md", ".markdown") and p.is_file()
             and p.parent != corpus
             and not any(part.startswith(("_", ".")) for part in p.relative_to(corpus).parts)]
    if not files:
        raise SystemExit(f"benchmark: no Markdown files under {corpus}")
    return sorted(files)


def sample(files: list[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over the sorted list (every source folder is represented)."""
    if count >= len(files):
        return list(files)
    step = len(files) / count
    return [files[int(i * step)] for i in range(count)]
