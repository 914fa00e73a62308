"""What a reader gives (engine/readers/): a document's text with the line, column and page of
every character and, from a PDF, its box on the page.

Lines are counted on '\\n' only, as `grep -n` and editors count them; a form feed (the page
break in `pdftotext` output, and between a PDF's pages) starts a page, not a line.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path
from typing import overload

from engine.span import Box, Span

# Two cells of one aligned line: printed characters with two or more spaces between them.
_CELL_GAP_RE = re.compile(r"\S {2,}\S")


class CharBoxes(Sequence[Box | None]):
    """The box of every character of the text, compact: for each character the index of its box
    (-1 where the reader inserted it: spaces, line and page breaks), and four float32 per box.
    Boxes are only appended, so the printed characters of any stretch of text own consecutive boxes."""

    __slots__ = ("_index", "_values")

    def __init__(self) -> None:
        self._index = array("i")
        self._values = array("f")

    @classmethod
    def of(cls, boxes: Iterable[Box | None]) -> CharBoxes:
        made = cls()
        made.extend(boxes)
        return made

    def extend(self, boxes: Iterable[Box | None]) -> None:
        boxes = list(boxes)
        numbers = count(len(self._values) // 4)  # the index the next box takes
        # fromlist, not extend: array.extend takes a list item by item through its iterator
        self._index.fromlist([-1 if box is None else next(numbers) for box in boxes])
        self._values.fromlist(list(chain.from_iterable(filter(None, boxes))))  # the boxes, without the Nones

    def cover(self, start: int, end: int) -> Box | None:
        """The smallest box covering the printed characters of [start, end), None if none is printed."""
        index = self._index[start:end]
        first = next((k for k in index if k >= 0), -1)
        if first < 0:
            return None
        last = next(k for k in reversed(index) if k >= 0)
        a, b, v = 4 * first, 4 * last + 4, self._values
        return (min(v[a:b:4]), min(v[a + 1 : b : 4]), max(v[a + 2 : b : 4]), max(v[a + 3 : b : 4]))

    def __len__(self) -> int:
        return len(self._index)

    def _box(self, i: int) -> Box | None:
        k = self._index[i]
        if k < 0:
            return None
        x0, y0, x1, y1 = self._values[4 * k : 4 * k + 4]
        return (x0, y0, x1, y1)

    @overload
    def __getitem__(self, index: int) -> Box | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[Box | None]: ...
    def __getitem__(self, index: int | slice) -> Box | None | list[Box | None]:
        if isinstance(index, slice):
            return [self._box(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._box(index)


@dataclass(slots=True)
class Source:
    """A decoded document: its text, the offsets where lines and pages start, and for a PDF the box
    of every character (None for what the reader inserted: spaces, line and page breaks)."""

    path: str
    text: str
    encoding: str
    boxes: CharBoxes | None = None
    line_starts: list[int] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)
    name: str = field(init=False, default="")  # the file's name, as every span and finding cites it
    _layout: bool | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.page_starts = [0] + [m.end() for m in re.finditer("\f", self.text)]
        self.name = Path(self.path).name

    @property
    def is_layout(self) -> bool:
        """Text whose columns are aligned with runs of spaces (`pdftotext -layout`), so x-positions mean
        something. Plain extractions (pdftotext without -layout, pypdfium2, pdfminer, a viewer's copy)
        and the wrapped form separate cells by one space or a line break: positions there mean nothing."""
        if self._layout is None:  # asked by every table and the narrative: counted once
            lines = [line for line in self.text.split("\n") if line.strip()]
            aligned = sum(1 for line in lines if _CELL_GAP_RE.search(line))
            self._layout = aligned * 10 > len(lines)
        return self._layout

    def line_of(self, offset: int) -> int:
        """1-based line holding the character at `offset`."""
        return bisect.bisect_right(self.line_starts, offset)

    def page_of(self, offset: int) -> int:
        """1 + the number of form feeds before `offset`."""
        return bisect.bisect_right(self.page_starts, offset)

    def column_of(self, offset: int) -> int:
        """1-based column of `offset` in its line, not counting form feeds (they print nothing)."""
        start = self.line_starts[self.line_of(offset) - 1]
        return offset - start - self.text.count("\f", start, offset) + 1

    def span(self, start: int, end: int) -> Span:
        """The span of text[start:end]."""
        return Span(
            file=self.name,
            page=self.page_of(start),
            line=self.line_of(start),
            column=self.column_of(start),
            start=start,
            end=end,
            text=self.text[start:end],
            box=self.box_of(start, end),
        )

    def box_of(self, start: int, end: int) -> Box | None:
        """The smallest box covering the printed characters of text[start:end] on the span's first page
        (PDF input only; a sentence running onto the next page is boxed where it starts)."""
        if self.boxes is None:
            return None
        page_end = self.text.find("\f", start, end)
        return self.boxes.cover(start, end if page_end < 0 else page_end)

    def lines(self) -> list[tuple[int, str]]:
        """(start offset, text) of every line, without its '\\n'."""
        ends = [s - 1 for s in self.line_starts[1:]] + [len(self.text)]
        return [(s, self.text[s:e]) for s, e in zip(self.line_starts, ends, strict=True)]
