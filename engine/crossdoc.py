"""Cross-document rules: the shapes of ontology/crossdoc-shapes/ over the documents of a store.

A store keeps one named graph per document (engine/store.py); these rules compare documents
with each other (a unit's consecutive years, its 部门 and 单位 twins), so they run on the union
of the document graphs, with the validate stage's machinery and another shapes directory. Each
finding's evidence names facts of both documents, with their file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

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


@dataclass(slots=True)
class Comparison:
    """The documents of a store compared with each other, and what the cross-document rules found."""

    documents: list[str]
    findings: list[Finding]

    @property
    def exit_code(self) -> int:
        return 1 if any(f.severity == "error" for f in self.findings) else 0


def run(location: str, graph_store: str | None = None) -> Comparison:
    """`budget-kg crossdoc`: the cross-document findings of a store (engine/output renders them); a store
    that does not exist is a StoreError."""
    with open_store(location, graph_store, create=False) as store:
        documents = [d.iri for d in store.documents()]
        _, findings = crossdoc(store)
    return Comparison(documents, findings)
