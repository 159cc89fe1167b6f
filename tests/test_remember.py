"""Answers remembered between runs (speclint.remember): exact, sealed, never for odd values."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from speclint import remember, seal


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    seal._secret.cache_clear()
    monkeypatch.setattr(remember, "FOLDER", tmp_path / "remembered")
    yield tmp_path / "remembered"
    seal._secret.cache_clear()


def _counted(answer: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return answer
    return calls, compute


def test_an_answer_is_computed_once_and_read_back_the_same(folder: Path) -> None:
    answer = {"data": {"title": "Refunds", "created": datetime.date(2026, 1, 5),
                       "at": datetime.datetime(2026, 1, 5, 9, 30,
                                               tzinfo=datetime.UTC),
                       "owners": ["a", "b"], "n": 1, "ratio": 1.5, "ok": True, "none": None}}
    calls, compute = _counted(answer)
    assert remember.remembered("front-matter", "text", compute) == answer
    again = remember.remembered("front-matter", "text", compute)
    assert again == answer and type(again["data"]["created"]) is datetime.date
    assert len(calls) == 1
    remember.remembered("front-matter", "other text", compute)
    remember.remembered("yaml-block", "text", compute)  # another kind: another answer
    assert len(calls) == 3


@pytest.mark.parametrize("answer", [{1: "a"}, {"s": {1, 2}}, {"x": float("nan")},
                                    {"__speclint_date__": "2026-01-05"}],
                         ids=["int key", "set", "nan", "looks tagged"])
def test_an_answer_json_cannot_hold_exactly_is_never_kept(folder: Path, answer: object) -> None:
    calls, compute = _counted(answer)
    assert remember.remembered("k", "t", compute) == answer
    assert remember.remembered("k", "t", compute) == answer
    assert len(calls) == 2
    assert not folder.exists() or not any(folder.iterdir())


def test_a_planted_answer_is_not_believed(folder: Path) -> None:
    calls, compute = _counted({"error": [3, "bad"]})
    remember.remembered("front-matter", "t", compute)
    [entry] = list(folder.iterdir())
    entry.write_text("0" * 64 + '\n{"data": {"status": "implemented"}}', "utf-8")
    assert remember.remembered("front-matter", "t", compute) == {"error": [3, "bad"]}
    assert len(calls) == 2


def test_without_a_folder_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remember, "FOLDER", None)
    calls, compute = _counted([1])
    remember.remembered("k", "t", compute)
    remember.remembered("k", "t", compute)
    assert len(calls) == 2
