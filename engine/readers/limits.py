"""Sizes no real disclosure reaches: input beyond them is refused in one line before any stage reads it.

The corpus's largest text is 71 KB and its longest PDF 63 pages; a file of 20 MB of text or 2,000 pages
is not a disclosure but a mistake or an attack that would hold `audit` or `load` for hours.
"""

from __future__ import annotations

from engine.diagnostics import InputError

MAX_TEXT = 20 * 1000 * 1000
"""Bytes of a text file, or characters of the text read from a PDF."""
MAX_PAGES = 2000
"""Pages of a PDF, or form-feed separated pages of a text."""


def check_size(name: str, text_size: int, pages: int) -> None:
    """Raise InputError naming the file when its text or its pages exceed what a disclosure can hold."""
    if text_size > MAX_TEXT:
        raise InputError(name, f"{text_size} bytes of text: larger than a disclosure can be (at most {MAX_TEXT})")
    if pages > MAX_PAGES:
        raise InputError(name, f"{pages} pages: more than a disclosure can have (at most {MAX_PAGES})")
