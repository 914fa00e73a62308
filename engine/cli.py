"""The `budget-kg` command line. Heavy imports happen inside the commands that need them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from engine.diagnostics import InputError

app = typer.Typer(
    help="Audit Chinese government budget disclosures (预算/决算公开) for internal consistency.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


class GraphFormat(str, Enum):
    ttl = "ttl"
    jsonld = "jsonld"
    nt = "nt"


class TablesFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class ClaimsFormat(str, Enum):
    text = "text"
    json = "json"


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    ttl = "ttl"
    csv = "csv"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 2) -> None:
    """One line on stderr, never a traceback."""
    typer.echo(f"budget-kg: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn bad input into the one-line error; an unexpected failure is also one line (exit 3),
    with the traceback only when BUDGET_KG_DEBUG is set."""
    try:
        yield
    except InputError as err:
        fail(str(err))
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if os.environ.get("BUDGET_KG_DEBUG"):
            raise
        fail(f"{path.name}: internal error while reading: {type(err).__name__}: {err}", code=3)


def load(path: Path):  # noqa: ANN201 - engine.loader.Loaded, imported lazily
    from engine.loader import load_document

    return load_document(path)


def write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text, encoding="utf-8")


FileArg = Annotated[Path, typer.Argument(help="A disclosure as text (UTF-8 or GB18030/GBK).")]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]


@app.command()
def parse(
    file: FileArg,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="RDF serialisation.")] = GraphFormat.ttl,
    output: OutOpt = None,
) -> None:
    """Read a disclosure and write its knowledge graph (tables, claims, provenance)."""
    with reading(file):
        from engine.graph import build_graph

        graph = build_graph(load(file))
        rdf_format = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt.value]
        write(graph.serialize(format=rdf_format), output)


@app.command()
def tables(
    file: FileArg,
    fmt: Annotated[TablesFormat, typer.Option("--format", "-f", help="text (for people), json or csv.")] = TablesFormat.text,
    output: OutOpt = None,
) -> None:
    """Show the tables as read, row by row; ambiguous cells are marked."""
    with reading(file):
        from engine import tables_output

        loaded = load(file)
        render: Callable[..., str] = getattr(tables_output, f"render_{fmt.value}")
        write(render(loaded), output)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
