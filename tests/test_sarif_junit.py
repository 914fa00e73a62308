"""SARIF 2.1.0 and JUnit XML: what code-scanning dashboards and CI read. The SARIF log validates against
the official schema (make fetches it) and holds each finding with every fact it compared as a location."""

from __future__ import annotations

import hashlib
import json
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from engine.output import junit, sarif
from engine.pipeline import Audit, run
from tests.conftest import CORPUS, ROOT

SARIF_SCHEMA = ROOT / ".venv" / "share" / "sarif-2.1.0-rtm.5.json"
SARIF_SCHEMA_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"
JUSTICE = CORPUS / "justice-2026-unit-budget.txt"
PDF = CORPUS / "justice-2026-unit-budget.pdf"
DOCUMENTS = [ROOT / "examples" / "shuimogou-union-2025.txt", JUSTICE, PDF]


@pytest.fixture(scope="module")
def audits() -> list[Audit]:
    done = [run(p) for p in DOCUMENTS]
    assert all(isinstance(a, Audit) for a in done)
    return done


@pytest.fixture(scope="module")
def log(audits: list[Audit]) -> dict:
    return json.loads(sarif.audit(audits))


def test_sarif_validates_against_the_sarif_2_1_0_schema(log: dict) -> None:
    assert SARIF_SCHEMA.exists(), "make fetches the SARIF schema (make .venv/share/sarif-2.1.0-rtm.5.json)"
    assert hashlib.sha256(SARIF_SCHEMA.read_bytes()).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"  # the schema is strict enough to notice
    assert not jsonschema.Draft4Validator(schema).is_valid(broken)


def test_each_finding_is_a_result_with_every_fact_as_a_location(audits: list[Audit], log: dict) -> None:
    (run_,) = log["runs"]
    findings = [f for a in audits for f in a.findings]
    assert len(run_["results"]) == len(findings) > 0
    rules = run_["tool"]["driver"]["rules"]
    for result, finding in zip(run_["results"], findings, strict=True):
        assert (result["ruleId"], result["message"]["text"]) == (finding.rule, finding.message)
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert len(result["locations"]) == len(finding.evidence) or not finding.evidence
        for location, evidence in zip(result["locations"], finding.evidence, strict=False):
            region = location["physicalLocation"]["region"]
            assert (region["startLine"], region["startColumn"]) == (evidence.source.line, evidence.source.column)
            if evidence.source.box is not None:
                assert location["properties"]["page"] == evidence.source.page >= 1
    # 行政运行 of the justice bureau: 合计 14,348,853.34 but 项目支出 64,840,547.00 (its tables 3 and 5)
    artifacts = [a["location"]["uri"] for a in run_["artifacts"]]
    assert artifacts == [p.name for p in DOCUMENTS]
    tab = [r for r in run_["results"] if r["ruleId"] == "BK-TAB-001"]
    lines = sorted(
        {
            loc["physicalLocation"]["region"]["startLine"]
            for r in tab
            for loc in r["locations"]
            if artifacts[loc["physicalLocation"]["artifactLocation"]["index"]] == JUSTICE.name
        }
    )
    assert lines == [162, 211] and all(r["level"] == "error" for r in tab)
    in_pdf = [loc for r in run_["results"] for loc in r["locations"] if "properties" in loc]
    assert in_pdf and {artifacts[loc["physicalLocation"]["artifactLocation"]["index"]] for loc in in_pdf} == {PDF.name}


def test_junit_has_a_suite_per_document_and_a_failing_case_per_rule_with_errors(audits: list[Audit]) -> None:
    root = ET.fromstring(junit.audit(audits))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [p.name for p in DOCUMENTS]
    for suite, audit in zip(suites, audits, strict=True):
        failing = {c.get("name", "").split()[0] for c in suite.findall("testcase") if c.find("failure") is not None}
        # an error that follows from another rule's error (one defect) is listed under that rule, not failed again
        assert failing == {f.rule for f in audit.findings if f.severity == "error" and f.accepted is None and f.cause is None}
        assert suite.get("failures") == str(len(failing))
        listed = "".join(c.findtext("system-out", "") + c.findtext("failure", "") for c in suite.findall("testcase"))
        assert all(f.message in listed for f in audit.findings)  # warnings and infos are printed too
    justice = next(c for c in suites[1].findall("testcase") if c.get("name", "").startswith("BK-TAB-001 "))
    assert "justice-2026-unit-budget.txt:162:" in (justice.findtext("failure") or "")
