"""The fast path (each rule's SELECT on Oxigraph) and pySHACL give the same report on the corpus."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SH

from engine.graph import build_graph
from engine.validate import validate
from tests.conftest import corpus_files, read

FILES = [p.name for p in corpus_files()]


def _results(report: Graph) -> set[tuple[str, str, str, str, str]]:
    """(shape, severity, focus, value, message) with numbers written canonically ('12.50' → '12.5')
    and the figures a message lists in （…、…） sorted: GROUP_CONCAT's order is the engine's."""

    def canonical(text: str) -> str:
        text = re.sub(
            r"\d+\.\d+|\d+", lambda m: m.group().rstrip("0").rstrip(".") if "." in m.group() else m.group(), text
        )
        return re.sub(r"（([^（）]*、[^（）]*)）", lambda m: "（" + "、".join(sorted(m.group(1).split("、"))) + "）", text)

    return {
        (
            str(report.value(r, SH.sourceShape)),
            str(report.value(r, SH.resultSeverity)),
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.value)),
            canonical(str(report.value(r, SH.resultMessage))),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.mark.slow  # pySHACL on every corpus document: about 8 of the suite's 20 minutes
@pytest.mark.parametrize("name", FILES)
def test_fast_path_equals_pyshacl(name: str, corpus) -> None:
    graph = build_graph(read(str(corpus / name)))
    fast, _ = validate(graph, engine="fast")
    record, _ = validate(graph, engine="pyshacl")
    assert _results(fast) == _results(record)
