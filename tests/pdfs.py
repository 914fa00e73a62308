"""Small PDFs made by the tests themselves: a page of text in a standard font, an image-only page."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def text_pdf(path: Path, lines: list[str], size: float = 12.0) -> Path:
    """A one-page PDF printing `lines` (Latin text) in Helvetica, top to bottom."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    font = pdfium_c.FPDFText_LoadStandardFont(doc, b"Helvetica")
    for i, line in enumerate(lines):
        obj = pdfium_c.FPDFPageObj_CreateTextObj(doc, font, size)
        text = (line + "\0").encode("utf-16-le")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(text), ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 770 - 20 * i)
        pdfium_c.FPDFPage_InsertObject(page, obj)
    page.gen_content()
    doc.save(path)
    return path


def scanned_pdf(source: Path, path: Path) -> Path:
    """A copy of the first page of `source` as an image only, as a scanner makes it: no text layer."""
    src = pdfium.PdfDocument(source)
    bitmap = src[0].render(scale=0.5)
    doc = pdfium.PdfDocument.new()
    width, height = src[0].get_size()
    page = doc.new_page(width, height)
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    doc.save(path)
    return path
