"""Where a fact was printed: the one provenance type that travels from ingest to the report."""

from __future__ import annotations

from dataclasses import dataclass

# A rectangle on a PDF page in points, origin at the page's bottom left: (x0, y0, x1, y1).
Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Span:
    """A run of printed characters: file, 1-based page/line/column, character offsets, text, and
    for a PDF the box the characters cover on their page."""

    file: str
    page: int
    line: int
    column: int
    start: int
    end: int
    text: str
    box: Box | None = None

    def __str__(self) -> str:
        """The one way a place is printed: `file:line:col` for text, `file:p.PAGE` for a PDF (its
        pages, not the reader's lines, are what an auditor turns to)."""
        return place(self.file, self.line, self.column, self.page, self.box is not None)


def place(file: str, line: object, column: object, page: object, pdf: bool) -> str:
    """`file:line:col`, or `file:p.PAGE` for a fact printed in a PDF."""
    return f"{file}:p.{page}" if pdf else f"{file}:{line}:{column}"
