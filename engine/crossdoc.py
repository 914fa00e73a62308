"""Cross-document rules: the shapes of ontology/crossdoc-shapes/ over the documents of a store.

A store keeps one named graph per document (engine/store.py); these rules compare documents
with each other (a unit's consecutive years, its 部门 and 单位 twins), so they run on the union
of the document graphs, with the validate stage's machinery and another shapes directory. Each
finding's evidence names facts of both documents, with their file and line.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from engine.store import Store
from engine.validate import ROOT, TOLERANCES, Finding, validate

SHAPES_DIR = ROOT / "ontology" / "crossdoc-shapes"


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
