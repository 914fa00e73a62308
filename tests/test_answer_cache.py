"""Tests of engine.answer_cache: one computation per question, errors never kept, oldest answers dropped first."""

from __future__ import annotations

import threading
import time

from engine.answer_cache import AnswerCache


def cache(max_bytes: int = 100) -> AnswerCache[str, str]:
    """Answers are strings, sized by length; one starting with 'error' is not kept."""
    return AnswerCache(max_bytes, len, lambda answer: not answer.startswith("error"))


def test_concurrent_askers_share_one_computation() -> None:
    answers: AnswerCache[str, str] = cache()
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "rows"

    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(answers.answer("q", slow))) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["rows"] * 10 and len(calls) == 1
    assert answers.answer("q", lambda: "other") == "rows"


def test_an_error_is_asked_again() -> None:
    answers: AnswerCache[str, str] = cache()
    assert answers.answer("q", lambda: "error: busy") == "error: busy"
    assert answers.answer("q", lambda: "rows") == "rows"


def test_least_recently_used_answer_goes_first() -> None:
    answers: AnswerCache[str, str] = cache(max_bytes=10)
    answers.answer("a", lambda: "aaaa")
    answers.answer("b", lambda: "bbbb")
    answers.answer("a", lambda: "new a")  # a used again: b is now the oldest
    answers.answer("c", lambda: "cccc")
    assert list(answers.kept) == ["a", "c"] and answers.used == 8
    assert answers.answer("x", lambda: "x" * 11) == "x" * 11 and "x" not in answers.kept  # too big to keep
