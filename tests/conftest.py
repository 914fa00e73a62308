"""Shared test fixtures: where the corpus is, and documents read once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = ROOT / "tests" / "expected"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@cache
def read(path: str):
    """What the pipeline reads from one document (tables, claims), cached across tests."""
    from engine.pipeline import read as read_document

    return read_document(path)


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
