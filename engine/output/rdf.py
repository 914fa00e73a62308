"""RDF: a document's graph (Turtle, JSON-LD, N-Triples) and the audits' SHACL reports (Turtle)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

if TYPE_CHECKING:
    from engine.pipeline import Audit


def audit(audits: list[Audit]) -> str:
    """The SHACL ValidationReports of every document, in one Turtle graph."""
    report = Graph()
    for a in audits:
        report += a.report
    return report.serialize(format="turtle")


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld")


def ntriples(graph: Graph) -> str:
    return graph.serialize(format="nt")
