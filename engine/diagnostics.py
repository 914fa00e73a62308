"""Problems the stages meet, as values: every stage returns its diagnostics beside its result, and
only the pipeline (engine/pipeline.py) decides which of them stop a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.span import Span

Severity = Literal["error", "warning"]
ERROR: Severity = "error"  # the stage could not do its work: the document is not read (exit 2)
WARNING: Severity = "warning"  # a printed line (or sentence) carries numbers but produced no fact


class InputError(Exception):
    """Raised inside a reader (engine/readers/) for input it cannot read; the read stage returns it
    as a Diagnostic, so it never leaves the stage."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """What one stage met: its stage, severity, where (a span, or the file's name when no place in
    it is meant) and a message."""

    stage: str
    severity: Severity
    where: Span | str
    message: str

    @property
    def span(self) -> Span | None:
        return self.where if isinstance(self.where, Span) else None

    @property
    def file(self) -> str:
        return self.where.file if isinstance(self.where, Span) else self.where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
