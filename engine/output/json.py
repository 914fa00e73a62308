"""JSON: the views of engine/output/views.py as written (docs/output.schema.json describes them)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from engine.model import Loaded
from engine.output.views import audit_view, claims_view, finding_view, tables_view

if TYPE_CHECKING:
    from engine.crossdoc import Comparison
    from engine.pipeline import Audit


def _dump(view: Any) -> str:  # noqa: ANN401 - any JSON value
    return json.dumps(view, ensure_ascii=False, indent=2)


def audit(audits: list[Audit]) -> str:
    """`{"documents": [...]}` for one document as for many."""
    return _dump({"documents": [audit_view(a) for a in audits]})


def tables(loaded: Loaded) -> str:
    return _dump(tables_view(loaded.document, loaded.tables, loaded.diagnostics))


def claims(loaded: Loaded) -> str:
    return _dump(claims_view(loaded))


def crossdoc(comparison: Comparison) -> str:
    """The findings as `budget-kg audit --format json` writes them, with the IRIs of the documents compared."""
    return _dump({"documents": comparison.documents, "findings": [finding_view(f) for f in comparison.findings]})
