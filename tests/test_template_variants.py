"""Variants of known templates, made from a corpus document's own text (its `pdftotext -layout` twin
and its plain `pdftotext` form) changed by the test: the 2026 empty-table note, a table title glued
to the previous page's last line, a figure split by a page break, a full-width comma in a figure."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from engine.model import Loaded
from engine.narrative import read_text
from engine.pipeline import Settings, run
from engine.vocab import subject_name
from tests.conftest import CORPUS

STEM = "justice-2026-unit-budget"  # a 2026 Shanghai 单位预算


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The document's text in the layout form and in the plain form, which this fixture makes."""
    plain = tmp_path_factory.mktemp("forms") / f"{STEM}.txt"
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(CORPUS / f"{STEM}.pdf"), str(plain)], check=True)
    return {
        "layout": (CORPUS / f"{STEM}.txt").read_text(encoding="utf-8"),
        "plain": plain.read_text(encoding="utf-8"),
    }


def _read(text: str, tmp_path: Path) -> Loaded:
    path = tmp_path / f"{STEM}.txt"
    path.write_text(text, encoding="utf-8")
    audit = run(path, Settings(through="narrative"))
    assert not hasattr(audit, "diagnostics"), audit
    return audit.loaded  # type: ignore[union-attr]


def _tables(loaded: Loaded) -> list[tuple]:
    """Each table's kind, whether it is declared empty, and its rows' names and amounts."""
    return [
        (t.kind, t.empty_statement is not None, [(r.name, [str(c.figure.value) for c in r.cells]) for r in t.rows])
        for t in loaded.tables
    ]


def _claims(loaded: Loaded) -> list[tuple]:
    return [(c.kind, subject_name(c.subject), str(c.value.value) if c.value else None, c.basis) for c in loaded.claims]


@pytest.mark.parametrize("form", ["layout", "plain"])
def test_the_2026_empty_table_note(forms: dict[str, str], form: str, tmp_path: Path) -> None:
    """2026 Shanghai budgets say "注：本年度无…，故本表无数据" under an empty table: the table is
    declared empty by it, as by "…故本表为空表", and the note yields no narrative claim."""
    text = forms[form]
    note = "注:本单位2026年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    assert note in text
    changed = _read(text.replace(note, "注：本年度无政府性基金预算财政拨款安排的预算，故本表无数据。"), tmp_path)
    original = _read(text, tmp_path)
    fund = next(t for t in changed.tables if t.kind == "gov_fund_expenditure")
    assert fund.empty_statement is not None and "故本表无数据" in fund.empty_statement.text
    assert _tables(changed) == _tables(original)
    assert _claims(changed) == _claims(original)


@pytest.mark.parametrize("form", ["layout", "plain"])
def test_a_table_title_glued_to_the_previous_pages_last_line(forms: dict[str, str], form: str, tmp_path: Path) -> None:
    """An extractor that joins pages without a line break glues each title that opens a page to the
    page before's last line (a sentence, a row's last figure): the tables, the rows they end with,
    and the narrative before them read as when the title had its own line."""
    text = forms[form]
    glued, n = re.subn(r"\n\f[ \t]*(?=2026年(?:预算)?单位\S*预算表\s*\n)", "", text)
    assert n >= 5  # the titles that open a page, as printed in this document
    original, changed = _read(text, tmp_path), _read(glued, tmp_path)
    assert _tables(changed) == _tables(original)
    assert _claims(changed) == _claims(original)


def test_a_figure_split_by_a_page_break(forms: dict[str, str], tmp_path: Path) -> None:
    """A page break inside a narrative figure ("1434" / ".89万元") leaves one figure whose span runs
    from its first digit on one page to its last on the next."""
    text = forms["layout"]
    assert "1434.89万元" in text
    loaded = _read(text.replace("1434.89万元", "1434\n\f.89万元", 1), tmp_path)
    claim = next(c for c in loaded.claims if "\f" in c.span.text)
    assert (claim.kind, subject_name(claim.subject), str(claim.value.value) if claim.value else None) == (
        "amount",
        "code:2040601",
        "1434.89",
    )
    assert claim.span.text.replace("\n", "").replace("\f", "") == "1434.89"
    assert claim.span.page + 1 == loaded.source.span(claim.span.end - 1, claim.span.end).page


def test_a_full_width_comma_inside_a_figure() -> None:
    """ "3，518.85万元" is one figure; a full-width comma between a count and the next clause ("共3，其中")
    or before a figure without decimals ("3，518人") separates two numbers."""
    claims = read_text("一般公共服务支出3，518.85万元，比上年预算增加1，200.00万元。", 2026).claims
    assert [(c.kind, subject_name(c.subject), str(c.value.value)) for c in claims if c.value] == [
        ("amount", "code:201", "3518.85"),
        ("change", "code:201", "1200.00"),
    ]
    assert [str(c.value.value) for c in read_text("本部门共有车辆3，518.85万元用于运行。", 2026).claims if c.value] == [
        "3518.85"
    ]
    counted = read_text("下属预算单位共3家，其中行政单位1家。编制人数3，518人。", 2026).claims
    assert "3518" not in [str(c.value.value) for c in counted if c.value]


@pytest.mark.parametrize(("printed", "basis"), [("预算为", "initial_budget"), ("调整预算为", "full_year_budget")])
def test_a_final_account_stating_its_budget_without_nian_chu(tmp_path: Path, printed: str, basis: str) -> None:
    """A 决算 may write “预算为1560.05万元，支出决算为1511.89万元” where finance-bureau-2024 writes 年初预算为
    (:573, :577 …, :639 for the “三公” table's 预算数 0.95), or name the adjusted budget (调整预算为): the same
    claims about the same subjects, on the 年初 or the 全年 budget, and the same findings. Before, each such
    amount was taken for the year's own figure (8 false errors)."""
    stem = "finance-bureau-2024-dept-final"
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.count("年初预算为") >= 10
    variant = tmp_path / "variant" / f"{stem}.txt"
    variant.parent.mkdir()
    variant.write_text(text.replace("年初预算为", printed), encoding="utf-8")

    def claims(path: Path) -> list[tuple[int, str, str, object, str | None]]:
        audit = run(path, Settings(through="narrative"))
        return [
            (c.span.line, c.kind, c.subject, c.value, c.basis)
            for c in audit.loaded.claims  # type: ignore[union-attr]
            if c.kind in ("amount", "verdict")
        ]

    def findings(path: Path) -> list[tuple[str, str]]:
        audit = run(path, Settings())
        return sorted((f.rule, f.message) for f in audit.findings)  # type: ignore[union-attr]

    original = CORPUS / f"{stem}.txt"
    expected = [(*c[:4], basis if c[1] == "amount" and c[4] == "initial_budget" else c[4]) for c in claims(original)]
    assert claims(variant) == expected
    assert findings(variant) == findings(original)
