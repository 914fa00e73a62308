"""Cross-document rules: the shapes of ontology/crossdoc-shapes/ over the documents of a store.

A store keeps one named graph per document (engine/store.py); these rules compare documents
with each other (a unit's consecutive years, its 部门 and 单位 twins), so they run on the union
of the document graphs, with the validate stage's machinery and another shapes directory. Each
finding's evidence names facts of both documents, with their file and line.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from engine.report import evidence_lines, finding_view
from engine.resources import data_path
from engine.store import Store, open_store
from engine.validate import TOLERANCES, Finding, validate

SHAPES_DIR = data_path("ontology", "crossdoc-shapes")


def union_graph(store: Store) -> Graph:
    """The stored documents' data graphs merged into one (their reports and the ontology left out)."""
    graph = Graph()
    for doc in store.documents():
        triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{doc.iri}> {{ ?s ?p ?o }} }}")
        graph.parse(data=triples.serialize("application/n-triples"), format="nt")
    return graph


def crossdoc(
    store: Store, tolerances: Path = TOLERANCES, engine: str = "fast", shapes: Path = SHAPES_DIR
) -> tuple[Graph, list[Finding]]:
    """Run the cross-document rules on every stored document; the SHACL report and its findings."""
    return validate(union_graph(store), tolerances, engine, shapes)


def run(location: str, fmt: str = "text", graph_store: str | None = None) -> tuple[str, int]:
    """`budget-kg crossdoc`: the rendered findings of a store and the exit code (0 no error, 1 errors);
    a store that does not exist is a StoreError."""
    with open_store(location, graph_store, create=False) as store:
        documents = [d.iri for d in store.documents()]
        _, findings = crossdoc(store)
    text = (render_json if fmt == "json" else render_text)(findings, documents)
    return text, 1 if any(f.severity == "error" for f in findings) else 0


def render_text(findings: list[Finding], documents: list[str]) -> str:
    """A summary line, then each finding with `file:line:col` and the printed text of every fact it compared."""
    errors = sum(f.severity == "error" for f in findings)
    lines = [f"{len(documents)} documents compared — {errors} errors, {len(findings) - errors} other findings"]
    for f in findings:
        lines.append(f"  {f.severity.upper()} {f.rule} {f.message}")
        lines += evidence_lines(f)
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding], documents: list[str]) -> str:
    """The findings as `budget-kg audit --format json` writes them, with the IRIs of the documents compared."""
    view = {"documents": documents, "findings": [finding_view(f) for f in findings]}
    return json.dumps(view, ensure_ascii=False, indent=2)
