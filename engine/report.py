"""Report stage: an audit's findings as text, JSON, CSV, HTML or the SHACL report itself (Turtle).

Every output is derived from the ValidationReport's results (engine/validate.py); accepted
findings stay listed, marked with the auditor's reason.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph

from engine.loader import Loaded
from engine.validate import Finding, validate
from engine.views import document_view

SEVERITIES = ("error", "warning", "info")


@dataclass(slots=True)
class Audit:
    """One document audited: what was read, the SHACL report, the findings."""

    loaded: Loaded
    graph: Graph
    report: Graph
    findings: list[Finding]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and f.accepted is None)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("error") else 0


def audit(
    loaded: Loaded,
    tolerances: Path | None = None,
    accepted: list[dict[str, str]] | None = None,
    engine: str = "fast",
) -> Audit:
    """Graph, validate (engine `fast` or `pyshacl`) and apply the auditor's acceptances to one document."""
    from engine.graph import build_graph
    from engine.validate import TOLERANCES

    graph = build_graph(loaded)
    report, findings = validate(graph, tolerances or TOLERANCES, engine)
    for finding in findings:
        for entry in accepted or []:
            if _accepts(entry, finding, loaded.source.name):
                finding.accepted = str(entry.get("reason", ""))
    return Audit(loaded, graph, report, findings)


def _accepts(entry: dict[str, str], finding: Finding, file: str) -> bool:
    """An acceptance names a rule and a fact: its IRI, or `file:line` of any evidence."""
    if entry.get("rule") != finding.rule:
        return False
    fact = str(entry.get("fact", ""))
    places = {f"{e.source.get('file')}:{e.source.get('line')}" for e in finding.evidence}
    return fact in {finding.value, *(e.fact for e in finding.evidence)} or fact in places or fact == f"{file}:*"


def read_acceptances(path: Path) -> list[dict[str, str]]:
    """A YAML list of {rule, fact, reason}; a malformed file is an error naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{path.name}: cannot read acceptances: {err}") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "rule" in e and "fact" in e for e in data):
        raise ValueError(f"{path.name}: acceptances must be a list of {{rule, fact, reason}}")
    return data


def summary(a: Audit) -> dict[str, int]:
    return {
        "errors": a.count("error"),
        "warnings": a.count("warning"),
        "infos": a.count("info"),
        "accepted": sum(1 for f in a.findings if f.accepted is not None),
        "tables": len(a.loaded.tables),
        "rows": sum(len(t.rows) for t in a.loaded.tables),
        "claims": len(a.loaded.claims),
        "unparsed": len(a.loaded.unparsed),
    }


def finding_view(f: Finding) -> dict[str, Any]:
    view: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "fact": f.value,
        "evidence": [{"role": e.role, "value": e.value, "fact": e.fact, "source": e.source} for e in f.evidence],
    }
    if f.accepted is not None:
        view["accepted"] = f.accepted
    return view


def audit_view(a: Audit) -> dict[str, Any]:
    return {
        "document": document_view(a.loaded.document),
        "summary": summary(a),
        "findings": [finding_view(f) for f in a.findings],
    }


def render_json(audits: list[Audit]) -> str:
    views = [audit_view(a) for a in audits]
    return json.dumps(views[0] if len(views) == 1 else views, ensure_ascii=False, indent=2)


def render_html(audits: list[Audit]) -> str:
    """A page per run (engine/report.html.jinja): summary table for several documents, findings
    grouped by severity, each with a table of its evidence (role, value, file:line:column, text)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("engine", "."), autoescape=select_autoescape(["jinja"]))
    views = []
    for a in audits:
        view = audit_view(a) | {"file": a.loaded.source.name}
        view["groups"] = [
            (severity, group)
            for severity in SEVERITIES
            if (group := [f for f in view["findings"] if f["severity"] == severity])
        ]
        views.append(view)
    return env.get_template("report.html.jinja").render(audits=views)


def render_ttl(audits: list[Audit]) -> str:
    report = Graph()
    for a in audits:
        report += a.report
    return report.serialize(format="turtle")


def render_csv(audits: list[Audit]) -> str:
    """One line per evidence fact, so a spreadsheet filters by rule, file or line."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["file", "rule", "severity", "accepted", "message", "role", "value", "line", "column", "page", "text"])
    for a in audits:
        for f in a.findings:
            head = [a.loaded.source.name, f.rule, f.severity, f.accepted or "", f.message]
            if not f.evidence:
                w.writerow(head)
            for e in f.evidence:
                src = e.source
                w.writerow(
                    [*head, e.role, e.value, src.get("line"), src.get("column"), src.get("page"), src.get("text")]
                )
    return out.getvalue()


def evidence_lines(f: Finding) -> list[str]:
    """One indented line per fact a finding compared: role, where it was printed and the printed text."""
    return [f"      {e.role}: {place(e.source)}  {e.source.get('text')}" for e in f.evidence]


def place(source: dict[str, object]) -> str:
    """`file:line:col` for text, `file:p.PAGE` for a PDF (its pages are what an auditor turns to)."""
    if "box" in source:
        return f"{source.get('file')}:p.{source.get('page')}"
    return f"{source.get('file')}:{source.get('line')}:{source.get('column')}"


def render_text(audits: list[Audit]) -> str:
    """Summary line, findings grouped by severity with `file:line:col` and printed text of each fact;
    several documents end with a summary table."""
    lines: list[str] = []
    for a in audits:
        s = summary(a)
        d = a.loaded.document
        lines.append(
            f"{a.loaded.source.name}: {d.unit} {d.year} {d.scope}{d.kind} — {s['errors']} errors, {s['warnings']} warnings, "
            f"{s['infos']} infos ({s['accepted']} accepted); {s['tables']} tables, {s['rows']} rows, {s['claims']} claims, "
            f"{s['unparsed']} unparsed"
        )
        for severity in SEVERITIES:
            group = [f for f in a.findings if f.severity == severity]
            if not group:
                continue
            lines.append(f"  {severity.upper()}S")
            for f in group:
                mark = f" [accepted: {f.accepted}]" if f.accepted is not None else ""
                lines.append(f"  {f.rule} {f.message}{mark}")
                lines += evidence_lines(f)
        lines.append("")
    if len(audits) > 1:
        lines.append(f"{'file':48} {'unit':30} {'year':>4} {'kind':4} {'errors':>6} {'warnings':>8}")
        for a in audits:
            d = a.loaded.document
            lines.append(
                f"{a.loaded.source.name:48} {d.unit or '':30} {d.year or '':>4} {d.scope or ''}{d.kind or ''} {a.count('error'):>6} {a.count('warning'):>8}"
            )
    return "\n".join(lines) + "\n"
