"""The reading check of tables read from unaligned text (engine/tables/verify.py).

Where cells are not aligned, a misread row and a misprint look alike; a table whose own
identities fail is reported once and its cells feed no error."""

from decimal import Decimal

from engine.model import Cell, Row, Table
from engine.numbers import parse_figure
from engine.span import Span
from engine.tables.verify import reading_problems, summary

COLUMNS = {None: ["total", "basic", "project"]}


def _row(line: int, name: str, code: str | None, **amounts: str) -> Row:
    span = Span("t.txt", 1, line, 1, 0, 1, name)
    row = Row(name=name, span=span, code=code, concept=code)
    for column, text in amounts.items():
        row.cells.append(Cell(figure=parse_figure(text), span=span, column=column))
    return row


def _table(*rows: Row) -> Table:
    return Table(number=3, kind="expenditure", title="支出预算总表", title_span=rows[0].span, rows=list(rows))


def test_children_adding_up_within_rounding_are_consistent() -> None:
    """204 司法 12.35 = 行政运行 4.12 + 基层司法业务 8.24 within the rounding of three figures (12.36)."""
    table = _table(
        _row(10, "司法", "20406", total="12.35", basic="12.35"),
        _row(11, "行政运行", "2040601", total="4.12", basic="4.12"),
        _row(12, "基层司法业务", "2040604", total="8.24", basic="8.24"),
    )
    assert reading_problems(table, COLUMNS) == []


def test_a_parent_that_is_not_its_childrens_sum_is_a_problem() -> None:
    """A project amount put on the parent's row by a misreading: 20406's project column has no children."""
    table = _table(
        _row(10, "司法", "20406", total="12.35", basic="12.35", project="648.40"),
        _row(11, "行政运行", "2040601", total="4.12", basic="4.12"),
        _row(12, "基层司法业务", "2040604", total="8.24", basic="8.24"),
    )
    problems = reading_problems(table, COLUMNS)
    assert [line for line, _ in problems] == [10]
    assert "project" in problems[0][1] and "648.40" in problems[0][1]


def test_the_total_row_is_the_parent_of_the_classes() -> None:
    table = _table(
        _row(9, "合计", None, total="20.00", basic="20.00"),
        _row(10, "公共安全支出", "204", total="12.35", basic="12.35"),
        _row(11, "社会保障和就业支出", "208", total="7.00", basic="7.00"),
    )
    problems = reading_problems(table, COLUMNS)
    assert [line for line, _ in problems] == [9, 9]  # its total and basic columns
    assert all(Decimal(text.split("差 ")[1].rstrip("）")) == Decimal("0.65") for _, text in problems)


def test_a_row_fitting_no_identity_is_a_problem_and_the_summary_keeps_printed_order() -> None:
    bad = _row(30, "行政运行", "2040601", total="10.00", basic="3.00")
    bad.fits_no_identity = True
    worse = _row(20, "事业运行", "2040602", total="5.00", basic="1.00")
    worse.fits_no_identity = True
    problems = reading_problems(_table(bad, worse), COLUMNS)
    assert summary(problems).startswith("第20行「事业运行」")
    assert summary(problems * 3, shown=1).endswith("等 2 处")
