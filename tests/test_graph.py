"""The graph of every corpus document: well-formed, traceable to print, and stable through Turtle."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from engine.graph import build_graph
from engine.vocab import BK
from tests.conftest import CORPUS, ROOT, corpus_files, load, read

STRUCTURE = Graph().parse(ROOT / "ontology" / "structure-shapes.ttl")
FILES = [p.name for p in corpus_files()]


@pytest.fixture(scope="module", params=FILES)
def graph(request: pytest.FixtureRequest, corpus) -> Graph:
    return build_graph(read(str(corpus / request.param))).rdflib()


def test_conforms_to_structure_shapes(graph: Graph) -> None:
    import pyshacl

    conforms, _, text = pyshacl.validate(graph, shacl_graph=STRUCTURE, inference="none")
    assert conforms, text[:3000]


def test_every_amount_has_a_source_printing_it(graph: Graph) -> None:
    """The printed text of each cell's and claim's source is the number stored (separators aside)."""
    rows = graph.query(
        """SELECT ?fact ?value ?text WHERE {
             ?fact bk:value ?value ; bk:source/bk:text ?text }""",
        initNs={"bk": BK._NS},
    )
    checked = 0
    for fact, value, text in rows:
        printed = "".join(ch for ch in str(text) if ch.isdigit() or ch in ".-")
        assert Decimal(printed) == value.toPython(), f"{fact}: {text!r} vs {value}"
        checked += 1
    assert checked > 50


def test_round_trips_through_turtle(graph: Graph) -> None:
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert len(again) == len(graph)
    assert isomorphic(again, graph)


def test_printed_text_reaches_the_graph_as_printed() -> None:
    """Document text is untrusted and the graph stage writes N-Triples itself: quotes, backslashes, line
    breaks and angle brackets in a printed name come back unchanged from the written triples, in both
    the Oxigraph and the rdflib form, and add no triple."""
    loaded = load(str(CORPUS / "justice-2026-unit-budget.txt"))  # not the cached copy: it is changed here
    row = loaded.tables[0].rows[0]
    tricky = 'a"b\\c\n<d> .\r\t"""'
    count = len(build_graph(loaded))
    row.name = tricky
    graph = build_graph(loaded)
    assert len(graph) == count == len(graph.triples)
    assert tricky in {t.object.value for t in graph.triples if t.predicate.value == str(BK.name)}
    assert tricky in {str(o) for o in graph.rdflib().objects(None, BK.name)}


def test_vocabulary_module_mirrors_the_ontology() -> None:
    """engine/vocab.py declares exactly the bk: terms that ontology/budget.ttl defines."""
    onto = Graph().parse(ROOT / "ontology" / "budget.ttl")
    defined = {str(s).split("#")[1] for s in onto.subjects() if str(s).startswith(str(BK._NS))}
    declared = set(BK.__annotations__)
    assert defined == declared
