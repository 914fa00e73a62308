"""Structure: who published the disclosure, for which year, its kind and scope, and where its tables are."""

from __future__ import annotations

import hashlib
import re

from engine.diagnostics import ERROR, Diagnostic
from engine.model import Document, Section, TableRegion
from engine.printed import FIRST_ORDINAL, NOTE_RE, NUMERAL, PART_RE, PUBLISHER_RE, UNIT_LINE_RE, without_spaces
from engine.source import Source
from engine.templates import Template, choose_template
from engine.vocab import document_iri

_PART_ONE_RE = re.compile(r"第一部分\s*(\S.*?)\s*概况")
_YEAR_RE = re.compile(r"(20\d\d)\s*年")
# A numbered heading of the narrative: 一、 (level 1), （一） (level 2), 1. (level 3).
_HEADING_RE = re.compile(
    rf"^\s*(?P<num>{FIRST_ORDINAL}|（{NUMERAL}）|\({NUMERAL}\)|\d{{1,2}}\s*[.．、](?!\d))\s*(?P<title>\S.*)$"
)
# The end of a page's last line when the next page's table title follows it on the same line.
_GLUED_TITLE_RE = re.compile(r"(?:(?<=[。；])|(?<=\d\.\d\d)|(?<=,\d{3}))(?=\s*\S)")


_SENTENCE_END_RE = re.compile(r"[。；]")
# What ends the title of a numbered heading of the narrative (…情况说明, …主要职能), and an unnumbered
# heading that explains (预算编制说明): where a table's body gives way to prose (asked of every line).
_PROSE_TITLE_END_RE = re.compile(r"(说明|概况|情况|名词解释|职能)$")
_EXPLANATION_RE = re.compile(r"[^\d\s]{2,30}(情况说明|说明)")


def document_metadata(source: Source, template: Template) -> Document:
    """Unit, year, scope and kind from the title page and the first table headers."""
    head = source.text[:3000]
    doc = Document(path=source.path, iri="", template=template.id)
    m = PUBLISHER_RE.search(source.text)
    part = _PART_ONE_RE.search(head)
    if m:
        doc.unit, doc.unit_span = m.group(1), source.span(m.start(1), m.end(1))
    elif part and not _YEAR_RE.search(part.group(1)):
        doc.unit, doc.unit_span = part.group(1), source.span(part.start(1), part.end(1))
    y = _YEAR_RE.search(head)
    if y:
        doc.year, doc.year_span = int(y.group(1)), source.span(y.start(1), y.end(1))
    compact_head = without_spaces(head[:1500])
    title = without_spaces(head[:300])
    doc.kind = (
        "决算"
        if title.count("决算") > title.count("预算") or "预算" not in title and "决算" in compact_head
        else "预算"
    )
    dept = compact_head.count("部门预算") + compact_head.count("部门决算") + compact_head.count("预算主管部门")
    unit = compact_head.count("单位预算") + compact_head.count("单位概况") + compact_head.count("预算单位：")
    doc.scope = "部门" if dept > unit else "单位"
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    doc.iri = str(document_iri(doc.year, doc.unit, doc.scope, doc.kind, digest))
    return doc


def _near_a_unit_line(lines: list[tuple[int, str]]) -> list[int]:
    """The lines that may be a table's title, in order: a table title has its unit or 编制单位 line within
    a few lines after it, as printed, or as the nearest printed line of the few before it (pdfminer's text
    puts a page's header lines first); a TOC entry has neither. Few lines are: found from the unit lines,
    not by looking around every line."""
    near: set[int] = set()
    for u, (_, text) in enumerate(lines):
        if not UNIT_LINE_RE.search(text):
            continue
        near.update(range(max(u - 4, 0), u))
        for i in range(u + 1, min(u + 5, len(lines))):
            near.add(i)
            if lines[i][1].strip():  # the unit line is no longer the nearest printed line before the next
                break
    return sorted(near)


def find_tables(source: Source, template: Template) -> list[TableRegion]:
    """Title lines of the template's tables, in document order; a repeated title continues its table."""
    lines = source.lines()
    found: list[TableRegion] = []
    for i in _near_a_unit_line(lines):
        start, line = lines[i]
        for at in _title_starts(line):
            text = line[at:]
            compact = without_spaces(text)
            if not compact or len(compact) > 60 or _SENTENCE_END_RE.search(compact):
                continue
            schema = template.table_titled(compact)
            if schema is None:
                continue
            if not (found and found[-1].schema.kind == schema.kind):  # else the title repeated on the next page
                found.append(
                    TableRegion(
                        schema=schema,
                        number=len(found) + 1,
                        title=text.strip().replace("\f", ""),
                        title_start=start + at + len(text) - len(text.lstrip()),
                        title_end=start + len(line.rstrip()),
                        start=start + len(line) + 1,
                        end=len(source.text),
                    )
                )
            break
    for region, nxt in zip(found, found[1:], strict=False):
        region.end = _label_start(source, nxt.title_start)
    if found:
        found[-1].end = _body_end(source, found[-1].start)
    for region in found[:-1]:
        region.end = min(region.end, _body_end(source, region.start, region.end))
    return found


def _title_starts(line: str) -> list[int]:
    """Where a table title may begin in a line: at its start, or glued after the previous page's
    last line by an extractor that joins pages without a line break (after a sentence's end or a
    row's last figure: "…故本表为空表。2026年预算单位…预算表", "64,840,547.002026年…", "64,840,5472026年…")."""
    return [0, *(m.end() for m in _GLUED_TITLE_RE.finditer(line))]


def title_line_start(source: Source, title_start: int) -> int:
    """Where the text that a table title begins starts: the title's line, or the title itself when
    it is glued to the previous page's last line."""
    line_start = source.text.rfind("\n", 0, title_start) + 1
    return title_start if source.text[line_start:title_start].strip() else line_start


def _label_start(source: Source, title_start: int) -> int:
    """A '表 2' label printed on the line above a title belongs to that title, not to the table before."""
    line_start = source.text.rfind("\n", 0, title_start) + 1
    if title_line_start(source, title_start) > line_start:
        return title_start  # glued to the page's last line: no label line of its own above it
    prev_start = source.text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    while prev_start > 0 and not source.text[prev_start:line_start].strip():
        line_start = prev_start
        prev_start = source.text.rfind("\n", 0, prev_start - 1) + 1
    if re.fullmatch(r"\s*表\s*\d+\s*", source.text[prev_start:line_start]):
        return prev_start
    return line_start


def _body_end(source: Source, start: int, limit: int | None = None) -> int:
    """Where a table body stops: the next part, or prose that follows the table's notes."""
    limit = len(source.text) if limit is None else limit
    offset = start
    in_note = False
    for line in source.text[start:limit].split("\n"):
        stripped = line.strip().replace("\f", "")
        if PART_RE.match(stripped):
            return offset
        if NOTE_RE.match(stripped):
            in_note = True
        elif in_note and stripped and not _looks_like_note_tail(stripped) or _is_prose(stripped):
            return offset
        offset += len(line) + 1
    return limit


def _looks_like_note_tail(text: str) -> bool:
    """A note wraps onto short continuation lines ('空表。'); anything longer starts new text."""
    return len(text) < 30 and not _HEADING_RE.match(text)


def _is_prose(text: str) -> bool:
    """A narrative sentence or heading, never a table row: long text ending a sentence, or a 说明 heading."""
    if text.endswith("。") and len(text) > 30:
        return True
    m = _HEADING_RE.match(text)
    if m and _PROSE_TITLE_END_RE.search(m.group("title")):
        return True
    return bool(_EXPLANATION_RE.fullmatch(text))


def find_sections(source: Source, start: int, end: int) -> list[Section]:
    """Numbered headings (一、（一）1.) in a text range, each governing the text up to the next of its level."""
    sections: list[Section] = []
    offset = start
    for line in source.text[start:end].split("\n"):
        m = _HEADING_RE.match(line.replace("\f", ""))
        if m and len(m.group("title")) < 80:
            num = m.group("num")
            level = 1 if re.fullmatch(FIRST_ORDINAL, num) else 2 if "（" in num or "(" in num else 3
            lead = len(line) - len(line.lstrip())
            sections.append(
                Section(
                    number=num.strip(),
                    title=m.group("title").strip(),
                    level=level,
                    span=source.span(offset + lead, offset + len(line.rstrip())),
                    start=offset,
                    end=end,
                )
            )
        offset += len(line) + 1
    for i, sec in enumerate(sections):
        for later in sections[i + 1 :]:
            if later.level <= sec.level:
                sec.end = later.start
                break
    return sections


def read_structure(source: Source) -> tuple[Document | None, list[TableRegion], list[Diagnostic]]:
    """The document's metadata and table regions; no document, and the reason, for a text that fits
    no template or has none of its tables (a text cut short is audited: engine/completeness.py)."""
    template = choose_template(source.text)
    if template is None:
        return None, [], [_error(source, "not a budget disclosure: no known template's markers found")]
    doc = document_metadata(source, template)
    regions = find_tables(source, template)
    if not regions:
        return None, [], [_error(source, f"no standard table of template {template.id} found")]
    return doc, regions, []


def _error(source: Source, message: str) -> Diagnostic:
    return Diagnostic("structure", ERROR, source.name, message)
