"""`budget-kg load` into a store: reloading replaces a document's graphs instead of adding to them."""

from __future__ import annotations

from pathlib import Path

from engine.loading import load_into_store
from engine.store import open_store

DOC = Path("/work/shared/corpus/wanli-street-2025-dept-budget.txt")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def triples(location: str) -> int:
    """Triples in all named graphs of the store."""
    with open_store(location) as st:
        return int(st.query(COUNT).rows[0][0])


def test_reload_keeps_triple_count(tmp_path: Path) -> None:
    """Loading the same document twice leaves the store as one load left it."""
    location = str(tmp_path / "store")
    assert load_into_store([DOC], location, None) == 0
    once = triples(location)
    assert once > 0
    assert load_into_store([DOC], location, None) == 0
    assert triples(location) == once
