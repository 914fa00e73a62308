"""The pipeline in one screen: read → structure → tables → narrative → graph → validate → accept.

Every command, the bench and the tests run a document through `run`; no other module chains
stages. Each stage takes only what it needs and knows nothing of the stages after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from rdflib import Graph

from engine.accept import accept
from engine.completeness import read_completeness
from engine.diagnostics import ERROR, Diagnostic
from engine.graph import DocumentGraph, build_graph
from engine.grouping import group
from engine.labels import read_labels
from engine.model import Loaded
from engine.narrative import read_narrative
from engine.readers import read_source
from engine.structure import read_structure
from engine.tables import read_tables
from engine.validate import TOLERANCES, Finding, validate

Stage = Literal["narrative", "graph", "accept"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    """How far to run, and the auditor's choices: tolerances, acceptances, validator."""

    through: Stage = "accept"
    tolerances: Path | None = None  # None: ontology/tolerances.ttl
    accepted: tuple[dict[str, str], ...] = ()
    validator: str = "fast"  # fast (the rules' queries on Oxigraph) | pyshacl


@dataclass(slots=True)
class Audit:
    """One document run through the pipeline: what was read (with its warnings), its triples, the
    SHACL report, the findings, and the seconds each stage took (stages not run leave the triples
    and report empty)."""

    loaded: Loaded
    triples: DocumentGraph | None = None
    report: Graph = field(default_factory=Graph)
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def graph(self) -> Graph:
        """The document's graph in rdflib (made on first use, for the RDF outputs and pySHACL)."""
        return self.triples.rdflib() if self.triples is not None else Graph()

    def count(self, severity: str) -> int:
        """Findings of this severity, each defect once: neither accepted nor the consequence of another."""
        return sum(1 for f in self.findings if f.severity == severity and f.accepted is None and f.cause is None)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("error") else 0


@dataclass(frozen=True, slots=True)
class Stopped:
    """A document the pipeline could not read, and the diagnostics that stopped it (exit 2)."""

    file: str
    diagnostics: list[Diagnostic]
    exit_code: int = 2

    def __str__(self) -> str:
        """One line: the first error, as `file: reason`."""
        return str(next(d for d in self.diagnostics if d.severity == ERROR))


def run(path: str | Path, settings: Settings = Settings()) -> Audit | Stopped:
    """Every stage in order, on one document. An error of a reading stage stops the document; the
    warnings (lines that gave no fact) travel with what was read. `settings.through` stops early."""
    clock = _Clock()
    source, found = clock("read", read_source, path)  # the reader the input calls for (text, PDF)
    if source is None or _fatal(found):
        return Stopped(Path(path).name, found)
    document, regions, found = clock("structure", read_structure, source)  # metadata, table regions
    if document is None or _fatal(found):
        return Stopped(source.name, found)
    tables, unparsed = clock("tables", read_tables, source, regions)  # rows, amounts in their columns
    document.tables = tables
    complete = clock("completeness", read_completeness, source, document, regions, tables)  # parts, 合计 rows
    narrated = clock("narrative", read_narrative, source, regions, document.year, document.kind)  # claims
    labels = clock("labels", read_labels, source, document, regions, tables, narrated.claims)  # placeholders, years
    loaded = Loaded(source, document, tables, regions, [*unparsed, *narrated.unparsed], narrated.claims, labels, complete)
    if settings.through == "narrative":
        return Audit(loaded, seconds=clock.seconds)
    graph = clock("graph", build_graph, loaded)  # RDF, every fact with its span
    if settings.through == "graph":
        return Audit(loaded, graph, seconds=clock.seconds)
    report, findings = clock("validate", validate, graph, settings.tolerances or TOLERANCES, settings.validator)
    clock("group", group, findings, report)  # one defect, one error: the rest listed under it
    clock("accept", accept, findings, list(settings.accepted), source.name)  # the auditor's acceptances
    return Audit(loaded, graph, report, findings, clock.seconds)


def _fatal(diagnostics: list[Diagnostic]) -> bool:
    """What stops a document: any error of the stages that read it (a warning never does)."""
    return any(d.severity == ERROR for d in diagnostics)


class _Clock:
    """Runs a stage and keeps the seconds it took (bench/run.py prints them)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str, step: Callable[..., T], *args: object) -> T:
        start = time.perf_counter()
        try:
            return step(*args)
        finally:
            self.seconds[stage] = time.perf_counter() - start
