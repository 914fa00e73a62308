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
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from statistics import median

from engine.span import Box

# A glyph: its character, its box on the page in points (x0, y0, x1, y1, origin bottom left) and
# the y of its baseline.
Glyph = tuple[str, float, float, float, float, float]

# Gaps in units of the page's grid width (the width of a digit, half a CJK character).
_TOUCH = 0.3  # closer than this: the same word
_CELL = 2.0  # at least this: a new cell, placed on the grid
_GUTTER = 4.0  # at most this many columns for a gutter between printed stretches
_BASELINE_TOLERANCE = 3.0  # points: at most this far apart, two glyphs share a line
_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset(",.-%")
_NUMERIC = _DIGITS | _SEPARATORS
_CHAR, _X0, _BASELINE, _BOX = itemgetter(0), itemgetter(1), itemgetter(5), itemgetter(1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """One printed line: its text and, for each character, its glyph's box (None for spaces)."""

    text: str
    boxes: list[Box | None]


def grid_width(glyphs: list[Glyph]) -> float:
    """The page's column width: the median width of its digits, else half that of its other glyphs."""
    digits = [g[3] - g[1] for g in glyphs if g[0] in _DIGITS and g[3] > g[1]]
    if digits:
        return median(digits)
    wide = [g[3] - g[1] for g in glyphs if g[3] > g[1]]
    return median(wide) / 2 if wide else 1.0


def group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs sharing a baseline (within a quarter of their box height), top line first, left to right."""
    ordered = sorted(glyphs, key=_X0)
    ordered.sort(key=_BASELINE, reverse=True)  # stable: by baseline, top first, then left to right
    lines: list[list[Glyph]] = []
    base = 0.0
    # Most glyphs of a line share its baseline exactly (152k glyphs in 5.6k runs on the corpus): a
    # run on the line's baseline joins it whole, any other run glyph by glyph (each within its own
    # tolerance) until one of its glyphs starts a line, which the rest of the run then joins.
    for baseline, run in groupby(ordered, key=_BASELINE):
        on_baseline = list(run)
        if lines and baseline == base:
            lines[-1] += on_baseline
            continue
        for k, g in enumerate(on_baseline):
            height = g[4] - g[2]
            tolerance = (height if height > 0.1 else 0.1) / 4
            if lines and base - baseline <= (tolerance if tolerance < _BASELINE_TOLERANCE else _BASELINE_TOLERANCE):
                lines[-1].append(g)
            else:
                lines.append(on_baseline[k:])
                base = baseline
                break
    return [sorted(line, key=_X0) for line in lines]


def _words(line: list[Glyph], unit: float) -> list[list[Glyph]]:
    """A line's glyphs (left to right) in words: glyphs closer than a fraction of a digit touch. A glyph
    drawn twice at nearly one place (fake bold, shadowed text) is printed once."""
    touch = _TOUCH * unit
    words: list[list[Glyph]] = []
    word: list[Glyph] = []
    prev: Glyph | None = None
    for g in line:
        if prev is not None:
            if prev[0] == g[0] and abs(prev[1] - g[1]) < 0.3 * max(g[3] - g[1], 0.1):
                continue
            if g[1] - prev[3] < touch:
                word.append(g)
                prev = g
                continue
        word = [g]
        words.append(word)
        prev = g
    return words


def _text(word: list[Glyph]) -> str:
    """The word as printed."""
    return "".join(map(_CHAR, word))


def _is_numeric(text: str) -> bool:
    """Digits with separators: an amount, a percentage, or a code."""
    return _NUMERIC.issuperset(text) and not _SEPARATORS.issuperset(text)


def _is_row(words: list[list[Glyph]]) -> bool:
    """A table body line: one with a number (its cells apart)."""
    return any(_is_numeric(_text(w)) for w in words)


def _code_part(text: str) -> bool:
    """A classification code or one of its parts as printed in a 类/款/项 column ('201', '06', '2')."""
    return text.isdigit() and (len(text) == 2 or len(text) in (1, 3) and text[0] != "0")


def _merge(spans: list[tuple[float, float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _has_gap(words: list[list[Glyph]], unit: float) -> bool:
    return any(b[0][1] - a[-1][3] >= _CELL * unit for a, b in zip(words, words[1:], strict=False))


class Grid:
    """x in points → text column: one column a digit wide, except that a gutter before a stretch
    of classification codes (table rows print no amount there) shrinks to a few columns, so a code's 类
    and 款 printed in columns far apart stay a few spaces apart, while the gutters between amount
    columns, which place each amount under its header, keep their width."""

    def __init__(self, words_by_line: list[list[list[Glyph]]], unit: float, left: float) -> None:
        self.unit = unit
        table_lines = [words for words in words_by_line if _has_gap(words, unit)]
        row_words = [w for words in table_lines if _is_row(words) for w in words]
        stretches = _merge([(w[0][1], w[-1][3]) for w in row_words])
        numeric = [(w[-1][3], _code_part(text)) for w in row_words if _is_numeric(text := _text(w))]
        # (x where a stretch begins, its column, columns per point)
        self.stops: list[tuple[float, float, float]] = [(left, 0.0, 1 / unit)]
        column, x = 0.0, left
        for x0, x1 in stretches:
            if x0 > x:
                gap = x0 - x
                width = gap / unit
                inside = [code for end, code in numeric if x0 <= end <= x1]
                if inside and 2 * sum(inside) >= len(inside):  # a column of code parts
                    need = max((sum(len(w) + 2 for w in ws if x <= w[0][1] < x0) for ws in table_lines), default=0)
                    width = min(width, max(_GUTTER, need))
                self.stops.append((x, column, width / gap))
                column += width
            self.stops.append((max(x0, x), column, 1 / unit))
            column += (x1 - max(x0, x)) / unit
            x = max(x, x1)
        self.stops.append((x, column, 1 / unit))
        self.starts = [stop[0] for stop in self.stops]  # to bisect

    def column(self, x: float) -> int:
        i = bisect.bisect_right(self.starts, x) - 1
        start, column, scale = self.stops[max(i, 0)]
        return round(column + (x - start) * scale)


def place_line(words: list[list[Glyph]], grid: Grid) -> PlacedLine:
    """The line's text: words in x order, a cell's word at its grid column (amounts by their right
    edge), never overlapping the text before it."""
    pieces: list[str] = []
    boxes: list[Box | None] = []
    prev_end: float | None = None
    cell = _CELL * grid.unit
    for word in words:
        text = _text(word)
        cursor = len(boxes)
        if prev_end is not None and word[0][1] - prev_end < cell:
            column = cursor + 1
        else:
            anchor = grid.column(word[-1][3]) - len(text) if _is_numeric(text) else grid.column(word[0][1])
            column = max(anchor, 0 if prev_end is None else cursor + 2)
        pieces.append(" " * (column - cursor))
        pieces.append(text)
        boxes += [None] * (column - cursor)
        boxes += map(_BOX, word)
        prev_end = word[-1][3]
    return PlacedLine("".join(pieces), boxes)


def layout_page(glyphs: list[Glyph]) -> list[PlacedLine]:
    """The page's lines, top to bottom, with a blank line where the gap to the next line is more
    than one and a half lines (as `pdftotext -layout` spaces table rows)."""
    if not glyphs:
        return []
    unit = grid_width(glyphs)
    words = [_words(line, unit) for line in group_lines(glyphs)]
    grid = Grid(words, unit, min(map(_X0, glyphs)))
    out: list[PlacedLine] = []
    below: float | None = None
    for line_words in words:
        height = max([g[4] - g[2] for w in line_words for g in w])
        base = line_words[0][0][5]
        if below is not None and below - base > 1.5 * height:
            out.append(PlacedLine("", []))
        out.append(place_line(line_words, grid))
        below = base
    return out
