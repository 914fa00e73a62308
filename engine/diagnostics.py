"""Problems found while reading a document: reported with their place, never raised."""

from __future__ import annotations

from dataclasses import dataclass

from engine.span import Span


class InputError(Exception):
    """Input that cannot be read as a disclosure at all; the CLI prints it as one line, exit 2."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A printed line (or sentence) that carries numbers but produced no fact."""

    stage: str
    span: Span
    reason: str
