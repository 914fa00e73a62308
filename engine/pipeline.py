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
from engine.graph import build_graph
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
    """One document run through the pipeline: what was read, its graph, the SHACL report, the
    findings, and the seconds each stage took (stages not run leave the graph and report empty)."""

    loaded: Loaded
    graph: Graph = field(default_factory=Graph)
    report: Graph = field(default_factory=Graph)
    findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and f.accepted is None)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("error") else 0


def run(path: str | Path, settings: Settings = Settings()) -> Audit:
    """Every stage in order, on one document; `settings.through` stops after the narrative or the graph."""
    timed = _Clock()
    source = timed("read", read_source, path)  # the reader the input calls for (text; PDF next)
    document, regions = timed("structure", read_structure, source)  # metadata, table regions
    tables, unparsed = timed("tables", read_tables, source, regions)  # rows, amounts in columns
    document.tables = tables
    narrated = timed("narrative", read_narrative, source, regions, document.year, document.kind)
    loaded = Loaded(source, document, tables, regions, [*unparsed, *narrated.unparsed], narrated.claims)
    if settings.through == "narrative":
        return Audit(loaded, seconds=timed.seconds)
    graph = timed("graph", build_graph, loaded)
    if settings.through == "graph":
        return Audit(loaded, graph, seconds=timed.seconds)
    report, findings = timed("validate", validate, graph, settings.tolerances or TOLERANCES, settings.validator)
    timed("accept", accept, findings, list(settings.accepted), source.name)
    return Audit(loaded, graph, report, findings, timed.seconds)


def read(path: str | Path) -> Loaded:
    """What the first four stages read from one document (tables, claims), without graph or findings."""
    return run(path, Settings(through="narrative")).loaded


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
