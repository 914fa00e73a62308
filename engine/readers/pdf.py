"""The PDF reader: a published disclosure's text layer, page by page, with every character's box.

pypdfium2 (Apache-2.0/BSD) gives each glyph's loose box at a few milliseconds a page; the glyphs
are laid out as `pdftotext -layout` text (engine/readers/pdf_layout.py), pages separated by a form
feed, so every later stage reads a PDF as it reads its text twin. One page is open at a time, and
boxes are kept in a flat array, so memory grows with the text, not with the pages' objects.
"""

from __future__ import annotations

import ctypes
import re
import struct
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from engine.diagnostics import InputError
from engine.readers.limits import MAX_PAGES, check_size
from engine.readers.pdf_layout import Glyph, layout_page
from engine.source import CharBoxes, Source
from engine.span import Box

_MAX_BYTES = 512 * 1024 * 1024
# A PDF ends with '%%EOF' (trailing bytes after it are tolerated): without it the file was cut short.
_EOF_WINDOW = 2048
_PAGES_PER_OPENING = 32
_RECT = struct.Struct("4f")  # pdfium's FS_RECTF, four float32
_CJK_RE = re.compile("[\u4e00-\u9fff]")


# The two per-glyph calls, FPDF_BOOL (an int) f(FPDF_TEXTPAGE, int, FS_RECTF*) and
# f(FPDF_TEXTPAGE, int, double*, double*), as prototypes without argument types: ctypes then passes
# the arguments as they are instead of converting each one, which cost twice the calls themselves
# (both calls for the corpus's 175k characters: 0.28 s declared, 0.09 s so). They are only ever
# given arguments of exactly those types.
_UNCHECKED = ctypes.CFUNCTYPE(ctypes.c_int)
_LOOSE_BOX = ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, _UNCHECKED)
_ORIGIN = ctypes.cast(pdfium_c.FPDFText_GetCharOrigin, _UNCHECKED)


def _open(path: Path) -> pdfium.PdfDocument:
    """Open the PDF, or say in one line why it cannot be read."""
    name = path.name
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(name, "empty file")
        if size > _MAX_BYTES:
            raise InputError(name, f"file of {size} bytes is larger than a disclosure can be")
        with path.open("rb") as f:
            f.seek(max(size - _EOF_WINDOW, 0))
            tail = f.read()
    except OSError as err:
        raise InputError(name, f"cannot read: {err.strerror}") from None
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(name, "encrypted PDF: it needs a password to be read") from None
        if err.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(name, "PDF protected by an unsupported security handler") from None
        raise InputError(name, "corrupt or truncated PDF: it cannot be opened") from None
    if b"%%EOF" not in tail:
        document.close()
        raise InputError(name, "truncated PDF: the file ends before its end-of-file marker")
    if len(document) == 0:
        document.close()
        raise InputError(name, "PDF without pages")
    if len(document) > MAX_PAGES:
        pages = len(document)
        document.close()
        check_size(name, 0, pages)
    return document


def _display(box: Box, rotation: int, width: float, height: float) -> Box:
    """A box in page space → the same box as the page is shown (rotated clockwise by `rotation`)."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return (y0, width - x1, y1, width - x0)
    if rotation == 180:
        return (width - x1, height - y1, width - x0, height - y0)
    if rotation == 270:
        return (height - y1, x0, height - y0, x1)
    return box


def page_glyphs(page: pdfium.PdfPage) -> list[Glyph]:
    """Each printed glyph of the page with its box as the page is shown (rotation applied)."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw  # the handle itself: pdfium is asked twice per glyph
        count = pdfium_c.FPDFText_CountChars(raw)
        if count <= 0:
            return []
        # UTF-16 and a terminating 0; a bytearray, as ctypes makes a new array type for each new size
        buffer = bytearray(2 * (count + 1))
        pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.c_ushort.from_buffer(buffer))
        text = buffer[: 2 * count].decode("utf-16-le", errors="replace")
        if len(text) != count:  # characters outside the BMP: ask for each one
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
        rotation = page.get_rotation() % 360
        width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        rect = pdfium_c.FS_RECTF()
        x, y = ctypes.c_double(), ctypes.c_double()
        rect_p, x_p, y_p = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y)
        loose_box, origin, unpack = _LOOSE_BOX, _ORIGIN, _RECT.unpack
        # Text drawn outside the page's box is not shown (a Word export may draw a whole section on
        # each of its pages and let the page cut it): only what the page shows is read.
        left, bottom, right, top = page.get_bbox()
        glyphs: list[Glyph] = []
        for i, ch in enumerate(text):
            if ch <= " " or ch.isspace() or not loose_box(raw, i, rect_p):
                continue
            x0, y1, x1, y0 = unpack(rect)  # FS_RECTF: left, top, right, bottom
            if x1 <= x0 or not (left <= (x0 + x1) / 2 <= right and bottom <= (y0 + y1) / 2 <= top):
                continue
            origin(raw, i, x_p, y_p)
            if rotation:
                box = _display((x0, y0, x1, y1), rotation, width, height)
                base = _display((x.value, y.value, x.value, y.value), rotation, width, height)[1]
                glyphs.append((ch, *box, base))
            else:
                glyphs.append((ch, x0, y0, x1, y1, y.value))
        return glyphs
    finally:
        textpage.close()


def read_pdf(path: Path) -> tuple[str, CharBoxes, int]:
    """The text of every page (pages end with a form feed, as `pdftotext` writes them), the box of
    every character in page space, and the number of pages."""
    document = _open(path)
    parts: list[str] = []
    boxes = CharBoxes()
    printed = 0
    pages = len(document)
    index = 0
    try:
        for index in range(pages):
            if index and index % _PAGES_PER_OPENING == 0:
                # pdfium keeps every object it parsed until the document closes: reopening it now
                # and then keeps memory flat in the number of pages.
                document.close()
                document = pdfium.PdfDocument(str(path))
            page = document[index]
            try:
                glyphs = page_glyphs(page)
                rotation = page.get_rotation() % 360
                # Undoing a turn by r is a turn by 360 - r of the page as shown (sides swapped for 90, 270).
                width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
                if rotation in (90, 270):
                    width, height = height, width
            finally:
                page.close()
            printed += len(glyphs)
            page_boxes: list[Box | None] = []  # added to `boxes` at once: fewer, longer calls
            for line in layout_page(glyphs):
                parts.append(line.text)
                parts.append("\n")
                page_boxes += line.boxes
                page_boxes.append(None)
            parts.append("\f")
            page_boxes.append(None)
            if rotation:
                page_boxes = [b and _display(b, 360 - rotation, width, height) for b in page_boxes]
            boxes.extend(page_boxes)
    except pdfium.PdfiumError as err:
        raise InputError(path.name, f"corrupt PDF: page {index + 1} cannot be read ({err})") from None
    finally:
        document.close()
    if printed == 0:
        raise InputError(path.name, f"no text layer on any of its {pages} page(s) (a scanned PDF?): it needs OCR first")
    return "".join(parts), boxes, pages


def read(path: Path) -> Source:
    """Read a PDF disclosure: its text layer as layout text, each character's box kept."""
    text, boxes, _ = read_pdf(path)
    check_size(path.name, len(text), 0)
    cjk = len(_CJK_RE.findall(text, 0, 20000))
    if cjk < 20:
        raise InputError(path.name, "text layer without Chinese text: not a budget disclosure")
    return Source(path=str(path), text=text, encoding="pdf", boxes=boxes)
