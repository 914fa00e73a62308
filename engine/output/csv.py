"""CSV: one line per fact, so a spreadsheet filters by rule, file, table or line."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from engine.model import Loaded
from engine.output.views import tables_view

if TYPE_CHECKING:
    from engine.pipeline import Audit


def audit(audits: list[Audit]) -> str:
    """One line per evidence fact of every finding (a finding without evidence: one line)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "file",
            "rule",
            "severity",
            "accepted",
            "consequence_of",
            "message",
            "role",
            "value",
            "line",
            "column",
            "page",
            "text",
        ]
    )
    for a in audits:
        for f in a.findings:
            cause = f"{f.cause.rule} {f.cause.message}" if f.cause is not None else ""
            head = [a.loaded.source.name, f.rule, f.severity, f.accepted or "", cause, f.message]
            if not f.evidence:
                w.writerow(head)
            for e in f.evidence:
                s = e.source
                w.writerow([*head, e.role, e.value, *((s.line, s.column, s.page, s.text) if s else ("",) * 4)])
    return out.getvalue()


def tables(loaded: Loaded) -> str:
    """One line per cell: table, row, code, name, column (or its candidates), value, line, page."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "kind", "unit", "side", "code", "name", "column", "value", "line", "page"])
    for table in tables_view(loaded.document, loaded.tables, loaded.diagnostics)["tables"]:
        for row in table["rows"]:
            prefix = [
                table["number"],
                table["kind"],
                table["unit"],
                row["side"] or "",
                row["code"] or "",
                row["name"] or "",
            ]
            if row.get("ambiguous"):
                cols = sorted({c for cand in row["candidates"] for c in cand})
                writer.writerow([*prefix, "?" + "|".join(cols), "", row["line"], row["page"]])
                continue
            for column, value in row["values"].items():
                writer.writerow([*prefix, column, value, row["line"], row["page"]])
    return out.getvalue()
