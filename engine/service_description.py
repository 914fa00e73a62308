"""The SPARQL 1.1 Service Description of the read-only endpoint, answered on GET of its URL without a
query, so that clients (YASGUI, federated catalogues) learn what it offers before asking."""

from __future__ import annotations

import re

import pyoxigraph as ox

from engine.vocab import FORMATS, OX_DCTERMS, OX_RDF
from engine.vocab import OX_SD as SD

# The W3C format IRIs of what the endpoint serialises (results of SELECT/ASK, then of CONSTRUCT/DESCRIBE).
RESULT_FORMATS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N-Quads", "TriG",
)  # fmt: skip
_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?")


def endpoint_url(host_header: str | None, fallback_host: str, port: int, path: str) -> str:
    """The endpoint's URL as the client addressed it; a Host header that is no host name is not trusted."""
    host = host_header if host_header and _HOST_RE.fullmatch(host_header) else f"{fallback_host}:{port}"
    return f"http://{host}{path}"


def service_description(url: str) -> list[ox.Triple]:
    """sd:Service for the endpoint at `url`: SPARQL 1.1 Query only (read-only), its result formats, and a
    default dataset whose default graph holds the ontology and each named graph one document or report."""
    service, dataset, default = ox.NamedNode(url), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, OX_RDF.type, SD.Service),
        ox.Triple(service, SD.endpoint, service),
        ox.Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        ox.Triple(service, SD.defaultDataset, dataset),
        ox.Triple(dataset, OX_RDF.type, SD.Dataset),
        ox.Triple(dataset, SD.defaultGraph, default),
        ox.Triple(default, OX_RDF.type, SD.Graph),
        ox.Triple(
            service,
            OX_DCTERMS.description,
            ox.Literal(
                "budget-kg: audited budget disclosures, read-only. The default graph holds the ontology, code "
                "lists and rules; each document is a named graph, its SHACL report the graph <document>/report.",
                language="en",
            ),
        ),
    ]
    triples += [ox.Triple(service, SD.resultFormat, ox.NamedNode(FORMATS[f])) for f in RESULT_FORMATS]
    return triples
