"""The RDF Data Cube for real: every table is a qb:DataSet with its structure, checked by the W3C
Data Cube well-formedness constraints a generic tool runs, and each document carries dcterms metadata."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, QB

from engine.pipeline import Settings, run
from tests.conftest import CORPUS, ROOT

DOCUMENTS = [
    ROOT / "examples" / "shuimogou-union-2025.txt",
    CORPUS / "justice-2026-unit-budget.txt",
    CORPUS / "social-work-2024-dept-final.txt",
    CORPUS / "wanli-street-2025-dept-budget.pdf",
]
# The integrity constraints of the W3C RDF Data Cube Recommendation (§11.1) that apply to data written
# in its normalised form; each ASK is true when the data breaks the constraint.
CONSTRAINTS = {
    "IC-1 unique data set": """ASK { { ?obs a qb:Observation FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }
        UNION { ?obs a qb:Observation ; qb:dataSet ?ds1, ?ds2 FILTER (?ds1 != ?ds2) } }""",
    "IC-2 unique structure": """ASK { { ?ds a qb:DataSet FILTER NOT EXISTS { ?ds qb:structure ?dsd } }
        UNION { ?ds a qb:DataSet ; qb:structure ?dsd1, ?dsd2 FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3 structure has a measure": """ASK { ?dsd a qb:DataStructureDefinition
        FILTER NOT EXISTS { ?dsd qb:component/qb:measure [] } }""",
    "IC-4 dimensions have a range": """ASK { ?dim a qb:DimensionProperty FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-11 all dimensions present": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim
        FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12 no duplicate observations": """ASK { { SELECT ?ds ?d1 ?d2 (COUNT(?obs) AS ?n) WHERE {
        ?obs qb:dataSet ?ds . ?ds qb:structure ?dsd .
        ?dsd qb:component [ qb:dimension ?p1 ; qb:order 1 ], [ qb:dimension ?p2 ; qb:order 2 ] .
        ?obs ?p1 ?d1 ; ?p2 ?d2 } GROUP BY ?ds ?d1 ?d2 HAVING (COUNT(?obs) > 1) } }""",
    "IC-14 all measures present": """ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:measure ?m
        FILTER NOT EXISTS { ?obs ?m [] } }""",
    "required attribute present": """ASK { ?obs qb:dataSet/qb:structure/qb:component ?c .
        ?c qb:attribute ?a ; qb:componentRequired true FILTER NOT EXISTS { ?obs ?a [] } }""",
}
PREFIXES = {"qb": str(QB), "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.name)
def graph(request: pytest.FixtureRequest) -> Graph:
    return run(request.param, Settings(through="graph")).graph


def test_every_table_is_a_data_set_with_a_structure(graph: Graph) -> None:
    tables = set(graph.subjects(RDF.type, URIRef("https://budget-kg.org/ns#Table")))
    assert tables and tables == set(graph.subjects(RDF.type, QB.DataSet))
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) > 10 * len(tables) / 2
    for table in tables:
        (structure,) = graph.objects(table, QB.structure)
        dimensions = {graph.value(c, QB.dimension) for c in graph.objects(structure, QB.component)} - {None}
        assert len(dimensions) == 2 and URIRef("https://budget-kg.org/ns#column") in dimensions


def test_the_cube_meets_the_data_cube_integrity_constraints(graph: Graph) -> None:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    broken = [name for name, ask in CONSTRAINTS.items() if bool(store.query(ask, prefixes=PREFIXES))]
    assert broken == []


def test_the_constraints_catch_a_broken_cube(graph: Graph) -> None:
    """An observation without its column, and one in two data sets, are caught (the checks can fail)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    cell = next(iter(graph.subjects(RDF.type, QB.Observation)))
    store.update(f"DELETE WHERE {{ <{cell}> <https://budget-kg.org/ns#column> ?c }}")
    store.update(f"INSERT DATA {{ <{cell}> <{QB.dataSet}> <urn:other> }}")
    broken = {name for name, ask in CONSTRAINTS.items() if bool(store.query(ask, prefixes=PREFIXES))}
    assert {"IC-1 unique data set", "IC-11 all dimensions present"} <= broken


def test_each_document_has_dcterms_metadata(graph: Graph) -> None:
    (doc,) = graph.subjects(RDF.type, URIRef("https://budget-kg.org/ns#Document"))
    source = graph.value(doc, DCTERMS.source)
    assert str(source) in {p.name for p in DOCUMENTS}
    unit = graph.value(graph.value(doc, DCTERMS.publisher), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert unit == Literal(str(graph.value(doc, URIRef("https://budget-kg.org/ns#unitName"))), lang="zh")
    assert str(graph.value(doc, DCTERMS.temporal)) == str(graph.value(doc, URIRef("https://budget-kg.org/ns#year")))
    assert str(unit) in str(graph.value(doc, DCTERMS.title))
