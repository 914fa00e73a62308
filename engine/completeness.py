"""Completeness: what the document prints of what its template requires — each part (情况说明, 名词解释 …)
outside the 目录, and each table's 合计 row after its amounts — so that a document cut short is an error
(BK-CMP-001, BK-CMP-002), never a silent pass. Read from the text itself, so every text form gives the same."""

from __future__ import annotations

import re

from engine.model import Completeness, Document, PrintedPart, Table, TableEnd, TableRegion
from engine.numbers import CELL_AMOUNT_RE
from engine.printed import TOTAL_WORDS
from engine.source import Source
from engine.span import Span
from engine.templates import Template, template_named

_TOC_RE = re.compile(r"^目录$")
_LEADERS_RE = re.compile(r"[.．…·⋯]{2,}.*$")  # a 目录 entry's dot leaders and page number
_HEADING_MAX = 60  # characters of a heading line; a longer line is prose that happens to end so
_TOTAL_WORD = "(?:" + "|".join(r"\s*".join(word) for word in TOTAL_WORDS) + ")"  # 合计 wrapped as 合 / 计
# A total row as any text form prints it: the total word then its amounts (aligned text), or the
# amounts then the word (unaligned text prints a row's cells in reading order, codes sometimes between:
# "…64,840,547.00 303 02 合计"), the word also as 收入总计 / 支出合计 / 人员经费合计.
_TOTAL_RE = re.compile(
    rf"{_TOTAL_WORD}[\s：:]*(?:{CELL_AMOUNT_RE.pattern})"
    rf"|(?:{CELL_AMOUNT_RE.pattern})(?:\s+\d{{2,3}})*\s*(?:收入|支出|人员经费|公用经费)?{_TOTAL_WORD}"
)


def _compact(line: str) -> str:
    return _LEADERS_RE.sub("", re.sub(r"\s+", "", line))


def printed_parts(source: Source, template: Template) -> list[PrintedPart]:
    """Each required part whose heading is printed outside the 目录, at its first such heading. The 目录
    runs from its title to the first heading printed a second time (where the body begins)."""
    found: dict[str, PrintedPart] = {}
    in_toc, listed = False, set()
    for start, line in source.lines():
        compact = _compact(line)
        if _TOC_RE.match(compact) and not found:
            in_toc = True
            continue
        if not compact or len(compact) > _HEADING_MAX:
            continue
        part = next((p for p in template.parts if p.matches(compact)), None)
        if part is None:
            continue
        if in_toc and part.id not in listed:
            listed.add(part.id)
            continue
        in_toc = False
        if part.id not in found:
            lead = len(line) - len(line.lstrip())
            found[part.id] = PrintedPart(part.id, source.span(start + lead, start + len(line.rstrip())))
    return list(found.values())


def table_end(source: Source, region: TableRegion, table: Table) -> TableEnd:
    """The table's last printed amount and its total row: the row read as total, else a total word
    printed beside an amount in its text (unaligned forms, where rows may not be read)."""
    body = source.text[region.start : region.end]
    amounts = list(CELL_AMOUNT_RE.finditer(body))
    last = source.span(region.start + amounts[-1].start(), region.start + amounts[-1].end()) if amounts else None
    total = next((r.span for r in table.rows if r.is_total), None)
    if total is None and (m := _TOTAL_RE.search(body)):
        total = source.span(region.start + m.start(), region.start + m.end())
    return TableEnd(table.number, region.schema.total_row, last, total)


def read_completeness(
    source: Source, document: Document, regions: list[TableRegion], tables: list[Table]
) -> Completeness:
    """The parts the document's template requires and those printed; each table's last amount and total row."""
    template = template_named(document.template)
    if template is None:
        return Completeness()
    return Completeness(
        required=[(p.id, p.label) for p in template.parts],
        printed=printed_parts(source, template),
        tables=[table_end(source, r, t) for r, t in zip(regions, tables, strict=True)],
        end=_last_line(source),
    )


def _last_line(source: Source) -> Span | None:
    """The document's last printed line."""
    text = source.text.rstrip()
    start = max(text.rfind("\n"), text.rfind("\f")) + 1
    start += len(text[start:]) - len(text[start:].lstrip())
    return source.span(start, len(text)) if text else None
