"""`budget-kg load`: audit documents and store each one's graph and report, one transaction each."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.diagnostics import InputError


def ontology_graph():  # noqa: ANN201 - rdflib.Graph, imported lazily
    """The default graph of a store: vocabulary, code lists, measures, tolerances, rules."""
    from rdflib import Graph

    from engine.validate import ROOT, shapes_graph

    graph = Graph()
    for part in ("budget.ttl", "codes/function.ttl", "codes/economic.ttl", "measures.ttl", "tolerances.ttl"):
        graph.parse(ROOT / "ontology" / part, format="turtle")
    return graph + shapes_graph()


def load_into_store(paths: list[Path], location: str, accept: Path | None) -> int:
    """Load every document; one that cannot be read is reported and skipped. Exit code 0, or 2
    when some document could not be read."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from engine.graph import document_iri
    from engine.loader import load_document
    from engine.report import audit, read_acceptances, summary
    from engine.store import StoreError, open_store

    console = Console(stderr=True)
    accepted = read_acceptances(accept) if accept else []
    rows, failed, triples, errors = [], 0, 0, 0
    try:
        store = open_store(location)
    except StoreError as err:
        console.print(f"budget-kg: {location}: {err}")
        return 2
    with (
        store,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("triples {task.fields[triples]} · errors {task.fields[errors]} · failed {task.fields[failed]}"),
            console=console,
        ) as progress,
    ):
        store.put_default(ontology_graph())
        task = progress.add_task("loading", total=len(paths), triples=0, errors=0, failed=0)
        for path in paths:
            try:
                a = audit(load_document(path), accepted=accepted)
                d = a.loaded.document
                meta = {
                    "file": path.name,
                    "unit": d.unit or "",
                    "year": str(d.year or ""),
                    "kind": d.kind or "",
                    "scope": d.scope or "",
                }
                triples += store.put_document(str(document_iri(d.doc_id)), a.graph, a.report, meta)
                s = summary(a)
                errors += s["errors"]
                rows.append(
                    (
                        path.name,
                        d.unit or "",
                        str(d.year or ""),
                        f"{d.scope}{d.kind}",
                        str(s["errors"]),
                        str(s["warnings"]),
                    )
                )
            except (InputError, StoreError) as err:
                failed += 1
                progress.console.print(f"budget-kg: {err}")
            progress.update(task, advance=1, triples=triples, errors=errors, failed=failed)
    table = Table(title=f"{len(rows)} documents loaded into {location}")
    for head in ("file", "unit", "year", "kind", "errors", "warnings"):
        table.add_column(head)
    for row in rows:
        table.add_row(*row)
    Console(file=sys.stdout, width=160).print(table)
    return 2 if failed else 0
