"""What a SPARQL request may not do here: reach another host, or nest beyond what the query engine survives.

pyoxigraph has no switch to turn federation off (SERVICE makes it send HTTP requests) and its parser
recurses once per nesting level or chained operator until the stack overflows (the process dies with
SIGSEGV). So every query text is checked by this lexer before it reaches the store.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Collection, Iterator

from engine.store import QueryError

MAX_DEPTH = 100
"""Brackets ({ ( [) open at once; pyoxigraph overflowed an 8 MB stack between 1,000 and 3,000."""
MAX_TOKENS = 20_000
"""Tokens in one query; chains of 12,000 operators (`1+1+…`, UNION, `.`) overflowed an 8 MB stack."""

# One SPARQL token at a time; strings, IRIs and comments first, so that words inside them are no keywords.
_TOKEN = re.compile(
    r"""(?P<skip>\s+|\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$]\w+)
      | (?P<pname>[\w.\-]*:[\w.\-:%\\]*)
      | (?P<word>\w+)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_OUTBOUND = {"SERVICE", "LOAD"}
"""The keywords that make the engine fetch from another host (federated query, SPARQL Update LOAD)."""
_GLUED = _OUTBOUND | {"SILENT"}
"""Keywords the engine also reads when glued to a prefixed name: `SERVICE:x` is SERVICE then `:x`."""


class RefusedQuery(QueryError):
    """A query this service will not run: it reaches another host, or is nested too deeply to parse safely."""


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of every token but whitespace and comments."""
    for m in _TOKEN.finditer(text):
        kind, token = m.lastgroup or "other", m.group()
        keyword, colon, local = token.partition(":")
        if kind == "pname" and keyword.upper() in _GLUED:
            yield "word", keyword
            yield "pname", colon + local
        elif kind != "skip":
            yield kind, token


def check_request(text: str, allowed_hosts: Collection[str] = ()) -> None:
    """Raise RefusedQuery if `text` (a query or an update) nests too deeply, is too long, or reaches a host
    not in `allowed_hosts` through SERVICE or LOAD."""
    tokens = list(_tokens(text))
    if len(tokens) > MAX_TOKENS:
        raise RefusedQuery(f"query of {len(tokens)} tokens refused: at most {MAX_TOKENS}")
    depth = 0
    prefixes: dict[str, str] = {}
    for i, (kind, token) in enumerate(tokens):
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise RefusedQuery(f"query nested deeper than {MAX_DEPTH} brackets refused")
        elif kind == "close":
            depth -= 1
        elif kind == "word" and token.upper() == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1][1]] = tokens[i + 2][1][1:-1]
        elif kind == "word" and token.upper() in _OUTBOUND:
            _check_target(token.upper(), tokens[i + 1 :], prefixes, allowed_hosts)


def _check_target(
    keyword: str, rest: list[tuple[str, str]], prefixes: dict[str, str], allowed_hosts: Collection[str]
) -> None:
    """Refuse SERVICE/LOAD unless its target is an IRI (written out or prefixed) on an allowed host."""
    target = next(((k, t) for k, t in rest if not (k == "word" and t.upper() == "SILENT")), ("other", ""))
    iri = ""
    if target[0] == "iri":
        iri = target[1][1:-1]
    elif target[0] == "pname":
        prefix, _, local = target[1].partition(":")
        iri = prefixes[prefix + ":"] + local if prefix + ":" in prefixes else ""
    host = urllib.parse.urlsplit(iri).hostname if iri else None
    if host is None or host not in allowed_hosts:
        shown = target[1] or "(nothing)"
        allowed = ", ".join(sorted(allowed_hosts)) or "none"
        raise RefusedQuery(
            f"{keyword} {shown} refused: this service makes no outbound request (hosts allowed: {allowed})"
        )
