"""Tests of engine.store: documents as named graphs in an embedded store and on a real Oxigraph server."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rich.console import Console

from engine.store import Document, QueryError, Store, StoreError, open_store

ROOT = Path(__file__).resolve().parents[1]
DOC = "https://budget-kg.org/doc/"
BK = "https://budget-kg.org/ns#"
SH = "http://www.w3.org/ns/shacl#"


def data_graph(doc_id: str, rows: int = 3, tag: str = "") -> rdflib.Graph:
    """A small data graph: `rows` table rows with an amount and a Chinese label each."""
    g = rdflib.Graph()
    for i in range(rows):
        row = URIRef(f"{DOC}{doc_id}/table/1/row/{i}")
        g.add((row, URIRef(BK + "amount"), Literal(f"{i}.5{tag}", datatype=XSD.decimal)))
        g.add((row, URIRef(BK + "label"), Literal(f"一般公共服务支出{i}", lang="zh")))
    return g


def report_graph() -> rdflib.Graph:
    """A small SHACL report graph (blank nodes, as pyshacl makes them)."""
    g = rdflib.Graph()
    report = BNode()
    g.add((report, RDF.type, URIRef(SH + "ValidationReport")))
    g.add((report, URIRef(SH + "conforms"), Literal(True)))
    return g


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a child process, killing it if it does not exit within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server(directory: Path) -> Iterator[str]:
    """A real Oxigraph server (the pinned `oxigraph` package's binary) on a free loopback port, its
    database and log in `directory`; stopped on exit."""
    binary = Path(sys.executable).with_name("oxigraph")
    assert binary.exists(), f"no Oxigraph server binary at {binary}: install the pinned `oxigraph` package"
    port = free_port()
    with (directory / "oxigraph.log").open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "serve", "--location", str(directory / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).close()
                    break
                except OSError:
                    assert process.poll() is None, (directory / "oxigraph.log").read_text()
                    assert time.monotonic() < deadline, "Oxigraph server did not start within 30 s"
                    time.sleep(0.1)
            yield url
        finally:
            stop(process)


@pytest.fixture
def oxigraph_url(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph server for one test."""
    with oxigraph_server(tmp_path) as url:
        yield url


@pytest.fixture(params=["embedded", "oxigraph-server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same Store API over an embedded directory and over a real Oxigraph server."""
    location = str(tmp_path / "store") if request.param == "embedded" else request.getfixturevalue("oxigraph_url")
    with open_store(location) as s:
        yield s


def test_put_document_stores_both_graphs_and_meta(store: Store) -> None:
    n = store.put_document(DOC + "a", data_graph("a"), report_graph(), {"source": "a.txt", "年度": "2024"})
    # 6 data triples; report: 2 SHACL triples + the store marker + 2 meta triples.
    assert n == 6 + 5
    assert store.triple_count(DOC + "a") == 6
    assert store.triple_count(DOC + "a/report") == 5
    assert store.documents() == [Document(DOC + "a", 6, 5, {"source": "a.txt", "年度": "2024"})]


def test_reload_keeps_triple_count(store: Store) -> None:
    for doc_id in ("a", "b", "c"):
        store.put_document(DOC + doc_id, data_graph(doc_id), report_graph(), {"source": doc_id})
    before = store.triple_count()
    reloaded = data_graph("b", tag="9")  # same shape, new values and new blank nodes
    assert store.put_document(DOC + "b", reloaded, report_graph(), {"source": "b"}) == 6 + 4
    assert store.triple_count() == before
    amounts = store.query(f"SELECT ?o {{ GRAPH <{DOC}b> {{ ?s <{BK}amount> ?o }} }} ORDER BY ?o").rows
    assert amounts == [(Decimal("0.59"),), (Decimal("1.59"),), (Decimal("2.59"),)]
    assert [d.iri for d in store.documents()] == [DOC + "a", DOC + "b", DOC + "c"]


def test_reload_with_fewer_triples_drops_the_rest(store: Store) -> None:
    store.put_document(DOC + "a", data_graph("a", rows=5), report_graph(), {})
    store.put_document(DOC + "a", data_graph("a", rows=1), rdflib.Graph(), {})
    assert store.triple_count(DOC + "a") == 2
    assert store.triple_count(DOC + "a/report") == 1


def test_put_default_replaces_the_default_graph(store: Store) -> None:
    store.put_document(DOC + "a", data_graph("a"), report_graph(), {})
    ontology = rdflib.Graph()
    ontology.add((URIRef(BK + "amount"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#DatatypeProperty")))
    assert store.put_default(data_graph("x")) == 6
    assert store.put_default(ontology) == 1
    assert store.query("SELECT ?s { ?s ?p ?o }").rows == [(URIRef(BK + "amount"),)]
    assert store.triple_count() == 1 + 6 + 3


def test_query_forms_and_python_values(store: Store) -> None:
    store.put_document(DOC + "a", data_graph("a", rows=2), report_graph(), {})
    select = store.query(
        f"SELECT ?row ?amount ?label ?none {{ GRAPH <{DOC}a> {{ ?row <{BK}amount> ?amount ; <{BK}label> ?label }} }} ORDER BY ?row"
    )
    assert select.kind == "select"
    assert select.variables == ("row", "amount", "label", "none")
    assert select.rows == [
        (URIRef(f"{DOC}a/table/1/row/0"), Decimal("0.5"), "一般公共服务支出0", None),
        (URIRef(f"{DOC}a/table/1/row/1"), Decimal("1.5"), "一般公共服务支出1", None),
    ]
    ask = store.query(f"ASK {{ GRAPH <{DOC}a/report> {{ ?r a <{SH}ValidationReport> }} }}")
    assert (ask.kind, ask.boolean) == ("ask", True)
    graph = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}")
    assert graph.kind == "graph" and len(graph.rows) == 4
    parsed = rdflib.Graph().parse(data=graph.serialize("text/turtle"), format="turtle")
    assert isomorphic(parsed, data_graph("a", rows=2))
    with pytest.raises(QueryError):
        store.query("SELECT WHERE nonsense")


def test_max_rows_cuts_and_flags(store: Store) -> None:
    store.put_document(DOC + "a", data_graph("a", rows=5), report_graph(), {})
    result = store.query(f"SELECT ?s {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}", max_rows=4)
    assert (len(result.rows), result.truncated) == (4, True)
    assert not store.query(f"SELECT ?s {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}", max_rows=10).truncated


def test_serialisations(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        store.put_document(DOC + "a", data_graph("a", rows=1), report_graph(), {})
        result = store.query(
            f"SELECT ?s ?o ?u {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }} ORDER BY ?o"  # ?u stays unbound
        )
        ask = store.query("ASK { GRAPH ?g { ?s ?p ?o } }")
    assert json.loads(result.to_json()) == {
        "head": {"vars": ["s", "o", "u"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": f"{DOC}a/table/1/row/0"},
                    "o": {"type": "literal", "value": "0.5", "datatype": str(XSD.decimal)},
                },
                {
                    "s": {"type": "uri", "value": f"{DOC}a/table/1/row/0"},
                    "o": {"type": "literal", "value": "一般公共服务支出0", "xml:lang": "zh"},
                },
            ]
        },
    }
    assert json.loads(ask.to_json()) == {"head": {}, "boolean": True}
    assert list(csv.reader(io.StringIO(result.to_csv()))) == [
        ["s", "o", "u"],
        [f"{DOC}a/table/1/row/0", "0.5", ""],
        [f"{DOC}a/table/1/row/0", "一般公共服务支出0", ""],
    ]
    assert result.to_tsv().splitlines()[0] == "?s\t?o\t?u"
    assert result.to_tsv().splitlines()[2] == f'<{DOC}a/table/1/row/0>\t"一般公共服务支出0"@zh\t'
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(result.to_xml().encode())
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["s", "o", "u"]
    assert len(root.findall("r:results/r:result", ns)) == 2
    assert ET.fromstring(ask.to_xml().encode()).find("r:boolean", ns).text == "true"
    console = Console(record=True, width=200)
    console.print(result)
    assert "一般公共服务支出0" in console.export_text()


def test_blank_nodes_shared_by_data_and_report_stay_one_node(tmp_path: Path) -> None:
    focus = BNode()
    data = rdflib.Graph()
    data.add((URIRef(DOC + "a/claim/1"), URIRef(BK + "subject"), focus))
    report = rdflib.Graph()
    report.add((BNode(), URIRef(SH + "focusNode"), focus))
    with open_store(str(tmp_path / "store")) as store:
        store.put_document(DOC + "a", data, report, {})
        hits = store.query(
            f"ASK {{ GRAPH <{DOC}a> {{ ?c <{BK}subject> ?f }} GRAPH <{DOC}a/report> {{ ?r <{SH}focusNode> ?f }} }}"
        )
    assert hits.boolean is True


def test_failed_put_leaves_previous_version(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        store.put_document(DOC + "a", data_graph("a"), report_graph(), {"v": "1"})
        broken = data_graph("a", rows=5)
        broken.add((URIRef("not an iri"), URIRef(BK + "amount"), Literal(1)))
        with pytest.raises(ValueError):
            store.put_document(DOC + "a", broken, report_graph(), {"v": "2"})
        assert store.documents() == [Document(DOC + "a", 6, 4, {"v": "1"})]


def test_closed_store_refuses_use(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    store.close()
    with pytest.raises(StoreError):
        store.triple_count()
    with open_store(str(tmp_path / "store")) as again:  # the directory lock was released
        assert again.triple_count() == 0


LOADER = textwrap.dedent(
    """
    import sys
    import rdflib
    from rdflib import XSD, Literal, URIRef
    from engine.store import open_store

    store_path, first, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    g = rdflib.Graph()
    for r in range(rows):
        g.add((URIRef(f"https://budget-kg.org/row/{r}"), URIRef("https://budget-kg.org/ns#amount"),
               Literal(r, datatype=XSD.integer)))
    store = open_store(store_path)
    for i in range(first, first + 1000):
        store.put_document(f"https://budget-kg.org/doc/d{i}", g, rdflib.Graph(), {"n": str(i)})
        print(i, flush=True)
    """
)


@pytest.mark.parametrize("delay_s", [0.0, 0.05, 0.1, 0.15])
def test_sigkill_midway_leaves_earlier_documents_intact(tmp_path: Path, delay_s: float) -> None:
    """A loader killed with SIGKILL `delay_s` after a document committed (so, mostly, inside the next
    document's transaction) leaves every earlier document whole, and the next whole or absent."""
    rows, path = 10_000, str(tmp_path / "store")
    with open_store(path) as store:  # documents from an earlier, finished load
        store.put_document(DOC + "d0", data_graph("d0"), report_graph(), {})
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, path, "1", str(rows)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert loader.stdout is not None
        done = [int(loader.stdout.readline()) for _ in range(2)]
        time.sleep(delay_s)
        loader.kill()
        loader.wait(10)
    finally:
        stop(loader)
    assert done == [1, 2] and loader.returncode == -9
    with open_store(path) as store:
        docs = store.documents()
        assert docs[0] == Document(DOC + "d0", 6, 3, {})
        assert [d.iri for d in docs[1:3]] == [DOC + "d1", DOC + "d2"]
        assert len(docs) in (3, 4)  # document 3 is all there or not at all
        assert store.triple_count() == sum(d.triples + d.report_triples for d in docs)  # no stray triples
        for d in docs[1:]:
            assert (d.triples, d.report_triples) == (rows, 2)
            total = store.query(f"SELECT (SUM(?o) AS ?t) {{ GRAPH <{d.iri}> {{ ?s ?p ?o }} }}").rows
            assert total == [(rows * (rows - 1) // 2,)]
