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
    assert reading_problems(table, COLUMNS, expects_total=False) == []


def test_parents_that_are_not_their_childrens_sums_in_two_places_are_a_problem() -> None:
    """Project amounts put on two parents' rows by a misreading: neither 20406 nor 20806 has project children."""
    table = _table(
        _row(10, "司法", "20406", total="12.35", basic="12.35", project="648.40"),
        _row(11, "行政运行", "2040601", total="4.12", basic="4.12"),
        _row(12, "基层司法业务", "2040604", total="8.24", basic="8.24"),
        _row(20, "行政事业单位养老支出", "20805", total="7.00", basic="7.00", project="1.00"),
        _row(21, "行政单位离退休", "2080501", total="7.00", basic="7.00"),
    )
    problems = reading_problems(table, COLUMNS, expects_total=False)
    assert [line for line, _ in problems] == [10, 20]
    assert "project" in problems[0][1] and "648.40" in problems[0][1]


def test_failures_one_misprinted_figure_explains_are_no_reading_problem() -> None:
    """行政运行 misprinted 4.21 for 4.12: its parent 司法 and the 合计 above it no longer add up, all on one
    chain. That is a misprint for the rules to report, not a misreading."""
    table = _table(
        _row(9, "合计", None, total="12.35", basic="12.35"),
        _row(10, "公共安全支出", "204", total="12.35", basic="12.35"),
        _row(11, "司法", "20406", total="12.35", basic="12.35"),
        _row(12, "行政运行", "2040601", total="4.21", basic="4.21"),
        _row(13, "基层司法业务", "2040604", total="8.24", basic="8.24"),
    )
    assert reading_problems(table, COLUMNS, expects_total=True) == []


def test_the_total_row_is_the_parent_of_the_classes() -> None:
    """合计 20.00 ≠ 12.35 + 7.00, and two parents on different branches that do not add up either."""
    table = _table(
        _row(9, "合计", None, total="20.00", basic="20.00"),
        _row(10, "公共安全支出", "204", total="12.35", basic="12.35"),
        _row(11, "司法", "20406", total="12.35", basic="12.35"),
        _row(12, "行政运行", "2040601", total="10.00", basic="10.00"),
        _row(20, "社会保障和就业支出", "208", total="7.00", basic="7.00"),
        _row(21, "行政事业单位养老支出", "20805", total="7.00", basic="7.00"),
        _row(22, "行政单位离退休", "2080501", total="6.00", basic="6.00"),
    )
    problems = reading_problems(table, COLUMNS, expects_total=True)
    assert [line for line, _ in problems] == [9, 9, 11, 11, 21, 21]  # total and basic columns of each
    assert Decimal(problems[0][1].split("差 ")[1].rstrip("）")) == Decimal("0.65")


def test_a_row_fitting_no_identity_is_a_problem_and_the_summary_keeps_printed_order() -> None:
    bad = _row(30, "行政运行", "2040601", total="10.00", basic="3.00")
    bad.fits_no_identity = True
    worse = _row(20, "事业运行", "2040602", total="5.00", basic="1.00")
    worse.fits_no_identity = True
    problems = reading_problems(_table(bad, worse), COLUMNS, expects_total=False)
    assert summary(problems).startswith("第20行「事业运行」")
    assert summary(problems * 3, shown=1).endswith("等 2 处")


def test_a_coded_table_whose_total_row_gave_no_amount_is_a_problem() -> None:
    """Plain text that printed a table's amounts away from their rows leaves the rows, 合计 included, without any."""
    table = _table(_row(9, "合计", None), _row(10, "公共安全支出", "204"), _row(11, "司法", "20406"))
    assert reading_problems(table, COLUMNS, expects_total=True) == [(9, "合计行未读出金额")]
    assert reading_problems(table, COLUMNS, expects_total=False) == []


def test_a_total_alone_off_though_its_own_amounts_agree_is_rows_lost() -> None:
    """合计 30.00 = 20.00 + 10.00 agrees with itself, yet its one class is 12.35: whole classes were lost
    from the reading (a page's rows read before its title), which no single misprint explains."""
    table = _table(
        _row(9, "合计", None, total="30.00", basic="20.00", project="10.00"),
        _row(10, "公共安全支出", "204", total="12.35", basic="12.35"),
        _row(11, "司法", "20406", total="12.35", basic="12.35"),
    )
    assert [line for line, _ in reading_problems(table, COLUMNS, expects_total=True)] == [9, 9, 9]
