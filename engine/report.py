"""Report stage: an audit's findings as text, JSON, CSV, HTML or the SHACL report itself (Turtle).

Every output is derived from the ValidationReport's results (engine/validate.py); accepted
findings stay listed, marked with the auditor's reason.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import Graph

from engine.pipeline import Audit
from engine.span import place as span_place
from engine.validate import Finding
from engine.views import document_view

SEVERITIES = ("error", "warning", "info")


def summary(a: Audit) -> dict[str, int]:
    return {
        "errors": a.count("error"),
        "warnings": a.count("warning"),
        "infos": a.count("info"),
        "accepted": sum(1 for f in a.findings if f.accepted is not None),
        "tables": len(a.loaded.tables),
        "rows": sum(len(t.rows) for t in a.loaded.tables),
        "claims": len(a.loaded.claims),
        "unparsed": len(a.loaded.diagnostics),
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
    """`{"documents": [...]}` for one document as for many (docs/output.schema.json)."""
    return json.dumps({"documents": [audit_view(a) for a in audits]}, ensure_ascii=False, indent=2)


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
    """Where a fact was printed, as engine/span.py prints every place."""
    return span_place(str(source.get("file")), source.get("line"), source.get("column"), source.get("page"), "box" in source)


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
