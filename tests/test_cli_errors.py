"""Every CLI error path prints one line naming what is wrong and exits 2 (bad input or options), never a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Listener

SAMPLE = str(ROOT / "examples" / "shuimogou-union-2025.txt")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "engine.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def one_line(result: subprocess.CompletedProcess[str], *named: str) -> None:
    """Exit 2, and stderr is a single `budget-kg:` line naming each of `named`."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("budget-kg: "), result.stderr
    for name in named:
        assert name in lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store holding the sample."""
    location = str(tmp_path_factory.mktemp("cli-errors") / "store")
    assert run("load", SAMPLE, "--store", location).returncode == 0
    return location


CASES: dict[str, Callable[[Path, str], list[str]]] = {
    "audit to an unwritable path": lambda tmp, store: ["audit", SAMPLE, "-o", "/nonexistent/r.html"],
    "audit with tolerances that are not Turtle": lambda tmp, store: [
        "audit",
        SAMPLE,
        "--tolerances",
        str(write(tmp / "t.ttl", "garbage {{")),
    ],
    "audit with missing tolerances": lambda tmp, store: ["audit", SAMPLE, "--tolerances", str(tmp / "none.ttl")],
    "audit with acceptances that are not YAML": lambda tmp, store: [
        "audit",
        SAMPLE,
        "--accept",
        str(write(tmp / "a.yaml", "a: [\n")),
    ],
    "query from a missing file": lambda tmp, store: ["query", "--store", store, "--file", str(tmp / "missing.rq")],
    "query a store that does not exist": lambda tmp, store: ["query", "--store", str(tmp / "typo"), "ASK {}"],
    "query a directory that is no store": lambda tmp, store: ["query", "--store", str(tmp), "ASK {}"],
    "invalid query": lambda tmp, store: ["query", "--store", store, "SELECT * {"],
    "deeply nested query": lambda tmp, store: [
        "query",
        "--store",
        store,
        "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    ],
    "crossdoc on a store that does not exist": lambda tmp, store: ["crossdoc", "--store", str(tmp / "typo")],
    "serve a store that does not exist": lambda tmp, store: ["serve", "--store", str(tmp / "typo"), "--port", "0"],
    "load into a server that is not there": lambda tmp, store: ["load", SAMPLE, "--store", "http://127.0.0.1:1"],
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES)
def test_error_is_one_line_with_exit_2(case: str, store: str, tmp_path: Path) -> None:
    one_line(run(*CASES[case](tmp_path, store)))


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    one_line(run("query", "--store", str(tmp_path / "typo"), "ASK {}"), "typo", "no such store")
    assert not (tmp_path / "typo").exists()


def test_serve_on_a_busy_port(store: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = str(busy.getsockname()[1])
        one_line(run("serve", "--store", store, "--port", port), f"127.0.0.1:{port}", "in use")


def test_query_refuses_service_and_load(store: str, loopback_listener: Listener) -> None:
    target = loopback_listener.url
    one_line(run("query", "--store", store, f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"), "SERVICE", "refused")
    one_line(run("query", "--store", store, f"LOAD <{target}>"), "LOAD", "refused")
    assert loopback_listener.received == []


def test_query_may_reach_an_allowed_host(store: str, loopback_listener: Listener) -> None:
    """With the host allowed, the request does go out (the listener answers nothing, so the query fails)."""
    query = f"SELECT * {{ SERVICE <{loopback_listener.url}> {{ ?s ?p ?o }} }}"
    result = run("query", "--store", store, "--allow-service", "127.0.0.1", query)
    assert loopback_listener.received and loopback_listener.received[0].startswith(b"POST /sparql")
    assert "Traceback" not in result.stderr


def test_input_beyond_any_disclosure_is_refused(tmp_path: Path) -> None:
    """20 MB of text, or 2,000 pages, is no disclosure: one line, before any stage spends hours on it."""
    sample = Path(SAMPLE).read_text(encoding="utf-8")
    huge = write(tmp_path / "huge.txt", sample * (20_000_000 // len(sample.encode()) + 1))
    one_line(run("audit", str(huge)), "huge.txt", "larger than a disclosure can be")
    pages = write(tmp_path / "pages.txt", sample + "\f第二页\n" * 2000)
    one_line(run("audit", str(pages)), "pages.txt", "2001 pages")


def test_pdf_of_too_many_pages_is_refused_before_reading(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2001):
        writer.add_blank_page(width=595, height=842)
    with (tmp_path / "long.pdf").open("wb") as f:
        writer.write(f)
    one_line(run("audit", str(tmp_path / "long.pdf")), "long.pdf", "2001 pages")
