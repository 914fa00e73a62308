"""Printed forms (engine/printed.py): the change words and their signs as the grammar lexes them, the
total words of tables and of narratives, item ordinals, and the notes that declare a table empty, on
every text form of the corpus documents that print them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from engine.narrative import parser, read_text
from engine.printed import change_words, names_total, without_ordinal
from tests.conftest import CORPUS, load

# The sign of the difference each change or comparison word states (read from the documents' use:
# "比上年预算减少3.99万元" is a smaller amount, "决算数小于预算数" a smaller final amount).
SIGNS = {
    "增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "降低": -1,
    "基本持平": 0, "持平": 0, "一致": 0,
    "大于": 1, "高于": 1, "小于": -1, "低于": -1, "等于": 0, "相等": 0, "相同": 0,
}  # fmt: skip


def test_the_grammar_lists_every_signed_word_once():
    words = [w for group in change_words().values() for w in group]
    assert sorted(words) == sorted(SIGNS)


@pytest.mark.parametrize("word", [*change_words()["RISE"], *change_words()["FALL"]])
def test_a_change_word_gives_its_sign(word):
    """'基本支出126.55万元，比上年预算减少3.99万元。'"""
    (change,) = [c for c in read_text(f"基本支出126.55万元，比上年预算{word}3.99万元。").claims if c.kind == "change"]
    assert (change.direction, change.sign) == (word, SIGNS[word])


@pytest.mark.parametrize("word", change_words()["LEVEL"])
def test_a_flat_word_gives_sign_zero(word):
    """'基本支出126.55万元，与上年预算基本持平。'"""
    (change,) = [c for c in read_text(f"基本支出126.55万元，与上年预算{word}。").claims if c.kind == "change"]
    assert (change.direction, change.sign) == (word, 0)


@pytest.mark.parametrize(
    "verdict",
    ["决算数大于预算数", "决算数高于预算数", "决算数小于预算数", "决算数低于预算数", "决算数等于预算数",
     "决算数与预算数基本持平", "决算数与年初预算数持平", "决算数与预算数一致", "决算数与预算数相等", "决算数与预算数相同"],
)  # fmt: skip
def test_a_verdict_gives_the_sign_of_its_comparison_word(verdict):
    """'一般公共服务支出年初预算为135.90万元，支出决算为135.25万元。决算数小于预算数。' (a 决算)"""
    text = f"一般公共服务支出年初预算为135.90万元，支出决算为135.25万元。{verdict}。"
    (claim,) = [c for c in read_text(text, 2024, "决算").claims if c.kind == "verdict"]
    word = next(w for w in sorted(SIGNS, key=len, reverse=True) if w in verdict)
    assert (claim.direction, claim.sign) == (word, SIGNS[word])


def test_subtotals_are_no_table_totals_but_end_a_narrative_breakdown():
    """合计/总计 total a table or side; 小计 totals a group (公务用车购置及运行费 小计 = 购置费 + 运行费)."""
    assert names_total("合计") and names_total("收入总计") and names_total("本年支出合计")
    assert not names_total("小计") and not names_total("公务用车购置及运行费（小计）")
    assert set(parser().get_terminal("TOTAL").pattern.value.split("|")) == {"合计", "总计", "小计"}


def test_ordinals_are_taken_off_item_names():
    assert without_ordinal("一、一般公共服务支出") == "一般公共服务支出"
    assert without_ordinal("十二、农林水支出") == "农林水支出"
    assert without_ordinal("1.一般公共预算资金") == "一般公共预算资金"
    assert without_ordinal("2、政府性基金") == "政府性基金"
    assert without_ordinal("2024年预算") == "2024年预算"


# Tables whose note says they are empty, and the note's first line, read from the -layout texts.
EMPTY_NOTES = {
    "finance-bureau-2024-dept-final": {"gov_fund_expenditure": 507, "state_capital_expenditure": 523},
    "commerce-2025-dept-budget": {"gov_fund_expenditure": 306, "state_capital_expenditure": 319},
    "social-work-2024-dept-final": {"three_public": 399},  # 注：本表反映… then 说明：…故本表无数据
    "shuimogou-union-2025": {  # 备注：…为空表
        "gov_fund_expenditure": 736,
        "state_capital_expenditure": 760,
        "carryover": 803,
    },
}


def _empty_tables(path: Path) -> dict[str, int]:
    return {t.kind: t.empty_statement.line for t in load(path).tables if t.empty_statement is not None}


@pytest.mark.parametrize("name", sorted(EMPTY_NOTES))
def test_empty_table_notes_in_layout_text(name):
    assert _empty_tables(CORPUS / f"{name}.txt") == EMPTY_NOTES[name]


@pytest.mark.parametrize("name", sorted(n for n in EMPTY_NOTES if (CORPUS / f"{n}.pdf").exists()))
def test_empty_table_notes_in_pdf_and_plain_text(name, tmp_path):
    """The same tables read empty from the PDF itself and from its plain (unaligned) pdftotext text."""
    pdf = CORPUS / f"{name}.pdf"
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: make installs it")
    plain = tmp_path / f"{name}.plain.txt"
    subprocess.run(["pdftotext", str(pdf), str(plain)], check=True, capture_output=True)
    assert set(_empty_tables(pdf)) == set(EMPTY_NOTES[name])
    assert set(_empty_tables(plain)) == set(EMPTY_NOTES[name])
