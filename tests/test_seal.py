"""Cache entries inside a repository are sealed: a pull request cannot plant answers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from speclint import remember, schemas, seal

BAD = "# Spec\n\n## Rate limits\n\nEach account can have at most 100 imports.\n"


@pytest.fixture
def secret_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    seal._secret.cache_clear()
    yield home
    seal._secret.cache_clear()


def test_the_secret_is_kept_outside_the_repository_for_the_user_only(secret_home: Path) -> None:
    sealed = seal.seal("key", "payload")
    path = secret_home / "speclint" / "secret"
    assert path.stat().st_size == seal.SECRET_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    seal._secret.cache_clear()  # a later run reads the same secret
    assert seal.unseal("key", sealed) == "payload"


def test_a_changed_payload_key_or_seal_is_refused(secret_home: Path) -> None:
    sealed = seal.seal("key", '{"findings": [1]}')
    assert seal.unseal("key", sealed.replace("[1]", "[]")) is None
    assert seal.unseal("other", sealed) is None
    assert seal.unseal("key", "0" * 64 + '\n{"findings": [1]}') is None
    assert seal.unseal("key", '{"findings": []}') is None  # an entry written without a seal


def test_without_a_writable_home_a_process_secret_still_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    seal._secret.cache_clear()
    try:
        assert seal.unseal("k", seal.seal("k", "v")) == "v"
    finally:
        seal._secret.cache_clear()


def test_a_planted_schema_verdict_is_ignored(secret_home: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remember, "FOLDER", tmp_path / "verdicts")
    bad = {"not_a_key": 1}
    assert schemas.errors("config", bad)  # and the verdict is written
    [verdict] = list((tmp_path / "verdicts").iterdir())
    verdict.write_text("f" * 64 + "\n[]", "utf-8")  # "valid", planted
    assert schemas.errors("config", bad)
    verdict.write_text(seal.seal(verdict.name, "[]"), "utf-8")  # sealed here: trusted
    assert schemas.errors("config", bad) == []


def _check(folder: Path, home: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "speclint", "check", "--format", "json",
                           "spec.md"], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": str(home), "NO_COLOR": "1"})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["files"][0]


def test_a_planted_result_is_ignored_and_a_sealed_one_is_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, home = tmp_path / "repo", tmp_path / "home"
    folder.mkdir()
    (folder / ".speclint.yaml").write_text("profile: technical\n", "utf-8")
    (folder / "spec.md").write_text(BAD, "utf-8")
    assert any(f["code"] == "SL123" for f in _check(folder, home)["findings"])
    [entry] = list((folder / ".speclint_cache").rglob("*.json"))
    tag, _, payload = entry.read_text("utf-8").partition("\n")
    clean = json.dumps({**json.loads(payload), "findings": []})
    entry.write_text(tag + "\n" + clean, "utf-8")  # a forged "no findings", old seal
    assert any(f["code"] == "SL123" for f in _check(folder, home)["findings"])
    [entry] = list((folder / ".speclint_cache").rglob("*.json"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    seal._secret.cache_clear()
    entry.write_text(seal.seal(entry.stem, clean), "utf-8")  # sealed with the secret
    seal._secret.cache_clear()
    assert _check(folder, home)["findings"] == []  # so sealed entries are what is read
    assert _check(folder, tmp_path / "fresh-ci-machine")["findings"] != []
