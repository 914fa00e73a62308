"""The package's shape: no import cycle inside engine/, and only engine/pipeline.py chains the stages."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT

ENGINE = ROOT / "engine"
# The entry point of each stage before validation; a module calling two of them chains stages.
STAGE_ENTRIES = {"read_source", "read_structure", "read_tables", "read_narrative", "build_graph"}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in sorted(ENGINE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """The engine modules a file imports anywhere in it (inside functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known)
            if node.module in known and any(f"{node.module}.{a.name}" not in known for a in node.names):
                found.add(node.module)
    return found


def import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        graph.add_edges_from((name, other) for other in imports(path, set(modules)) if other != name)
    return graph


def test_no_import_cycle_inside_engine() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles: " + "; ".join(" → ".join([*c, c[0]]) for c in cycles)


def test_the_walk_sees_a_cycle() -> None:
    """The walk finds imports inside functions and under TYPE_CHECKING (the old loader ↔ narrative cycle)."""
    graph = import_graph()
    graph.add_edge("engine.model", "engine.pipeline")
    assert list(nx.simple_cycles(graph))
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from engine.pipeline import Audit\n"
    probe = ROOT / "tests" / "_probe_imports.py"
    try:
        probe.write_text(source + "def f():\n    from engine import graph\n", encoding="utf-8")
        assert imports(probe, set(_modules())) == {"engine.pipeline", "engine.graph"}
    finally:
        probe.unlink()


def test_only_the_pipeline_chains_stages() -> None:
    """Outside engine/pipeline.py, no module calls more than one stage's entry point."""
    chaining = {}
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {
            n.func.id if isinstance(n.func, ast.Name) else n.func.attr
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
        }
        if len(called & STAGE_ENTRIES) > 1 and name != "engine.pipeline":
            chaining[name] = sorted(called & STAGE_ENTRIES)
    assert not chaining, f"modules chaining stages besides the pipeline: {chaining}"
