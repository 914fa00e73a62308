"""Graph stage: what was read from one document → an RDF graph under ontology/budget.ttl.

Every cell, row and claim carries a bk:source span (file, page, line, column, offsets, printed
text). Amounts also carry bk:yuan and bk:radius (the printed figure in 元 and its rounding
radius) so that rules compare 元 tables with 万元 narratives by interval arithmetic.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, QB

from engine.diagnostics import Diagnostic
from engine.model import Claim, Loaded, Row, Section, Table
from engine.numbers import Figure
from engine.resources import data_path
from engine.span import Span
from engine.templates import TableSchema, all_templates
from engine.vocab import BK, COLUMN, PART, PREFIXES, TABLE_KIND, code_concept, publisher_iri, subject_iri

_UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}


def _lit(value: object) -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, Decimal):
        text = format(value, "f")  # a decimal's lexical form always has a point, as Turtle writes it
        return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)
    return Literal(str(value))


class _Builder:
    """Adds the triples of one document; IRIs are minted under the document's IRI."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.doc = URIRef(loaded.document.iri)
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.g.bind("doc", URIRef(str(self.doc) + "/"))

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is not None:
            self.g.add((s, p, o if isinstance(o, URIRef | Literal) else _lit(o)))

    def span(self, node: URIRef, span: Span, prop: URIRef = BK.source, src: URIRef | None = None) -> None:
        src = src or URIRef(f"{node}/source" if prop == BK.source else f"{node}/{prop.split('#')[-1]}")
        self.add(node, prop, src)
        self.add(src, RDF.type, BK.Span)
        for p, o in (
            (BK.fileName, span.file), (BK.page, span.page), (BK.line, span.line), (BK.col, span.column),
            (BK.startOffset, span.start), (BK.endOffset, span.end), (BK.text, span.text),
        ):  # fmt: skip
            self.add(src, p, o)
        if span.box is not None:
            self.add(src, BK.box, " ".join(f"{v:.2f}" for v in span.box))

    def amount(self, node: URIRef, figure: Figure, unit: str | None) -> None:
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
            kind = TABLE_KIND[schema.kind]
            self.add(self.doc, BK.expectsTableKind, kind)
            self.add(kind, RDF.type, BK.TableKind)
            self.add(kind, SKOS.notation, schema.kind)

    def table(self, table: Table) -> None:
        t = URIRef(f"{self.doc}/table/{table.number}")
        self.add(self.doc, BK.hasTable, t)
        self.add(t, RDF.type, BK.Table)
        self.add(t, BK.tableNumber, table.number)
        self.add(t, BK.title, table.title)
        self.add(t, BK.tableKind, TABLE_KIND[table.kind])
        self.add(t, BK.unit, table.unit)
        self.add(t, BK.rowCount, len(table.rows))
        self.span(t, table.title_span)
        if table.organisation is not None and table.organisation_span is not None:
            org = URIRef(f"{t}/organisation")
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
        iris = {id(row): URIRef(f"{t}/row/{i}") for i, row in enumerate(table.rows, start=1)}
        observed: set[tuple[URIRef, URIRef]] = set()
        for i, row in enumerate(table.rows, start=1):
            self.row(t, iris[id(row)], i, row, table.unit, schema, observed, verified=table.reading_problem is None)
            if row.part_of is not None:
                self.add(iris[id(row)], BK.partOf, iris[id(row.part_of)])

    def row(
        self,
        table: URIRef,
        r: URIRef,
        index: int,
        row: Row,
        unit: str | None,
        schema: TableSchema,
        observed: set[tuple[URIRef, URIRef]],
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
        concept = code_concept(row.concept, scheme) if row.concept and scheme else None
        self.add(r, BK.classification, concept)
        for column, text in row.texts.items():
            self.add(r, BK.textValue, f"{column}={text}")
        self.span(r, row.span)
        for j, cell in enumerate(row.cells, start=1):
            c = URIRef(f"{r}/cell/{j}")
            self.add(c, BK.inRow, r)
            self.add(c, RDF.type, BK.Cell)
            self.add(c, BK.classification, concept)
            self.add(c, BK.side, row.side)
            if cell.column is not None and verified:
                self.add(c, BK.column, COLUMN[cell.column])
                self.observation(table, c, (concept if scheme else r, COLUMN[cell.column]), observed)
            elif cell.column is not None:
                self.add(c, RDF.type, BK.AmbiguousCell)
                self.add(c, BK.candidateColumn, COLUMN[cell.column])
            else:
                # Undecided: the readings' columns for this amount, or any column of its side
                # when the row printed more amounts than the table has columns (also reported unparsed).
                self.add(c, RDF.type, BK.AmbiguousCell)
                possible = {col for cand in row.candidates for col, k in cand.items() if k == j - 1}
                for candidate in sorted(possible or schema.columns_of(row.side)):
                    self.add(c, BK.candidateColumn, COLUMN[candidate])
            self.amount(c, cell.figure, unit)
            self.span(c, cell.span)

    def observation(
        self, table: URIRef, cell: URIRef, key: tuple[URIRef | None, URIRef], observed: set[tuple[URIRef, URIRef]]
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
            publisher = publisher_iri(d.unit)
            self.add(self.doc, DCTERMS.publisher, publisher)
            self.add(publisher, RDF.type, DCTERMS.Agent)
            self.add(publisher, RDFS.label, Literal(d.unit, lang="zh"))
        if d.unit and d.year and d.kind:
            self.add(self.doc, DCTERMS.title, Literal(f"{d.unit}{d.year}年{d.scope or ''}{d.kind}公开", lang="zh"))
        if d.year:
            self.add(self.doc, DCTERMS.temporal, Literal(str(d.year), datatype=XSD.gYear))
        self.add(self.doc, DCTERMS.language, Literal("zh"))
        self.add(self.doc, DCTERMS.source, Literal(self.loaded.source.name))

    def claim_iri(self, index: int) -> URIRef:
        return URIRef(f"{self.doc}/claim/{index}")

    def claim(self, claim: Claim, iris: dict[int, URIRef]) -> None:
        """The claim under its IRI in `iris` (by id), linked to the amount it qualifies."""
        c = iris[id(claim)]
        self.add(self.doc, BK.hasClaim, c)
        self.add(c, RDF.type, BK.Claim)
        self.add(c, BK.claimKind, claim.kind)
        self.add(c, BK.about, subject_iri(claim.subject))
        if claim.value is not None:
            self.amount(c, claim.value, claim.unit)
        else:
            self.add(c, BK.unit, claim.unit)
        for p, o in (
            (BK.period, claim.period), (BK.basis, claim.basis), (BK.basisYear, claim.basis_year),
            (BK.direction, claim.direction), (BK.sign, claim.sign), (BK.cause, claim.cause),
            (BK.whole, subject_iri(claim.whole) if claim.whole else None),
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
        self.span(c, claim.sentence, BK.sentence, URIRef(f"{self.doc}/sentence/{claim.sentence.start}"))

    def section(self, section: Section) -> URIRef:
        """A numbered heading of the narrative, as a node claims point to."""
        s = URIRef(f"{self.doc}/section/{section.start}")
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
            node = URIRef(f"{self.doc}/label/{i}")
            self.add(self.doc, BK.hasLabel, node)
            self.add(node, RDF.type, BK.Label)
            self.add(node, BK.labelKind, label.kind)
            self.add(node, BK.labelYear, label.year)
            self.add(node, BK.labelEndYear, label.end_year)
            self.span(node, label.span)

    def completeness(self) -> None:
        """The parts the template requires and those printed; how each table ends (engine/completeness.py)."""
        found = self.loaded.completeness
        for part_id, label in found.required:
            self.add(self.doc, BK.expectsPart, PART[part_id])
            self.add(PART[part_id], RDF.type, BK.Part)
            self.add(PART[part_id], SKOS.notation, part_id)
            self.add(PART[part_id], RDFS.label, Literal(label, lang="zh"))
        for part in found.printed:
            node = URIRef(f"{self.doc}/part/{part.id}")
            self.add(self.doc, BK.hasPart, node)
            self.add(node, BK.partKind, PART[part.id])
            self.span(node, part.span)
        if found.end is not None:
            self.fact(self.doc, BK.endsAt, URIRef(f"{self.doc}/end"), found.end)
        for end in found.tables:
            t = URIRef(f"{self.doc}/table/{end.number}")
            self.add(t, BK.needsTotalRow, end.needs_total)
            if end.last_amount is not None:
                self.fact(t, BK.lastAmount, URIRef(f"{t}/last-amount"), end.last_amount)
            if end.total is not None:
                self.fact(t, BK.totalRow, URIRef(f"{t}/total-row"), end.total)

    def fact(self, subject: URIRef, prop: URIRef, node: URIRef, span: Span) -> None:
        """A printed place a rule cites as evidence: a node of its own with its span."""
        self.add(subject, prop, node)
        self.span(node, span)

    def unparsed(self, index: int, item: Diagnostic, span: Span) -> None:
        """A printed line that produced no fact (a warning of the tables or narrative stage)."""
        u = URIRef(f"{self.doc}/unparsed/{index}")
        self.add(self.doc, BK.hasUnparsed, u)
        self.add(u, RDF.type, BK.Unparsed)
        self.add(u, BK.stage, item.stage)
        self.add(u, BK.reason, item.message)
        self.span(u, span)

    def vocabulary_used(self) -> None:
        """Type the table kinds and columns the document uses, so the graph stands on its own."""
        for region in self.loaded.regions:
            kind = TABLE_KIND[region.schema.kind]
            self.add(kind, RDF.type, BK.TableKind)
            self.add(kind, SKOS.notation, region.schema.kind)
            schema = region.schema
            for ident in schema.identities:
                node = URIRef(f"{kind}/identity/" + re.sub(r"\W+", "_", str(ident)).strip("_"))
                self.add(kind, BK.hasIdentity, node)
                self.add(node, RDF.type, BK.Identity)
                self.add(node, BK.identityText, str(ident))
                self.add(node, BK.totalColumn, COLUMN[ident.total])
                for sign, part in zip(ident.signs, ident.parts, strict=True):
                    self.add(node, BK.plusColumn if sign > 0 else BK.minusColumn, COLUMN[part])
            structure = BK.codedTableStructure if schema.code_scheme else BK.itemTableStructure
            onto = _ontology()
            for spec in (structure, *onto.objects(structure, QB.component)):
                for triple in onto.triples((spec, None, None)):
                    self.g.add(triple)
            for column in {*schema.columns, *schema.left_columns, *schema.right_columns}:
                col = COLUMN[column]
                self.add(col, RDF.type, BK.Column)
                self.add(col, SKOS.notation, column)
                self.add(col, BK.columnTable, kind)
                if header := schema.headers.get(column):
                    self.add(col, RDFS.label, Literal(header[0], lang="zh"))


@cache
def _ontology() -> Graph:
    """ontology/budget.ttl, whose Data Cube structures each document graph carries (a Data Cube tool
    reading one document needs its data set's structure)."""
    return Graph().parse(data_path("ontology", "budget.ttl"), format="turtle")


def build_graph(loaded: Loaded) -> Graph:
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
    return b.g
