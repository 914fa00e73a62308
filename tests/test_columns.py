"""Column terms: every column a template, a measure, a cross-table identity or a rule names is declared
in ontology/columns.ttl with a Chinese and an English label, so a misspelt column fails here rather than
becoming a new IRI that no cell is ever in."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from engine.templates import TableSchema, all_templates
from engine.vocab import BK, COLUMN
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology"
COLUMNS = ONTOLOGY / "columns.ttl"


def _declared() -> dict[str, Graph]:
    graph = Graph().parse(COLUMNS)
    return {str(c).removeprefix(str(COLUMN)): graph for c in graph.subjects(RDF.type, BK.Column)}


def _template_terms(schema: TableSchema) -> set[str]:
    """Columns a table schema names: amount and text columns, sub-columns, header and anchor keys, and
    the terms of its identities (a sub-column's column 'total.final' names total and final)."""
    terms = {*schema.columns, *schema.left_columns, *schema.right_columns, *schema.text_columns}
    terms |= {*schema.subcolumns, *schema.headers, *schema.raw.get("anchors", {})}
    terms |= {term for ident in schema.identities for term in ident.columns}
    return {part for term in terms for part in term.split(".")}


def _ontology_terms(path: Path) -> set[str]:
    """Columns an ontology file names, as full IRIs or through any prefix bound to the column namespace
    (in Turtle or in the SPARQL text of a rule)."""
    text = path.read_text(encoding="utf-8")
    prefixes = {"column", *(p for p, ns in Graph().parse(path).namespaces() if str(ns) == str(COLUMN))}
    prefixes |= set(re.findall(rf"PREFIX\s+(\w+):\s*<{re.escape(str(COLUMN))}>", text, re.IGNORECASE))
    names = set(re.findall(rf"<{re.escape(str(COLUMN))}([^>]+)>", text))
    for prefix in prefixes:
        names |= set(re.findall(rf"(?<![\w/#]){prefix}:([A-Za-z_][\w.]*)", text))
    return names


def test_every_declared_column_has_its_labels():
    graph = Graph().parse(COLUMNS)
    for column in graph.subjects(RDF.type, BK.Column):
        labels = {(lit.language, str(lit)) for lit in graph.objects(column, SKOS.prefLabel) if isinstance(lit, Literal)}
        assert {lang for lang, _ in labels} == {"zh", "en"}, f"{column}: needs one zh and one en skos:prefLabel"
        assert str(graph.value(column, SKOS.notation)) == str(column).removeprefix(str(COLUMN))


def test_templates_name_only_declared_columns():
    declared = _declared()
    unknown = {
        f"{template.id}: {schema.kind}: {term}"
        for template in all_templates()
        for schema in template.tables
        for term in _template_terms(schema)
        if term not in declared
    }
    assert not unknown, "columns not declared in ontology/columns.ttl:\n" + "\n".join(sorted(unknown))


def test_measures_identities_and_rules_name_only_declared_columns():
    declared = _declared()
    files = [p for p in sorted(ONTOLOGY.rglob("*.ttl")) if p != COLUMNS]
    named = {(p.relative_to(ONTOLOGY), term) for p in files for term in _ontology_terms(p)}
    assert {str(p) for p, _ in named} >= {"measures.ttl", "cross-tables.ttl"}  # they do name columns
    unknown = sorted(f"{p}: {term}" for p, term in named if term not in declared)
    assert not unknown, "columns not declared in ontology/columns.ttl:\n" + "\n".join(unknown)
