"""SARIF 2.1.0, the format code-scanning dashboards and CI read: one run of budget-kg whose results are
the findings, each with its rule, level, message and every fact it compared as a location."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from engine import __version__
from engine.output.views import source_view
from engine.validate import Evidence, Finding, Rule, rules

if TYPE_CHECKING:
    from engine.pipeline import Audit

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str) -> str:
    """A file name as a relative URI reference (Chinese names percent-encoded)."""
    return urllib.parse.quote(file)


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.label or rule.id},
        "fullDescription": {"text": " ".join(rule.comment.split()) or rule.label or rule.id},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"family": rule.family},
    }


def _location(evidence: Evidence, artifacts: dict[str, int]) -> dict[str, Any]:
    """Where one compared fact was printed: file, line and column of its text, and for a PDF its page and box."""
    source = source_view(evidence.source)
    file = str(source.get("file"))
    region: dict[str, Any] = {}
    if isinstance(line := source.get("line"), int):
        region["startLine"] = line
        if isinstance(column := source.get("column"), int):
            region["startColumn"] = column
            if isinstance(text := source.get("text"), str) and "\n" not in text and text:
                region["endColumn"] = column + len(text)
    if isinstance(text := source.get("text"), str):
        region["snippet"] = {"text": text}
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(file), "index": artifacts.setdefault(file, len(artifacts))}
        },
        "message": {"text": f"{evidence.role}: {evidence.value}" if evidence.value is not None else evidence.role},
    }
    if region:
        location["physicalLocation"]["region"] = region
    if "box" in source:
        location["properties"] = {"page": source.get("page"), "box": source["box"]}
    return location


def _result(finding: Finding, file: str, index: dict[str, int], artifacts: dict[str, int]) -> dict[str, Any]:
    locations = [_location(e, artifacts) for e in finding.evidence]
    if not locations:  # a finding about the document as a whole
        locations = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(file), "index": artifacts.setdefault(file, len(artifacts))}
                }
            }
        ]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": locations,
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.value is not None:
        result["properties"] = {"fact": finding.value}
    if finding.cause is not None:  # one defect: this error follows from another, listed as its cause
        result.setdefault("properties", {})["consequenceOf"] = f"{finding.cause.rule} {finding.cause.message}"
    if finding.accepted is not None:
        result["suppressions"] = [{"kind": "external", "justification": finding.accepted}]
    return result


def audit(audits: list[Audit]) -> str:
    """One SARIF log, one run, every document's findings as results (accepted ones suppressed, not dropped)."""
    catalogue = rules()
    index = {r.id: i for i, r in enumerate(catalogue)}
    artifacts: dict[str, int] = {}
    results = [_result(f, a.loaded.source.name, index, artifacts) for a in audits for f in a.findings]
    run = {
        "tool": {
            "driver": {
                "name": "budget-kg",
                "version": __version__,
                "informationUri": "https://budget-kg.org/",
                "rules": [_rule(r) for r in catalogue],
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": [{"location": {"uri": _uri(f)}} for f in artifacts],
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)
