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
