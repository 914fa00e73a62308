"""Plain views (dicts of strings and numbers) of what the engine read and found: what JSON writes,
and what the CSV and HTML renderers and the tests read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.diagnostics import Diagnostic
from engine.model import Document, Loaded, Row, Table
from engine.numbers import plain
from engine.span import Box, Span
from engine.vocab import subject_name

if TYPE_CHECKING:
    from engine.pipeline import Audit
    from engine.validate import Finding


def document_view(doc: Document) -> dict[str, Any]:
    return {
        "file": doc.path.rsplit("/", 1)[-1],
        "id": doc.iri,
        "unit": doc.unit,
        "year": doc.year,
        "kind": doc.kind,
        "scope": doc.scope,
        "template": doc.template,
    }


def row_line(row: Row) -> int:
    """The row's line: that of its first printed amount, else that of its name."""
    return row.cells[0].span.line if row.cells else row.span.line


def row_page(row: Row) -> int:
    return row.cells[0].span.page if row.cells else row.span.page


def row_view(row: Row) -> dict[str, Any]:
    view: dict[str, Any] = {"side": row.side, "code": row.code, "name": row.name or None}
    if row.ambiguous:
        view["ambiguous"] = True
        view["candidates"] = [
            {col: plain(row.cells[i].span.text) for col, i in cand.items()} for cand in row.candidates
        ]
    else:
        view["values"] = {c.column: plain(c.span.text) for c in row.cells if c.column is not None}
    if row.texts:
        view["texts"] = dict(row.texts)
    view["line"] = row_line(row)
    view["page"] = row_page(row)
    if (box := row_box(row)) is not None:
        view["box"] = list(box)
    return view


def row_box(row: Row) -> Box | None:
    """For a PDF: the box around the row's code, name and amounts printed on its page."""
    page = row_page(row)
    spans = [row.span, *row.name_spans, *(c.span for c in row.cells)]
    boxes = [s.box for s in spans if s.box is not None and s.page == page]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def table_view(table: Table) -> dict[str, Any]:
    return {
        "number": table.number,
        "kind": table.kind,
        "title": table.title,
        "unit": table.unit,
        "columns": list(table.columns),
        "empty": table.empty_statement is not None,
        "rows": [row_view(r) for r in table.rows],
    }


def unparsed_view(items: list[Diagnostic]) -> list[dict[str, Any]]:
    return [
        {"line": u.span.line, "page": u.span.page, "text": u.span.text, "reason": u.message} for u in items if u.span
    ]


def tables_view(doc: Document, tables: list[Table], unparsed: list[Diagnostic]) -> dict[str, Any]:
    """The `budget-kg tables --format json` document."""
    return {
        "document": document_view(doc),
        "tables": [table_view(t) for t in tables],
        "unparsed": unparsed_view(unparsed),
    }


def claims_view(loaded: Loaded) -> dict[str, Any]:
    """The `budget-kg claims --format json` document: claims, then narrative sentences not understood."""
    claims = [
        {
            "subject": subject_name(c.subject),
            "kind": c.kind,
            "value": plain(c.span.text) if c.value is not None else None,
            "unit": c.unit,
            "period": c.period,
            "basis": c.basis,
            "direction": c.direction,
            "cause": c.cause,
            "line": c.span.line,
            "page": c.span.page,
            "text": c.span.text,
            **({"box": list(c.span.box)} if c.span.box is not None else {}),
        }
        for c in loaded.claims
    ]
    unparsed = [
        {"line": u.span.line, "text": u.span.text} for u in loaded.diagnostics if u.stage == "narrative" and u.span
    ]
    return {"claims": claims, "unparsed": unparsed}


def summary(a: Audit) -> dict[str, int]:
    """Counts of one audit: findings by severity (accepted ones apart) and what was read."""
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


def source_view(span: Span | None) -> dict[str, Any]:
    """Where a fact was printed; a PDF's facts also give their box (PDF points)."""
    if span is None:
        return {}
    view: dict[str, Any] = {
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "page": span.page,
        "text": span.text,
    }
    if span.box is not None:
        view["box"] = list(span.box)
    return view


def finding_view(f: Finding, index: dict[int, int] | None = None) -> dict[str, Any]:
    """A finding as data; a consequence names the index of the error it follows from in its document's list."""
    view: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "fact": f.value,
        "evidence": [
            {"role": e.role, "value": e.value, "fact": e.fact, "source": source_view(e.source)} for e in f.evidence
        ],
    }
    if f.accepted is not None:
        view["accepted"] = f.accepted
    if f.cause is not None and index is not None:
        view["consequence_of"] = index[id(f.cause)]
    return view


def audit_view(a: Audit) -> dict[str, Any]:
    index = {id(f): i for i, f in enumerate(a.findings)}
    return {
        "document": document_view(a.loaded.document),
        "summary": summary(a),
        "findings": [finding_view(f, index) for f in a.findings],
    }
