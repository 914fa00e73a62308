"""Plain views of what was read (documents, tables, unparsed lines) for JSON/CSV output and tests."""

from __future__ import annotations

from typing import Any

from engine.diagnostics import Diagnostic
from engine.model import Document, Row, Table
from engine.numbers import plain
from engine.span import Box


def document_view(doc: Document) -> dict[str, Any]:
    return {
        "file": doc.path.rsplit("/", 1)[-1],
        "id": doc.doc_id,
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
    return [{"line": u.span.line, "page": u.span.page, "text": u.span.text, "reason": u.message} for u in items if u.span]


def tables_view(doc: Document, tables: list[Table], unparsed: list[Diagnostic]) -> dict[str, Any]:
    """The `budget-kg tables --format json` document."""
    return {
        "document": document_view(doc),
        "tables": [table_view(t) for t in tables],
        "unparsed": unparsed_view(unparsed),
    }
