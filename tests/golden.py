"""The golden files tests/cases/<RULE-ID>.toml: one per rule, each case's data (Turtle, with the prefixes
below declared) and the findings the rule must report on it. Read by tests/test_rules_golden.py, and by
tests/test_shapes_alone.py for a case that breaks each rule."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph

from engine.crossdoc import SHAPES_DIR as CROSSDOC_SHAPES
from engine.validate import SHAPES_DIR

CASES = Path(__file__).parent / "cases"
# Declared for every case's data, and used to write IRIs in the expected findings (d:c3).
PREFIXES = {
    "bk": "https://budget-kg.org/ns#",
    "col": "https://budget-kg.org/column/",
    "d": "https://budget-kg.org/doc/case/",
    "ec": "https://budget-kg.org/code/economic/",
    "fn": "https://budget-kg.org/code/function/",
    "m": "https://budget-kg.org/measure/",
    "tk": "https://budget-kg.org/table-kind/",
    "xt": "https://budget-kg.org/cross-table/",
}
RULES = sorted(p.stem for p in CASES.glob("*.toml"))


@cache
def golden(rule: str) -> dict[str, Any]:
    """A rule's golden file: its id and its cases."""
    return tomllib.loads((CASES / f"{rule}.toml").read_text(encoding="utf-8"))


def case_spec(rule: str, case: str) -> dict[str, Any]:
    """One case of a rule's golden file: name, data and the findings it expects."""
    (spec,) = [c for c in golden(rule)["case"] if c["name"] == case]
    return spec


def case_graph(rule: str, case: str) -> Graph:
    """The data of one case, with the common prefixes declared."""
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return Graph().parse(data=header + case_spec(rule, case)["data"], format="turtle")


def shape_file(rule: str) -> Path:
    """The rule's shape: a document rule's, or a cross-document rule's."""
    own = SHAPES_DIR / f"{rule}.ttl"
    return own if own.exists() else CROSSDOC_SHAPES / f"{rule}.ttl"
