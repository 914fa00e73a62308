"""Completeness: what the document prints of what its template requires — each part (情况说明, 名词解释 …)
outside the 目录, each table its 目录 lists, and each table's 合计 row after its amounts — so that a document
cut short is an error (BK-CMP-001, -002, -003), never a silent pass. Read from the text itself, so every text form gives the same."""

from __future__ import annotations

import re

from engine.model import Completeness, Document, ListedTable, PrintedPart, Table, TableEnd, TableRegion
from engine.numbers import CELL_AMOUNT_RE
from engine.printed import TOC_RE, TOTAL_WORDS, without_ordinal, without_spaces
from engine.source import Source
from engine.span import Span
from engine.templates import Part, Template, template_named

_LEADERS_RE = re.compile(r"[.．…·⋯]{2,}.*$")  # a 目录 entry's dot leaders and page number
_HEADING_MAX = 60  # characters of a heading line; a longer line is prose that happens to end so
_TOTAL_WORD = "(?:" + "|".join(r"\s*".join(word) for word in TOTAL_WORDS) + ")"  # 合计 wrapped as 合 / 计
# A total row as any text form prints it: the total word then its amounts (aligned text), or the
# amounts then the word (unaligned text prints a row's cells in reading order, codes sometimes between:
# "…64,840,547.00 303 02 合计"), the word also as 收入总计 / 支出合计 / 人员经费合计.
_TOTAL_RE = re.compile(
    rf"{_TOTAL_WORD}[\s：:]*(?:{CELL_AMOUNT_RE.pattern})"
    rf"|(?:{CELL_AMOUNT_RE.pattern})(?:\s+\d{{2,3}})*\s*(?:收入|支出|人员经费|公用经费)?{_TOTAL_WORD}"
    rf"|{_TOTAL_WORD}\s*\d{{3}}(?!\d)"  # the row's label above its codes: "合计 / 201 / 201 …" (amounts later)
)


def _compact(line: str) -> str:
    return _LEADERS_RE.sub("", without_spaces(line))


_Line = tuple[int, str, str, Part | None, bool]  # offset, text, compact text, the part it heads, inside the 目录?


def _lines_in_and_after_toc(source: Source, template: Template) -> list[_Line]:
    """(offset, line, compact text, the part it heads, inside the 目录?) of each short line. The 目录 runs
    from its title to the first part heading printed a second time (where the body begins). Read once
    for both the parts and the tables the document lists."""
    out: list[_Line] = []
    in_toc, listed = False, set[str]()
    for start, line in source.lines():
        compact = _compact(line)
        if TOC_RE.match(compact) and not listed:  # before any part heading: the 目录's title
            in_toc = True
            continue
        if not compact or len(compact) > _HEADING_MAX:
            continue
        part = template.part_headed(compact)
        if in_toc and part is not None:
            if part.id in listed:
                in_toc = False
            listed.add(part.id)
        out.append((start, line, compact, part, in_toc))
    return out


def _span_of_line(source: Source, start: int, line: str) -> Span:
    lead = len(line) - len(line.lstrip())
    return source.span(start + lead, start + len(line.rstrip()))


def printed_parts(source: Source, lines: list[_Line]) -> list[PrintedPart]:
    """Each required part whose heading is printed outside the 目录, at its first such heading."""
    found: dict[str, PrintedPart] = {}
    for start, line, _, part, in_toc in lines:
        if part is not None and not in_toc and part.id not in found:
            found[part.id] = PrintedPart(part.id, _span_of_line(source, start, line))
    return list(found.values())


def listed_tables(source: Source, template: Template, lines: list[_Line], regions: list[TableRegion]) -> list[ListedTable]:
    """The template's tables the 目录 lists ("1. 2025年部门财务收支预算总表", "七、财政拨款“三公”经费支出决算表"),
    before the first table is printed."""
    first_table = regions[0].title_start if regions else len(source.text)
    out: list[ListedTable] = []
    for start, line, compact, _, in_toc in lines:
        if not in_toc or start >= first_table:
            continue
        title = without_ordinal(compact)
        schema = template.table_titled(title)
        if schema is not None:
            out.append(ListedTable(schema.kind, title, _span_of_line(source, start, line)))
    return out


def table_end(source: Source, template: Template, region: TableRegion, table: Table) -> TableEnd:
    """The table's last printed amount and its total row: the row read as total, else a total word
    printed beside an amount in its text (unaligned forms, where rows may not be read). No last amount
    where a table not read consistently holds text that is not its own (its amounts cannot be told)."""
    body = source.text[region.start : region.end]
    amount = _last_amount(body)
    header_only = amount is None and not any(row.cells for row in table.rows)
    if table.reading_problem and not _holds_its_own_table(body, template, region):
        amount = None
    last = source.span(region.start + amount.start(), region.start + amount.end()) if amount else None
    total = next((r.span for r in table.rows if r.is_total), None)
    if total is None and (m := _TOTAL_RE.search(body)):
        total = source.span(region.start + m.start(), region.start + m.end())
    return TableEnd(table.number, region.schema.total_row, last, total, header_only)


def _last_amount(body: str) -> re.Match[str] | None:
    """The last amount printed in a table's text. An amount never runs over a line break, so the last line
    holding one holds it: read from the end, few lines are scanned (a table ends with its last row or notes)."""
    end = len(body)
    while True:
        start = body.rfind("\n", 0, end) + 1
        if amounts := list(CELL_AMOUNT_RE.finditer(body, start, end)):
            return amounts[-1]
        if start == 0:
            return None
        end = start - 1


def _holds_its_own_table(body: str, template: Template, region: TableRegion) -> bool:
    """A table's text holds its own table: its column headers are printed in it and no other table's title
    is (an extractor that prints each page's title below the page's rows gives a region the next table)."""
    lines = [_compact(line) for line in body.split("\n")]
    if any(template.table_titled(line) is not None for line in lines if line):
        return False
    compact = "".join(lines)
    words = {w for ws in region.schema.headers.values() for w in ws if w not in TOTAL_WORDS and w != "小计"}
    return any(without_spaces(w) in compact for w in words)


def read_completeness(
    source: Source, document: Document, regions: list[TableRegion], tables: list[Table]
) -> Completeness:
    """The parts the document's template requires and those printed; each table's last amount and total row."""
    template = template_named(document.template)
    if template is None:
        return Completeness()
    lines = _lines_in_and_after_toc(source, template)
    return Completeness(
        required=[(p.id, p.label) for p in template.parts],
        printed=printed_parts(source, lines),
        listed=listed_tables(source, template, lines, regions),
        tables=[table_end(source, template, r, t) for r, t in zip(regions, tables, strict=True)],
        end=_last_line(source),
    )


def _last_line(source: Source) -> Span | None:
    """The document's last printed line."""
    text = source.text.rstrip()
    start = max(text.rfind("\n"), text.rfind("\f")) + 1
    start += len(text[start:]) - len(text[start:].lstrip())
    return source.span(start, len(text)) if text else None
