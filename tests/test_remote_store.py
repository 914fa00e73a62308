"""`budget-kg load` and `budget-kg query` against a real Oxigraph server, which must answer as the
embedded store does: loaded as any SPARQL server is, by its query and Graph Store URLs given apart
(`--store URL/query --graph-store URL/store`), and read by its root URL (`--store URL`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import open_store
from tests.conftest import CORPUS, assert_valid_output
from tests.test_queries import QUERIES, THREE_PUBLIC, by_file, cli_rows
from tests.test_store import oxigraph_server

CLI = Path(sys.executable).with_name("budget-kg")
DOCS = ("commerce-2025-dept-budget", "justice-2026-unit-budget")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server (the pinned `oxigraph` package's binary) on a free loopback port.

    `open_store` maps the root URL to Oxigraph's `/query` (SPARQL Protocol) and `/store` (Graph Store Protocol);
    the explicit form names them.
    """
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def explicit(root: str) -> list[str]:
    """The Oxigraph server's two services named apart, as for any other SPARQL server."""
    return ["--store", f"{root}/query", "--graph-store", f"{root}/store"]


def load(*store: str) -> float:
    """`budget-kg load` of DOCS into the store given by `store` (CLI options); the seconds it took."""
    start = time.monotonic()
    done = subprocess.run(
        [str(CLI), "load", *(str(CORPUS / f"{name}.txt") for name in DOCS), *store, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    summary = assert_valid_output(done.stdout, "load")
    assert [d["file"] for d in summary["documents"]] == [f"{name}.txt" for name in DOCS]
    assert all(d["triples"] > 1000 for d in summary["documents"])
    return time.monotonic() - start


@pytest.fixture(scope="module")
def remote(server: str) -> str:
    print(f"CLI load of {len(DOCS)} documents into the Oxigraph server: {load(*explicit(server)):.1f} s")
    return server


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("embedded") / "store")
    print(f"CLI load of {len(DOCS)} documents into an embedded store: {load('--store', location):.1f} s")
    return location


def test_documents_loaded_into_the_server(remote: str, embedded: str) -> None:
    """Both documents are on the server, with the same triple counts as in the embedded store."""
    with open_store(f"{remote}/query", f"{remote}/store") as st:
        docs = st.documents()
    with open_store(remote) as st:
        assert st.documents() == docs
    assert sorted(d.meta["file"] for d in docs) == sorted(f"{name}.txt" for name in DOCS)
    assert all(d.triples > 1000 and d.report_triples > 0 for d in docs)
    with open_store(embedded) as st:
        assert st.documents() == docs


def graph_sizes(location: str) -> dict[str, int]:
    """Triples in each graph of the store, by graph IRI ("" for the default graph)."""
    with open_store(location) as st:
        rows = st.query("SELECT ?g (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g").rows
    return {str(g or ""): int(n) for g, n in rows}


def test_reload_into_the_server_keeps_triple_count(remote: str) -> None:
    """A second load replaces each graph on the server (PUT), adding nothing."""
    before = graph_sizes(remote)
    print(f"triples on the server after one load: {sum(before.values())} in {len(before)} graphs")
    assert len(before) == 1 + 2 * len(DOCS)
    load(*explicit(remote))
    assert graph_sizes(remote) == before


def test_query_on_the_server_answers_as_the_embedded_store(remote: str, embedded: str) -> None:
    """three-public-by-unit.rq: the same rows from both stores, and the 三公 totals read by hand."""
    rows = cli_rows(remote, "three-public-by-unit.rq")
    assert rows == cli_rows(embedded, "three-public-by-unit.rq")
    assert by_file(remote, rows, "three_public_yuan") == {name: THREE_PUBLIC[name] for name in DOCS}


@pytest.mark.parametrize("query", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_every_example_query_answers_on_the_server_as_embedded(remote: str, embedded: str, query: str) -> None:
    """Each example query gives the same rows from the server as from the embedded store, in any order."""

    def rows(store: str, *options: str) -> list[str]:
        return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in cli_rows(store, query, *options))

    assert rows(f"{remote}/query", "--graph-store", f"{remote}/store") == rows(embedded)
