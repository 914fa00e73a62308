"""The same corpus PDFs in the text forms users bring: `pdftotext -layout` (the corpus twins), plain
`pdftotext`, pypdfium2's and pdfminer's plain text (no column alignment, blank cells gone, pages
joined by form feeds; pdfminer also prints a table's cells in runs of its own order), and the sample's
wrapped form (every line followed by a blank line, no form feeds). What the
unaligned forms cannot decide is reported as such and used in no error: no error rests on an
undecided cell, every error of an unaligned form is one the `-layout` text gives too, and
an error of the `-layout` text that the unaligned form lacks rests on a table that form could not
read consistently."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rdflib import URIRef

from engine.model import Claim, Table
from engine.pipeline import Audit, Settings, run
from engine.validate import Finding
from engine.vocab import BK, TABLE_KIND
from tests.conftest import CORPUS, audit, load

PDFS = sorted(CORPUS.glob("*.pdf"))
FORMS = ("pdftotext", "pypdfium2", "pdfminer", "wrapped")


def _pypdfium2_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        # joined by a bare form feed, as a page's text ends without a line break: each page's last line
        # is glued to the next one's first (a heading, a table title), which the text reader must undo
        return "\f".join(pages)
    finally:
        document.close()


def _wrapped(text: str) -> str:
    """The text as the sample (shuimogou-union-2025.txt) is extracted: every line followed by a blank
    line, a page break a line break."""
    return "".join(line + "\n\n" for line in text.replace("\f", "\n").split("\n"))


@cache
def _form(pdf: Path, form: str, folder: Path) -> Path:
    """The PDF as plain unaligned text, made here: `pdftotext PDF OUT`, pypdfium2's get_text_range per
    page, pdfminer's extract_text (what `pdf2txt.py PDF` prints), or pypdfium2's text wrapped as the sample."""
    out = folder / f"{pdf.stem}.{form}.txt"
    if form == "pdftotext":
        subprocess.run(["pdftotext", str(pdf), str(out)], check=True, capture_output=True)
    elif form == "pdfminer":
        from pdfminer.high_level import extract_text

        out.write_text(extract_text(pdf), encoding="utf-8")
    elif form == "wrapped":
        out.write_text(_wrapped(_pypdfium2_text(pdf)), encoding="utf-8")
    else:
        out.write_text(_pypdfium2_text(pdf), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: make installs it")
    return tmp_path_factory.mktemp("forms")


def _errors(a: Audit) -> list[Finding]:
    return [f for f in a.findings if f.severity == "error"]


def _key(f: Finding) -> tuple[str, str]:
    """An error across text forms: its rule and the printed text of the first fact it compared."""
    first = f.evidence[0].source if f.evidence else None
    return f.rule, first.text if first is not None else f.message


def _rows_of(a: Audit, f: Finding) -> set[tuple[int, str | None]]:
    """(table number, printed code) of the rows whose cells (or which themselves) a finding compared."""
    rows = set()
    for e in f.evidence:
        fact = URIRef(e.fact)
        for row in [*a.graph.objects(fact, BK.inRow), fact]:
            code = a.graph.value(row, BK.printedCode)
            for table in a.graph.objects(row, BK.inTable):
                rows.update(
                    (int(n), None if code is None else str(code)) for n in a.graph.objects(table, BK.tableNumber)
                )
    return rows


def _undecidable(a: Audit, rows: set[tuple[int, str | None]]) -> bool:
    """Whether the unaligned form reported one of these rows' tables as not read consistently, or left
    the row itself (same table, same code) with undecided columns."""
    for table in a.loaded.tables:
        for number, code in rows:
            if table.number != number:
                continue
            if table.reading_problem is not None:
                return True
            if any(r.code == code and any(c.column is None for c in r.cells) for r in table.rows):
                return True
    return False


def _undecided(a: Audit, f: Finding) -> list[str]:
    return [e.fact for e in f.evidence if (URIRef(e.fact), None, BK.AmbiguousCell) in a.graph]


@pytest.mark.slow
@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
@pytest.mark.parametrize("form", FORMS)
def test_unaligned_forms_raise_no_error_the_layout_text_does_not(pdf: Path, form: str, folder: Path) -> None:
    layout = audit(CORPUS / f"{pdf.stem}.txt")
    result = run(_form(pdf, form, folder))
    if not isinstance(result, Audit):
        print(f"{pdf.stem} [{form}] not read: {result}")
        return  # refused in one line (exit 2): no finding at all, never a false one
    for a in (layout, result):
        for f in _errors(a):
            assert not _undecided(a, f), f"{a.loaded.source.name}: {f.rule} {f.message} rests on undecided cells"
    kinds = {t.kind for t in result.loaded.tables}
    lost = [t.kind for t in layout.loaded.tables if t.kind not in kinds]
    said = {f.value for f in result.findings if f.rule == "BK-EMP-003"}  # the missing table kinds
    unsaid = [kind for kind in lost if str(TABLE_KIND[kind]) not in said]
    assert not unsaid, f"tables the {form} text lost and no finding names: {unsaid}"
    expected = {_key(f) for f in _errors(layout)}
    extra = [f for f in _errors(result) if _key(f) not in expected]
    assert not extra, [(f.rule, f.message) for f in extra]
    found = {_key(f) for f in _errors(result)}
    for f in _errors(layout):
        if _key(f) in found:
            continue
        print(f"{pdf.stem} [{form}] not found: {f.rule} {f.message}")
        if f.rule != "BK-NVN-006":  # compares the narrative with 项目绩效目标表, read as narrative
            assert _undecidable(result, _rows_of(layout, f)), f"{f.rule} {f.message}: lost, yet its rows were read"


Cells = dict[str | None, Decimal]


def _rows(table: Table) -> dict[tuple[str | None, str], tuple[Cells, bool]]:
    """(side, code or name) → the row's amounts by column, and whether the row is undecided."""
    return {
        (r.side, r.code or r.name): (
            {c.column: c.figure.value for c in r.cells},
            r.ambiguous or any(c.column is None for c in r.cells),
        )
        for r in table.rows
        if r.cells
    }


@pytest.mark.slow
@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
@pytest.mark.parametrize("form", FORMS)
def test_unaligned_tables_equal_the_layout_reading_or_say_undecided(pdf: Path, form: str, folder: Path) -> None:
    """Every row the `-layout` text reads is read the same from the unaligned form (code, name,
    amounts, columns), or that form leaves it undecided: its table reported as not read
    consistently, or the row's columns open. Never a different reading silently."""
    layout = {t.kind: t for t in load(CORPUS / f"{pdf.stem}.txt").tables}
    result = run(_form(pdf, form, folder), Settings(through="narrative"))
    assert isinstance(result, Audit), result
    silent = []
    for table in result.loaded.tables:
        if table.reading_problem is not None or table.kind not in layout:
            continue
        expected, got = _rows(layout[table.kind]), _rows(table)
        for key in expected.keys() | got.keys():
            mine = got.get(key)
            if mine is not None and mine[1]:
                continue  # undecided, and so used in no error
            if mine is None or key not in expected or mine[0] != expected[key][0]:
                silent.append((table.number, table.title, key, expected.get(key, (None,))[0], mine and mine[0]))
    for difference in silent:
        print(pdf.stem, form, *difference)
    assert not silent


def _claim_key(c: Claim) -> tuple[object, ...]:
    return (c.kind, c.subject, c.value and c.value.value, c.unit, c.period, c.basis, c.direction, c.whole)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
@pytest.mark.parametrize("form", FORMS)
def test_unaligned_claims_equal_the_layout_reading_where_both_print_the_sentence_alike(
    pdf: Path, form: str, folder: Path
) -> None:
    """A sentence both texts print alike (white space aside), once each, gives the same claims in
    both. The differences are printed; the accepted ones come from the texts themselves: a
    sentence the `-layout` text prints out of order, a performance-table label set apart from its
    amount by a cell gap (unaligned text prints them on different lines), a page pypdfium2 repeats."""
    layout = load(CORPUS / f"{pdf.stem}.txt")
    result = run(_form(pdf, form, folder), Settings(through="narrative"))
    assert isinstance(result, Audit), result
    texts = {"layout": _squeezed(layout.source.text), form: _squeezed(result.loaded.source.text)}
    readings = {"layout": layout.claims, form: result.loaded.claims}
    layout_lines = layout.source.text.split("\n")
    unexplained = []
    for mine, other in (("layout", form), (form, "layout")):
        counts = {name: Counter(map(_claim_key, claims)) for name, claims in readings.items()}
        missing = counts[mine] - counts[other]
        for c in readings[mine]:
            if not missing[_claim_key(c)]:
                continue
            print(pdf.stem, f"only in {mine}:", c.span.line, _claim_key(c), c.sentence.text)
            sentence = _squeezed(c.sentence.text)
            alike = texts[other].count(sentence) == 1 and texts[mine].count(sentence) == 1
            repeated = counts[other][_claim_key(c)] > 0  # read in both, more often in one
            cell = mine == "layout" and re.search(r"\S {2,}\S", layout_lines[c.span.line - 1])
            if alike and not repeated and not cell:
                unexplained.append((mine, c.span.line, _claim_key(c), c.sentence.text))
    assert not unexplained
