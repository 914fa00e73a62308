"""The budget-kg vocabulary as Python objects, mirroring ontology/budget.ttl term by term.

A misspelt term fails at import or attribute access, never as a silent new IRI
(tests/test_vocab.py checks this module and the Turtle file agree)."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Callable
from typing import Generic, TypeVar

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://budget-kg.org/"
T = TypeVar("T")


class BK(DefinedNamespace):
    """Terms of https://budget-kg.org/ns#."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    AmbiguousCell: URIRef
    Cell: URIRef
    Claim: URIRef
    Column: URIRef
    CrossTableIdentity: URIRef
    Document: URIRef
    Identity: URIRef
    Label: URIRef
    Measure: URIRef
    Part: URIRef
    Row: URIRef
    Rule: URIRef
    Section: URIRef
    Span: URIRef
    Table: URIRef
    TableKind: URIRef
    Unparsed: URIRef
    about: URIRef
    accepted: URIRef
    addsTo: URIRef
    appliesToTemplate: URIRef
    basicCode: URIRef
    basis: URIRef
    basisYear: URIRef
    blankTemplate: URIRef
    box: URIRef
    candidateColumn: URIRef
    cause: URIRef
    claimBasis: URIRef
    claimCount: URIRef
    claimKind: URIRef
    classification: URIRef
    classificationDimension: URIRef
    className: URIRef
    codedTableStructure: URIRef
    col: URIRef
    column: URIRef
    columnDimension: URIRef
    columnTable: URIRef
    compared: URIRef
    consequenceOf: URIRef
    costOf: URIRef
    countedIn: URIRef
    current: URIRef
    decimals: URIRef
    declaredEmpty: URIRef
    direction: URIRef
    documentKind: URIRef
    encoding: URIRef
    endOffset: URIRef
    endsAt: URIRef
    entryName: URIRef
    evidence: URIRef
    example: URIRef
    expectsTableKind: URIRef
    expectsPart: URIRef
    family: URIRef
    fileName: URIRef
    fitsNoIdentity: URIRef
    hasClaim: URIRef
    hasIdentity: URIRef
    hasLabel: URIRef
    hasPart: URIRef
    hasTable: URIRef
    hasUnparsed: URIRef
    headerOnly: URIRef
    identityText: URIRef
    itemTableStructure: URIRef
    inRow: URIRef
    inTable: URIRef
    isTotal: URIRef
    itemName: URIRef
    labelEndYear: URIRef
    labelKind: URIRef
    labelYear: URIRef
    lastAmount: URIRef
    leftColumn: URIRef
    leftKind: URIRef
    leftSide: URIRef
    level: URIRef
    line: URIRef
    listsTable: URIRef
    materialityPercent: URIRef
    materialityYuan: URIRef
    minusColumn: URIRef
    name: URIRef
    needsTotalRow: URIRef
    nearZeroRatePercent: URIRef
    obsoleteName: URIRef
    organisation: URIRef
    page: URIRef
    partOf: URIRef
    partition: URIRef
    partKind: URIRef
    period: URIRef
    plusColumn: URIRef
    printedCode: URIRef
    radius: URIRef
    readingProblem: URIRef
    reason: URIRef
    rightColumn: URIRef
    rightKind: URIRef
    rightSide: URIRef
    rowCount: URIRef
    rowDimension: URIRef
    rowIndex: URIRef
    ruleId: URIRef
    scope: URIRef
    section: URIRef
    sectionLevel: URIRef
    sectionNumber: URIRef
    sentence: URIRef
    side: URIRef
    sign: URIRef
    source: URIRef
    stage: URIRef
    startOffset: URIRef
    subcolumn: URIRef
    subcolumnOf: URIRef
    tableCount: URIRef
    tableKind: URIRef
    tableNumber: URIRef
    template: URIRef
    text: URIRef
    textValue: URIRef
    title: URIRef
    topic: URIRef
    totalColumn: URIRef
    totalRow: URIRef
    unit: URIRef
    unitName: URIRef
    unparsedCount: URIRef
    value: URIRef
    whole: URIRef
    unitAttribute: URIRef
    valueMeasure: URIRef
    within: URIRef
    year: URIRef
    yuan: URIRef


class SD(DefinedNamespace):
    """Terms of the SPARQL 1.1 Service Description the endpoint answers with (engine/service_description.py)."""

    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")
    _fail = True

    Dataset: URIRef
    Graph: URIRef
    SPARQL11Query: URIRef
    Service: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    endpoint: URIRef
    resultFormat: URIRef
    supportedLanguage: URIRef


FORMATS = Namespace("http://www.w3.org/ns/formats/")  # W3C's IRIs of serialisation formats
FUNCTION = Namespace(BASE + "code/function/")
ECONOMIC = Namespace(BASE + "code/economic/")
MEASURE = Namespace(BASE + "measure/")
COLUMN = Namespace(BASE + "column/")
TABLE_KIND = Namespace(BASE + "table-kind/")
PART = Namespace(BASE + "part/")
RULE = Namespace(BASE + "rule/")
DOC = Namespace(BASE + "doc/")
UNIT = Namespace(BASE + "unit/")
STORE = Namespace(BASE + "store/")  # a store's own bookkeeping (engine/store.py)
STORE_META = Namespace(BASE + "store/meta/")

PREFIXES = {
    "bk": BK._NS,
    "fn": FUNCTION,
    "ec": ECONOMIC,
    "measure": MEASURE,
    "column": COLUMN,
    "tk": TABLE_KIND,
    "rule": RULE,
}


class Terms(Generic[T]):
    """A namespace's terms in the form a writer needs (Oxigraph nodes, N-Triples text); made from the rdflib
    namespace, so a misspelt term fails on access here as it does there."""

    def __init__(self, namespace: type[DefinedNamespace], form: Callable[[str], T]) -> None:
        for name in namespace.__annotations__:
            setattr(self, name, form(str(namespace[name])))

    def __getattr__(self, name: str) -> T:
        raise AttributeError(f"no term {name!r} in the vocabulary")


OX_BK, OX_RDF, OX_RDFS, OX_SKOS, OX_XSD, OX_DCTERMS, OX_QB, OX_SD = (
    Terms(namespace, ox.NamedNode) for namespace in (BK, RDF, RDFS, SKOS, XSD, DCTERMS, QB, SD)
)

# What a node may hold as parts, each under `<node>/<kind>/<key>` (engine/graph.py, engine/validate.py).
PARTS = frozenset(
    {
        "table",
        "row",
        "cell",
        "claim",
        "sentence",
        "section",
        "label",
        "path",
        "unparsed",
        "part",
        "toc",
        "identity",
        "result",
    }
)
# What a node may hold as facets, each under `<node>/<name>`: where it was printed, a table's organisation,
# where a document ends, a table's last amount and its 合计 row (engine/completeness.py).
FACETS = frozenset({"source", "declaredEmpty", "organisation", "end", "last-amount", "total-row"})


def part_iri(node: str, kind: str, key: object) -> str:
    """A part of a node: a document's tables, claims, sentences…, a table's rows, a row's cells, a table
    kind's identities, a report's results."""
    if kind not in PARTS:
        raise ValueError(f"no part {kind!r} in the vocabulary")
    return f"{node}/{kind}/{key}"


def parts_prefix(node: str) -> str:
    """What every part of a node begins with (Turtle binds a document's as `doc:`)."""
    return node + "/"


def facet_iri(node: str, name: str) -> str:
    """A node standing for one aspect of another: its printed source (bk:source, bk:declaredEmpty), a
    table's organisation."""
    if name not in FACETS:
        raise ValueError(f"no facet {name!r} in the vocabulary")
    return f"{node}/{name}"


def identity_iri(table_kind: str, identity: str) -> str:
    """An identity a table kind's columns obey (合计 = 基本支出 + 项目支出), named by its printed form."""
    return part_iri(table_kind, "identity", re.sub(r"\W+", "_", identity).strip("_"))


def report_iri(doc_iri: str) -> str:
    """The IRI of a document's validation report, and of the store's named graph holding it."""
    return doc_iri + "/report"


def cross_report_iri(doc_iris: list[str]) -> str:
    """The report over several documents, named after all of them so reports never share a node."""
    digest = hashlib.sha256(" ".join(doc_iris).encode("utf-8")).hexdigest()[:16]
    return f"urn:budget-kg:report:{digest}"


def meta_iri(key: str) -> str:
    """The property a store keeps one entry of a document's load metadata under."""
    return STORE_META[urllib.parse.quote(key, safe="")]


def publisher_iri(unit: str) -> URIRef:
    """The publishing unit (dcterms:publisher) by its printed name: one IRI for all its documents."""
    return UNIT[urllib.parse.quote(unit, safe="")]


def document_iri(year: int | None, unit: str | None, scope: str | None, kind: str | None, digest: str) -> URIRef:
    """A disclosure by what it says it is (year, unit, 部门/单位, 预算/决算) and a digest of its text: another
    unit's document never shares it, the same document read again always has it; the file name plays no part."""
    parts = (str(year) if year else "", unit or "", f"{scope or ''}{kind or ''}", digest[:16])
    return DOC["-".join(name for part in parts if (name := re.sub(r"[^\w.]+", "-", part).strip("-")))]


def code_concept(code: str, scheme: str) -> URIRef:
    """The SKOS concept of a classification code in its scheme."""
    return (FUNCTION if scheme == "function" else ECONOMIC)[code]


def code_of(iri: str) -> tuple[str, str] | None:
    """(scheme, code) of a classification concept's IRI; None for any other IRI."""
    for scheme, namespace in (("function", FUNCTION), ("economic", ECONOMIC)):
        if iri.startswith(namespace):
            return scheme, iri[len(namespace) :]
    return None


def measure_of(iri: str) -> str | None:
    """The id of a measure's IRI (ontology/measures.ttl); None for any other IRI."""
    return iri[len(MEASURE) :] if iri.startswith(MEASURE) else None


def subject_name(iri: str) -> str:
    """How outputs print a claim's subject (an IRI): 'code:2012901' for a classification, 'measure:basic'
    for a measure, any other IRI as it is."""
    code = code_of(iri)
    measure = measure_of(iri)
    return f"code:{code[1]}" if code else f"measure:{measure}" if measure else iri
