"""A final account's “三公”经费 table prints 预算数 | 决算数 under each of its six headers: every figure is
read into the sub-column whose word it stands under, or left undecided; never into its neighbour."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from engine.model import Table
from tests.conftest import CORPUS, load

STEM = "finance-bureau-2024-dept-final"


def _three_public(path: Path) -> Table:
    (table,) = [t for t in load(path).tables if t.kind == "three_public"]
    return table


@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_figures_sit_in_the_sub_column_they_stand_under(corpus: Path, suffix: str) -> None:
    """finance-bureau-2024 :489 prints 预算数 决算数 six times; :491 prints 0.95 under the first 预算数
    (合计) and 0.95 under the sixth (公务接待费), nothing under any 决算数 (the narrative :639 agrees:
    年初预算为0.95万元，支出决算为0.00万元)."""
    table = _three_public(CORPUS / f"{STEM}{suffix}")
    (row,) = [r for r in table.rows if r.cells]
    assert row.is_total
    assert {c.column: c.figure.value for c in row.cells} == {
        "total.budget_initial": Decimal("0.95"),
        "reception.budget_initial": Decimal("0.95"),
    }
    assert table.columns[:2] == ["total.budget_initial", "total.final"] and len(table.columns) == 12


def test_unaligned_text_leaves_the_sub_columns_undecided(corpus: Path, tmp_path: Path) -> None:
    """Plain pdftotext prints the two figures among the header words: their columns are not guessed."""
    text = tmp_path / f"{STEM}.txt"
    subprocess.run(["pdftotext", str(CORPUS / f"{STEM}.pdf"), str(text)], check=True, capture_output=True)
    cells = [c for r in _three_public(text).rows for c in r.cells]
    assert [c.figure.value for c in cells] == [Decimal("0.95"), Decimal("0.95")]
    assert all(c.column is None for c in cells)


def _twelve_figures(tmp_path: Path, figures: list[str], header: str | None = None) -> Table:
    """The table with twelve figures printed on :491, each where :491 prints its 0.95 (ending two characters
    past its 预算数/决算数 word of :489), under the header :489 prints or another one."""
    lines = (CORPUS / f"{STEM}.txt").read_text(encoding="utf-8").split("\n")
    words = [m.start() for m in re.finditer(r"[预决]算数", lines[488])]
    assert len(words) == 12 and lines[490].index("0.95") + 4 == words[0] + 6
    row = [" "] * 100
    for start, figure in zip(words, figures, strict=True):
        row[start + 6 - len(figure) : start + 6] = figure
    lines[490] = "".join(row).rstrip()
    lines[488] = header or lines[488]
    copy = tmp_path / f"{STEM}.txt"
    copy.write_text("\n".join(lines), encoding="utf-8")
    return _three_public(copy)


def test_a_full_row_fills_every_sub_column(corpus: Path, tmp_path: Path) -> None:
    """All twelve figures printed: every figure in its own sub-column, in the header's order."""
    figures = ["5.00", "4.00", "1.00", "1.00", "3.00", "2.50", "1.00", "0.50", "2.00", "2.00", "1.00", "0.50"]
    table = _twelve_figures(tmp_path, figures)
    (row,) = [r for r in table.rows if r.cells]
    assert [(c.column, str(c.figure.value)) for c in row.cells] == list(zip(table.columns, figures, strict=True))


def test_sub_columns_in_another_order_decide_nothing(corpus: Path, tmp_path: Path) -> None:
    """The national 决算 form prints 预算数 {合计 … 公务接待费} then 决算数 {…}: the same twelve figures in
    another order. With that header the row's twelve figures are not put in the Shanghai order's columns."""
    figures = ["5.00", "1.00", "3.00", "1.00", "2.00", "1.00", "4.00", "1.00", "2.50", "0.50", "2.00", "0.50"]
    table = _twelve_figures(tmp_path, figures, header="        预算数" + " " * 40 + "决算数")
    (row,) = [r for r in table.rows if r.cells]
    assert len(row.cells) == 12 and all(c.column is None for c in row.cells)
