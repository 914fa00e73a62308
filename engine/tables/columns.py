"""Column assignment: which column each printed amount of a row belongs to, when blank cells vanished.

Amounts keep their printed order, so a row's k amounts in n columns is one of C(n, k)
monotone assignments. Evidence narrows them, strongest first: the table's own identities
(合计 = 基本 + 项目), the x-positions of amounts on the same page (right-aligned columns), and
the code hierarchy (a column blank in a parent is blank in its children; a child's amount
needs one in its parent; the children's amounts add up to the parent's). Where the evidence
does not decide, the row stays ambiguous with its candidates: never a guess.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal
from functools import reduce
from itertools import combinations, product
from operator import or_

from engine.model import Cell, Row
from engine.templates import TableSchema

Assignment = tuple[int, ...]  # column index of each cell, increasing

_MAX_COMBINATIONS = 4096
_ZERO = Decimal(0)


def _values(row: Row, assignment: Assignment, columns: tuple[str, ...]) -> dict[str, Decimal]:
    return {columns[c]: row.cells[i].figure.value for i, c in enumerate(assignment)}


# An identity as column indices: (total, ((sign, part), …), the gap its figures' rounding allows).
_Check = tuple[int, tuple[tuple[int, int], ...], Decimal]


def _satisfies(amounts: list[Decimal], checks: list[_Check]) -> bool:
    """Every identity holds within its tolerance, given the row's amount in each column (`amounts`)."""
    for total, parts, tolerance in checks:
        if abs(amounts[total] - sum((s * amounts[p] for s, p in parts), _ZERO)) > tolerance:
            return False
    return True


def _identity_candidates(row: Row, schema: TableSchema, columns: tuple[str, ...]) -> list[Assignment]:
    """The placements that keep the row's identities (those among its columns, each within the rounding
    of the figures involved); when none does, every placement, and the row is marked as fitting no
    identity (itself an inconsistency a rule reports)."""
    k, n = len(row.cells), len(columns)
    every = list(combinations(range(n), k))
    half = max((c.figure.half_unit for c in row.cells), default=_ZERO)
    index = {column: i for i, column in enumerate(columns)}
    checks = [
        (index[i.total], tuple(zip(i.signs, (index[p] for p in i.parts), strict=True)), half * (len(i.parts) + 1))
        for i in schema.identities
        if all(c in index for c in i.columns)
    ]
    ok = [a for a in every if _satisfies(_column_sums(row, a, n), checks)]
    row.fits_no_identity = not ok and bool(checks)
    return ok or every


def _slots(xs: list[int]) -> list[int]:
    """Cluster offsets of amounts into column slots: offsets within two characters of each
    other (chained) are one slot."""
    slots: list[int] = []
    last = None
    for x in sorted(set(xs)):
        if last is None or x - last > 2:
            slots.append(x)
        last = x
    return slots


def _slot_of(x: int, slots: list[int]) -> int:
    """The last slot at or before offset x (the first slot for an offset before them all)."""
    return max(bisect_right(slots, x) - 1, 0)


def _closest_to_header(maps: list[Assignment], slots: list[int], centres: dict[int, float]) -> list[Assignment]:
    """Among maps the rows cannot tell apart, the one whose slot offsets best match the header
    words' offsets, if it is better than the next by two characters or more."""
    if len(maps) < 2 or not all(c in centres for m in maps for c in m):
        return maps

    def cost(m: Assignment) -> float:
        return sum(abs(slots[i] - (centres[c] - centres[m[0]])) for i, c in enumerate(m))

    ranked = sorted(maps, key=cost)
    return ranked[:1] if cost(ranked[1]) - cost(ranked[0]) >= 2 else maps


def _narrow_by_position(rows: list[Row], cands: dict[int, list[Assignment]], n: int, centres: dict[int, float]) -> None:
    """Amounts are right-aligned in their columns. `pdftotext -layout` may shift a whole line,
    so positions are taken relative to the row's first amount; amounts at the same offset are in
    the same column. The monotone slot → column maps that agree with the most rows' candidates
    decide those rows."""
    rows = [r for r in rows if id(r) in cands and r.cells and all(c.x is not None for c in r.cells)]
    offsets = {id(r): [(c.x or 0) - (r.cells[0].x or 0) for c in r.cells] for r in rows}
    if not rows:
        return
    slots = _slots([o for r in rows for o in offsets[id(r)]])
    if len(slots) > n:
        return
    maps = list(combinations(range(n), len(slots)))
    if len(maps) > _MAX_COMBINATIONS:
        return
    implied: dict[int, dict[Assignment, Assignment]] = {}
    by_slots: dict[tuple[int, ...], dict[Assignment, Assignment]] = {}  # made once for the rows filling the same slots
    for row in rows:
        slot_idx = tuple(_slot_of(o, slots) for o in offsets[id(row)])
        if len(set(slot_idx)) == len(slot_idx):
            if slot_idx not in by_slots:
                by_slots[slot_idx] = {m: tuple(m[s] for s in slot_idx) for m in maps}
            implied[id(row)] = by_slots[slot_idx]
    candidates = {rid: set(cands[rid]) for rid in implied}
    score = {m: sum(1 for rid, imp in implied.items() if imp[m] in candidates[rid]) for m in maps}
    best = max(score.values(), default=0)
    if best == 0:
        return
    surviving = _closest_to_header([m for m in maps if score[m] == best], slots, centres)
    for rid, imp in implied.items():
        allowed = {imp[m] for m in surviving}
        kept = [a for a in cands[rid] if a in allowed]
        if kept:
            cands[rid] = kept


def _narrow_by_header_position(rows: list[Row], cands: dict[int, list[Assignment]], centres: dict[int, float]) -> None:
    """Sub-columns (预算数 | 决算数 under each header) repeat the same words at a fixed pitch, so offsets
    relative to a row's first amount cannot tell the pairs apart; a figure is in the sub-column whose
    word it stands under. Decided only when every amount is nearer one word than any other by two
    characters or more and the placement keeps the row's identities."""
    if not centres:
        return
    for row in rows:
        if id(row) not in cands or not row.cells or any(c.x is None for c in row.cells):
            continue
        placed = [_column_under(cell, centres) for cell in row.cells]
        if None not in placed and (assignment := tuple(c for c in placed if c is not None)) in cands[id(row)]:
            cands[id(row)] = [assignment]


def _column_under(cell: Cell, centres: dict[int, float]) -> int | None:
    """The column whose header word is nearest the figure's centre, if nearer by two characters than the next."""
    centre = (cell.x or 0) - (cell.span.end - cell.span.start) / 2
    near = sorted(centres, key=lambda i: abs(centres[i] - centre))
    if len(near) > 1 and abs(centres[near[1]] - centre) - abs(centres[near[0]] - centre) < 2:
        return None
    return near[0]


def _parent_code(code: str, codes: set[str]) -> str | None:
    for length in (5, 3):
        if len(code) > length and code[:length] in codes:
            return code[:length]
    return None


def _narrow_by_hierarchy(rows: list[Row], cands: dict[int, list[Assignment]], columns: tuple[str, ...]) -> None:
    """Children's amounts, column by column, add up to their parent's (the total row is the parent
    of the top classes); iterate until nothing changes."""
    by_code = {r.concept: r for r in rows if r.concept}
    totals = [r for r in rows if r.is_total]
    groups: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        if r.concept:
            parent_code = _parent_code(r.concept, set(by_code))
            parent = (
                by_code.get(parent_code) if parent_code else (totals[0] if totals and len(r.concept) == 3 else None)
            )
            if parent is not None and parent is not r:
                groups[id(parent)].append(r)
    parents = {id(r): r for r in rows}
    changed = True
    while changed:
        changed = False
        for pid, children in groups.items():
            parent = parents[pid]
            changed |= _narrow_group(parent, children, cands, columns)


def _column_sums(row: Row, a: Assignment, n: int) -> list[Decimal]:
    """The row's amount in each of the n columns under this placement (0 where it prints none)."""
    out = [_ZERO] * n
    for i, c in enumerate(a):
        out[c] = row.cells[i].figure.value
    return out


def _placement(row: Row, a: Assignment, n: int) -> tuple[Assignment, list[Decimal], int]:
    """A row's placement, its amount in each column and the columns it fills with a non-zero amount (bits)."""
    sums = _column_sums(row, a, n)
    return a, sums, sum(1 << c for c, value in enumerate(sums) if value != 0)


def _adds_up(sums: list[list[Decimal]], tolerance: Decimal) -> bool:
    """Whether, column by column, the parent's amount (`sums[0]`) is the children's sum within the tolerance."""
    return all(abs(parent - sum(children, _ZERO)) <= tolerance for parent, *children in zip(*sums, strict=True))


def _narrow_group(
    parent: Row, children: list[Row], cands: dict[int, list[Assignment]], columns: tuple[str, ...]
) -> bool:
    members = [parent, *children]
    if any(id(m) not in cands and m.cells for m in members):
        return False
    options = [cands.get(id(m), [()]) for m in members]
    size = 1
    for o in options:
        size *= len(o)
    if size == 1 or size > _MAX_COMBINATIONS:
        return False
    n = len(columns)
    half = max((c.figure.half_unit for m in members for c in m.cells), default=_ZERO)
    tolerance = half * (len(members) + 1)
    # Each member's placements with their amounts by column, made once for all the combinations.
    placed = [[_placement(m, a, n) for a in o] for m, o in zip(members, options, strict=True)]
    consistent = []
    for combo in product(*placed):
        # A column blank in the parent is blank in every child, and the other way round: the parent fills
        # the columns its children fill (asked first: it is cheap and rules out most combinations).
        if combo[0][2] != reduce(or_, (filled for _, _, filled in combo[1:]), 0):
            continue
        if _adds_up([sums for _, sums, _ in combo], tolerance):
            consistent.append(tuple(a for a, _, _ in combo))
    if not consistent:
        return False
    changed = False
    for j, m in enumerate(members):
        if id(m) not in cands:
            continue
        kept = sorted({combo[j] for combo in consistent})
        if len(kept) < len(cands[id(m)]):
            cands[id(m)] = kept
            changed = True
    return changed


def _narrow_by_anchors(
    rows: list[Row], cands: dict[int, list[Assignment]], columns: tuple[str, ...], anchors: dict[str, Decimal]
) -> None:
    """The total row's amount in a column equals the same quantity printed elsewhere (a blank
    there means zero here): '一般公共预算拨款 136.30' in 收支总表 fixes the 合计 row of 收入总表."""
    for row in rows:
        if not row.is_total or id(row) not in cands:
            continue
        half = max(c.figure.half_unit for c in row.cells)
        kept = [
            a
            for a in cands[id(row)]
            if all(
                abs(_values(row, a, columns).get(col, _ZERO) - value) <= 2 * half
                for col, value in anchors.items()
                if col in columns
            )
        ]
        if kept:
            cands[id(row)] = kept


def _narrow_items_by_total(rows: list[Row], cands: dict[int, list[Assignment]], n: int) -> None:
    """Every item of an items table is part of its total: a column blank in the total row is
    blank in every item."""
    totals = [r for r in rows if r.is_total and len(cands.get(id(r), [])) == 1]
    if not totals:
        return
    used = set(cands[id(totals[0])][0])
    for row in rows:
        if row is totals[0] or id(row) not in cands:
            continue
        kept = [a for a in cands[id(row)] if set(a) <= used]
        if kept:
            cands[id(row)] = kept


def assign_columns(
    rows: list[Row],
    schema: TableSchema,
    anchors: dict[str, Decimal] | None = None,
    centres: dict[str | None, dict[int, float]] | None = None,
) -> list[Row]:
    """Give each cell its column, or leave the row ambiguous with its candidates.
    Returns the rows with more amounts than the table has columns."""
    overfull: list[Row] = []
    cands: dict[int, list[Assignment]] = {}
    sides: dict[str | None, list[Row]] = defaultdict(list)
    for row in rows:
        sides[row.side].append(row)
    for side, side_rows in sides.items():
        columns = schema.columns_of(side)
        for row in side_rows:
            if not row.cells:
                continue
            if len(row.cells) > len(columns):
                overfull.append(row)
                continue
            cands[id(row)] = _identity_candidates(row, schema, columns)
        pages: dict[int, list[Row]] = defaultdict(list)
        for row in side_rows:
            pages[row.span.page].append(row)
        for page_rows in pages.values():
            _narrow_by_position(page_rows, cands, len(columns), (centres or {}).get(side, {}))
        if schema.subcolumns:
            _narrow_by_header_position(side_rows, cands, (centres or {}).get(side, {}))
        if anchors:
            _narrow_by_anchors(side_rows, cands, columns, anchors)
        if schema.layout == "coded" or schema.layout == "two-sided" and side == schema.right_side:
            _narrow_by_hierarchy(side_rows, cands, columns)
        elif schema.layout == "items":
            _narrow_items_by_total(side_rows, cands, len(columns))
        # Sub-columns whose header words do not confirm the template's order decide no cell, however many
        # amounts a row prints: the same twelve words in another order (预算数 {…} 决算数 {…}) mean other columns.
        confirmed = not schema.subcolumns or bool((centres or {}).get(side))
        for row in side_rows:
            options = cands.get(id(row))
            if not options:
                continue
            if len(options) == 1 and confirmed:
                for i, c in enumerate(options[0]):
                    row.cells[i].column = columns[c]
            else:
                row.candidates = [{columns[c]: i for i, c in enumerate(a)} for a in options]
                for i, cell in enumerate(row.cells):
                    agreed = {a[i] for a in options}
                    if len(agreed) == 1 and confirmed:  # every reading puts this amount in the same column
                        cell.column = columns[agreed.pop()]
    return overfull
