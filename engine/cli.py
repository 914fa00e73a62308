"""The `budget-kg` command line. Heavy imports happen inside the commands that need them."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from engine.cli_help import plain_placeholders

if TYPE_CHECKING:
    from engine.pipeline import Audit, Settings

app = typer.Typer(
    help="Audit Chinese government budget disclosures (预算/决算公开) for internal consistency.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")
plain_placeholders()


def format_option(what: str, help_text: str) -> object:
    """`--format/-f`, offering the formats engine/output/ registers for `what`."""
    from engine.output import formats

    choices = formats(what)

    def check(value: str) -> str:
        if value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return typer.Option("--format", "-f", callback=check, metavar="[" + "|".join(choices) + "]", help=help_text)


class TextOrJson(StrEnum):
    """Text for people, JSON for programs."""

    text = "text"
    json = "json"


class Validator(StrEnum):
    fast = "fast"
    pyshacl = "pyshacl"


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, never a traceback (a library's message of several lines is joined)."""
    typer.echo("budget-kg: " + " ".join(line.strip() for line in message.splitlines()), err=True)
    raise typer.Exit(code)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """An unexpected failure is one line (exit 3), with the traceback only when BUDGET_KG_DEBUG is set."""
    from engine.diagnostics import InputError

    try:
        yield
    except (typer.Exit, KeyboardInterrupt):
        raise
    except InputError as err:  # bad input found after the pipeline (an annotated PDF of a text): exit 2
        fail(str(err))
    except Exception as err:  # noqa: BLE001 - the CLI's last line of defence
        if os.environ.get("BUDGET_KG_DEBUG"):
            raise
        fail(f"{path.name}: internal error while reading: {type(err).__name__}: {err}", code=3)


@contextmanager
def standard_input() -> Iterator[Path]:
    """Standard input (`-` as a file) kept in a file named `stdin`, the name the report cites; its
    first bytes say whether it is a PDF or text, as for any file."""
    with tempfile.TemporaryDirectory(prefix="budget-kg-") as tmp:
        spooled = Path(tmp) / "stdin"
        spooled.write_bytes(sys.stdin.buffer.read())
        yield spooled


def run(path: Path, settings: Settings | None = None) -> Audit:
    """One document through the pipeline (`-`: standard input); one it could not read is one line naming it (exit 2)."""
    from engine import pipeline

    if str(path) == "-":
        with standard_input() as spooled:
            return run(spooled, settings)

    result = pipeline.run(path, settings or pipeline.Settings())
    if isinstance(result, pipeline.Stopped):
        fail(str(result))
    return result


def write(text: str | bytes, output: Path | None) -> None:
    """Text to stdout (ending in a newline) or to `output`; bytes (a PDF) only to `output`."""
    if output is None:
        assert isinstance(text, str), "binary output goes to a file"
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"{output}: cannot write: {err.strerror}")


def read_option_file(path: Path, what: str) -> str:
    """The text of a file named by an option; one that cannot be read is bad input (exit 2)."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        fail(f"{path}: cannot read {what}: {err.strerror}")
    except UnicodeDecodeError:
        fail(f"{path}: {what} is not UTF-8 text")
    raise AssertionError  # fail() never returns


FileArg = Annotated[
    Path, typer.Argument(help="A disclosure: its PDF, or its text (UTF-8 or GB18030/GBK); - reads standard input.")
]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]


@app.command()
def parse(
    file: FileArg,
    fmt: Annotated[str, format_option("graph", "RDF serialisation.")] = "ttl",
    output: OutOpt = None,
) -> None:
    """Read a disclosure and write its knowledge graph (tables, claims, provenance)."""
    with reading(file):
        from engine.output import render
        from engine.pipeline import Settings

        write(render("graph", fmt, run(file, Settings(through="graph")).graph), output)


@app.command()
def tables(
    file: FileArg,
    fmt: Annotated[str, format_option("tables", "text (for people), json or csv.")] = "text",
    output: OutOpt = None,
) -> None:
    """Show the tables as read, row by row; ambiguous cells are marked."""
    with reading(file):
        from engine.output import render
        from engine.pipeline import Settings

        write(render("tables", fmt, run(file, Settings(through="narrative")).loaded), output)


def _documents(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the disclosures (*.txt, *.pdf) in it, and one with none is bad input."""
    out: list[Path] = []
    for p in paths:
        found = [p]
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix.lower() in (".txt", ".pdf") and q.is_file())
        if not found:
            fail(f"{p}: no disclosure (*.txt, *.pdf) in this directory")
        out.extend(found)
    return out


def _audit_all(paths: list[Path], tolerances: Path | None, accept: Path | None, engine: str) -> tuple[list, int]:
    """Audit each document; bad input is one line on stderr and the others go on."""
    from engine.accept import read_acceptances
    from engine.pipeline import Settings

    if tolerances is not None:
        _check_tolerances(tolerances)
    accepted = []
    if accept is not None:
        try:
            accepted = read_acceptances(accept)
        except ValueError as err:
            fail(str(err))
    settings = Settings(tolerances=tolerances, accepted=tuple(accepted), validator=engine)
    audits, code = [], 0
    for path in _documents(paths):
        try:
            with reading(path):
                audits.append(run(path, settings))
        except typer.Exit as stop:
            code = max(code, stop.exit_code or 0)
    return audits, code


def _check_tolerances(path: Path) -> None:
    """A --tolerances file that is not Turtle is the option's fault (exit 2), not the document's."""
    from rdflib import Graph

    text = read_option_file(path, "tolerances")
    try:
        Graph().parse(data=text, format="turtle")
    except Exception as err:  # noqa: BLE001 - rdflib raises many types for bad Turtle
        fail(f"{path}: not a Turtle tolerances file: {' '.join(str(err).split())[:200]}")


@app.command("audit")
def audit_command(
    files: Annotated[list[Path], typer.Argument(help="Disclosures, or directories of them; - reads standard input.")],
    fmt: Annotated[
        str,
        format_option(
            "audit",
            "text, json, csv, html, ttl (the SHACL report), sarif, junit, or pdf (the audited PDF annotated; needs -o).",
        ),
    ] = "text",
    output: OutOpt = None,
    accept: Annotated[
        Path | None, typer.Option("--accept", help="YAML list of {rule, fact, reason} an auditor accepted.")
    ] = None,
    tolerances: Annotated[
        Path | None, typer.Option("--tolerances", help="Turtle file replacing ontology/tolerances.ttl.")
    ] = None,
    validator: Annotated[
        Validator,
        typer.Option("--validator", help="fast (the rules' queries on Oxigraph) or pyshacl (pySHACL itself)."),
    ] = Validator.fast,
) -> None:
    """Check a disclosure's internal consistency. Exit 0: no error; 1: errors; 2: bad input."""
    from engine.output import render

    if fmt == "pdf" and (output is None or len(files) != 1 or files[0].is_dir()):
        fail("--format pdf writes one annotated PDF: give one PDF and -o FILE.pdf")
    audits, code = _audit_all(files, tolerances, accept, validator.value)
    if audits and fmt == "pdf" and audits[0].loaded.source.boxes is None:
        fail(f"{files[0].name}: an annotated PDF needs a PDF as input")
    if audits:
        with reading(files[0]):
            write(render("audit", fmt, audits), output)
    raise typer.Exit(max(code, *(a.exit_code for a in audits)) if audits else code or 2)


@app.command()
def claims(
    file: FileArg,
    fmt: Annotated[str, format_option("claims", "text or json.")] = "text",
    output: OutOpt = None,
) -> None:
    """List the narrative's claims, then every number-bearing sentence that produced none."""
    with reading(file):
        from engine.output import render
        from engine.pipeline import Settings

        write(render("claims", fmt, run(file, Settings(through="narrative")).loaded), output)


StoreOpt = Annotated[
    str,
    typer.Option(
        "--store",
        help="A store directory (embedded Oxigraph), an Oxigraph server's root URL, or with --graph-store "
        "a SPARQL server's query URL.",
    ),
]
GraphStoreOpt = Annotated[
    str | None,
    typer.Option(
        "--graph-store",
        help="The server's Graph Store Protocol URL (Fuseki, GraphDB, Virtuoso …); --store is then its query URL.",
    ),
]


@app.command("load")
def load_command(
    paths: Annotated[list[Path], typer.Argument(help="Disclosures, or directories of them.")],
    store: StoreOpt,
    graph_store: GraphStoreOpt = None,
    accept: Annotated[Path | None, typer.Option("--accept", help="Acceptances (YAML) applied to the reports.")] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", "-f", help="The summary: text or json.")] = TextOrJson.text,
) -> None:
    """Audit each document and store its graph and report (one named graph each); reloading replaces."""
    from engine.storing import load_into_store

    raise typer.Exit(load_into_store(_documents(paths), store, accept, graph_store, fmt.value))


@app.command()
def query(
    store: StoreOpt,
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a .rq file.")] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="table, csv or json.")] = QueryFormat.table,
    graph_store: GraphStoreOpt = None,
    output: OutOpt = None,
    allow_service: Annotated[
        list[str] | None, typer.Option("--allow-service", help="A host SERVICE may reach (repeat for more).")
    ] = None,
) -> None:
    """Ask the store a SPARQL query. SERVICE and LOAD are refused unless their host is allowed."""
    from engine.sparql_guard import check_request
    from engine.store import StoreError, open_store

    if (sparql is None) == (file is None):
        fail("give a query or --file FILE.rq, not both")
    text = read_option_file(file, "query") if file is not None else str(sparql)
    try:
        check_request(text, allow_service or ())
        with open_store(store, graph_store, create=False) as st:
            result = st.query(text)
    except StoreError as err:
        fail(str(err))
    if fmt is QueryFormat.table:
        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO() if output is not None else None)
        console.print(result)
        if output is not None:
            write(console.export_text(), output)
    else:
        write(result.to_json() if fmt is QueryFormat.json else result.to_csv(), output)


@app.command("crossdoc")
def crossdoc_command(
    store: StoreOpt,
    fmt: Annotated[str, format_option("crossdoc", "text or json.")] = "text",
    graph_store: GraphStoreOpt = None,
    output: OutOpt = None,
) -> None:
    """Compare the stored documents with each other: a unit's consecutive years, its 部门 and 单位 twins.
    Exit 0: no error; 1: errors; 2: the store cannot be read."""
    from engine.crossdoc import run
    from engine.output import render
    from engine.store import StoreError

    try:
        comparison = run(store, graph_store)
    except StoreError as err:
        fail(str(err))
    write(render("crossdoc", fmt, comparison), output)
    raise typer.Exit(comparison.exit_code)


@app.command()
def serve(
    store: Annotated[str, typer.Option("--store", help="An embedded store directory.")],
    host: Annotated[str, typer.Option(help="Interface to bind; loopback unless told otherwise.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0: any free one).")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="Rows at most in a result.")] = 100000,
    workers: Annotated[int, typer.Option(help="Worker processes answering queries.")] = 2,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="An origin (https://host:port) whose browser pages may query; repeat for more, * for any."),
    ] = None,
    max_memory: Annotated[int, typer.Option(help="MB a query may take beyond its worker's base.")] = 1024,
    allow_service: Annotated[
        list[str] | None, typer.Option("--allow-service", help="A host SERVICE may reach (repeat for more).")
    ] = None,
    idle_timeout: Annotated[
        float, typer.Option(help="Seconds a connection may stay silent before it is closed (each holds a thread).")
    ] = 30.0,
    cache_mb: Annotated[
        int, typer.Option("--cache-mb", help="MB of answers kept for repeated queries (the snapshot never changes).")
    ] = 64,
) -> None:
    """Answer the SPARQL 1.1 Protocol over a snapshot of a store, read-only, reaching no other host; its URL
    without a query gives the service description. Browser pages of other origins may query only when --cors-origin names them."""
    from engine.endpoint import serve as run
    from engine.store import StoreError

    try:
        run(
            store,
            host=host,
            port=port,
            timeout_s=timeout,
            max_rows=max_rows,
            workers=workers,
            cors_origins=frozenset(cors_origin or ()),
            max_memory_mb=max_memory,
            allowed_hosts=frozenset(allow_service or ()),
            idle_timeout_s=idle_timeout,
            cache_mb=cache_mb,
        )
    except StoreError as err:
        fail(str(err))
    except OSError as err:
        fail(f"cannot listen on {host}:{port}: {err.strerror}")


@app.command("rules")
def rules_command(
    write_file: Annotated[
        bool, typer.Option("--write", help="Rewrite docs/rules.md of the source checkout (give -o outside one).")
    ] = False,
    output: OutOpt = None,
) -> None:
    """Print the rule catalogue (id, severity, what each rule checks), generated from the shapes."""
    from engine.rules_doc import catalogue_path, render

    if write_file and output is None:
        output = catalogue_path()
        if output is None:
            fail("--write rewrites docs/rules.md of a source checkout; this one is installed: give -o FILE")
    write(render(), output)


def _version(value: bool) -> None:
    if value:
        from engine import __version__

        typer.echo(f"budget-kg {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Options that come before the command."""


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
