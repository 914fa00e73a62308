"""Storage and query layer: many documents as named graphs in an Oxigraph store, local or remote.

Each document `<doc>` owns two named graphs: `<doc>` (data) and `<doc>/report` (validation
report, plus the load's metadata). The ontology and code lists live in the default graph.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, cast
from typing import Literal as Kind
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
import rdflib
from rich.table import Table

from engine.vocab import STORE, STORE_META, meta_iri, report_iri

REPORT_OF = ox.NamedNode(STORE.report)
"""`<doc> store:report <doc/report>`: marks a document and names its report graph (the store's own
bookkeeping triples are kept in each `<doc>/report` graph)."""
META_NS = str(STORE_META)
"""`<doc> <store:meta/KEY> "value"`: one triple per entry of `put_document`'s `meta`."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
T = TypeVar("T")
QUERY_STACK_BYTES = 256 * 1024 * 1024
"""Stack of the thread a query runs on: pyoxigraph recurses once per nesting level and chained operator
(engine/sparql_guard.py bounds both), and an 8 MB main-thread stack overflowed at 12,000 operators."""


class StoreError(Exception):
    """A store could not be read or written."""


class QueryError(StoreError):
    """A SPARQL query was rejected as invalid."""


@dataclass(frozen=True)
class Document:
    """One stored document: its IRI, triple counts of its two graphs, and its load metadata."""

    iri: str
    triples: int
    report_triples: int
    meta: dict[str, str] = field(default_factory=dict)


def _nt(term: Term) -> str:
    """N-Triples form of a term (also valid SPARQL and TSV)."""
    return str(term)


def _python(term: Term | None) -> Any:
    """A term as a python value: URIRef, BNode, or the literal's native value (Decimal, date, str…)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language).toPython()
        return rdflib.Literal(term.value, datatype=term.datatype.value).toPython()
    return str(term)


def _json_term(term: Term) -> dict[str, str]:
    """A term as a SPARQL 1.1 JSON results RDF term object."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    raise StoreError(f"cannot serialise quoted triple {term} as SPARQL JSON results")


def _xml_term(term: Term) -> str:
    """A term as a SPARQL XML results element."""
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    raise StoreError(f"cannot serialise quoted triple {term} as SPARQL XML results")


def _plain(term: Term | None) -> str:
    """A term's plain text (CSV results, tables): IRI, lexical form, or `_:label`."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return str(term)
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    # a graph result is the default graph of a dataset: quad formats carry it unchanged
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples.

    Triples are rows over the variables `subject`, `predicate`, `object`. `terms` holds
    pyoxigraph terms (None where unbound); `truncated` says rows were cut at `max_rows`.
    """

    kind: Kind["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    terms: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    truncated: bool = False

    @cached_property
    def rows(self) -> list[tuple[Any, ...]]:
        """The rows as python values (see `_python`)."""
        return [tuple(_python(t) for t in row) for row in self.terms]

    def media_types(self) -> list[str]:
        """Media types this result serialises to, preferred first."""
        if self.kind == "graph":
            return list(_RDF_FORMATS)
        return list(_RESULT_SERIALISERS)

    def serialize(self, media_type: str) -> bytes:
        """This result in `media_type` (one of `media_types()`), UTF-8 encoded."""
        if self.kind == "graph" and media_type in _RDF_FORMATS:
            triples = [ox.Triple(*row) for row in self.terms]  # type: ignore[arg-type]  # rows of a graph result
            return cast(bytes, ox.serialize(triples, format=_RDF_FORMATS[media_type]))
        if self.kind != "graph" and media_type in _RESULT_SERIALISERS:
            return _RESULT_SERIALISERS[media_type](self).encode()
        raise StoreError(f"a {self.kind} result has no {media_type} serialisation")

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": self.boolean})
        bindings = [
            {v: _json_term(t) for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.terms
        ]
        doc = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False)

    def to_xml(self) -> str:
        """SPARQL Query Results XML."""
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables) + "</head>")
        if self.kind == "ask":
            out.append(f"<boolean>{'true' if self.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in self.terms:
                cells = (
                    f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(self.variables, row, strict=True)
                    if t is not None
                )
                out.append("<result>" + "".join(cells) + "</result>")
            out.append("</results>")
        out.append("</sparql>\n")
        return "\n".join(out)

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV (an ASK result is the single line `true`/`false`)."""
        if self.kind == "ask":
            return "true\r\n" if self.boolean else "false\r\n"
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.variables)
        writer.writerows([_plain(t) for t in row] for row in self.terms)
        return buf.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV (an ASK result is the single line `true`/`false`)."""
        if self.kind == "ask":
            return "true\n" if self.boolean else "false\n"
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in self.terms]
        return "\n".join(lines) + "\n"

    def __rich__(self) -> Table:
        """A rich table of the rows (or of the ASK answer)."""
        if self.kind == "ask":
            table = Table("boolean")
            table.add_row(str(self.boolean).lower())
            return table
        table = Table(*self.variables, caption="cut at max_rows" if self.truncated else None)
        for row in self.terms:
            table.add_row(*(_plain(t) for t in row))
        return table


_RESULT_SERIALISERS = {
    "application/sparql-results+json": QueryResult.to_json,
    "application/json": QueryResult.to_json,
    "application/sparql-results+xml": QueryResult.to_xml,
    "application/xml": QueryResult.to_xml,
    "text/csv": QueryResult.to_csv,
    "text/tab-separated-values": QueryResult.to_tsv,
}


def _result(answer: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple], max_rows: int | None) -> QueryResult:
    """Collect a pyoxigraph answer into a QueryResult, keeping at most `max_rows` rows."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows = [tuple(solution) for solution in _cut(answer, max_rows)]
        kind: Kind["select", "graph"] = "select"
    else:
        variables = ("subject", "predicate", "object")
        rows = [(t.subject, t.predicate, t.object) for t in _cut(answer, max_rows)]
        kind = "graph"
    truncated = max_rows is not None and len(rows) > max_rows
    return QueryResult(kind, variables, tuple(rows[:max_rows] if truncated else rows), truncated=truncated)


def _cut(items: Iterable[Any], max_rows: int | None) -> Iterable[Any]:
    """The first `max_rows + 1` items (one more, to tell that there were more), or all."""
    return items if max_rows is None else islice(items, max_rows + 1)


def _to_ox(term: rdflib.term.Node, bnodes: dict[rdflib.BNode, ox.BlankNode]) -> Term:
    """An rdflib term as a pyoxigraph term; each rdflib blank node maps to one fresh blank node."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return bnodes.setdefault(term, ox.BlankNode())
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"cannot store {type(term).__name__} {term!r}")


def _triples(graph: rdflib.Graph, bnodes: dict[rdflib.BNode, ox.BlankNode]) -> list[ox.Triple]:
    """The graph's triples as pyoxigraph triples (ox.Triple rejects a literal subject or predicate)."""
    return [ox.Triple(*(_to_ox(t, bnodes) for t in triple)) for triple in graph]  # type: ignore[arg-type]


def _ntriples(triples: Sequence[ox.Triple]) -> bytes:
    """Triples serialised as N-Triples."""
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


class Store(ABC):
    """A store of many documents: write them as named graphs, query them with SPARQL."""

    def put_document(self, doc_iri: str, data: rdflib.Graph | bytes, report: rdflib.Graph, meta: dict[str, str]) -> int:
        """Replace graphs `<doc_iri>` and `<doc_iri>/report` with `data` (rdflib's graph, or N-Triples as the
        graph stage writes them) and `report` + `meta`; return their triple count."""
        doc = ox.NamedNode(doc_iri)
        rep = ox.NamedNode(report_iri(doc_iri))
        bnodes: dict[rdflib.BNode, ox.BlankNode] = {}
        report_triples = _triples(report, bnodes) + [ox.Triple(doc, REPORT_OF, rep)]
        report_triples += [ox.Triple(doc, ox.NamedNode(meta_iri(k)), ox.Literal(v)) for k, v in meta.items()]
        written = data if isinstance(data, bytes) else _ntriples(_triples(data, bnodes))
        self._replace({doc: written, rep: _ntriples(report_triples)})
        return self.triple_count(doc_iri) + self.triple_count(rep.value)

    def put_default(self, graph: rdflib.Graph) -> int:
        """Replace the default graph (ontology, code lists) with `graph`; return its triple count."""
        self._replace({ox.DefaultGraph(): _ntriples(_triples(graph, {}))})
        return self._count("{ ?s ?p ?o }")

    def documents(self) -> list[Document]:
        """The stored documents, sorted by IRI, with their triple counts and metadata."""
        counts = {
            str(g): int(n)
            for g, n in self.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        }
        meta: dict[str, dict[str, str]] = {}
        rows = self.query(
            f"SELECT ?doc ?k ?v {{ GRAPH ?r {{ ?doc <{REPORT_OF.value}> ?r "
            f'OPTIONAL {{ ?doc ?k ?v FILTER(STRSTARTS(STR(?k), "{META_NS}")) }} }} }}'
        ).rows
        for doc, key, value in rows:
            entries = meta.setdefault(str(doc), {})
            if key is not None:
                entries[urllib.parse.unquote(key[len(META_NS) :])] = str(value)
        return [
            Document(doc, counts.get(doc, 0), counts.get(report_iri(doc), 0), entries)
            for doc, entries in sorted(meta.items())
        ]

    def triple_count(self, graph_iri: str | None = None) -> int:
        """Triples in the named graph `graph_iri`, or in the whole store (all graphs) when None."""
        if graph_iri is None:
            return self._count("{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return self._count(f"{{ GRAPH {_nt(ox.NamedNode(graph_iri))} {{ ?s ?p ?o }} }}")

    def _count(self, where: str) -> int:
        """The number of solutions of a WHERE clause."""
        return int(self.query(f"SELECT (COUNT(*) AS ?n) {where}").rows[0][0])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def _replace(self, graphs: dict[ox.NamedNode | ox.DefaultGraph, bytes]) -> None:
        """Replace each given graph's content with its triples (N-Triples)."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        max_rows: int | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Run a SPARQL query, keeping at most `max_rows` rows; the *_uris set its RDF dataset."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""


class EmbeddedStore(Store):
    """A persistent pyoxigraph store in a local directory; each write is one transaction."""

    def __init__(self, db: ox.Store) -> None:
        self._db: ox.Store | None = db

    @property
    def db(self) -> ox.Store:
        """The open pyoxigraph store."""
        if self._db is None:
            raise StoreError("store is closed")
        return self._db

    def _replace(self, graphs: dict[ox.NamedNode | ox.DefaultGraph, bytes]) -> None:
        """One SPARQL update (one transaction): drop every graph, then INSERT DATA all new triples."""
        drops = " ; ".join(
            "DROP DEFAULT" if isinstance(g, ox.DefaultGraph) else f"DROP SILENT GRAPH {_nt(g)}" for g in graphs
        )
        blocks = "\n".join(
            nt.decode() if isinstance(g, ox.DefaultGraph) else f"GRAPH {_nt(g)} {{\n{nt.decode()}}}"
            for g, nt in graphs.items()
        )
        self.db.update(f"{drops} ;\nINSERT DATA {{\n{blocks}\n}}")

    def query(
        self,
        sparql: str,
        *,
        max_rows: int | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Run a SPARQL query on the embedded store (on a thread with a large stack)."""

        def run() -> QueryResult:
            try:
                answer = self.db.query(
                    sparql,
                    default_graph=[ox.NamedNode(u) for u in default_graph_uris] or None,
                    named_graphs=[ox.NamedNode(u) for u in named_graph_uris] or None,
                )
                return _result(answer, max_rows)
            except (SyntaxError, ValueError) as e:
                raise QueryError(_one_line(str(e))) from None
            except OSError as e:  # reading the store, or an allowed SERVICE's reply
                raise StoreError(_one_line(f"query failed: {type(e).__name__}: {e}")) from None

        return _on_large_stack(run)

    def close(self) -> None:
        """Flush to disk and release the directory lock."""
        if self._db is not None:
            self._db.flush()
            self._db = None


def _one_line(message: str, limit: int = 300) -> str:
    """A parser's message on one line, shortened: it may list every character class it expected."""
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _on_large_stack(run: Callable[[], T]) -> T:
    """`run()` on a thread of QUERY_STACK_BYTES stack (pages are only committed as used); its exception re-raised."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, run()))
        except BaseException as e:  # noqa: BLE001 - handed back to the calling thread
            # without its frames: pyoxigraph objects they hold must be freed on this thread
            e.__context__ = e.__cause__ = None
            outcome.append((False, e.with_traceback(None)))

    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(QUERY_STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="query")
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return cast(T, value)


_STACK_SIZE_LOCK = threading.Lock()
"""threading.stack_size is process-wide: set and restored around one thread's start at a time."""


class RemoteStore(Store):
    """A SPARQL 1.1 server: Graph Store Protocol to write, SPARQL Protocol to query.

    A document's two graphs are written by separate requests (each graph replaced atomically,
    not both together): the report is deleted first, so a failed load leaves no stale report.
    Blank nodes shared by the data and the report graph become distinct nodes on the server.
    """

    def __init__(self, query_url: str, store_url: str, timeout_s: float = 60.0) -> None:
        self.query_url = query_url
        self.store_url = store_url
        self.timeout_s = timeout_s

    def _request(
        self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[str, bytes]:
        """Send one HTTP request; return the response's media type and body."""
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as e:
            message = f"{method} {url}: HTTP {e.code}: {e.read().decode(errors='replace')[:2000]}"
            raise (QueryError if e.code == 400 else StoreError)(message) from e
        except urllib.error.URLError as e:
            raise StoreError(f"{method} {url}: {e.reason}") from e

    def _graph_url(self, graph: ox.NamedNode | ox.DefaultGraph) -> str:
        """The Graph Store Protocol URL of a graph."""
        if isinstance(graph, ox.DefaultGraph):
            return self.store_url + "?default"
        return self.store_url + "?" + urllib.parse.urlencode({"graph": graph.value})

    def _replace(self, graphs: dict[ox.NamedNode | ox.DefaultGraph, bytes]) -> None:
        """Delete the later graphs, then PUT each graph in order."""
        for graph in list(graphs)[1:]:
            try:
                self._request("DELETE", self._graph_url(graph))
            except StoreError as e:
                if "HTTP 404" not in str(e):
                    raise
        for graph, nt in graphs.items():
            headers = {"Content-Type": "application/n-triples"}
            self._request("PUT", self._graph_url(graph), nt, headers)

    def query(
        self,
        sparql: str,
        *,
        max_rows: int | None = None,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> QueryResult:
        """Run a SPARQL query on the server (rows beyond `max_rows` are dropped after transfer)."""
        params = [("query", sparql)]
        params += [("default-graph-uri", u) for u in default_graph_uris]
        params += [("named-graph-uri", u) for u in named_graph_uris]
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        }
        media_type, body = self._request("POST", self.query_url, urllib.parse.urlencode(params).encode(), headers)
        answer: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
        if media_type in ("application/sparql-results+json", "application/json"):
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        elif media_type == "application/n-triples":
            answer = (
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            )
        else:
            raise StoreError(f"unexpected query response type {media_type}")
        return _result(answer, max_rows)

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""


def existing_store(location: str) -> str:
    """`location` if it is an embedded store's directory; a StoreError otherwise (no store is created)."""
    path = Path(location)
    if not path.is_dir():
        raise StoreError(f"{location}: no such store (a directory made by `budget-kg load`)")
    if not (path / "CURRENT").is_file():
        raise StoreError(f"{location}: not an Oxigraph store (no CURRENT file in the directory)")
    return location


def open_store(location: str, graph_store: str | None = None, *, create: bool = True) -> Store:
    """Open a store: a directory path → embedded Oxigraph; an http(s) URL → an Oxigraph-style server root.

    A server root `U` is queried at `U/query` and written at `U/store` (Oxigraph's layout). Other
    servers (Fuseki, GraphDB, Virtuoso …) name their two services as they like: with `graph_store`
    (its Graph Store Protocol URL), `location` is the SPARQL query URL as it is.
    Without `create`, a missing directory is a StoreError.
    """
    web = ("http://", "https://")
    if graph_store is not None:
        if not (location.startswith(web) and graph_store.startswith(web)):
            raise StoreError(f"{location}: with a graph store URL, the store is a server's SPARQL query URL (http…)")
        return RemoteStore(location, graph_store)
    if location.startswith(web):
        root = location.rstrip("/")
        return RemoteStore(root + "/query", root + "/store")
    if not create:
        existing_store(location)
    try:
        return EmbeddedStore(ox.Store(location))
    except OSError as e:
        raise StoreError(f"cannot open store at {location}: {e}") from e
