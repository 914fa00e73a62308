"""Tests of engine.endpoint: the read-only SPARQL endpoint, run as a subprocess on a free port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib import XSD, Literal, URIRef
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from engine.store import open_store
from tests.conftest import Listener

ROOT = Path(__file__).resolve().parents[1]
DOC = "https://budget-kg.org/doc/"
BK = "https://budget-kg.org/ns#"
TIMEOUT_S = 2.0
MAX_ROWS = 100
IDLE_TIMEOUT_S = 1.0
BIG_ROWS = 2000
ALLOWED_ORIGIN = "https://client.test"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j } }"


def small_graph(doc_id: str) -> rdflib.Graph:
    """Two table rows with an amount each."""
    g = rdflib.Graph()
    for i in range(2):
        g.add((URIRef(f"{DOC}{doc_id}/table/1/row/{i}"), URIRef(BK + "amount"), Literal(i + 1, datatype=XSD.integer)))
    return g


def big_graph() -> rdflib.Graph:
    """Enough triples that a three-way cross join over them runs for minutes."""
    g = rdflib.Graph()
    for i in range(BIG_ROWS):
        g.add((URIRef(f"{DOC}big/table/1/row/{i}"), URIRef(BK + "amount"), Literal(i, datatype=XSD.integer)))
    return g


def children(pid: int) -> set[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


@dataclass
class Endpoint:
    """A running endpoint: its query URL and its request log."""

    url: str
    log: Path
    store: Path
    pid: int

    def request_lines(self) -> list[str]:
        """The logged request lines so far."""
        return [line for line in self.log.read_text().splitlines() if re.search(r'"(GET|POST|PUT|DELETE) ', line)]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """`budget-kg serve` over a store of three small documents and one big one."""
    tmp = tmp_path_factory.mktemp("endpoint")
    with open_store(str(tmp / "store")) as store:
        for doc_id in ("a", "b", "c"):
            store.put_document(DOC + doc_id, small_graph(doc_id), rdflib.Graph(), {"source": doc_id})
        store.put_document(DOC + "big", big_graph(), rdflib.Graph(), {})
    log = tmp / "endpoint.log"
    workers: set[int] = set()
    with log.open("wb") as err:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "engine",
                "serve",
                "--store",
                str(tmp / "store"),
                "--port",
                "0",
                "--timeout",
                str(TIMEOUT_S),
                "--max-rows",
                str(MAX_ROWS),
                "--cors-origin",
                ALLOWED_ORIGIN,
                "--idle-timeout",
                str(IDLE_TIMEOUT_S),
            ],
            stderr=err,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    try:
        deadline = time.monotonic() + 60
        while not (match := re.search(r"serving .* at (http://127\.0\.0\.1:\d+/query)", log.read_text())):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "endpoint did not start within 60 s"
            time.sleep(0.1)
        yield Endpoint(match.group(1), log, tmp / "store", server.pid)
        workers = children(server.pid)
        assert workers, "the endpoint should run its queries in worker processes"
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "workers outlived the endpoint"


def http(
    url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; the status, headers and body, whatever the status."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get(endpoint: Endpoint, query: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    """GET a query with an Accept header."""
    return http(endpoint.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def wrapper(endpoint: Endpoint, query: str, fmt: str) -> SPARQLWrapper:
    """A SPARQLWrapper client for one query and return format."""
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_select_json_with_sparqlwrapper(endpoint: Endpoint) -> None:
    query = f"SELECT ?doc (SUM(?x) AS ?total) {{ GRAPH ?doc {{ ?s <{BK}amount> ?x }} }} GROUP BY ?doc ORDER BY ?doc"
    for method in ("GET", POST):
        client = wrapper(endpoint, query, JSON)
        client.setMethod(method)
        result = client.queryAndConvert()
        totals = {b["doc"]["value"]: int(b["total"]["value"]) for b in result["results"]["bindings"]}
        assert totals == {DOC + "a": 3, DOC + "b": 3, DOC + "c": 3, DOC + "big": BIG_ROWS * (BIG_ROWS - 1) // 2}


def test_ask_with_sparqlwrapper(endpoint: Endpoint) -> None:
    assert wrapper(endpoint, f"ASK {{ GRAPH <{DOC}a> {{ ?s ?p 2 }} }}", JSON).queryAndConvert()["boolean"] is True
    assert wrapper(endpoint, f"ASK {{ GRAPH <{DOC}a> {{ ?s ?p 9 }} }}", JSON).queryAndConvert()["boolean"] is False


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_construct_with_sparqlwrapper(endpoint: Endpoint) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DOC}b> {{ ?s ?p ?o }} }}"
    turtle = wrapper(endpoint, query, TURTLE).queryAndConvert()
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == 2
    rdfxml = SPARQLWrapper(endpoint.url)  # default return format: RDF/XML, parsed by SPARQLWrapper
    rdfxml.setQuery(query)
    assert len(rdfxml.queryAndConvert()) == 2


def test_content_negotiation(endpoint: Endpoint) -> None:
    select = f"SELECT ?x {{ GRAPH <{DOC}a> {{ ?s <{BK}amount> ?x }} }} ORDER BY ?x"
    status, headers, body = get(endpoint, select, "text/csv")
    assert (status, headers["Content-Type"], body) == (200, "text/csv; charset=utf-8", b"x\r\n1\r\n2\r\n")
    status, headers, body = get(endpoint, select, "text/tab-separated-values")
    assert body.decode().splitlines()[1] == f'"1"^^<{XSD.integer}>'
    status, headers, body = get(endpoint, select, "application/sparql-results+xml")
    assert headers["Content-Type"] == "application/sparql-results+xml" and b"<literal" in body
    status, headers, body = get(endpoint, select, "text/html;q=0.9, */*;q=0.1")
    assert headers["Content-Type"] == "application/sparql-results+json" and json.loads(body)["results"]
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}"
    status, headers, body = get(endpoint, construct, "application/n-triples")
    assert headers["Content-Type"] == "application/n-triples" and len(body.splitlines()) == 2
    status, headers, body = get(endpoint, construct, "application/sparql-results+json")
    assert status == 406 and b"text/turtle" in body


def test_post_sparql_query_body(endpoint: Endpoint) -> None:
    status, _, body = http(
        endpoint.url,
        method="POST",
        data=f"ASK {{ GRAPH <{DOC}c> {{ ?s ?p ?o }} }}".encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})


def test_invalid_query_is_400(endpoint: Endpoint) -> None:
    assert get(endpoint, "SELECT WHERE nonsense", "*/*")[0] == 400
    assert http(endpoint.url + "?query=ASK%7B%7D&query=ASK%7B%7D")[0] == 400  # two queries


def test_update_is_refused_with_403(endpoint: Endpoint) -> None:
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(f"INSERT DATA {{ GRAPH <{DOC}a> {{ <{DOC}a/x> <{BK}amount> 5 }} }}")
    client.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    update = f"DROP GRAPH <{DOC}a>".encode()
    assert (
        http(endpoint.url, method="POST", data=update, headers={"Content-Type": "application/sparql-update"})[0] == 403
    )
    base = endpoint.url.rsplit("/", 1)[0]
    graph = "?" + urllib.parse.urlencode({"graph": DOC + "a"})
    triple = f"<{DOC}a/x> <{BK}amount> 5 .".encode()
    for method in ("PUT", "POST", "DELETE"):
        headers = {"Content-Type": "application/n-triples"}
        assert http(base + "/store" + graph, method=method, data=triple, headers=headers)[0] == 403
    assert (
        get(endpoint, f"ASK {{ GRAPH <{DOC}a> {{ <{DOC}a/x> ?p ?o }} }}", "application/json")[2]
        == b'{"head": {}, "boolean": false}'
    )


def test_results_over_max_rows_are_cut_with_a_header(endpoint: Endpoint) -> None:
    status, headers, body = get(endpoint, f"SELECT ?s {{ GRAPH <{DOC}big> {{ ?s ?p ?o }} }}", "application/json")
    assert status == 200
    assert headers["X-Result-Truncated"] == f"results cut at max_rows={MAX_ROWS}"
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, headers, _ = get(endpoint, f"SELECT ?s {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}", "application/json")
    assert "X-Result-Truncated" not in headers


def test_runaway_query_is_stopped_and_the_server_keeps_serving(endpoint: Endpoint) -> None:
    started = time.monotonic()
    status, _, body = get(endpoint, RUNAWAY, "application/json")
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert TIMEOUT_S <= elapsed < TIMEOUT_S + 2
    for _ in range(4):  # enough to reach the replacement worker as well as the other one
        answer = wrapper(endpoint, f"ASK {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}", JSON).queryAndConvert()
        assert answer["boolean"] is True


def test_one_log_line_per_request(endpoint: Endpoint) -> None:
    before = len(endpoint.request_lines())
    get(endpoint, "ASK {}", "application/json")
    http(endpoint.url, method="PUT", data=b"x")
    get(endpoint, "nonsense", "application/json")
    lines = endpoint.request_lines()[before:]
    assert len(lines) == 3
    assert [line.split('" ')[1].split()[0] for line in lines] == ["200", "403", "400"]


def test_cors_headers_only_for_the_allowed_origin(endpoint: Endpoint) -> None:
    ask = endpoint.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    _, headers, _ = http(ask, headers={"Origin": ALLOWED_ORIGIN})
    assert headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN and headers["Vary"] == "Origin"
    _, headers, _ = http(ask, headers={"Origin": "https://elsewhere.test"})
    assert "Access-Control-Allow-Origin" not in headers
    preflight = {"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"}
    status, headers, _ = http(endpoint.url, method="OPTIONS", headers=preflight)
    assert status == 204 and headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in headers["Access-Control-Allow-Methods"] and "Content-Type" in headers["Access-Control-Allow-Headers"]
    status, headers, _ = http(endpoint.url, method="OPTIONS", headers={**preflight, "Origin": "https://elsewhere.test"})
    assert status == 204 and "Access-Control-Allow-Origin" not in headers and headers["Allow"] == "GET, POST, OPTIONS"


def test_get_without_a_query_is_the_service_description(endpoint: Endpoint) -> None:
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    status, headers, body = http(endpoint.url, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=body, format="turtle")
    (service,) = graph.subjects(rdflib.RDF.type, sd.Service)
    assert graph.value(service, sd.endpoint) == URIRef(endpoint.url)
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, sd.resultFormat)}
    assert {"SPARQL_Results_JSON", "JSON-LD", "N-Quads", "TriG"} <= formats
    status, headers, body = http(endpoint.url, headers={"Accept": "application/ld+json", "Host": "evil host/"})
    graph = rdflib.Graph().parse(data=body, format="json-ld")
    assert str(next(graph.subjects(rdflib.RDF.type, sd.Service))).startswith("http://127.0.0.1:")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own quad parsers
@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [("application/ld+json", "json-ld"), ("application/n-quads", "nquads"), ("application/trig", "trig")],
)
def test_graph_results_in_json_ld_n_quads_and_trig(endpoint: Endpoint, media_type: str, rdflib_format: str) -> None:
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DOC}a> {{ ?s ?p ?o }} }}"
    status, headers, body = get(endpoint, construct, media_type)
    assert status == 200 and headers["Content-Type"] == media_type
    graph = rdflib.Dataset().parse(data=body, format=rdflib_format)
    amounts = sorted(int(o) for _, _, o, _ in graph.quads((None, URIRef(BK + "amount"), None, None)))
    assert amounts == [1, 2]


def test_service_and_load_are_refused_and_nothing_leaves(endpoint: Endpoint, loopback_listener: Listener) -> None:
    """A web page can make the auditor's browser GET this endpoint: it must not make the server fetch anything."""
    target = loopback_listener.url
    status, _, body = get(endpoint, f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", "application/json")
    assert status == 400 and f"SERVICE <{target}> refused".encode() in body
    prefixed = f"PREFIX : <{target}/> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}"
    assert get(endpoint, prefixed, "*/*")[0] == 400
    for update in (f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <{DOC}a>"):
        form = urllib.parse.urlencode({"update": update}).encode()
        status, _, body = http(
            endpoint.url, method="POST", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 400 and b"makes no outbound request" in body
    time.sleep(0.5)
    assert loopback_listener.received == []


def test_too_deeply_nested_query_is_400(endpoint: Endpoint) -> None:
    nested = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    status, _, body = get(endpoint, nested, "*/*")
    assert status == 400 and b"nested deeper" in body
    chain = "ASK { FILTER(" + "!" * 15000 + "true) }"  # within the token bound: parsed on a large stack
    assert get(endpoint, chain, "application/json")[:3:2] == (200, b'{"head": {}, "boolean": true}')


def test_idle_connection_is_closed(endpoint: Endpoint) -> None:
    port = int(urllib.parse.urlsplit(endpoint.url).port or 0)
    with socket.create_connection(("127.0.0.1", port)) as idle:
        idle.settimeout(IDLE_TIMEOUT_S + 5)
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed by the server, no request sent
        assert time.monotonic() - started < IDLE_TIMEOUT_S + 3


def test_one_snapshot_for_every_worker(endpoint: Endpoint) -> None:
    """A document loaded after the server started is not seen by a replaced worker: answers never alternate."""
    count = f"SELECT (COUNT(DISTINCT ?g) AS ?n) {{ GRAPH ?g {{ ?s <{BK}amount> ?o }} }}"
    before = get(endpoint, count, "text/csv")[2]
    with open_store(str(endpoint.store)) as store:
        store.put_document(DOC + "later", small_graph("later"), rdflib.Graph(), {})
    workers = children(endpoint.pid)
    assert get(endpoint, RUNAWAY, "application/json")[0] == 503  # one worker killed and replaced
    deadline = time.monotonic() + 60
    while len(children(endpoint.pid) - workers) < 1 or len(children(endpoint.pid)) < len(workers):
        assert time.monotonic() < deadline, "the killed worker was not replaced within 60 s"
        time.sleep(0.1)
    time.sleep(1)  # the replacement has opened its store and joined the pool
    answers = {get(endpoint, count, "text/csv")[2] for _ in range(20)}
    assert answers == {before} and before == b"n\r\n4\r\n"
