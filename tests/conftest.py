"""Shared test fixtures: where the corpus is, and documents read once per session."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from engine.model import Loaded
from engine.pipeline import Audit, Settings, run

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "expected"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def audit(path: str | Path, settings: Settings | None = None) -> Audit:
    """One document through the whole pipeline (or as far as `settings` says); it must be readable."""
    result = run(path, settings or Settings())
    assert isinstance(result, Audit), f"not read: {result}"
    return result


def load(path: str | Path) -> Loaded:
    """What the pipeline reads from one document (tables, claims), before graph and rules."""
    return audit(path, Settings(through="narrative")).loaded


@cache
def read(path: str) -> Loaded:
    """`load`, cached across tests."""
    return load(path)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"corpus not found at {CORPUS}: CI must lay ../shared beside the checkout")
    return CORPUS


@cache
def _output_schema() -> dict:
    import json

    return json.loads((ROOT / "docs" / "output.schema.json").read_text(encoding="utf-8"))


def assert_valid_output(text: str, shape: str) -> dict:
    """Parse a `--format json` output and check it against its shape in docs/output.schema.json."""
    import json

    import jsonschema

    schema = _output_schema()
    data = json.loads(text)
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{shape}", "$defs": schema["$defs"]}, format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return data


class Listener:
    """A TCP listener on loopback that records every connection made to it (none should be)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")


@pytest.fixture
def loopback_listener() -> Iterator[Listener]:
    """A loopback listener; the test asserts it `received` nothing."""
    listener = Listener()
    yield listener
    listener.stop.set()
    listener.thread.join()
    listener.socket.close()
