"""Glyphs of a PDF page → lines of text aligned like `pdftotext -layout`, with each character's box.

Lines are glyphs sharing a baseline; inside a line, glyphs closer than a fraction of a character
touch, a narrow gap is one space, and a wide gap (a cell boundary) moves the next word to the
column its x-position gives on a grid of the page's digit width. Amounts are placed by their right
edge and text by its left edge, so right-aligned figures and left-aligned names of one table
column end or start at one text column whatever their length: the table reader places amounts by
those columns, as it does with `pdftotext -layout` text.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median

from engine.span import Box

# A glyph: its character and its box on the page in points (x0, y0, x1, y1), origin bottom left.
Glyph = tuple[str, float, float, float, float]

# Gaps in units of the page's grid width (the width of a digit, half a CJK character).
_TOUCH = 0.3  # closer than this: the same word
_CELL = 2.0  # at least this: a new cell, placed on the grid
_GUTTER = 4.0  # at most this many columns for a gutter between printed stretches
_NUMERIC = frozenset("0123456789,.-%")


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """One printed line: its text and, for each character, its glyph's box (None for spaces)."""

    text: str
    boxes: list[Box | None]


def grid_width(glyphs: list[Glyph]) -> float:
    """The page's column width: the median width of its digits, else half that of its other glyphs."""
    digits = [g[3] - g[1] for g in glyphs if g[0].isascii() and g[0].isdigit() and g[3] > g[1]]
    if digits:
        return median(digits)
    wide = [g[3] - g[1] for g in glyphs if g[3] > g[1]]
    return median(wide) / 2 if wide else 1.0


def _dedupe(line: list[Glyph]) -> list[Glyph]:
    """A glyph drawn twice at nearly one place (fake bold, shadowed text) is printed once."""
    out: list[Glyph] = []
    for g in line:
        prev = out[-1] if out else None
        if prev is not None and prev[0] == g[0] and abs(prev[1] - g[1]) < 0.3 * max(g[3] - g[1], 0.1):
            continue
        out.append(g)
    return out


def group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs sharing a baseline (within a third of their height), top line first, left to right.
    A glyph's box bottom stands for its baseline: pdfium's loose boxes span the font's descent."""
    ordered = sorted(glyphs, key=lambda g: (-g[2], g[1]))
    lines: list[list[Glyph]] = []
    base = 0.0
    for g in ordered:
        height = max(g[4] - g[2], 0.1)
        if lines and abs(base - g[2]) <= height / 3:
            lines[-1].append(g)
        else:
            lines.append([g])
            base = g[2]
    return [_dedupe(sorted(line, key=lambda g: g[1])) for line in lines]


def _words(line: list[Glyph], unit: float) -> list[list[Glyph]]:
    words: list[list[Glyph]] = []
    for g in line:
        if words and g[1] - words[-1][-1][3] < _TOUCH * unit:
            words[-1].append(g)
        else:
            words.append([g])
    return words


def _is_row(words: list[list[Glyph]], unit: float) -> bool:
    """A table body line: an amount among words separated by cell gaps."""
    gaps = any(b[0][1] - a[-1][3] >= _CELL * unit for a, b in zip(words, words[1:], strict=False))
    return gaps and any(all(g[0] in _NUMERIC for g in w) and any(g[0].isdigit() for g in w) for w in words)


class Grid:
    """x in points → text column. Inside the x-ranges where table rows (lines with amounts and cell gaps)
    print something, a column is one digit wide; a gutter that no such line prints in shrinks to a
    few columns, so cells far apart on the page (a code's 类 and 款) stay a few spaces apart."""

    def __init__(self, words_by_line: list[list[list[Glyph]]], unit: float, left: float) -> None:
        self.unit = unit
        spans = sorted(
            (w[0][1], w[-1][3])
            for words in words_by_line
            if _is_row(words, unit)
            for w in words
        )
        merged: list[list[float]] = []
        for x0, x1 in spans:
            if merged and x0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], x1)
            else:
                merged.append([x0, x1])
        # (x where a stretch begins, its column, columns per point): occupied stretches at one
        # column a digit, each gutter before them squeezed to at most _GUTTER columns.
        self.stops: list[tuple[float, float, float]] = [(left, 0.0, 1 / unit)]
        column, x = 0.0, left
        for x0, x1 in merged:
            if x0 > x:
                gap = x0 - x
                squeezed = min(gap / unit, _GUTTER)
                self.stops.append((x, column, squeezed / gap))
                column += squeezed
            self.stops.append((max(x0, x), column, 1 / unit))
            column += (x1 - max(x0, x)) / unit
            x = max(x, x1)
        self.stops.append((x, column, 1 / unit))

    def column(self, x: float) -> int:
        i = bisect.bisect_right(self.stops, (x, math.inf, math.inf)) - 1
        start, column, scale = self.stops[max(i, 0)]
        return round(column + (x - start) * scale)


def place_line(words: list[list[Glyph]], grid: Grid) -> PlacedLine:
    """The line's text: words in x order, a cell's word at its grid column (amounts by their right
    edge), never overlapping the text before it."""
    chars: list[str] = []
    boxes: list[Box | None] = []
    prev_end: float | None = None
    for word in words:
        text = "".join(g[0] for g in word)
        numeric = all(ch in _NUMERIC for ch in text) and any(ch.isdigit() for ch in text)
        anchor = grid.column(word[-1][3]) - len(text) if numeric else grid.column(word[0][1])
        cursor = len(chars)
        if prev_end is None:
            column = max(anchor, 0)
        elif word[0][1] - prev_end < _CELL * grid.unit:
            column = cursor + 1
        else:
            column = max(anchor, cursor + 2)
        chars.extend(" " * (column - cursor))
        boxes.extend([None] * (column - cursor))
        for g in word:
            chars.append(g[0])
            boxes.append((g[1], g[2], g[3], g[4]))
        prev_end = word[-1][3]
    return PlacedLine("".join(chars), boxes)


def layout_page(glyphs: list[Glyph]) -> list[PlacedLine]:
    """The page's lines, top to bottom, with a blank line where the gap to the next line is more
    than one and a half lines (as `pdftotext -layout` spaces table rows)."""
    if not glyphs:
        return []
    unit = grid_width(glyphs)
    lines = group_lines(glyphs)
    words = [_words(line, unit) for line in lines]
    grid = Grid(words, unit, min(g[1] for g in glyphs))
    out: list[PlacedLine] = []
    below: float | None = None
    for line, line_words in zip(lines, words, strict=True):
        height = max(g[4] - g[2] for g in line)
        if below is not None and below - line[0][2] > 1.5 * height:
            out.append(PlacedLine("", []))
        out.append(place_line(line_words, grid))
        below = line[0][2]
    return out
