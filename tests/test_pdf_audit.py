"""The audit of each corpus PDF gives the findings of its `pdftotext -layout` twin (rule, message and
the facts compared, each where it was printed), and every piece of evidence has its page and box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.pipeline import run
from engine.validate import Finding
from tests.conftest import CORPUS

PDFS = sorted(CORPUS.glob("*.pdf"))


def _key(f: Finding) -> tuple[object, ...]:
    """A finding as both forms print it: line numbers (第N行) differ between the forms, pages do not."""
    facts = sorted((e.role, e.source.text if e.source else "None", e.source.page if e.source else None) for e in f.evidence)
    return (f.rule, re.sub(r"第\d+行", "第…行", f.message), tuple(facts))


@pytest.mark.slow
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_a_pdf_and_its_text_twin_give_the_same_findings(pdf: Path) -> None:
    from_pdf = run(pdf).findings
    from_text = run(pdf.with_suffix(".txt")).findings
    for f in from_pdf:
        for e in f.evidence:
            assert e.source is not None and e.source.page >= 1 and e.source.box is not None, (f.rule, e)
    pdf_keys, text_keys = sorted(map(_key, from_pdf)), sorted(map(_key, from_text))
    for k in pdf_keys:
        if k not in text_keys:
            print("PDF only: ", k)
    for k in text_keys:
        if k not in pdf_keys:
            print("text only:", k)
    assert pdf_keys == text_keys
