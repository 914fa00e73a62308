"""Ingest: bytes of a text disclosure → decoded text with line, column and page for every offset.

Lines are counted on '\\n' only, as `grep -n` and editors count them; a form feed (the page
break in `pdftotext` output) starts a page, not a line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.diagnostics import InputError
from engine.span import Box, Span

# A text file of a disclosure holds no control characters but these.
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f"}
_MAX_BYTES = 64 * 1024 * 1024
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


def is_pdf(path: Path) -> bool:
    """A PDF by its magic bytes ('%PDF-' within its first kilobyte), or by its suffix."""
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        head = b""
    return b"%PDF-" in head or path.suffix.lower() == ".pdf"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; reject what is not text."""
    if not data.strip():
        raise InputError(name, "empty file")
    if b"\x00" in data:
        raise InputError(name, "binary file (NUL bytes): not a text disclosure")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            raise InputError(name, f"truncated file: incomplete UTF-8 character at byte {err.start}") from None
        utf8_error = err
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3:
            raise InputError(name, f"truncated file: incomplete GB18030 character at byte {err.start}") from None
        raise InputError(
            name, f"not UTF-8 (byte {utf8_error.start}) nor GB18030 (byte {err.start}): unreadable text"
        ) from None
    return text, "gb18030"


def read_source(path: str | Path) -> Source:
    """Read a disclosure (text, or a PDF's text layer) from disk; bad input becomes an InputError naming the file."""
    p = Path(path)
    if is_pdf(p):
        from engine.readers.pdf import read

        return read(p)
    try:
        size = p.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(p.name, f"file of {size} bytes is larger than a disclosure can be")
        data = p.read_bytes()
    except OSError as err:
        raise InputError(p.name, f"cannot read: {err.strerror}") from None
    text, encoding = decode(data, p.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = [ch for ch in text[:4096] if ch < " " and ch not in _ALLOWED_CONTROLS]
    if len(bad) > 8:
        raise InputError(p.name, "binary file (control characters): not a text disclosure")
    cjk = sum(1 for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff")
    if cjk < 20:
        raise InputError(p.name, "no Chinese text: not a budget disclosure")
    return Source(path=str(p), text=text, encoding=encoding)
