"""rules/bundle.json: the built-in YAML read ahead of time, used only while it is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from speclint import bundle, vocab
from speclint.fragments import plan

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_bundle_is_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_bundle.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + " (run python scripts/gen_bundle.py)"


def test_the_bundle_holds_what_the_yaml_says() -> None:
    from speclint import yamlsafe

    current = bundle._current()
    assert current is not None
    base = vocab.rules_dir()
    for relative, data in current["files"].items():
        assert data == yamlsafe.load((base / relative).read_text("utf-8")), relative
    assert "vocabulary.yaml" in current["files"] and "document.yaml" in current["files"]


def test_every_vocabulary_pattern_has_its_plan_ahead_of_time() -> None:
    known = bundle.known_plans()
    split = 0
    for pattern in vocab.guarded_patterns(vocab.load_vocabulary()):
        key = vocab.fragment_key(pattern.pattern, pattern.flags)
        assert known.get(key) == plan(pattern.pattern, pattern.flags), key
        assert pattern.fragments == known[key].fragments
        split += bool(known[key].branches)
    assert split > 10  # the big alternations are guarded alternative by alternative


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(vocab.rules_dir(), copy)
    monkeypatch.setattr(bundle, "rules_dir", lambda: copy)
    for cached in (bundle.digest, bundle._current):
        cached.cache_clear()
    yield copy
    for cached in (bundle.digest, bundle._current):
        cached.cache_clear()


def test_a_stale_bundle_is_never_used(rules_copy: Path) -> None:
    assert bundle._current() is not None  # an exact copy: still current
    bundle.digest.cache_clear()
    bundle._current.cache_clear()
    profile = rules_copy / "profiles" / "minimal.yaml"
    profile.write_text(profile.read_text("utf-8").replace("summary:", "summary: EDITED"), "utf-8")
    assert bundle._current() is None
    assert "EDITED" in bundle.builtin_yaml("profiles/minimal.yaml")["summary"]
    assert bundle.known_plans() == {}


def test_a_broken_bundle_is_ignored(rules_copy: Path) -> None:
    (rules_copy / bundle.BUNDLE).write_text("{not json", "utf-8")
    assert bundle._current() is None
    assert bundle.builtin_yaml("profiles/minimal.yaml")["name"] == "minimal"
