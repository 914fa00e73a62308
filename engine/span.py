"""Where a fact was printed: the one provenance type that travels from ingest to the report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A run of printed characters: file, 1-based page/line/column, character offsets, text."""

    file: str
    page: int
    line: int
    column: int
    start: int
    end: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
