"""Answers kept by question, for a server whose data never changes while it runs (the endpoint's snapshot).

The same query on the same snapshot always has the same answer, so it is computed once: later askers get
the kept answer, and askers arriving while it is computed wait for that one computation (no stampede of
identical slow queries on the worker pool). Least recently used answers go first past `max_bytes`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class AnswerCache(Generic[K, V]):
    """Computed answers by key, at most `max_bytes` of them (as `size` counts); `keep` says which to keep."""

    def __init__(self, max_bytes: int, size: Callable[[V], int], keep: Callable[[V], bool]) -> None:
        self.max_bytes, self.size, self.keep = max_bytes, size, keep
        self.kept: OrderedDict[K, V] = OrderedDict()
        self.used = 0
        self.pending: dict[K, threading.Event] = {}
        self.lock = threading.Lock()

    def answer(self, key: K, compute: Callable[[], V]) -> V:
        """The kept answer for `key`, or the one being computed for it, or `compute()` now."""
        while True:
            with self.lock:
                if key in self.kept:
                    self.kept.move_to_end(key)
                    return self.kept[key]
                waiting = self.pending.get(key)
                if waiting is None:
                    done = self.pending[key] = threading.Event()
                    break
            waiting.wait()
            with self.lock:
                if key in self.kept:
                    self.kept.move_to_end(key)
                    return self.kept[key]
            return compute()  # the first computation was not kept (an error): ask on one's own
        try:
            value = compute()
            self._keep(key, value)
            return value
        finally:
            with self.lock:
                del self.pending[key]
            done.set()

    def _keep(self, key: K, value: V) -> None:
        """Keep `value` if it may be kept and fits, dropping the least recently used answers to make room."""
        size = self.size(value)
        if not self.keep(value) or size > self.max_bytes:
            return
        with self.lock:
            self.kept[key] = value
            self.used += size
            while self.used > self.max_bytes:
                _, dropped = self.kept.popitem(last=False)
                self.used -= self.size(dropped)
