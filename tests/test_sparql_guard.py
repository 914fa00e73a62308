"""Tests of engine.sparql_guard: SERVICE and LOAD refused unless their host is allowed; deep nesting refused."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.sparql_guard import MAX_DEPTH, MAX_TOKENS, RefusedQuery, check_request

EVIL = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE<{EVIL}>{{?s ?p ?o}} }}",
        "PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:sparql { ?s ?p ?o } }",  # the engine reads SERVICE + :sparql
        "PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE SILENT:sparql { ?s ?p ?o } }",
        "SELECT * { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        "SELECT * { SERVICE <relative> { ?s ?p ?o } }",
        f"LOAD <{EVIL}>",
        f"LOAD SILENT <{EVIL}> INTO GRAPH <http://example.org/g>",
        f'SELECT * {{ ?s ?p "x" # a comment\n SERVICE <{EVIL}> {{ }} }}',
    ],
)
def test_outbound_access_is_refused(text: str) -> None:
    with pytest.raises(RefusedQuery, match="refused: this service makes no outbound request"):
        check_request(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',  # a string, not a keyword
        "SELECT * { ?s ?p '''LOAD <http://127.0.0.1:9/>''' }",
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?service }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
        "SELECT ?x { ?x ?p ?o FILTER(?o < 3 && ?o > 1) }",
    ],
)
def test_the_words_elsewhere_are_no_keywords(text: str) -> None:
    check_request(text)


def test_an_allowed_host_may_be_reached() -> None:
    check_request(f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", allowed_hosts={"127.0.0.1"})
    with pytest.raises(RefusedQuery, match=r"hosts allowed: 127\.0\.0\.1"):
        check_request("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", allowed_hosts={"127.0.0.1"})


def test_deep_nesting_and_long_chains_are_refused() -> None:
    """pyoxigraph overflowed its stack (SIGSEGV) on 3,000 nested groups and on 12,000 chained operators."""
    nested = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    with pytest.raises(RefusedQuery, match=f"deeper than {MAX_DEPTH}"):
        check_request(nested)
    chain = "SELECT * { ?s ?p ?o FILTER(" + "+".join(["1"] * 20000) + ") }"
    with pytest.raises(RefusedQuery, match=f"at most {MAX_TOKENS}"):
        check_request(chain)
    check_request("SELECT * WHERE " + "{" * MAX_DEPTH + " ?s ?p ?o " + "}" * MAX_DEPTH)


@given(st.text(alphabet=st.sampled_from(list("{}()<>'\"#?:SERVICELOADsilent \n\\")), max_size=200))
def test_any_text_is_checked_without_crashing(text: str) -> None:
    with contextlib.suppress(RefusedQuery):  # a refusal is the only exception
        check_request(text)


@given(st.text(max_size=40).filter(lambda s: "'" not in s and "\\" not in s))
def test_service_after_any_string_is_still_seen(filler: str) -> None:
    """Whatever a string literal holds, the SERVICE after it is read as the keyword."""
    with pytest.raises(RefusedQuery):
        check_request(f"SELECT * {{ ?s ?p '{filler.replace(chr(10), ' ')}' SERVICE <{EVIL}> {{ }} }}")
