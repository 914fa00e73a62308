"""The example queries of examples/queries answer the corpus as read by hand, via the CLI and engine.store."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from engine.loading import load_into_store
from engine.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpus")
QUERIES = ROOT / "examples" / "queries"
CLI = Path(sys.executable).with_name("budget-kg")

# 三公经费 合计 per document, 万元 × 10000, read from each file's 三公经费 table (e.g.
# wanli-street-2023-dept-budget.txt:792 "22.91"); social-work-2024-dept-final prints no total cell.
THREE_PUBLIC = {
    "commerce-2025-dept-budget": Decimal(10000),
    "commerce-2025-unit-budget": Decimal(10000),
    "district-office-2025-dept-budget": Decimal(8675000),
    "district-office-2025-unit-budget": Decimal(8675000),
    "finance-bureau-2024-dept-final": Decimal(9500),
    "finance-bureau-2025-dept-budget": Decimal(9500),
    "justice-2026-unit-budget": Decimal(107100),
    "shanghai-finance-2025-unit-budget": Decimal(3463000),
    "shuimogou-union-2025": Decimal(34800),
    "wanli-street-2023-dept-budget": Decimal(229100),
    "wanli-street-2024-dept-budget": Decimal(479100),
    "wanli-street-2025-dept-budget": Decimal(379100),
    "welfare-home-2024-unit-budget": Decimal(64000),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus loaded once into an embedded store."""
    location = str(tmp_path_factory.mktemp("store"))
    assert load_into_store(sorted(CORPUS.glob("*.txt")), location, None) == 0
    return location


def cli_rows(store: str, name: str) -> list[dict[str, str]]:
    """A query file's rows through `budget-kg query --format json`, as {variable: value}."""
    out = subprocess.run(
        [str(CLI), "query", "--store", store, "-f", str(QUERIES / name), "--format", "json"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(out)["results"]["bindings"]]


def test_three_public_by_unit(store: str) -> None:
    """Each document's 三公 total, in 元, from both the CLI and the store API."""
    rows = cli_rows(store, "three-public-by-unit.rq")
    got = {r["doc"].rsplit("/", 1)[1]: Decimal(r["three_public_yuan"]) for r in rows}
    assert got == THREE_PUBLIC
    with open_store(store) as st:
        result = st.query((QUERIES / "three-public-by-unit.rq").read_text(encoding="utf-8"))
    col = result.variables.index("three_public_yuan")
    assert sorted(Decimal(str(r[col])) for r in result.rows) == sorted(THREE_PUBLIC.values())
