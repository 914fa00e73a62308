"""Tables stage: each table region → a Table of rows whose amounts sit in their columns."""

from __future__ import annotations

import re
from decimal import Decimal

from engine.codes import code_list
from engine.diagnostics import WARNING, Diagnostic
from engine.model import Cell, Row, Table, TableRegion
from engine.numbers import parse_figure
from engine.printed import EMPTY_TABLE_RE, PUBLISHER_RE, TABLE_UNIT_RE, without_ordinal, without_spaces
from engine.source import Source
from engine.tables.columns import assign_columns
from engine.tables.outline import link_parts
from engine.tables.rows import (
    Body,
    RawRow,
    assemble_coded,
    assemble_items,
    assemble_two_sided,
    header_centres,
    split_body,
)
from engine.tables.tokens import normalise
from engine.tables.verify import reading_problems, summary


def _row(source: Source, raw: RawRow, layout_text: bool) -> Row:
    """The row with its spans: the row's own is its first token's, code, name or amount (a span is made
    once: each costs a box from the character boxes)."""
    name_spans = [source.span(t.start, t.end) for t in raw.tokens_name]
    cells = [
        Cell(figure=parse_figure(tok.text), span=source.span(tok.start, tok.end), x=tok.x_end if layout_text else None)
        for tok in raw.nums
    ]
    return Row(
        name="".join(t.text for t in raw.tokens_name),
        span=source.span(raw.code.start, raw.code.end) if raw.code else name_spans[0] if name_spans else cells[0].span,
        code=raw.code.code_digits if raw.code else None,
        side=raw.side,
        name_spans=name_spans,
        cells=cells,
    )


def _no_names(code: str) -> None:
    return None


def _class_code(name: str) -> str | None:
    """The function class printed under this name (with or without its ordinal)."""
    return code_list("function").code_for_class_name(without_ordinal(name))


def _resolve_code(row: Row, scheme: str | None) -> None:
    """A two-sided table names classes without codes ('一、一般公共服务支出'): link them by name."""
    if row.code is not None or scheme is None:
        row.concept = row.code
        return
    row.concept = code_list(scheme).code_for_class_name(without_ordinal(row.name))


def _split_text_columns(row: Row, region: TableRegion) -> None:
    """A text column (项目名称) printed after the subject name: split at the code's official name."""
    if not region.schema.text_columns or row.code is None or region.schema.code_scheme is None:
        return
    official = code_list(region.schema.code_scheme).name(row.code)
    if official and row.name.startswith(official) and len(row.name) > len(official):
        row.texts[region.schema.text_columns[0]] = row.name[len(official) :]
        row.name = official


def _anchor_value(spec: str, earlier: list[Table], current: Table) -> Decimal | None:
    """'summary/income/一般公共预算拨款' → that item's amount (0 when printed blank);
    'gov_fund_expenditure/empty' → 0 when that table is declared empty. None when not found."""
    kind, _, rest = spec.partition("/")
    table = next((t for t in [*earlier, current] if t.kind == kind), None)
    if table is None:
        return None
    if rest == "empty":
        return Decimal(0) if table.empty_statement is not None or not table.rows else None
    side, _, pattern = rest.partition("/")
    for row in table.rows:
        if row.side == side and re.search(pattern, without_ordinal(row.name)):
            return row.cells[0].figure.value if len(row.cells) == 1 else Decimal(0) if not row.cells else None
    return None


def read_table(source: Source, region: TableRegion, earlier: list[Table]) -> tuple[Table, list[Diagnostic]]:
    """Read one table region into rows; what could not be read is returned, never dropped."""
    schema = region.schema
    table = Table(
        number=region.number,
        kind=schema.kind,
        title=region.title,
        title_span=source.span(region.title_start, region.title_end),
        start=region.start,
        end=region.end,
    )
    head = source.text[region.title_start : min(region.end, region.start + 600)]
    if m := TABLE_UNIT_RE.search(head):
        offset = region.title_start + m.start(1)
        table.unit, table.unit_span = m.group(1), source.span(offset, offset + len(m.group(1)))
    if m := PUBLISHER_RE.search(head):
        offset = region.title_start + m.start(1)
        table.organisation, table.organisation_span = m.group(1), source.span(offset, offset + len(m.group(1)))
    lines, body = split_body(source, region.start, region.end, schema.layout)
    name_of = code_list(schema.code_scheme).name if schema.code_scheme else _no_names
    if schema.layout == "coded":
        rows, missed = assemble_coded(source, lines, name_of)
        body.rows.extend(rows)
        body.unparsed.extend(missed)
    elif schema.layout == "two-sided":
        assemble_two_sided(source, lines, body, (schema.left_side, schema.right_side), name_of, _class_code)
    else:
        assemble_items(source, lines, body)
    _read_notes(source, body, table)
    layout_text = source.is_layout
    for raw in body.rows:
        row = _row(source, raw, layout_text)
        _split_text_columns(row, region)
        _resolve_code(row, schema.code_scheme if schema.layout != "items" else None)
        table.rows.append(row)
    table.columns = list(dict.fromkeys(schema.columns or (*schema.left_columns, *schema.right_columns)))
    if schema.layout == "two-sided":
        link_parts(table.rows)
    header_text = normalise(table.title + "".join(body.header_words) + "".join(w for ws in schema.headers.values() for w in ws))
    if not layout_text and schema.layout == "items":
        _join_unnamed_line(table, header_text)
    figured = [r for r in table.rows if r.cells]
    # One unnamed row under column headers (合计 | 因公出国 | …, or their 预算数 | 决算数) is the total.
    sole = schema.layout == "items" and len(figured) == 1
    if sole and not figured[0].name and figured[0].code is None:
        figured[0].sole = True
    unparsed = list(body.unparsed)
    anchors = {}
    for column, spec in schema.raw.get("anchors", {}).items():
        value = _anchor_value(spec, earlier, table)
        if value is not None:
            anchors[column] = value
    centres = {
        side: header_centres(body, schema.headers, schema.columns_of(side)) for side in {r.side for r in table.rows}
    }
    overfull = assign_columns(table.rows, schema, anchors, centres)
    for row in overfull:
        unparsed.append(
            Diagnostic(
                "tables", WARNING, row.span, f"{len(row.cells)} amounts in a row of {len(schema.columns_of(row.side))} columns"
            )
        )
    if not layout_text:
        columns_of = {side: list(schema.columns_of(side)) for side in {r.side for r in table.rows}}
        sides = (schema.left_side, schema.right_side) if schema.layout == "two-sided" else None
        items_header = header_text if schema.layout == "items" else ""  # the items' names are theirs alone
        problems = reading_problems(table, columns_of, schema.layout == "coded", sides, items_header)
        problems += [(r.span.line, f"第{r.span.line}行「{r.name}」数字多于栏目") for r in overfull]
        if table.empty_statement is None and not any(r.cells for r in table.rows):
            problems.append((table.title_span.line, "表中未读出任何数字，也未说明其为空表"))
        printed = sum(1 for line in lines for t in line.tokens if t.kind == "num")
        if (placed := sum(len(r.cells) for r in table.rows)) < printed:
            problems.append((table.title_span.line, f"{printed - placed} 个数字未能归入任何行"))
        table.reading_problem = summary(problems) if problems else None
    return table, unparsed


def _join_unnamed_line(table: Table, header_text: str) -> None:
    """Unaligned text prints a table whose columns are its items (三公经费) cell by cell, its header
    words between its amounts: when no row has a name of its own, every amount, in printed order,
    is the one data line's."""
    figured = [r for r in table.rows if r.cells]
    if len(figured) < 2 or any(r.name and normalise(r.name) not in header_text for r in table.rows):
        return
    line = figured[0]
    line.cells = [c for r in figured for c in r.cells]
    line.name, line.code, line.concept = "", None, None
    table.rows = [line]


def _read_notes(source: Source, body: Body, table: Table) -> None:
    """A note saying the table is empty ('…为空表', '本表无数据') is kept with its span."""
    if not body.notes:
        return
    start, end = body.notes[0][0], body.notes[-1][1]
    text = " ".join(n[2] for n in body.notes)
    if EMPTY_TABLE_RE.search(without_spaces(text)):
        table.empty_statement = source.span(start, end)


def read_tables(source: Source, regions: list[TableRegion]) -> tuple[list[Table], list[Diagnostic]]:
    """All tables of the document, in order, and the table lines that were not understood."""
    tables: list[Table] = []
    unparsed: list[Diagnostic] = []
    for region in regions:
        table, missed = read_table(source, region, tables)
        tables.append(table)
        unparsed.extend(missed)
    return tables, unparsed
