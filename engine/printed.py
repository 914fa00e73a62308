"""Printed forms: the words and marks a disclosure prints around its figures (a table's unit, its
notes, item ordinals, total words, change words), one definition each for structure, tables and narrative.

The narrative grammar keeps its own terminals (grammar/common.lark); the change words' signs are read
from there, so the grammar stays their one source.
"""

from __future__ import annotations

import re
from functools import cache

from lark import Lark

from engine.resources import data_path


def without_spaces(text: str) -> str:
    """The text with its white space taken out: titles, headers and notes compare so, however the layout spaced them.
    str.split() takes out the same characters as the pattern \\s+ (Unicode's white space), 4× faster: it
    runs on every line of a document more than once."""
    return "".join(text.split())


# ---- header lines
# The unit that compiled the document or a table, as a cover or a table header names it: "编制单位：…",
# "预算主管部门：…"; the name runs to white space or to the table's own "单位：".
PUBLISHER_RE = re.compile(r"(?:编制单位|编制部门|预算单位|预算主管部门)\s*[：:]\s*(\S+?)(?=\s|单位[：:]|$)")
# The unit a table's header declares: "单位：万元", "单位: 元".
TABLE_UNIT_RE = re.compile(r"单位\s*[：:]\s*(万元|亿元|元)")
# A header line between a table's title and its columns: its unit, or the unit that compiled it (编制单位：…).
UNIT_LINE_RE = re.compile(rf"编制(?:单位|部门)|{TABLE_UNIT_RE.pattern}")

# The heading of the table of contents: "目录", "目  录".
TOC_RE = re.compile(r"^\s*目\s*录\s*$")

# ---- notes
# A note printed under a table: "注：…", "说明：…", "备注：…".
NOTE_RE = re.compile(r"^\s*(?:注|说明|备注)\s*[：:]")
# What a note says of a table with no figures: "…故本表为空表", "注：本年度无…，故本表无数据" (2026
# Shanghai budgets), "本单位没有政府性基金预算支出", "…未安排".
EMPTY_TABLE_RE = re.compile(r"空表|无数据|本表无|没有.{0,30}(?:支出|收入|经费)|未安排")

# ---- ordinals
# The numerals of printed ordinals: 第一部分, 一、, （三）.
NUMERAL = "[一二三四五六七八九十]+"
# The head of a part: "第一部分 …概况", "第三部分 名词解释".
PART_RE = re.compile(rf"^\s*第{NUMERAL}部分\s*(?P<title>\S.*)?")
# An item's ordinal: 一、 numbers the first level of a list, 1. 1． 1、 the second.
FIRST_ORDINAL = rf"{NUMERAL}、"
SECOND_ORDINAL = r"\d{1,2}[.．、]"
_ORDINAL_PREFIX_RE = re.compile(rf"^(?:{FIRST_ORDINAL}|{SECOND_ORDINAL})")


def without_ordinal(name: str) -> str:
    """An item's name without the ordinal it is printed with: '一、一般公共服务支出' → '一般公共服务支出'."""
    return _ORDINAL_PREFIX_RE.sub("", name)


# ---- totals
# 合计 and 总计 print the total of a table, or of one side of a two-sided table. 小计 prints a group's
# subtotal (公务用车购置及运行费 小计 = 购置费 + 运行费), never the table's total, so it is no total
# word of a table. In a narrative any of the three ends a breakdown as its whole (the grammar's TOTAL).
TOTAL_WORDS = ("合计", "总计")


def names_total(name: str) -> bool:
    """Whether a row's printed name makes it the total of its table or side: '合计', '收入总计'."""
    return any(word in name for word in TOTAL_WORDS)


# ---- change words
# The terminals of grammar/common.lark that list the change and comparison words, and the sign of the
# difference each states: the current amount against the one it is compared with.
_SIGN_OF_TERMINAL = {"RISE": 1, "FALL": -1, "LEVEL": 0, "MORE": 1, "LESS": -1, "EQUAL": 0}


@cache
def change_words() -> dict[str, tuple[str, ...]]:
    """The words of each signed terminal, read from grammar/common.lark: {'RISE': ('增加', '增长', '上升'), …}."""
    names = list(_SIGN_OF_TERMINAL)
    grammar = f"start: {' | '.join(names)}\n%import common ({', '.join(names)})\n"
    lexer = Lark(grammar, parser="lalr", import_paths=[str(data_path("grammar", "common.lark").parent)])
    return {str(t.name): tuple(t.pattern.value.split("|")) for t in lexer.terminals}


@cache
def _signs() -> dict[str, int]:
    return {word: _SIGN_OF_TERMINAL[name] for name, words in change_words().items() for word in words}


def sign_of(word: str) -> int | None:
    """+1 for a word of increase (增加, 大于), −1 of decrease (减少, 小于), 0 of equality (持平, 一致);
    None for any other word."""
    return _signs().get(word)


def change_word_in(text: str) -> str | None:
    """The change or comparison word printed in a phrase, the longest when one holds another
    ('决算数与全年预算数基本持平' → '基本持平')."""
    return max((word for word in _signs() if word in text), key=len, default=None)
