"""Reading check: a table read from unaligned text is trusted only when its own identities hold.

Where cells are not aligned, a vanished blank cell or a row assembled from the wrong lines gives
the same symptom as a misprint: a row whose amounts fit no column identity, or a parent whose
amounts are not the sum of its children's. The reader cannot tell the two apart, so such a table
is reported once as not read consistently and none of its cells is evidence of an error. One
exception: failures that one figure explains (a row and the rows it adds into, up one chain) are a
misprint, not a misreading; the table is trusted and the rules report that figure. Not so when only
the total fails while its own amounts agree: that is whole rows lost, which no misprint explains.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from engine.model import Row, Table
from engine.tables.tokens import normalise


def _decided(row: Row) -> dict[str, tuple[Decimal, Decimal]]:
    """Column → (value, half unit) of the row's placed amounts."""
    return {c.column: (c.figure.value, c.figure.half_unit) for c in row.cells if c.column is not None}


def _open_columns(row: Row, columns: list[str]) -> set[str]:
    """The columns an undecided amount of the row may take (all, when it has no candidates)."""
    if all(c.column is not None for c in row.cells):
        return set()
    if not row.candidates:
        return set(columns)
    return {col for option in row.candidates for col, i in option.items() if row.cells[i].column is None}


def _parent_of(code: str, codes: set[str]) -> str | None:
    for length in (5, 3):
        if len(code) > length and code[:length] in codes:
            return code[:length]
    return None


Problem = tuple[int, str]  # (line, what failed)


def _sum_problems(parent: Row, children: list[Row], columns: list[str]) -> list[Problem]:
    """Columns where the parent's amount is not the children's sum, beyond their rounding."""
    members = [parent, *children]
    undecided = set().union(*(_open_columns(m, columns) for m in members))
    placed = [_decided(m) for m in members]
    out = []
    for column in columns:
        if column in undecided:
            continue  # an undecided amount may sit here; its own ambiguity is reported with it
        total = placed[0].get(column, (Decimal(0), Decimal(0)))
        parts = [p.get(column, (Decimal(0), Decimal(0))) for p in placed[1:]]
        gap = total[0] - sum((v for v, _ in parts), Decimal(0))
        tolerance = total[1] + sum((h for _, h in parts), Decimal(0))
        if abs(gap) > tolerance:
            name = parent.name or parent.concept or "合计"
            out.append(
                (
                    parent.span.line,
                    f"第{parent.span.line}行「{name}」{column} 栏不等于其 {len(children)} 个下级之和（差 {gap}）",
                )
            )
    return out


def _side_problems(table: Table, sides: tuple[str, str]) -> list[Problem]:
    """A two-sided table (收入 | 支出) read with a side empty, or with an expenditure class on the
    income side: its lines were split between the sides wrongly."""
    left, right = sides
    problems = [(table.title_span.line, f"{side} 栏未读出任何项目") for side in sides if not any(r.side == side for r in table.rows)]
    problems += [
        (r.span.line, f"第{r.span.line}行「{r.name}」是支出科目，却读在 {left} 栏")
        for r in table.rows
        if r.side == left and r.concept is not None and r.code is None
    ]
    return problems


def _item_problems(table: Table, header_text: str) -> list[Problem]:
    """Rows of a table without codes that hold amounts but no name of their own (none, or a header
    word): header cells and amounts interleaved, not items."""
    return [
        (r.span.line, f"第{r.span.line}行" + (f"「{r.name}」是栏目名称" if r.name else "的数字没有项目名称"))
        for r in table.rows
        if r.cells and not r.sole and r.code is None and not r.is_total and (not r.name or normalise(r.name) in header_text)
    ]


def reading_problems(
    table: Table,
    columns_of: dict[str | None, list[str]],
    expects_total: bool,
    sides: tuple[str, str] | None = None,
    header_text: str = "",
) -> list[Problem]:
    """What in the table's reading breaks its own identities: rows whose amounts fit no column
    identity, coded rows that are not the sum of their children (the total row of the top classes),
    numbered items of a two-sided table that do not add into their heading, a side of it left empty
    or given the other side's items, amounts on rows without a name of their own (`header_text`),
    and, where the table has one, a 合计 row that gave no amount (its amounts printed away from their rows)."""
    problems: list[Problem] = _side_problems(table, sides) if sides else []
    problems += _item_problems(table, header_text) if header_text else []
    if expects_total and table.rows and not any(r.is_total and r.cells for r in table.rows):
        problems.append((table.title_span.line, "合计行未读出金额"))
    structural = bool(problems)  # the reading's shape is wrong: no single figure explains it
    failing = {id(r): r for r in table.rows if r.fits_no_identity}
    up: dict[int, Row] = {}  # each row → the row it adds into
    problems += [
        (r.span.line, f"第{r.span.line}行「{r.name or r.concept or ''}」各数无法满足栏目勾稽关系")
        for r in table.rows
        if r.fits_no_identity
    ]
    # Numbered items of a two-sided table and the heading or side total they add into (tables/outline.py).
    items: dict[int, list[Row]] = defaultdict(list)
    heads: dict[int, Row] = {}
    for row in table.rows:
        if row.part_of is not None and row.part_of.cells:
            items[id(row.part_of)].append(row)
            heads[id(row.part_of)] = row.part_of
            up[id(row)] = row.part_of
    for hid, parts in items.items():
        if found := _sum_problems(heads[hid], parts, columns_of[heads[hid].side]):
            problems += found
            failing[hid] = heads[hid]
    by_side: dict[str | None, list[Row]] = defaultdict(list)
    for row in table.rows:
        by_side[row.side].append(row)
    for side, rows in by_side.items():
        coded = {r.concept: r for r in rows if r.concept and r.cells}
        if not coded:
            continue
        children: dict[int, list[Row]] = defaultdict(list)
        parents: dict[int, Row] = {}
        totals = [r for r in rows if r.is_total and r.cells]
        for code, row in coded.items():
            parent_code = _parent_of(code, set(coded))
            parent = coded[parent_code] if parent_code else totals[0] if len(totals) == 1 and len(code) == 3 else None
            if parent is not None:
                children[id(parent)].append(row)
                parents[id(parent)] = parent
                up.setdefault(id(row), parent)
        for pid, kids in children.items():
            if found := _sum_problems(parents[pid], kids, columns_of[side]):
                problems += found
                failing[pid] = parents[pid]
    if not structural and not _rows_lost(list(failing.values())) and _one_chain(list(failing.values()), up):
        return []
    return problems


def _rows_lost(failing: list[Row]) -> bool:
    """Only the total fails, though its own amounts agree with each other: no misprinted row explains
    that (a misprint breaks its row or a row below the total), whole rows lost from the reading do
    (a page's rows read before its title)."""
    return len(failing) == 1 and failing[0].is_total and len(failing[0].cells) > 1 and not failing[0].fits_no_identity


def _one_chain(failing: list[Row], up: dict[int, Row]) -> bool:
    """Whether every failing row is one row or a row it adds into: one misprinted figure breaks its
    row and the sums above it, while a misreading breaks rows all over the table."""
    for row in failing:
        chain = {id(row)}
        while id(row) in up and id(up[id(row)]) not in chain:
            row = up[id(row)]
            chain.add(id(row))
        if all(id(f) in chain for f in failing):
            return True
    return False


def summary(problems: list[Problem], shown: int = 5) -> str:
    """The problems in printed order, the first few named: one line for the report."""
    ordered = [text for _, text in sorted(set(problems))]
    more = f"等 {len(ordered)} 处" if len(ordered) > shown else ""
    return "；".join(ordered[:shown]) + more
