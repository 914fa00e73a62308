"""The annotated PDF: the audited PDF with each finding's evidence boxed in its severity's colour,
the box's note holding the rule id and message.

Annotations are appended as an incremental update (pypdfium2, FPDF_INCREMENTAL), so the original
bytes stay as they were, first in the file: nothing else in the PDF changes.
"""

from __future__ import annotations

import ctypes
import io
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from engine.diagnostics import InputError
from engine.pipeline import Audit

# Severity → (red, green, blue) of the box's border.
COLOURS = {"error": (220, 0, 0), "warning": (240, 140, 0), "info": (0, 90, 220)}
_MARGIN = 1.5  # points around the printed characters, so the border does not cross them
_BORDER = 1.5  # border width in points


def _set_text(annot: pdfium_c.FPDF_ANNOTATION, key: bytes, text: str) -> None:
    buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFAnnot_SetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))


def _box(page: pdfium.PdfPage, box: list[float], colour: tuple[int, int, int], title: str, note: str) -> None:
    annot = pdfium_c.FPDFPage_CreateAnnot(page, pdfium_c.FPDF_ANNOT_SQUARE)
    try:
        x0, y0, x1, y1 = box
        rect = pdfium_c.FS_RECTF(x0 - _MARGIN, y1 + _MARGIN, x1 + _MARGIN, y0 - _MARGIN)  # left, top, right, bottom
        pdfium_c.FPDFAnnot_SetRect(annot, rect)
        pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, *colour, 255)
        pdfium_c.FPDFAnnot_SetBorder(annot, 0, 0, _BORDER)
        _set_text(annot, b"T", title)
        _set_text(annot, b"Contents", note)
    finally:
        pdfium_c.FPDFPage_CloseAnnot(annot)


def audit(audits: list[Audit]) -> bytes:
    """The one audited PDF with its findings' evidence boxed (the CLI asks for one PDF and -o)."""
    (one,) = audits
    out = io.BytesIO()
    annotate(one, out)
    return out.getvalue()


def annotate(audit: Audit, output: BinaryIO) -> int:
    """Write the audited PDF with its findings boxed to `output`; the number of boxes drawn.
    Each piece of evidence is boxed once per finding (the same figure may serve several)."""
    source = audit.loaded.source
    if source.boxes is None:
        raise InputError(source.name, "an annotated PDF needs a PDF as input")
    document = pdfium.PdfDocument(source.path)
    drawn = 0
    try:
        for finding in audit.findings:
            seen = set()
            note = f"{finding.rule} [{finding.severity}] {finding.message}"
            if finding.accepted is not None:
                note += f" (accepted: {finding.accepted})"
            for evidence in finding.evidence:
                span = evidence.source
                if span is None or span.box is None or (span.page, *span.box) in seen:
                    continue
                box, page_no = list(span.box), span.page
                seen.add((page_no, *box))
                page = document[page_no - 1]
                try:
                    _box(page, box, COLOURS.get(finding.severity, COLOURS["info"]), finding.rule, note)
                finally:
                    page.close()
                drawn += 1
        document.save(output, flags=pdfium_c.FPDF_INCREMENTAL)
    finally:
        document.close()
    return drawn
