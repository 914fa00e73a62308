"""Read stage: a reader chosen by the input turns a file into a Source (text with the page and
position of every character).

A reader is a module with `read(path) -> Source` that raises InputError for input it cannot read
(the stage returns that as a Diagnostic); it is listed here once, with the magic bytes
(found in the file's first kilobyte) and the suffixes it claims. Magic bytes win over the
suffix; what no reader claims is read as text.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from engine.diagnostics import ERROR, Diagnostic, InputError
from engine.source import Source


@dataclass(frozen=True, slots=True)
class Reader:
    """One input form: the module that reads it, and how a file shows it is of that form."""

    name: str
    module: str
    magic: tuple[bytes, ...] = ()
    suffixes: tuple[str, ...] = ()


TEXT = Reader("text", "engine.readers.text", suffixes=(".txt",))
PDF = Reader("pdf", "engine.readers.pdf", magic=(b"%PDF-",), suffixes=(".pdf",))
READERS: tuple[Reader, ...] = (PDF, TEXT)


def reader_for(path: Path) -> Reader:
    """The reader whose magic bytes open the file, else the one claiming its suffix, else text."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        head = b""  # the reader itself reports why the file cannot be read
    for reader in READERS:
        if any(m in head for m in reader.magic):
            return reader
    suffix = path.suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), TEXT)


def read_source(path: str | Path) -> tuple[Source | None, list[Diagnostic]]:
    """Read a document with the reader its input calls for; None and the reason when it cannot."""
    p = Path(path)
    try:
        return importlib.import_module(reader_for(p).module).read(p), []
    except InputError as err:
        return None, [Diagnostic("read", ERROR, err.file, err.reason)]
