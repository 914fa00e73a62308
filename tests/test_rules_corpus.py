"""Every corpus document audited by all rules: the ERROR findings equal this list, each entry
checked against tests/expected/audit/<stem>.json (rule id, first evidence line)."""

from pathlib import Path

import pytest

from engine.graph import build_graph
from engine.loader import load_document
from engine.validate import validate

CORPUS = Path("/work/shared/corpus")

EXPECTED_ERRORS: dict[str, set[tuple[str, int]]] = {
    "commerce-2025-dept-budget": set(),
    "commerce-2025-unit-budget": set(),
    "district-office-2025-dept-budget": set(),
    "district-office-2025-unit-budget": set(),
    "finance-bureau-2024-dept-final": set(),
    "finance-bureau-2025-dept-budget": set(),
    # audit family 1, lines 161-165 and 210-214: 行政运行 prints the 款 project total
    "justice-2026-unit-budget": {
        ("BK-TAB-001", 162), ("BK-TAB-001", 211), ("BK-TAB-002", 161), ("BK-TAB-002", 210),
    },
    "shanghai-finance-2025-unit-budget": set(),
    "shuimogou-union-2025": set(),
    "social-work-2024-dept-final": set(),
    "wanli-street-2023-dept-budget": set(),
    # audit family 8, lines 791-805: 三公 table declared empty but printing figures
    "wanli-street-2024-dept-budget": {("BK-EMP-001", 778)},
    "wanli-street-2025-dept-budget": set(),
    "welfare-home-2024-unit-budget": set(),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED_ERRORS))
def test_corpus_errors(stem: str) -> None:
    _, findings = validate(build_graph(load_document(str(CORPUS / f"{stem}.txt"))))
    for f in findings:
        lines = sorted({e.source["line"] for e in f.evidence if e.source.get("line")})
        print(stem, f.rule, f.severity, lines[:6], f.message)
    errors = {
        (f.rule, min((e.source["line"] for e in f.evidence if e.source.get("line")), default=0))
        for f in findings
        if f.severity == "error"
    }
    assert errors == EXPECTED_ERRORS[stem]
