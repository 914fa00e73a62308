"""The SPARQL 1.1 Service Description of the read-only endpoint, answered on GET of its URL without a
query, so that clients (YASGUI, federated catalogues) learn what it offers before asking."""

from __future__ import annotations

import re

import pyoxigraph as ox

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
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

    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(SD + term)

    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
        ox.Triple(
            service,
            DESCRIPTION,
            ox.Literal(
                "budget-kg: audited budget disclosures, read-only. The default graph holds the ontology, code "
                "lists and rules; each document is a named graph, its SHACL report the graph <document>/report.",
                language="en",
            ),
        ),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    return triples
