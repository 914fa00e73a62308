"""HTML: one page per run (engine/output/report.html.jinja), document text escaped wherever shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.output.views import audit_view

if TYPE_CHECKING:
    from engine.pipeline import Audit

SEVERITIES = ("error", "warning", "info")


def audit(audits: list[Audit]) -> str:
    """A summary table for several documents, findings grouped by severity, each with a table of
    its evidence (role, value, where it was printed, page, printed text)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("engine.output", "."), autoescape=select_autoescape(["jinja"]))
    views = []
    for a in audits:
        view = audit_view(a) | {"file": a.loaded.source.name}
        for finding, f in zip(view["findings"], a.findings, strict=True):
            for e, evidence in zip(finding["evidence"], f.evidence, strict=True):
                e["place"] = str(evidence.source) if evidence.source else ""
        findings = view["findings"]
        for f in findings:  # each error lists the errors that follow from it
            f["consequences"] = [c for c in findings if "consequence_of" in c and findings[c["consequence_of"]] is f]
        view["groups"] = [
            (severity, group)
            for severity in SEVERITIES
            if (group := [f for f in findings if f["severity"] == severity and "consequence_of" not in f])
        ]
        views.append(view)
    return env.get_template("report.html.jinja").render(audits=views)
