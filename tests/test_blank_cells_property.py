"""Property: a coded table printed without column alignment, its blank cells gone, reads back with
every amount in its own column, or says it cannot decide (the row stays ambiguous, or the table is
reported as not read consistently). Never silently into a wrong column.

The tables are written into the sample (its wrapped, unaligned form) in place of its 单位支出总体情况表,
so they go through the reader a real document goes through: structure, rows, columns, reading check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.codes import code_list
from engine.model import Table
from engine.readers import read_source
from engine.structure import read_structure
from engine.tables import read_tables
from tests.conftest import CORPUS

SAMPLE = CORPUS / "shuimogou-union-2025.txt"
TITLE = "单位支出总体情况表"
COLUMNS = ("total", "basic", "project")


@dataclass(frozen=True)
class Printed:
    """A row as generated: its code (None for 合计), name and the true amount of each column (0 = blank)."""

    code: str | None
    name: str
    amounts: tuple[int, int, int]  # in cents (0.01 万元), total = basic + project


def _items() -> dict[str, list[str]]:
    """The code list's 项 (7-digit codes) under each 款 whose 类 and 款 have names too."""
    names = code_list("function").names
    out: dict[str, list[str]] = {}
    for code in sorted(names):
        if len(code) == 7 and code[:3] in names and code[:5] in names:
            out.setdefault(code[:5], []).append(code)
    return out


ITEMS = _items()
CENTS = st.one_of(st.just(0), st.integers(1, 99_999_999))  # a blank cell, or 0.01 … 999,999.99 万元


@st.composite
def tables(draw: st.DrawFn) -> list[Printed]:
    """合计, then classes (类) with their 款 and 项, parents the sums of their children."""
    heads = draw(st.lists(st.sampled_from(sorted(ITEMS)), min_size=1, max_size=4, unique=True))
    names = code_list("function").names
    leaves: dict[str, tuple[int, int]] = {}
    for head in heads:
        for item in draw(st.lists(st.sampled_from(ITEMS[head]), min_size=1, max_size=3, unique=True)):
            basic, project = draw(st.tuples(CENTS, CENTS).filter(lambda a: a != (0, 0)))
            leaves[item] = (basic, project)

    def row(code: str | None, members: list[str]) -> Printed:
        basic = sum(leaves[m][0] for m in members)
        project = sum(leaves[m][1] for m in members)
        return Printed(code, names[code] if code else "合计", (basic + project, basic, project))

    rows = [row(None, list(leaves))]
    for klass in sorted({c[:3] for c in leaves}):
        rows.append(row(klass, [c for c in leaves if c.startswith(klass)]))
        for head in sorted({c[:5] for c in leaves if c.startswith(klass)}):
            rows.append(row(head, [c for c in leaves if c.startswith(head)]))
            rows += [row(c, [c]) for c in sorted(leaves) if c.startswith(head)]
    return rows


def _money(cents: int, grouped: bool) -> str:
    text = f"{Decimal(cents) / 100:,.2f}" if grouped else f"{Decimal(cents) / 100:.2f}"
    return text


def _line(row: Printed, grouped: bool, separator: str = " ") -> str:
    """The row as unaligned text prints it: code split into 类 款 项, name, the non-blank amounts; cells
    on one line, or each cell a paragraph of its own (as plain pdftotext prints table cells)."""
    code = [row.code[i : i + w] for i, w in ((0, 3), (3, 2), (5, 2)) if i < len(row.code)] if row.code else []
    amounts = [_money(a, grouped) for a in row.amounts if a]
    return separator.join((*code, row.name, *amounts))


def _with_table(rows: list[Printed], grouped: bool, separator: str, folder: Path) -> Path:
    """The sample with its 单位支出总体情况表 body replaced by these rows."""
    text = SAMPLE.read_text(encoding="utf-8")
    title = text.index(TITLE)
    start = text.index("\n合计 ", title) + 1
    end = text.index("\n表 4", start)
    body = "\n\n".join(_line(r, grouped, separator) for r in rows)
    out = folder / SAMPLE.name
    out.write_text(text[:start] + body + "\n\n\n" + text[end:], encoding="utf-8")
    return out


def _read(path: Path) -> Table:
    source, found = read_source(path)
    assert source is not None and not source.is_layout, found
    document, regions, found = read_structure(source)
    assert document is not None, found
    tables, _ = read_tables(source, regions)
    return next(t for t in tables if TITLE in t.title)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tables(), grouped=st.booleans(), separator=st.sampled_from([" ", "\n\n"]))
def test_blank_cells_read_into_their_columns_or_reported_undecided(
    rows: list[Printed], grouped: bool, separator: str, tmp_path: Path
) -> None:
    table = _read(_with_table(rows, grouped, separator, tmp_path))
    if table.reading_problem is not None:
        return  # reported once (BK-READ-001); none of its cells is evidence of anything
    read = [r for r in table.rows if r.cells]
    assert [r.code for r in read] == [p.code for p in rows], "every printed row is read, in order"
    for printed, row in zip(rows, read, strict=True):
        truth = [c for c, a in zip(COLUMNS, printed.amounts, strict=True) if a]
        assert [c.figure.value * 100 for c in row.cells] == [a for a in printed.amounts if a]
        for cell, column in zip(row.cells, truth, strict=True):
            assert cell.column in (column, None), f"{_line(printed, grouped)}: {cell.figure.value} read into {cell.column}"
        if any(cell.column is None for cell in row.cells):
            assert row.ambiguous, f"{_line(printed, grouped)}: an unplaced amount without candidates"
