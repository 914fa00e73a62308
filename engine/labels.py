"""Labels: what a disclosure prints about itself besides figures — template placeholders left in
(XX局, XX%, 202X年), the year its headings and table titles name, the date its asset statement is as
of (截至2024年12月31日), the years a project's 实施周期 spans, and the 类/款/项 paths its narrative prints. Rules compare them with the
document's unit, year and kind."""

from __future__ import annotations

import re

from engine.model import Claim, Document, Label, Labels, Table
from engine.narrative.codepaths import printed_paths
from engine.printed import PART_RE
from engine.source import Source
from engine.structure import TableRegion, find_sections

# A placeholder of a template: two or more X (ASCII or fullwidth) or ×, not part of a Latin word, or a
# year with X for digits (202X年, 20XX年度). The leading lookahead names the characters one can begin
# with, so the scan of the whole text passes every other character at once (3× faster).
_PLACEHOLDER_RE = re.compile(
    r"(?=[XＸ×2])(?:(?<![A-Za-zＡ-Ｚａ-ｚ])(?:[XＸ]{2,}|×{2,})(?![A-Za-zＡ-Ｚａ-ｚ])|20[\dXＸ×]?[XＸ×]\s*年)"
)
# A year a heading names as the year of the disclosure itself: "2023年度部门决算情况说明".
_HEADING_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年度?")
# Headings about another year by design: the prior year's execution, a comparison.
_SENTENCE_RE = re.compile(r"[，,。；;：:]|\d\s*(?:万元|元|%)")
_OTHER_YEAR_WORDS = ("执行", "上年", "上一年", "比较", "对比", "结转")
# An asset statement's date: 截至2024年12月31日, 截止2022年12月31日, 截至 2024 年底.
_AS_OF_RE = re.compile(r"截[至止]\s*((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|底|末)")
_ASSET_WORDS = re.compile(r"车辆|资产|房屋|共有|占用")
_ASSET_REACH = 60  # characters after the date within which the statement names what it counts
# A project's 实施周期 heading and the years printed right after it: "2025.1.1-2025.12.31",
# "2025年1月1日至2025年12月31日", "2025全年度".
_PERIOD_RE = re.compile(r"实施周期\s*[：:]?\s*(?P<body>[^\n]*\n?[^\n]*)")
_PERIOD_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*(?:[.\-/年]|全年))")
_PERIOD_END_RE = re.compile(r"^[^。；;]*?(?=[。；;]|[六七八九十]、|$)")


def read_labels(
    source: Source, document: Document, regions: list[TableRegion], tables: list[Table], claims: list[Claim]
) -> Labels:
    """Placeholders, heading and title years of the document's kind, and asset statement dates."""
    figures = sum(len(row.cells) for table in tables for row in table.rows) + sum(c.value is not None for c in claims)
    out = Labels()
    for m in _PLACEHOLDER_RE.finditer(source.text):
        out.items.append(Label("placeholder", source.span(m.start(), m.end())))
    kind_word = document.kind or "预算"
    for start, title in _headings(source, regions):
        if _SENTENCE_RE.search(title):
            continue  # a numbered sentence ("（一）因公出国（境）费0万元，与2024年预算持平"), not a heading
        for m in _HEADING_YEAR_RE.finditer(title):
            rest = title[m.end() :]
            if kind_word in rest and not any(w in title for w in _OTHER_YEAR_WORDS):
                out.items.append(
                    Label("heading_year", source.span(start + m.start(1), start + m.end(1)), int(m.group(1)))
                )
    for m in _AS_OF_RE.finditer(source.text):
        if _ASSET_WORDS.search(source.text, m.end(), m.end() + _ASSET_REACH):
            out.items.append(Label("as_of_date", source.span(m.start(), m.end()), int(m.group(1))))
    for m in _PERIOD_RE.finditer(source.text):
        body = _PERIOD_END_RE.match(m.group("body"))
        years = list(_PERIOD_YEAR_RE.finditer(body.group(0))) if body else []
        if years:
            first, last = years[0], years[-1]
            start, end = m.start("body") + first.start(1), m.start("body") + last.end(1)
            out.items.append(Label("project_period", source.span(start, end), int(first.group(1)), int(last.group(1))))
    out.paths = printed_paths(source)
    unit_is_placeholder = bool(document.unit and _PLACEHOLDER_RE.search(document.unit))
    out.blank_template = unit_is_placeholder or figures == 0 and any(i.kind == "placeholder" for i in out.items)
    return out


def _headings(source: Source, regions: list[TableRegion]) -> list[tuple[int, str]]:
    """(offset, text) of every heading: numbered sections, 第N部分 titles and table titles."""
    found = [(s.span.start, s.span.text) for s in find_sections(source, 0, len(source.text))]
    for start, line in source.lines():
        if (m := PART_RE.match(line.replace("\f", " "))) and m.group("title"):
            found.append((start + m.start("title"), m.group("title")))
    found.extend((r.title_start, source.text[r.title_start : r.title_end]) for r in regions)
    return found
