"""Validate stage: the SHACL shapes of ontology/shapes/ over a document graph, with pySHACL.

The SHACL ValidationReport is the record; each finding is one of its results. A rule's SELECT
binds, besides `?value` (the offending fact), variables `?e_<role>` (one fact) and `?es_<role>`
(facts, space-separated IRIs) naming every fact it compared; the finding's evidence is those
facts with their printed sources, found by evaluating the same SELECT once per rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.query import ResultRow

from engine.graph import DocumentGraph
from engine.resources import data_path
from engine.span import Span
from engine.vocab import BK, cross_report_iri, part_iri, report_iri

SHAPES_DIR = data_path("ontology", "shapes")
TOLERANCES = data_path("ontology", "tolerances.ttl")
SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
_VAR_RE = re.compile(r"\{[?$](\w+)\}")


@dataclass(slots=True)
class Evidence:
    """One fact a finding used: its role, printed value and where it was printed (its span, kept
    until an output renders it)."""

    role: str
    fact: str
    value: str | None
    source: Span | None


@dataclass(slots=True)
class Finding:
    rule: str
    severity: str
    message: str
    focus: str
    value: str | None
    evidence: list[Evidence] = field(default_factory=list)
    accepted: str | None = None
    result: object = None  # its node in the SHACL report
    cause: Finding | None = None  # the error it follows from, when one defect made several (engine/grouping.py)


@dataclass(frozen=True, slots=True)
class Rule:
    """One shape file: id, severity, the SELECT and the message template."""

    iri: URIRef
    id: str
    severity: str
    family: str
    label: str
    comment: str
    example: str
    select: str
    message: str


@cache
def shapes_graph(directory: Path = SHAPES_DIR) -> Graph:
    """All rule shapes, one file per rule; a malformed file names itself."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # noqa: BLE001 - report which shape file is broken
            raise ValueError(f"{path.name}: not valid Turtle: {err}") from None
    return graph


@cache
def rules(directory: Path = SHAPES_DIR) -> tuple[Rule, ...]:
    """The rule catalogue, by id."""
    g = shapes_graph(directory)
    out = []
    for shape in g.subjects(RDF.type, BK.Rule):
        assert isinstance(shape, URIRef), "a rule shape has an IRI"
        constraint = g.value(shape, SH.sparql)
        out.append(
            Rule(
                iri=shape,
                id=str(g.value(shape, BK.ruleId)),
                severity=SEVERITY.get(URIRef(str(g.value(shape, SH.severity))), "error"),
                family=str(g.value(shape, BK.family) or ""),
                label=str(g.value(shape, RDFS.label) or ""),
                comment=str(g.value(shape, RDFS.comment) or ""),
                example=str(g.value(shape, BK.example) or ""),
                select=str(g.value(constraint, SH.select)) if constraint is not None else "",
                message=str(g.value(constraint, SH.message) or "") if constraint is not None else "",
            )
        )
    return tuple(sorted(out, key=lambda r: r.id))


# What rules read besides the document and the tolerances (files under ontology/).
CONTEXT_PARTS = ("codes/function.ttl", "codes/economic.ttl", "measures.ttl", "columns.ttl", "cross-tables.ttl")


@cache
def context_graph(tolerances: Path = TOLERANCES) -> Graph:
    """What rules read besides the document: tolerances, code lists, measures, columns, cross-table identities."""
    g = Graph().parse(tolerances, format="turtle")
    for part in CONTEXT_PARTS:
        g.parse(data_path("ontology", part), format="turtle")
    return g


def _substitute(template: str, row: dict[str, object]) -> str:
    return _VAR_RE.sub(lambda m: str(row.get(m.group(1), "")), template)


_FIGURE_RE = re.compile(r"-?[\d,]+(?:\.\d+)?%?")


def _figures_in_order(binding: dict[str, object]) -> dict[str, object]:
    """A binding whose lists of printed figures (GROUP_CONCAT with "、") are in ascending order: the
    query engine concatenates in an order that varies from run to run, and a message must not."""

    def ordered(value: object) -> object:
        items = str(value).split("、")
        if len(items) < 2 or not all(_FIGURE_RE.fullmatch(i) for i in items):
            return value
        return "、".join(sorted(items, key=lambda i: (Decimal(i.replace(",", "").rstrip("%")), i)))

    return {name: ordered(value) for name, value in binding.items()}


Lookup = Callable[[str, URIRef], str | None]
"""One value of a fact's property (an IRI, or a literal's lexical form), from whichever graph holds the facts."""


def _graph_lookup(graph: Graph) -> Lookup:
    def value(fact: str, prop: URIRef) -> str | None:
        found = graph.value(URIRef(fact), prop)
        return None if found is None else str(found)

    return value


def _store_lookup(store: ox.Store) -> Lookup:
    def value(fact: str, prop: URIRef) -> str | None:
        try:
            node = ox.NamedNode(fact)
        except ValueError:  # a rule bound a literal where it names a fact: nothing was printed for it
            return None
        found = next((q.object for q in store.quads_for_pattern(node, ox.NamedNode(prop), None)), None)
        return None if isinstance(found, ox.Triple | None) else found.value

    return value


def _span(value: Lookup, fact: str) -> Span | None:
    """Where a fact was printed, read back from its bk:source node (a hand-written graph may give
    only some of the fields: the others are empty)."""
    src = value(fact, BK.source)
    if src is None:
        return None

    def get(p: URIRef) -> str:
        return value(src, p) or ""

    box = get(BK.box).split()
    return Span(
        file=get(BK.fileName),
        page=int(get(BK.page) or 0),
        line=int(get(BK.line) or 0),
        column=int(get(BK.col) or 0),
        start=int(get(BK.startOffset) or 0),
        end=int(get(BK.endOffset) or 0),
        text=get(BK.text),
        box=(float(box[0]), float(box[1]), float(box[2]), float(box[3])) if len(box) == 4 else None,
    )


def _place(value: Lookup, fact: str) -> tuple[int, int, str]:
    """Where a fact was printed (line, column), to list a group of facts in reading order, whatever order
    the query engine concatenated them in."""
    span = _span(value, fact)
    return (span.line, span.column, fact) if span else (0, 0, fact)


def _evidence(value: Lookup, binding: dict[str, object]) -> list[Evidence]:
    out: list[Evidence] = []
    for var, val in binding.items():
        if var.startswith("es_"):
            facts = str(val).split()
        elif var.startswith("e_"):
            facts = [str(val)]
        else:
            continue
        role = var.split("_", 1)[1]
        for fact in sorted(facts, key=lambda f: _place(value, f)) if len(facts) > 1 else facts:
            out.append(Evidence(role, fact, value(fact, BK.value), _span(value, fact)))
    return out


def validate(
    data: Graph | DocumentGraph, tolerances: Path = TOLERANCES, engine: str = "fast", shapes: Path = SHAPES_DIR
) -> tuple[Graph, list[Finding]]:
    """Run every rule of `shapes`; returns the ValidationReport graph and the findings derived from it.
    `fast` runs each rule's SELECT on Oxigraph and writes the same SHACL report pySHACL would
    (tests/test_validators.py checks both agree on the corpus); `pyshacl` runs pySHACL itself."""
    return (_validate_fast if engine == "fast" else _validate_pyshacl)(data, tolerances, shapes)


def _validate_pyshacl(data: Graph | DocumentGraph, tolerances: Path, shapes: Path) -> tuple[Graph, list[Finding]]:
    import pyshacl

    graph = (data.rdflib() if isinstance(data, DocumentGraph) else data) + context_graph(tolerances)
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(shapes), inference="none", allow_warnings=True)
    by_shape = {r.iri: r for r in rules(shapes)}
    bindings: dict[tuple[URIRef, str, str], list[dict[str, object]]] = {}
    findings = []
    for result in list(report.subjects(RDF.type, SH.ValidationResult)):
        rule = by_shape.get(report.value(result, SH.sourceShape))
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        message = str(report.value(result, SH.resultMessage) or "")
        finding = Finding(
            rule=rule.id if rule else str(report.value(result, SH.sourceShape)),
            severity=SEVERITY.get(URIRef(str(report.value(result, SH.resultSeverity))), "error"),
            message=message,
            focus=str(focus),
            value=None if value is None else str(value),
        )
        if rule is not None:
            key = (rule.iri, str(focus), str(value))
            if key not in bindings:
                for row in graph.query(rule.select, initBindings={"this": focus}):
                    assert isinstance(row, ResultRow)
                    b: dict[str, object] = {str(k): v for k, v in row.asdict().items()}
                    bindings.setdefault((rule.iri, str(focus), str(b.get("value"))), []).append(b)
            for b in bindings.get(key, []):
                if _substitute(rule.message, b) == message:
                    finding.evidence = _evidence(_graph_lookup(graph), b)
                    break
        _cite(report, result, finding)
        findings.append(finding)
    findings.sort(key=_order)
    return report, findings


def _cite(report: Graph, result: object, finding: Finding) -> None:
    """The report names every fact a finding compared (bk:evidence), so a store query finds them all."""
    finding.result = result
    for e in finding.evidence:
        report.add((result, BK.evidence, URIRef(e.fact)))  # type: ignore[arg-type]


@cache
def _context_ntriples(tolerances: Path) -> bytes:
    return context_graph(tolerances).serialize(format="nt", encoding="utf-8")


def _to_rdflib(term: object) -> object:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))
    return term


def _validate_fast(data: Graph | DocumentGraph, tolerances: Path, shapes: Path) -> tuple[Graph, list[Finding]]:
    store = ox.Store()
    nt = data.ntriples() if isinstance(data, DocumentGraph) else data.serialize(format="nt", encoding="utf-8")
    store.load(nt, format=ox.RdfFormat.N_TRIPLES)
    store.load(_context_ntriples(tolerances), format=ox.RdfFormat.N_TRIPLES)
    lookup = _store_lookup(store)
    typed = store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(BK.Document))
    documents = sorted({URIRef(q.subject.value) for q in typed if isinstance(q.subject, ox.NamedNode)}, key=str)
    found: list[tuple[Finding, Rule, object]] = []
    for doc in documents:
        for rule in rules(shapes):
            solutions = store.query(
                rule.select,
                prefixes=_declared_prefixes(shapes),
                substitutions={ox.Variable("this"): ox.NamedNode(str(doc))},
            )
            assert isinstance(solutions, ox.QuerySolutions), f"{rule.id}: a rule's query is a SELECT"
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                b = {name: _to_rdflib(solution[name]) for name in names if solution[name] is not None}
                value = b.get("value")
                finding = Finding(
                    rule.id, rule.severity, _substitute(rule.message, _figures_in_order(b)), str(doc),
                    None if value is None else str(value), _evidence(lookup, b),
                )  # fmt: skip
                found.append((finding, rule, value))
    found.sort(key=lambda f: _order(f[0]))
    node = report_node(documents)
    report = Graph()
    report.bind("sh", SH)
    report.add((node, RDF.type, SH.ValidationReport))
    for n, (finding, rule, value) in enumerate(found, 1):
        result = URIRef(part_iri(node, "result", n))
        report.add((node, SH.result, result))
        for p, o in (
            (RDF.type, SH.ValidationResult),
            (SH.focusNode, URIRef(finding.focus)),
            (SH.sourceShape, rule.iri),
            (SH.resultSeverity, _SEVERITY_IRI[rule.severity]),
            (SH.resultMessage, Literal(finding.message)),
            (SH.sourceConstraintComponent, SH.SPARQLConstraintComponent),
            (SH.value, value),
        ):
            if o is not None:
                report.add((result, p, o))  # type: ignore[arg-type]
        _cite(report, result, finding)
    report.add((node, SH.conforms, Literal(not any(f.severity == "error" for f, _, _ in found))))
    return report, [f for f, _, _ in found]


def report_node(documents: list[URIRef]) -> URIRef:
    """The report's IRI, that of the document's report graph in a store, so that the reports of several
    documents merge without sharing a node; a cross-document report is named after all of its documents."""
    if len(documents) == 1:
        return URIRef(report_iri(str(documents[0])))
    return URIRef(cross_report_iri([str(d) for d in documents]))


def _order(finding: Finding) -> tuple[object, ...]:
    """Findings by rule, first line and message; ties by the facts they name, so the order never varies."""
    return (
        finding.rule,
        _first_line(finding),
        finding.message,
        finding.value or "",
        [e.fact for e in finding.evidence],
    )


_SEVERITY_IRI = {v: k for k, v in SEVERITY.items()}


@cache
def _declared_prefixes(shapes: Path = SHAPES_DIR) -> dict[str, str]:
    """The prefixes the shapes declare with sh:declare, as pySHACL would prepend them."""
    g = shapes_graph(shapes)
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}


def _first_line(finding: Finding) -> int:
    return min((e.source.line for e in finding.evidence if e.source is not None and e.source.line), default=0)
