"""Table lines as tokens: classification codes, amounts and text, each with its offsets and x-position."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from engine.numbers import CELL_AMOUNT_RE
from engine.printed import without_spaces

# 功能分类 类/款/项 printed with spaces ('201 29 01', '301 2') or run together ('2013901').
_SPACED_CODE = r"(?<![\d.,])[1-9]\d{2}(?:[ \t]{1,6}\d{1,2}(?![\d.,])){0,2}(?![\d.,])"
_JOINED_CODE = r"(?<![\d.,])[1-9]\d{2}(?:\d{2}){1,2}(?![\d.,])"
# Text may begin with an item number ('1.一般公共预算拨款') and hold short digit runs, never a code.
_TEXT = r"(?:\d{1,2}[.．、](?!\d))?[^\s\d]+(?:\d{1,2}[^\s\d]+)*"
# Every token begins with a printed character: the leading (?=\S) lets the scan pass each space of an
# aligned line at once instead of trying every kind of token there (3× faster on layout text).
_TOKEN_RE = re.compile(rf"(?=\S)(?:(?P<num>{CELL_AMOUNT_RE.pattern})|(?P<code>{_JOINED_CODE}|{_SPACED_CODE})|(?P<text>{_TEXT}))")

# A whole number followed by 年 is a year in a header ('2024年“三公”经费预算数'), not an amount.
_TOKEN_INT_RE = re.compile(rf"(?=\S)(?:(?P<num>{CELL_AMOUNT_RE.pattern}|(?<![\d.,])\d+(?![\d.,]|\s*年))|(?P<text>{_TEXT}))")


class Token(NamedTuple):
    """One token of a table line; `x_end` is its last character's column in the line. A named tuple:
    immutable like a frozen dataclass, four times faster to make (every line of every table makes some)."""

    kind: str  # num | code | text
    text: str
    start: int
    end: int
    x_start: int
    x_end: int

    @property
    def code_digits(self) -> str:
        """'201 29 01' → '2012901'; '301 2' → '30102'."""
        parts = self.text.split()
        return parts[0] + "".join(p.zfill(2) for p in parts[1:])


def normalise(text: str) -> str:
    """Fullwidth punctuation to ASCII and no white space, so header fragments compare equal."""
    return without_spaces(unicodedata.normalize("NFKC", text))


def tokenize(line: str, offset: int, integers: bool = False) -> list[Token]:
    """Tokens of one line starting at file offset `offset`; a form feed occupies no column.
    With `integers`, a bare whole number is an amount (tables without codes print '15', '0')."""
    tokens: list[Token] = []
    ff = line.count("\f", 0, len(line) - len(line.lstrip("\f")))
    for m in (_TOKEN_INT_RE if integers else _TOKEN_RE).finditer(line):
        kind = m.lastgroup or "text"
        text = m.group()
        tokens.append(Token(kind, text, offset + m.start(), offset + m.end(), m.start() - ff, m.end() - ff))
    return _merge_spaced_text(tokens)


def _merge_spaced_text(tokens: list[Token]) -> list[Token]:
    """'收 入 总 计' printed with letter spacing is one word: join text tokens one space apart
    when either is a single character."""
    merged: list[Token] = []
    for tok in tokens:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.kind == tok.kind == "text"
            and tok.start - prev.end == 1
            and (len(prev.text) == 1 or len(tok.text) == 1 or prev.text.endswith("：") or prev.text.endswith(":"))
        ):
            merged[-1] = Token("text", prev.text + tok.text, prev.start, tok.end, prev.x_start, tok.x_end)
        else:
            merged.append(tok)
    return merged
