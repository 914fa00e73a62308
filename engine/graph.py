"""Graph stage: what was read from one document → an RDF graph under ontology/budget.ttl.

Every cell, row and claim carries a bk:source span (file, page, line, column, offsets, printed
text). Amounts also carry bk:yuan and bk:radius (the printed figure in 元 and its rounding
radius) so that rules compare 元 tables with 万元 narratives by interval arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from engine import vocab
from engine.diagnostics import Diagnostic
from engine.model import Claim, Loaded, Row, Section, Table
from engine.numbers import Figure
from engine.resources import data_path
from engine.span import Span
from engine.templates import TableSchema, all_templates
from engine.vocab import (
    COLUMN,
    OX_XSD,
    PART,
    PREFIXES,
    TABLE_KIND,
    Terms,
    code_concept,
    facet_iri,
    identity_iri,
    part_iri,
    parts_prefix,
    publisher_iri,
)

_UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(slots=True)
class DocumentGraph:
    """A document's triples as the graph stage writes them, one N-Triples line each (a store loads that text
    in one call); `triples` are the same as Oxigraph terms and `rdflib()` as rdflib's graph, for pySHACL,
    the RDF outputs and the tests, each made on first use."""

    doc: str
    lines: list[str]
    _triples: list[ox.Triple] | None = None
    _rdflib: Graph | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> bytes:
        return "".join(self.lines).encode()

    @property
    def triples(self) -> list[ox.Triple]:
        if self._triples is None:
            self._triples = list(ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES))
        return self._triples

    def rdflib(self) -> Graph:
        if self._rdflib is None:
            g = Graph()
            for prefix, ns in PREFIXES.items():
                g.bind(prefix, ns)
            g.bind("doc", URIRef(parts_prefix(self.doc)))
            g.addN(
                (_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object), g) for t in self.triples
            )
            self._rdflib = g
        return self._rdflib


@cache
def _rdflib_iri(iri: str) -> URIRef:
    return URIRef(iri)


def _rdflib_term(term: object) -> URIRef | Literal:
    """An Oxigraph IRI or literal as rdflib's term: a plain string stays plain, as rdflib writes it."""
    if isinstance(term, ox.NamedNode):
        return _rdflib_iri(term.value)
    assert isinstance(term, ox.Literal), "the graph stage mints no blank node"
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == OX_XSD.string:
        return Literal(term.value)
    return Literal(term.value, datatype=_rdflib_iri(term.datatype.value))


class Term(str):
    """An RDF term as N-Triples writes it (an IRI in angle brackets, or a quoted literal): the graph stage
    writes each triple as a line of them, since an Oxigraph triple costs several microseconds to make."""

    __slots__ = ()


def _written(iri: str) -> Term:
    """An IRI as a term, checked by Oxigraph where it is minted (a malformed IRI never reaches a store)."""
    return Term(ox.NamedNode(iri))


def _iri_of(node: Term) -> str:
    """The IRI a node term writes between its angle brackets."""
    return node[1:-1]


def _text(value: str, language: str | None = None) -> Term:
    """A string as a literal, escaped by Oxigraph (document text is untrusted)."""
    return Term(ox.Literal(value, language=language))


BK, RDF, RDFS, SKOS, DCTERMS, QB = (
    Terms(namespace, _written) for namespace in (vocab.BK, ns.RDF, ns.RDFS, ns.SKOS, ns.DCTERMS, ns.QB)
)
_XSD = Terms(ns.XSD, _written)
_INTEGER = f'"{{}}"^^{_XSD.integer}'
_DECIMAL = f'"{{}}"^^{_XSD.decimal}'
_BOOLEAN = {value: Term(f'"{str(value).lower()}"^^{_XSD.boolean}') for value in (True, False)}


def _lit(value: object) -> Term:
    """A Python value as a literal: numbers written directly, strings escaped by Oxigraph."""
    if isinstance(value, bool):
        return _BOOLEAN[value]
    if isinstance(value, int):
        return Term(_INTEGER.format(value))
    if isinstance(value, Decimal):
        text = format(value, "f")  # a decimal's lexical form always has a point, as Turtle writes it
        return Term(_DECIMAL.format(text if "." in text else text + ".0"))
    if isinstance(value, (ox.NamedNode, ox.Literal)):  # a node given untyped would become a string literal
        raise TypeError(f"an Oxigraph term where the graph stage writes Terms: {value}")
    return _text(str(value))


@cache
def _file_name(name: str) -> Term:
    """A file's name as the literal every span of the file holds, made once."""
    return _text(name)


@cache
def _node(iri: str) -> Term:
    """A vocabulary IRI (column, table kind, concept, measure) as a term, made once."""
    return _written(iri)


class _Builder:
    """Adds the triples of one document; IRIs are minted under the document's IRI."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.iri = str(loaded.document.iri)
        self.doc = _written(self.iri)
        self.lines: list[str] = []  # N-Triples

    def add(self, s: Term, p: Term, o: object) -> None:
        if o is not None:
            # join, not an f-string: formatting a str subclass copies it (Term is one)
            self.lines.append(" ".join((s, p, o if isinstance(o, Term) else _lit(o), ".\n")))

    def span(self, node: Term, span: Span, prop: Term = BK.source, src: Term | None = None) -> None:
        src = src or _written(facet_iri(_iri_of(node), _iri_of(prop).rpartition("#")[2]))
        add = self.add
        add(node, prop, src)
        add(src, RDF.type, BK.Span)
        add(src, BK.fileName, _file_name(span.file))
        for p, n in (
            (BK.page, span.page), (BK.line, span.line), (BK.col, span.column),
            (BK.startOffset, span.start), (BK.endOffset, span.end),
        ):  # fmt: skip
            add(src, p, n)
        add(src, BK.text, _text(span.text))
        if span.box is not None:
            add(src, BK.box, _text("{:.2f} {:.2f} {:.2f} {:.2f}".format(*span.box)))

    def amount(self, node: Term, figure: Figure, unit: str | None) -> None:
        self.add(node, BK.value, figure.value)
        self.add(node, BK.decimals, figure.decimals)
        self.add(node, BK.unit, unit)
        factor = _UNIT_FACTOR.get(unit or "")
        if factor is not None:
            self.add(node, BK.yuan, figure.value * factor)
            self.add(node, BK.radius, figure.half_unit * factor)
        else:
            self.add(node, BK.radius, figure.half_unit)

    def document(self) -> None:
        d = self.loaded.document
        self.add(self.doc, RDF.type, BK.Document)
        self.add(self.doc, BK.unitName, d.unit)
        self.add(self.doc, BK.year, d.year)
        self.add(self.doc, BK.scope, d.scope)
        self.add(self.doc, BK.documentKind, d.kind)
        self.add(self.doc, BK.template, d.template)
        self.add(self.doc, BK.fileName, self.loaded.source.name)
        self.add(self.doc, BK.encoding, self.loaded.source.encoding)
        self.add(self.doc, BK.tableCount, len(self.loaded.tables))
        self.add(self.doc, BK.rowCount, sum(len(t.rows) for t in self.loaded.tables))
        self.add(self.doc, BK.claimCount, len(self.loaded.claims))
        self.add(self.doc, BK.unparsedCount, len(self.loaded.diagnostics))
        self.dublin_core()
        if d.unit_span is not None:
            self.span(self.doc, d.unit_span)  # the unit's name on the title page: where the document is cited
        template = next((t for t in all_templates() if t.id == d.template), None)
        for schema in template.tables if template else ():
            kind = _node(TABLE_KIND[schema.kind])
            self.add(self.doc, BK.expectsTableKind, kind)
            self.add(kind, RDF.type, BK.TableKind)
            self.add(kind, SKOS.notation, schema.kind)

    def table(self, table: Table) -> None:
        t = _written(part_iri(self.iri, "table", table.number))
        self.add(self.doc, BK.hasTable, t)
        self.add(t, RDF.type, BK.Table)
        self.add(t, BK.tableNumber, table.number)
        self.add(t, BK.title, table.title)
        self.add(t, BK.tableKind, _node(TABLE_KIND[table.kind]))
        self.add(t, BK.unit, table.unit)
        self.add(t, BK.rowCount, len(table.rows))
        self.span(t, table.title_span)
        if table.organisation is not None and table.organisation_span is not None:
            org = _written(facet_iri(_iri_of(t), "organisation"))
            self.add(t, BK.organisation, org)
            self.add(org, RDF.type, BK.Label)
            self.add(org, BK.labelKind, "table_unit")
            self.add(org, BK.name, table.organisation)
            self.span(org, table.organisation_span)
        if table.empty_statement is not None:
            self.span(t, table.empty_statement, BK.declaredEmpty)
        self.add(t, BK.readingProblem, table.reading_problem)
        schema = self.loaded.regions[table.number - 1].schema
        self.add(t, RDF.type, QB.DataSet)
        self.add(t, QB.structure, BK.codedTableStructure if schema.code_scheme else BK.itemTableStructure)
        iris = {id(row): _written(part_iri(_iri_of(t), "row", i)) for i, row in enumerate(table.rows, start=1)}
        observed: set[tuple[Term, Term]] = set()
        for i, row in enumerate(table.rows, start=1):
            self.row(t, iris[id(row)], i, row, table.unit, schema, observed, verified=table.reading_problem is None)
            if row.part_of is not None:
                self.add(iris[id(row)], BK.partOf, iris[id(row.part_of)])

    def row(
        self,
        table: Term,
        r: Term,
        index: int,
        row: Row,
        unit: str | None,
        schema: TableSchema,
        observed: set[tuple[Term, Term]],
        verified: bool,
    ) -> None:
        """A row and its cells; in a table whose reading failed its identities every cell stays undecided."""
        self.add(r, RDF.type, BK.Row)
        self.add(r, BK.inTable, table)
        self.add(r, BK.rowIndex, index)
        self.add(r, BK.name, row.name or None)
        self.add(r, BK.side, row.side)
        self.add(r, BK.isTotal, row.is_total)
        if row.fits_no_identity and row.ambiguous and verified:
            self.add(r, BK.fitsNoIdentity, True)
        self.add(r, BK.printedCode, row.code)
        scheme = schema.code_scheme
        concept = _node(code_concept(row.concept, scheme)) if row.concept and scheme else None
        self.add(r, BK.classification, concept)
        for column, text in row.texts.items():
            self.add(r, BK.textValue, f"{column}={text}")
        self.span(r, row.span)
        for j, cell in enumerate(row.cells, start=1):
            c = _written(part_iri(_iri_of(r), "cell", j))
            self.add(c, BK.inRow, r)
            self.add(c, RDF.type, BK.Cell)
            self.add(c, BK.classification, concept)
            self.add(c, BK.side, row.side)
            if cell.column is not None and verified:
                col = _node(COLUMN[cell.column])
                self.add(c, BK.column, col)
                self.observation(table, c, (concept if scheme else r, col), observed)
            elif cell.column is not None:
                self.add(c, RDF.type, BK.AmbiguousCell)
                self.add(c, BK.candidateColumn, _node(COLUMN[cell.column]))
            else:
                # Undecided: the readings' columns for this amount, or any column of its side
                # when the row printed more amounts than the table has columns (also reported unparsed).
                self.add(c, RDF.type, BK.AmbiguousCell)
                possible = {col for cand in row.candidates for col, k in cand.items() if k == j - 1}
                for candidate in sorted(possible or schema.columns_of(row.side)):
                    self.add(c, BK.candidateColumn, _node(COLUMN[candidate]))
            self.amount(c, cell.figure, unit)
            self.span(c, cell.span)

    def observation(
        self,
        table: Term,
        cell: Term,
        key: tuple[Term | None, Term],
        observed: set[tuple[Term, Term]],
    ) -> None:
        """A cell as a qb:Observation of its table when its dimensions (classification or row, and column)
        are known and no other cell of the table has them: a code printed twice stays a cell only."""
        if key[0] is None or (key[0], key[1]) in observed:
            return
        observed.add((key[0], key[1]))
        self.add(cell, RDF.type, QB.Observation)
        self.add(cell, QB.dataSet, table)

    def dublin_core(self) -> None:
        """dcterms metadata any catalogue reads: title, publisher (the unit), period, language, source file."""
        d = self.loaded.document
        if d.unit:
            publisher = _written(publisher_iri(d.unit))
            self.add(self.doc, DCTERMS.publisher, publisher)
            self.add(publisher, RDF.type, DCTERMS.Agent)
            self.add(publisher, RDFS.label, _text(d.unit, "zh"))
        if d.unit and d.year and d.kind:
            self.add(self.doc, DCTERMS.title, _text(f"{d.unit}{d.year}年{d.scope or ''}{d.kind}公开", "zh"))
        if d.year:
            self.add(self.doc, DCTERMS.temporal, Term(ox.Literal(str(d.year), datatype=OX_XSD.gYear)))
        self.add(self.doc, DCTERMS.language, _text("zh"))
        self.add(self.doc, DCTERMS.source, _text(self.loaded.source.name))

    def claim_iri(self, index: int) -> Term:
        return _written(part_iri(self.iri, "claim", index))

    def claim(self, claim: Claim, iris: dict[int, Term]) -> None:
        """The claim under its IRI in `iris` (by id), linked to the amount it qualifies."""
        c = iris[id(claim)]
        self.add(self.doc, BK.hasClaim, c)
        self.add(c, RDF.type, BK.Claim)
        self.add(c, BK.claimKind, claim.kind)
        self.add(c, BK.about, _node(claim.subject))
        if claim.value is not None:
            self.amount(c, claim.value, claim.unit)
        else:
            self.add(c, BK.unit, claim.unit)
        for p, o in (
            (BK.period, claim.period), (BK.basis, claim.basis), (BK.basisYear, claim.basis_year),
            (BK.direction, claim.direction), (BK.sign, claim.sign), (BK.cause, claim.cause),
            (BK.whole, _node(claim.whole) if claim.whole else None),
            (BK.current, iris[id(claim.current)] if claim.current is not None else None),
        ):  # fmt: skip
            self.add(c, p, o)
        for budget in claim.compared:
            self.add(c, BK.compared, iris[id(budget)])
        if claim.counted_in is not None:
            self.add(c, BK.countedIn, iris[id(claim.counted_in)])
        for prop, section in ((BK.section, claim.section), (BK.topic, claim.topic)):
            if section is not None:
                self.add(c, prop, self.section(section))
        self.span(c, claim.span)
        # One node per printed sentence, shared by its claims: rules join an amount with its rate by it.
        self.span(c, claim.sentence, BK.sentence, _written(part_iri(self.iri, "sentence", claim.sentence.start)))

    def section(self, section: Section) -> Term:
        """A numbered heading of the narrative, as a node claims point to."""
        s = _written(part_iri(self.iri, "section", section.start))
        self.add(s, RDF.type, BK.Section)
        self.add(s, BK.sectionNumber, section.number)
        self.add(s, BK.sectionLevel, section.level)
        self.add(s, BK.title, section.title)
        self.span(s, section.span)
        return s

    def labels(self) -> None:
        """What the document prints about itself: placeholders, years of headings, asset dates (engine/labels.py)."""
        self.add(self.doc, BK.blankTemplate, self.loaded.labels.blank_template)
        for i, label in enumerate(self.loaded.labels.items, start=1):
            node = _written(part_iri(self.iri, "label", i))
            self.add(self.doc, BK.hasLabel, node)
            self.add(node, RDF.type, BK.Label)
            self.add(node, BK.labelKind, label.kind)
            self.add(node, BK.labelYear, label.year)
            self.add(node, BK.labelEndYear, label.end_year)
            self.span(node, label.span)
        for i, path in enumerate(self.loaded.labels.paths, start=1):
            node = _written(part_iri(self.iri, "path", i))
            self.add(self.doc, BK.hasLabel, node)
            self.add(node, RDF.type, BK.Label)
            self.add(node, BK.labelKind, "narrative_path")
            self.add(node, BK.className, path.class_name)
            self.add(node, BK.itemName, path.item_name)
            self.add(node, BK.entryName, path.entry_name)
            if path.entry_code is not None:
                self.add(node, BK.classification, _node(code_concept(path.entry_code, "function")))
            self.span(node, path.span)

    def completeness(self) -> None:
        """The parts the template requires and those printed; how each table ends (engine/completeness.py)."""
        found = self.loaded.completeness
        for part_id, label in found.required:
            kind = _node(PART[part_id])
            self.add(self.doc, BK.expectsPart, kind)
            self.add(kind, RDF.type, BK.Part)
            self.add(kind, SKOS.notation, part_id)
            self.add(kind, RDFS.label, _text(label, "zh"))
        for part in found.printed:
            node = _written(part_iri(self.iri, "part", part.id))
            self.add(self.doc, BK.hasPart, node)
            self.add(node, BK.partKind, _node(PART[part.id]))
            self.span(node, part.span)
        for i, entry in enumerate(found.listed, start=1):
            node = _written(part_iri(self.iri, "toc", i))
            self.add(self.doc, BK.listsTable, node)
            self.add(node, BK.tableKind, _node(TABLE_KIND[entry.kind]))
            self.add(node, BK.title, entry.title)
            self.span(node, entry.span)
        if found.end is not None:
            self.fact(self.doc, BK.endsAt, "end", found.end)
        for end in found.tables:
            t = _written(part_iri(self.iri, "table", end.number))
            self.add(t, BK.needsTotalRow, end.needs_total)
            self.add(t, BK.headerOnly, end.header_only)
            if end.last_amount is not None:
                self.fact(t, BK.lastAmount, "last-amount", end.last_amount)
            if end.total is not None:
                self.fact(t, BK.totalRow, "total-row", end.total)

    def fact(self, subject: Term, prop: Term, facet: str, span: Span) -> None:
        """A printed place a rule cites as evidence: a node of its own (a facet of `subject`) with its span."""
        node = _written(facet_iri(_iri_of(subject), facet))
        self.add(subject, prop, node)
        self.span(node, span)

    def unparsed(self, index: int, item: Diagnostic, span: Span) -> None:
        """A printed line that produced no fact (a warning of the tables or narrative stage)."""
        u = _written(part_iri(self.iri, "unparsed", index))
        self.add(self.doc, BK.hasUnparsed, u)
        self.add(u, RDF.type, BK.Unparsed)
        self.add(u, BK.stage, item.stage)
        self.add(u, BK.reason, item.message)
        self.span(u, span)

    def vocabulary_used(self) -> None:
        """Type the table kinds and columns the document uses, so the graph stands on its own."""
        for region in self.loaded.regions:
            kind = _node(TABLE_KIND[region.schema.kind])
            self.add(kind, RDF.type, BK.TableKind)
            self.add(kind, SKOS.notation, region.schema.kind)
            schema = region.schema
            for ident in schema.identities:
                node = _written(identity_iri(_iri_of(kind), str(ident)))
                self.add(kind, BK.hasIdentity, node)
                self.add(node, RDF.type, BK.Identity)
                self.add(node, BK.identityText, str(ident))
                self.add(node, BK.totalColumn, _node(COLUMN[ident.total]))
                for sign, part in zip(ident.signs, ident.parts, strict=True):
                    self.add(node, BK.plusColumn if sign > 0 else BK.minusColumn, _node(COLUMN[part]))
            structure = BK.codedTableStructure if schema.code_scheme else BK.itemTableStructure
            for triple in _structure(structure):
                self.add(*triple)
            for column in {*schema.columns, *schema.left_columns, *schema.right_columns}:
                col = _node(COLUMN[column])
                self.add(col, RDF.type, BK.Column)
                self.add(col, SKOS.notation, column)
                self.add(col, BK.columnTable, kind)
                main, _, sub = column.partition(".")
                if sub:  # a sub-column (预算数 | 决算数 under each header): 'total.final'
                    self.add(col, BK.subcolumnOf, _node(COLUMN[main]))
                    self.add(col, BK.subcolumn, _node(COLUMN[sub]))
                if header := [schema.headers[c][0] for c in (main, sub) if c in schema.headers]:
                    self.add(col, RDFS.label, _text("".join(header), "zh"))


@cache
def _structure(structure: Term) -> tuple[tuple[Term, Term, Term], ...]:
    """A Data Cube structure of ontology/budget.ttl and its components, which each document graph carries
    (a Data Cube tool reading one document needs its data set's structure)."""
    ontology = [
        (Term(q.subject), Term(q.predicate), Term(q.object))
        for q in ox.parse(path=data_path("ontology", "budget.ttl"), format=ox.RdfFormat.TURTLE)
    ]
    specs = {structure, *(o for s, p, o in ontology if s == structure and p == QB.component)}
    return tuple(triple for triple in ontology if triple[0] in specs)


def build_graph(loaded: Loaded) -> DocumentGraph:
    """The document's graph: document, tables, rows, cells, claims, unparsed texts."""
    b = _Builder(loaded)
    b.document()
    for table in loaded.tables:
        b.table(table)
    iris = {id(claim): b.claim_iri(i) for i, claim in enumerate(loaded.claims, start=1)}
    for claim in loaded.claims:
        b.claim(claim, iris)
    for i, item in enumerate(loaded.diagnostics, start=1):
        if item.span is not None:
            b.unparsed(i, item, item.span)
    b.labels()
    b.completeness()
    b.vocabulary_used()
    return DocumentGraph(b.iri, list(dict.fromkeys(b.lines)))  # a triple added twice is one triple
