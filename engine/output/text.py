"""Text for people: audits, tables, claims and cross-document findings, every place printed by
the Span itself (`file:line:col`, or `file:p.PAGE` for a PDF) with the printed text beside it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from engine.model import Loaded
from engine.output.views import claims_view, summary, tables_view

if TYPE_CHECKING:
    from engine.crossdoc import Comparison
    from engine.pipeline import Audit
    from engine.validate import Finding

SEVERITIES = ("error", "warning", "info")


def evidence_lines(f: Finding) -> list[str]:
    """One indented line per fact a finding compared: role, where it was printed and the printed text."""
    return [
        f"      {e.role}: {e.source}  {e.source.text}" if e.source else f"      {e.role}: {e.fact}" for e in f.evidence
    ]


def audit(audits: list[Audit]) -> str:
    """Summary line, findings grouped by severity with the place and printed text of each fact;
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
                if f.cause is not None:
                    continue  # listed under the error it follows from
                mark = f" [accepted: {f.accepted}]" if f.accepted is not None else ""
                lines.append(f"  {f.rule} {f.message}{mark}")
                lines += evidence_lines(f)
                for c in (c for c in a.findings if c.cause is f):
                    lines.append(f"    ↳ consequence: {c.rule} {c.message}")
                    lines += ["  " + line for line in evidence_lines(c)]
        lines.append("")
    if len(audits) > 1:
        lines.append(f"{'file':48} {'unit':30} {'year':>4} {'kind':4} {'errors':>6} {'warnings':>8}")
        for a in audits:
            d = a.loaded.document
            lines.append(
                f"{a.loaded.source.name:48} {d.unit or '':30} {d.year or '':>4} {d.scope or ''}{d.kind or ''} {a.count('error'):>6} {a.count('warning'):>8}"
            )
    return "\n".join(lines) + "\n"


def crossdoc(comparison: Comparison) -> str:
    """A summary line, then each finding with the place and printed text of every fact it compared."""
    findings = comparison.findings
    errors = sum(f.severity == "error" for f in findings)
    lines = [
        f"{len(comparison.documents)} documents compared — {errors} errors, {len(findings) - errors} other findings"
    ]
    for f in findings:
        lines.append(f"  {f.severity.upper()} {f.rule} {f.message}")
        lines += evidence_lines(f)
    return "\n".join(lines) + "\n"


def claims(loaded: Loaded) -> str:
    """One line per claim (place, kind, value, unit, the subject's Chinese label, basis, direction), then
    the number-bearing sentences not understood."""
    from engine.narrative.subjects import subject_label

    view = claims_view(loaded)
    unparsed = [u for u in loaded.diagnostics if u.stage == "narrative" and u.span]
    out = [
        f"{loaded.source.name}: {len(view['claims'])} claims, {len(unparsed)} number-bearing sentences not understood"
    ]
    for claim, c in zip(loaded.claims, view["claims"], strict=True):
        extra = " ".join(f"{k}={c[k]}" for k in ("basis", "direction") if c[k])
        figure = f"{c['value'] or ''}{c['unit'] or ''}"
        out.append(f"{claim.span}: {c['kind']:12} {figure:>14}  {subject_label(claim.subject)}  {extra}".rstrip())
    if unparsed:
        out.append("Not understood:")
        out.extend(f"{u.where}: {u.span.text if u.span else ''}" for u in unparsed)
    return "\n".join(out) + "\n"


def tables(loaded: Loaded) -> str:
    """Rich tables, one per disclosure table; an ambiguous row shows its amounts under '?'."""
    from rich.console import Console
    from rich.table import Table as RichTable

    view = tables_view(loaded.document, loaded.tables, loaded.diagnostics)
    console = Console(record=True, width=200, file=io.StringIO())
    d = view["document"]
    console.print(f"{d['file']}: {d['unit']} {d['year']} {d['scope']}{d['kind']} ({d['template']})")
    for table in view["tables"]:
        grid = RichTable(
            title=f"表{table['number']} {table['title']} ({table['kind']}, {table['unit']})", show_lines=False
        )
        for head in ("line", "side", "code", "name", *table["columns"], "?"):
            grid.add_column(head, justify="right" if head not in ("side", "code", "name") else "left")
        for row in table["rows"]:
            values = row.get("values", {})
            ambiguous = ""
            if row.get("ambiguous"):
                amounts = sorted({v for cand in row["candidates"] for v in cand.values()})
                ambiguous = f"{' '.join(amounts)} ({len(row['candidates'])} readings)"
            grid.add_row(
                str(row["line"]),
                row["side"] or "",
                row["code"] or "",
                row["name"] or "",
                *(values.get(c, "") for c in table["columns"]),
                ambiguous,
            )
        if table["empty"]:
            grid.caption = "declared empty"
        console.print(grid)
    unparsed = [u for u in loaded.diagnostics if u.span]
    if unparsed:
        console.print("Not understood:")
        for u in unparsed:
            console.print(f"  {u.where}: {u.message}: {u.span.text if u.span else ''}", markup=False, highlight=False)
    return console.export_text()
