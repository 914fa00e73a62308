"""A page of another origin, in a real browser, queries the endpoint only when the endpoint's CORS
allows that origin: Playwright drives Debian's Chromium (make installs it; nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_endpoint import ALLOWED_ORIGIN, Endpoint, endpoint  # noqa: F401 - `endpoint` is the fixture

CHROMIUM = Path("/usr/bin/chromium")
# What a YASGUI-like client does: POST the query and GET it. (With Playwright's routing on, Chromium sends
# no preflight of its own; tests/test_endpoint.py checks the OPTIONS answers over HTTP.)
ASK_BOTH_WAYS = """async ([url, query]) => {
  const read = async (response) => `${response.status} ${(await response.json()).results.bindings.length} rows`;
  const attempt = async (request) => { try { return await read(await request()); } catch (e) { return e.name; } };
  const accept = {"Accept": "application/sparql-results+json"};
  return [
    await attempt(() => fetch(url, {method: "POST", body: query,
                                    headers: {...accept, "Content-Type": "application/sparql-query"}})),
    await attempt(() => fetch(url + "?query=" + encodeURIComponent(query), {headers: accept})),
  ];
}"""
QUERY = "SELECT ?x { GRAPH <https://budget-kg.org/doc/a> { ?s <https://budget-kg.org/ns#amount> ?x } }"


def answers_from(origin: str, endpoint_url: str) -> list[str]:
    """What a page at `origin` gets when it queries the endpoint by POST and by GET."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--headless", "--disable-background-networking"],
        )
        try:
            # Chromium asks the user before a public page reaches a loopback address (Local Network
            # Access); the user said yes, so CORS alone decides what the page may read.
            page = browser.new_context(permissions=["local-network-access"]).new_page()
            # The page's own origin exists only inside the browser: Playwright answers its requests.
            page.route(f"{origin}/**", lambda route: route.fulfill(content_type="text/html", body="<!doctype html>"))
            page.goto(f"{origin}/client.html")
            return page.evaluate(ASK_BOTH_WAYS, [endpoint_url, QUERY])
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="make test installs Debian's chromium")
def test_a_page_of_the_allowed_origin_queries_and_another_cannot(endpoint: Endpoint) -> None:  # noqa: F811
    assert answers_from(ALLOWED_ORIGIN, endpoint.url) == ["200 2 rows", "200 2 rows"]
    assert answers_from("https://elsewhere.test", endpoint.url) == ["TypeError", "TypeError"]
