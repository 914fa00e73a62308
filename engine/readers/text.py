"""The text reader: a disclosure as text (UTF-8 or GB18030/GBK), as `pdftotext` or a copy writes it."""

from __future__ import annotations

import re
from pathlib import Path

from engine.diagnostics import InputError
from engine.readers.limits import MAX_TEXT, check_size
from engine.source import Source

# A text file of a disclosure holds no control characters but these.
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f"}
# A page break inside a line: an extractor that joins pages with a bare form feed (pages of pypdfium2
# text joined so) glues a page's last line to the next page's first, its heading or title included.
_GLUED_PAGE_RE = re.compile(r"(?<=[^\n\f])\f")


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


def read(path: Path) -> Source:
    """Read a text disclosure from disk; bad input becomes an InputError naming the file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_TEXT:
            check_size(p.name, size, 0)
        data = p.read_bytes()
    except OSError as err:
        raise InputError(p.name, f"cannot read: {err.strerror}") from None
    text, encoding = decode(data, p.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A page break also ends the line it interrupts, as pdftotext writes it ("…\n\f…"); a blank page's
    # form feed right after another stays as it is.
    text = _GLUED_PAGE_RE.sub("\n\f", text)
    check_size(p.name, len(data), text.count("\f") + 1)
    bad = [ch for ch in text[:4096] if ch < " " and ch not in _ALLOWED_CONTROLS]
    if len(bad) > 8:
        raise InputError(p.name, "binary file (control characters): not a text disclosure")
    cjk = sum(1 for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff")
    if cjk < 20:
        raise InputError(p.name, "no Chinese text: not a budget disclosure")
    return Source(path=str(p), text=text, encoding=encoding)
