"""Output: every rendering of what the engine read and found, one module per format, listed in one
registry by what is rendered and in which format.

What is rendered: `audit` (a list of engine.pipeline.Audit), `tables` and `claims` (one document's
engine.model.Loaded), `crossdoc` (an engine.crossdoc.Comparison) and `graph` (a document's rdflib
Graph). A renderer is a function of that value returning the text (bytes for a PDF); it is
imported when first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

RENDERERS: dict[str, dict[str, str]] = {
    "audit": {
        "text": "engine.output.text:audit",
        "json": "engine.output.json:audit",
        "csv": "engine.output.csv:audit",
        "html": "engine.output.html:audit",
        "ttl": "engine.output.rdf:audit",
        "sarif": "engine.output.sarif:audit",
        "junit": "engine.output.junit:audit",
        "pdf": "engine.output.pdf:audit",  # the audited PDF, evidence boxed (bytes)
    },
    "tables": {
        "text": "engine.output.text:tables",
        "json": "engine.output.json:tables",
        "csv": "engine.output.csv:tables",
    },
    "claims": {
        "text": "engine.output.text:claims",
        "json": "engine.output.json:claims",
    },
    "crossdoc": {
        "text": "engine.output.text:crossdoc",
        "json": "engine.output.json:crossdoc",
    },
    "graph": {
        "ttl": "engine.output.rdf:turtle",
        "jsonld": "engine.output.rdf:jsonld",
        "nt": "engine.output.rdf:ntriples",
    },
}


def formats(what: str) -> tuple[str, ...]:
    """The formats `what` can be rendered in, as the CLI offers them."""
    return tuple(RENDERERS[what])


def renderer(what: str, fmt: str) -> Callable[[Any], str | bytes]:
    """The function rendering `what` in `fmt`."""
    module, _, function = RENDERERS[what][fmt].partition(":")
    render: Callable[[Any], str | bytes] = getattr(importlib.import_module(module), function)
    return render


def render(what: str, fmt: str, value: Any) -> str | bytes:  # noqa: ANN401 - the value's type depends on `what`
    """`value` rendered in `fmt`."""
    return renderer(what, fmt)(value)
