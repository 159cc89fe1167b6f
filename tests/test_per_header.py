"""detect.base.per_header: a table header is judged once, however many tables or rows share it."""

from __future__ import annotations

from speclint.detect.base import per_header


def test_each_distinct_header_is_worked_out_once() -> None:
    calls: list[list[str]] = []

    def judge(header: list[str]) -> bool:
        calls.append(header)
        return "Code" in header

    cache: dict[object, bool] = {}
    first, same_cells, other = ["Code", "Meaning"], ["Code", "Meaning"], ["Name", "Type"]
    answers = [per_header(cache, h, judge) for h in (first, first, same_cells, other, other)]
    assert answers == [True, True, True, False, False]
    assert calls == [["Code", "Meaning"], ["Name", "Type"]]


def test_a_false_or_empty_answer_is_kept_too() -> None:
    calls = 0

    def columns(header: list[str]) -> list[int]:
        nonlocal calls
        calls += 1
        return []

    cache: dict[object, list[int]] = {}
    header = ["a", "b"]
    assert per_header(cache, header, columns) == []
    assert per_header(cache, ["a", "b"], columns) == []
    assert per_header(cache, None, columns) == []
    assert calls == 2  # ["a", "b"] once, then the empty header
