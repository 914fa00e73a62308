"""Fault injection: change one printed number at a time and check the audit notices, at that line.

Each mutation replaces the first digit of one printed figure (a table cell, or a narrative
amount, share, change or rate) by another digit of the same width, so every other span stays where it was. A change is
detected when the audit has a finding it did not have before whose evidence includes the
changed line. The detection rate is printed per document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, audit, load

DOCUMENTS = [
    ROOT / "examples" / "shuimogou-union-2025.txt",
    CORPUS / "district-office-2025-unit-budget.txt",
    CORPUS / "social-work-2024-dept-final.txt",
]
PER_DOCUMENT = 20
MINIMUM_RATE = 0.5
FIGURES = ("amount", "share", "change", "rate")  # the narrative figures that rules compare


def _key(finding) -> tuple[str, str]:
    return finding.rule, finding.message


def _targets(path: Path) -> list[tuple[int, int, str]]:
    """(start, end, printed text) of figures spread evenly over the document: cells, then claims."""
    loaded = load(path)
    spans = [c.span for t in loaded.tables for r in t.rows for c in r.cells if c.column and c.figure.value]
    spans += [c.span for c in loaded.claims if c.kind in FIGURES and c.value is not None and c.value.value]
    step = max(len(spans) // PER_DOCUMENT, 1)
    return [(s.start, s.end, s.text) for s in spans[::step][:PER_DOCUMENT]]


def _mutate(text: str) -> str:
    first = next(i for i, ch in enumerate(text) if ch.isdigit())
    digit = int(text[first])
    return text[:first] + str(digit + 1 if digit < 9 else 8) + text[first + 1 :]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_changed_figures_are_found_where_they_were_changed(path: Path, tmp_path: Path, capsys) -> None:
    original = path.read_text(encoding="utf-8")
    baseline = {_key(f) for f in audit(path).findings}
    detected, missed = 0, []
    targets = _targets(path)
    for start, end, printed in targets:
        changed = original[:start] + _mutate(printed) + original[end:]
        line = original.count("\n", 0, start) + 1
        copy = tmp_path / path.name
        copy.write_text(changed, encoding="utf-8")
        new = [f for f in audit(copy).findings if _key(f) not in baseline]
        if any(e.source and e.source.line == line for f in new for e in f.evidence):
            detected += 1
        else:
            missed.append(f"{path.name}:{line} {printed}")
    rate = detected / len(targets)
    with capsys.disabled():
        print(f"\n{path.name}: {detected}/{len(targets)} changes detected ({rate:.0%}); missed: {missed}")
    assert rate >= MINIMUM_RATE, missed
