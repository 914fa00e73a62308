"""Machine outputs: every JSON output matches docs/output.schema.json, and every output is byte-identical
from one run to the next, whatever PYTHONHASHSEED (and Oxigraph's own hashing) does to set order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from tests.conftest import CORPUS, ROOT, assert_valid_output

SAMPLE = ROOT / "examples" / "shuimogou-union-2025.txt"
# A 单位预算 of each template, a 部门决算 (the three families of tables) and a PDF (evidence with boxes).
DOCUMENTS = [
    SAMPLE,
    CORPUS / "justice-2026-unit-budget.txt",
    CORPUS / "social-work-2024-dept-final.txt",
    ROOT / "examples" / "district-office-2025-dept-budget.pdf",
]
AUDIT_FORMATS = ("text", "json", "csv", "html", "ttl", "sarif", "junit")

# Audits the documents once and writes every output of every command into a folder.
WRITE_ALL = """
import sys
from pathlib import Path

from engine.output import render
from engine.pipeline import run

out = Path(sys.argv[1])
audits = [run(p) for p in sys.argv[2:]]
for fmt in sys.argv[0].split(","):
    (out / f"audit.{fmt}").write_text(render("audit", fmt, audits), encoding="utf-8")
for i, a in enumerate(audits):
    (out / f"tables.{i}.json").write_text(render("tables", "json", a.loaded), encoding="utf-8")
    (out / f"claims.{i}.json").write_text(render("claims", "json", a.loaded), encoding="utf-8")
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The outputs of two runs with different hash seeds."""
    runs = []
    for seed in ("1", "2"):
        out = tmp_path_factory.mktemp(f"seed{seed}")
        subprocess.run(
            [sys.executable, "-c", WRITE_ALL.replace("sys.argv[0]", repr(",".join(AUDIT_FORMATS))), out, *DOCUMENTS],
            check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        runs.append(out)
    return runs


def test_two_runs_with_different_hash_seeds_write_identical_bytes(outputs: list[Path]) -> None:
    first, second = outputs
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == len(AUDIT_FORMATS) + 2 * len(DOCUMENTS)
    assert [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()] == []


def test_every_json_output_matches_the_schema(outputs: list[Path]) -> None:
    out = outputs[0]
    audit = assert_valid_output((out / "audit.json").read_text(encoding="utf-8"), "audit")
    assert [d["document"]["file"] for d in audit["documents"]] == [p.name for p in DOCUMENTS]
    for i in range(len(DOCUMENTS)):
        assert_valid_output((out / f"tables.{i}.json").read_text(encoding="utf-8"), "tables")
        assert_valid_output((out / f"claims.{i}.json").read_text(encoding="utf-8"), "claims")


def test_one_document_has_the_same_json_shape_as_many() -> None:
    one = subprocess.run(
        [sys.executable, "-m", "engine", "audit", SAMPLE, "--format", "json"], capture_output=True, text=True, cwd=ROOT
    )
    (document,) = assert_valid_output(one.stdout, "audit")["documents"]
    assert document["document"]["file"] == SAMPLE.name


def test_reports_of_several_documents_keep_their_results_apart(outputs: list[Path]) -> None:
    """Each document's SHACL report has its own node and results: merged, none has two messages."""
    report = Graph().parse(outputs[0] / "audit.ttl", format="turtle")
    reports = set(report.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == len(DOCUMENTS)
    assert all(len(set(report.objects(r, SH.conforms))) == 1 for r in reports)
    results = set(report.subjects(RDF.type, SH.ValidationResult))
    assert all(len(set(report.objects(r, SH.resultMessage))) == 1 for r in results)
    assert sum(len(set(report.objects(r, SH.result))) for r in reports) == len(results)
