"""What a reader gives (engine/readers/): a document's text with the line, column and page of
every character and, from a PDF, its box on the page.

Lines are counted on '\\n' only, as `grep -n` and editors count them; a form feed (the page
break in `pdftotext` output, and between a PDF's pages) starts a page, not a line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.span import Box, Span

# Two cells of one aligned line: printed characters with two or more spaces between them.
_CELL_GAP_RE = re.compile(r"\S {2,}\S")


@dataclass(slots=True)
class Source:
    """A decoded document: its text, the offsets where lines and pages start, and for a PDF the box
    of every character (None for what the reader inserted: spaces, line and page breaks)."""

    path: str
    text: str
    encoding: str
    boxes: Sequence[Box | None] | None = None
    line_starts: list[int] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        self.page_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\f"]

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def is_layout(self) -> bool:
        """Text whose columns are aligned with runs of spaces (`pdftotext -layout`), so x-positions mean
        something. Plain extractions (pdftotext without -layout, pypdfium2, pdfminer, a viewer's copy)
        and the wrapped form separate cells by one space or a line break: positions there mean nothing."""
        lines = [line for line in self.text.split("\n") if line.strip()]
        aligned = sum(1 for line in lines if _CELL_GAP_RE.search(line))
        return aligned * 10 > len(lines)

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
        end = end if page_end < 0 else page_end
        boxes = [b for b in self.boxes[start:end] if b is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def lines(self) -> list[tuple[int, str]]:
        """(start offset, text) of every line, without its '\\n'."""
        ends = [s - 1 for s in self.line_starts[1:]] + [len(self.text)]
        return [(s, self.text[s:e]) for s, e in zip(self.line_starts, ends, strict=True)]
