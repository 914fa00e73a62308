"""`audit FILE.pdf --format pdf -o OUT.pdf`: the audited PDF, its bytes unchanged, with each finding's
evidence boxed in its severity's colour; rendered with poppler's pdftoppm, the box is where the figure is."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from tests.conftest import CORPUS, ROOT

# finance-bureau-2025-dept-budget: p.7 says 职业年金缴费支出 887.36万元 where the tables (p.10, p.15) print
# 873,617.00 元 = 87.36万元: BK-NAR-001, an error, so a red box.
DOC = CORPUS / "finance-bureau-2025-dept-budget.pdf"


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("annotate") / "annotated.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "audit", str(DOC), "--format", "pdf", "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the document has errors
    return out


def _annotations(path: Path) -> list[tuple[int, str, tuple[float, float, float, float], tuple[int, int, int]]]:
    """(page, note, rect, colour) of every square annotation."""
    out = []
    doc = pdfium.PdfDocument(path)
    for index in range(len(doc)):
        page = doc[index]
        for k in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
            annot = pdfium_c.FPDFPage_GetAnnot(page, k)
            rect = pdfium_c.FS_RECTF()
            pdfium_c.FPDFAnnot_GetRect(annot, rect)
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            pdfium_c.FPDFAnnot_GetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, r, g, b, a)
            size = pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buffer = (pdfium_c.FPDF_WCHAR * (size // 2))()
            pdfium_c.FPDFAnnot_GetStringValue(annot, b"Contents", buffer, size)
            note = bytes(buffer)[: size - 2].decode("utf-16-le")
            out.append((index + 1, note, (rect.left, rect.bottom, rect.right, rect.top), (r.value, g.value, b.value)))
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def test_the_annotated_pdf_keeps_every_original_byte(annotated: Path) -> None:
    original = DOC.read_bytes()
    assert annotated.read_bytes()[: len(original)] == original


def test_each_error_is_a_red_box_with_its_rule_and_message(annotated: Path) -> None:
    notes = _annotations(annotated)
    errors = [n for n in notes if n[1].startswith("BK-NAR-001 [error]")]
    assert errors and all(colour == (220, 0, 0) for _, _, _, colour in errors)
    # The narrative figure 887.36 on p.7 is boxed (where pdfium prints it: x 721–768 pt, y 137–156 pt).
    page, _, (x0, y0, x1, y1), _ = next(n for n in errors if n[0] == 7)
    assert 715 < x0 < 730 and 765 < x1 < 775 and 130 < y0 < 145 and 150 < y1 < 160
    assert all(n[0] != 7 or "887.36" in n[1] for n in errors)


def _render(path: Path, page: int, out: Path) -> tuple[int, int, bytes]:
    """Page `page` rendered by pdftoppm at 72 dpi (a pixel a point): width, height, RGB bytes."""
    subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), str(path), str(out)], check=True)
    data = next(out.parent.glob(out.name + "*.ppm")).read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return int(width), int(height), pixels


def test_poppler_draws_the_box_around_the_figure(annotated: Path, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm missing: the Makefile installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) not installed")
    page, _, (x0, y0, x1, y1), _ = next(n for n in _annotations(annotated) if n[0] == 7 and "887.36" in n[1])
    width, height, pixels = _render(annotated, page, tmp_path / "annotated")
    _, _, plain = _render(DOC, page, tmp_path / "plain")

    def red(image: bytes, x: float, y: float) -> bool:
        i = 3 * (int(height - y) * width + int(x))
        r, g, b = image[i], image[i + 1], image[i + 2]
        return r > 180 and g < 80 and b < 80

    # On the box's left and right edges, at mid-height, and on its top and bottom edges: red;
    # the same pixels of the page without annotations are not.
    mid_y, mid_x = (y0 + y1) / 2, (x0 + x1) / 2
    edges = [(x0 + 0.7, mid_y), (x1 - 0.7, mid_y), (mid_x, y0 + 0.7), (mid_x, y1 - 0.7)]
    assert all(red(pixels, x, y) for x, y in edges)
    assert not red(pixels, mid_x, mid_y)  # inside the box, the figure is not painted over
    assert not any(red(plain, x, y) for x, y in edges)


def test_an_annotated_pdf_needs_one_pdf_and_an_output(tmp_path: Path) -> None:
    for args in (
        ["audit", str(DOC), "--format", "pdf"],
        ["audit", str(DOC.with_suffix(".txt")), "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
    ):
        done = subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("budget-kg: ")
