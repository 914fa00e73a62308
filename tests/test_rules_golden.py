"""Golden cases per rule: tests/cases/<RULE-ID>/{holds,breaks,rounding}.ttl with expected.json counts."""

import json
from pathlib import Path

import pytest
from rdflib import Graph

from engine.validate import SHAPES_DIR, validate

CASES = Path(__file__).parent / "cases"
PARAMS = [
    (rule.name, case)
    # cross-document rules (ontology/crossdoc-shapes) have their golden test in tests/test_crossdoc.py
    for rule in sorted(
        p for p in CASES.iterdir() if (p / "expected.json").exists() and (SHAPES_DIR / f"{p.name}.ttl").exists()
    )
    for case in json.loads((rule / "expected.json").read_text())
]


@pytest.mark.parametrize(("rule", "case"), PARAMS)
def test_golden(rule: str, case: str) -> None:
    expected = json.loads((CASES / rule / "expected.json").read_text())[case]
    graph = Graph().parse(CASES / rule / f"{case}.ttl", format="turtle")
    _, findings = validate(graph)
    mine = [f for f in findings if f.rule == rule]
    assert len(mine) == expected, [(f.rule, f.message) for f in findings]
    for f in mine:
        assert f.evidence, f"{rule}/{case}: finding names no facts"
        assert all(e.fact.startswith("https://budget-kg.org/doc/case") for e in f.evidence)
        assert any(e.source and e.source.line for e in f.evidence)
