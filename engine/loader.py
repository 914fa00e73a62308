"""The pipeline in one screen: ingest → structure → tables → narrative → graph → validate → report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.diagnostics import Unparsed
from engine.model import Claim, Document, Table
from engine.narrative import read_claims
from engine.source import Source, read_source
from engine.structure import TableRegion, read_structure
from engine.tables import read_tables


@dataclass(slots=True)
class Loaded:
    """Everything read from one document, before it becomes a graph."""

    source: Source
    document: Document
    tables: list[Table]
    regions: list[TableRegion]
    unparsed: list[Unparsed] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def load_document(path: str | Path) -> Loaded:
    """Read a disclosure into tables (and claims); raises InputError for what is not one."""
    source = read_source(path)
    document, regions = read_structure(source)
    tables, unparsed = read_tables(source, regions)
    document.tables = tables
    loaded = Loaded(source=source, document=document, tables=tables, regions=regions, unparsed=unparsed)
    loaded.claims, missed = read_claims(loaded)
    loaded.unparsed.extend(missed)
    return loaded
