"""Every command takes a PDF as it takes a text: tables, claims, parse, load (a directory of PDFs),
and their JSON gives the page and box of what was read."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, assert_valid_output

PDF = ROOT / "examples" / "district-office-2025-dept-budget.pdf"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_tables_of_a_pdf_give_each_row_its_page_and_box() -> None:
    """p.8 (收支总表) prints 一、财政拨款收入 91,016,775.35 on its first body line."""
    data = assert_valid_output(run("tables", str(PDF), "--format", "json").stdout, "tables")
    row = next(r for t in data["tables"] for r in t["rows"] if r["name"] == "一、财政拨款收入")
    assert row["values"] == {"amount": "91016775.35"} and row["page"] == 8
    x0, y0, x1, y1 = row["box"]
    assert x0 < x1 and y0 < y1 and x1 - x0 > 100  # from the name to the amount


def test_claims_of_a_pdf_give_each_claim_its_page_and_box() -> None:
    data = assert_valid_output(run("claims", str(PDF), "--format", "json").stdout, "claims")
    assert data["claims"] and all(len(c["box"]) == 4 and c["page"] >= 1 for c in data["claims"])


def test_parse_of_a_pdf_stores_boxes_and_load_takes_a_directory_of_pdfs(tmp_path: Path) -> None:
    assert "bk:box" in run("parse", str(PDF)).stdout
    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(PDF, folder)
    done = run("load", str(folder), "--store", str(tmp_path / "store"))
    assert done.returncode == 0, done.stderr
    assert "1 documents loaded" in done.stdout
