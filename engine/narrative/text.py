"""Narrative text: the document outside its tables and table of contents, joined across line wraps
and page breaks into one string whose every character maps back to its offset in the file."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.model import TableRegion
from engine.printed import NOTE_RE, PART_RE, TOC_RE
from engine.source import Source
from engine.span import Span
from engine.structure import find_sections, title_line_start

BREAK = "\n"  # a hard break: no sentence runs across it
_PROSE_RE = re.compile(r"[。，；]")
_CELL_GAP_RE = re.compile(r"\S {3,}\S")
# Figures typed in full-width digits (１２６．５５万元), read as the grammar reads ASCII ones; a full-width
# point only between two such digits ("4．2025年…" stays an ordinal before a year).
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_POINT_RE = re.compile(r"(?<=[０-９])．(?=[０-９])")


@dataclass(slots=True)
class Narrative:
    """The joined narrative: its text (hard breaks as BREAK) and the source offset of each character."""

    source: Source
    text: str = ""
    origin: list[int] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        """The source span of text[start:end] (across the line breaks it was joined over)."""
        return self.source.span(self.origin[start], self.origin[end - 1] + 1)

    def append(self, text: str, offsets: list[int]) -> None:
        """Add text printed at the given source offsets."""
        self.text += text
        self.origin.extend(offsets)


def _toc_range(lines: list[tuple[int, str]]) -> tuple[int, int]:
    """Offsets of the table of contents: from its 目录 line to the first line of prose after it."""
    for i, (start, text) in enumerate(lines[:80]):
        if TOC_RE.match(text.replace("\f", "")):
            for later_start, later in lines[i + 1 :]:
                if _PROSE_RE.search(later):
                    return start, later_start
            return start, start
    return 0, 0


def _excluded(source: Source, regions: list[TableRegion], before: set[int]) -> list[tuple[int, int]]:
    """Table regions with their notes, and the table of contents, as offset ranges. A table's notes
    are what lies between it and the next table when no heading comes between, and the 注：/说明：
    lines right after the last table ("…故本表无数据")."""
    starts = [title_line_start(source, r.title_start) for r in regions]
    ranges = []
    for i, region in enumerate(regions):
        end = region.end
        if i + 1 < len(regions) and not any(end <= b < starts[i + 1] for b in before):
            end = starts[i + 1]
        elif i + 1 == len(regions):
            end = _notes_end(source, end)
        ranges.append((starts[i], end))
    toc = _toc_range(source.lines())
    if toc[1] > toc[0]:
        ranges.append(toc)
    return sorted(ranges)


def _notes_end(source: Source, offset: int) -> int:
    """The end of the 注：/说明： lines (and blank lines) that follow a table body at `offset`."""
    for line in source.text[offset:].split("\n"):
        if line.strip() and not NOTE_RE.match(line.replace("\f", "")):
            break
        offset += len(line) + 1
    return min(offset, len(source.text))


def _width(text: str) -> int:
    """Printed width: a CJK or fullwidth character takes two columns, as it takes two bytes in GBK."""
    return len(text.rstrip().encode("gbk", errors="replace"))


def _within(ranges: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether an offset lies in one of `ranges` (start, end), by bisection over them merged: asking every
    table for every line grew with the square of the document's length."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    starts = [start for start, _ in merged]

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < merged[i][1]

    return inside


def _breaks(source: Source, lines: list[tuple[int, str]], regions: list[TableRegion]) -> tuple[set[int], set[int]]:
    """Line starts before which a paragraph begins (headings, list items, parts), and headings after
    which one begins: those that end short of the full width of a prose line (lines of tables, which
    may run wider or stand far right, do not count), so their title is complete, unless the page ends there."""
    headings = {source.line_starts[s.span.line - 1] for s in find_sections(source, 0, len(source.text))}
    before = set(headings)
    in_table = _within([(r.title_start, r.end) for r in regions])
    prose = [text for start, text in lines if text.strip() and not in_table(start)]
    widths = sorted(_width(text) for text in prose)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    # a page's last line ends where the page does, complete or not ("…行政运行（01项）1434" / ".89万元")
    page_ends = {
        start for (start, _), (_, following) in zip(lines, lines[1:], strict=False) if following.startswith("\f")
    }
    after = {start for start, text in lines if start in headings - page_ends and _width(text) < 0.8 * full}
    for start, text in lines:
        if PART_RE.match(text.replace("\f", "")):
            before.add(start)
    return before, after


def narrative_text(source: Source, regions: list[TableRegion]) -> Narrative:
    """Join the lines outside tables and the table of contents; a wrapped line continues its sentence,
    a heading, a table-like line (cells apart) or a skipped range starts a new paragraph."""
    lines = source.lines()
    before, after = _breaks(source, lines, regions)
    excluded = _excluded(source, regions, before)
    layout = source.is_layout
    out = Narrative(source)
    k = 0
    skipped = True
    for start, raw in lines:
        while k < len(excluded) and excluded[k][1] <= start:
            k += 1
        if k < len(excluded) and excluded[k][0] <= start < excluded[k][1]:
            skipped = True
            continue
        if k < len(excluded) and start < excluded[k][0] < start + len(raw):
            raw = raw[: excluded[k][0] - start]  # a table title glued to the page's last line
        text = raw.replace("\f", " ")
        body = text.strip()
        if not body:
            continue
        cells = layout and bool(_CELL_GAP_RE.search(body))
        if out.text and (skipped or cells or start in before) and not out.text.endswith(BREAK):
            out.append(BREAK, [start])
        lead = start + len(text) - len(text.lstrip())
        collapsed, offsets = _collapse(body, lead)
        out.append(collapsed, offsets)
        if cells or start in after:
            out.append(BREAK, [start + len(text)])
        skipped = False
    # one character for one, so every offset still maps to the character printed
    out.text = _FULLWIDTH_POINT_RE.sub(".", out.text).translate(_FULLWIDTH_DIGITS)
    return out


def _collapse(body: str, offset: int) -> tuple[str, list[int]]:
    """The line with runs of whitespace (layout columns) shortened to one space, and each character's
    source offset."""
    if "  " not in body and "\t" not in body:
        return body, list(range(offset, offset + len(body)))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(body):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        offsets.append(offset + i)
    return "".join(chars), offsets
