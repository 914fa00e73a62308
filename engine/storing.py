"""`budget-kg load`: audit documents and store each one's graph and report, one transaction each."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def ontology_graph():  # noqa: ANN201 - rdflib.Graph, imported lazily
    """The default graph of a store: vocabulary, code lists, measures, tolerances, rules."""
    from rdflib import Graph

    from engine.resources import data_path
    from engine.validate import context_graph, shapes_graph

    return Graph().parse(data_path("ontology", "budget.ttl"), format="turtle") + context_graph() + shapes_graph()


def load_into_store(
    paths: list[Path], location: str, accept: Path | None, graph_store: str | None = None, fmt: str = "text"
) -> int:
    """Load every document; one that cannot be read is reported and skipped. Exit code 0, 2 when
    some document could not be read, or 3 when one hit an internal error (as the other commands).
    The summary is a table, or JSON (`fmt` json, docs/output.schema.json#/$defs/load)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table
    from rich.text import Text

    from engine import pipeline
    from engine.accept import read_acceptances
    from engine.output.views import summary
    from engine.store import StoreError, open_store

    console = Console(stderr=True)

    def error(message: str) -> None:
        # One line, as written: no wrapping at the terminal width, no rich markup (`[draft].txt`).
        console.print(f"budget-kg: {message}", markup=False, highlight=False, soft_wrap=True)

    try:
        accepted = read_acceptances(accept) if accept else []
    except ValueError as err:
        error(str(err))
        return 2
    settings = pipeline.Settings(accepted=tuple(accepted))
    rows: list[tuple[str, ...]] = []
    stored: list[dict[str, object]] = []
    loaded_from: dict[str, str] = {}
    failed, internal, triples, errors = 0, 0, 0, 0
    try:
        store = open_store(location, graph_store)
        store.put_default(ontology_graph())
    except StoreError as err:
        error(f"{location}: {err}")
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
        task = progress.add_task("loading", total=len(paths), triples=0, errors=0, failed=0)
        for path in paths:
            try:
                a = pipeline.run(path, settings)
                if isinstance(a, pipeline.Stopped):
                    failed += 1
                    error(str(a))
                    continue
                d = a.loaded.document
                iri = d.iri
                if iri in loaded_from:  # one IRI, one text (engine/vocab.py document_iri): a copy under another name
                    error(f"{path.name}: the same document as {loaded_from[iri]} (identical text): stored once")
                    continue
                loaded_from[iri] = path.name
                meta = {
                    "file": path.name,
                    "unit": d.unit or "",
                    "year": str(d.year or ""),
                    "kind": d.kind or "",
                    "scope": d.scope or "",
                }
                written = store.put_document(iri, a.triples.ntriples() if a.triples else a.graph, a.report, meta)
                triples += written
                s = summary(a)
                counts = {"errors": s["errors"], "warnings": s["warnings"], "triples": written}
                stored.append({"file": path.name, "iri": iri, **counts})
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
            except StoreError as err:
                failed += 1
                error(str(err))
            except Exception as err:  # noqa: BLE001 - one document's internal error must not lose the rest
                if os.environ.get("BUDGET_KG_DEBUG"):
                    raise
                failed, internal = failed + 1, internal + 1
                error(f"{path.name}: internal error while loading: {type(err).__name__}: {err}")
            finally:
                progress.update(task, advance=1, triples=triples, errors=errors, failed=failed)
    if fmt == "json":
        sys.stdout.write(json.dumps({"store": location, "documents": stored}, ensure_ascii=False, indent=2) + "\n")
        return 3 if internal else 2 if failed else 0
    table = Table(title=Text(f"{len(rows)} documents loaded into {location}"))
    for head in ("file", "unit", "year", "kind", "errors", "warnings"):
        table.add_column(head)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: a name such as `[draft].txt` is not markup
    Console(file=sys.stdout, width=160).print(table)
    return 3 if internal else 2 if failed else 0
