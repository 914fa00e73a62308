"""The numbered items of a two-sided table (收支总表): '一、本年收入' heads '1.一般公共预算拨款',
'2.政府性基金预算拨款' …, and the side's first total row (收入总计, 本年收入合计) adds up the '一、'
items above it. Rules check these sums (BK-TAB-006); '其中' breakdowns are not additive parts."""

from __future__ import annotations

import re

from engine.model import Row
from engine.printed import FIRST_ORDINAL, SECOND_ORDINAL

_LEVEL_1 = re.compile(rf"^{FIRST_ORDINAL}")
# '1.' '1、' '(1)', or a bare '.' where the text layer lost the digit ('.一般公共预算资金')
_LEVEL_2 = re.compile(rf"^(?:{SECOND_ORDINAL}|[.．](?=\D)|[（(]\d{{1,2}}[)）])")


def item_level(name: str) -> int | None:
    """1 for '一、…', 2 for '1.…', None for an unnumbered row."""
    if _LEVEL_1.match(name):
        return 1
    if _LEVEL_2.match(name):
        return 2
    return None


def _figured(row: Row) -> bool:
    return any(c.figure.value for c in row.cells)


def link_parts(rows: list[Row]) -> None:
    """Set `part_of` on the numbered items of each side: a '1.' item belongs to the '一、' item
    above it; the '一、' items belong to the side's first total row, unless classes (coded rows,
    checked by BK-TAB-003) or an unnumbered row with a figure (an item of unknown rank) sit among them."""
    for side in dict.fromkeys(r.side for r in rows if r.side):
        heading: Row | None = None
        items: list[Row] = []
        unranked = False
        for row in (r for r in rows if r.side == side):
            if row.is_total:
                if not unranked:
                    for item in items:
                        item.part_of = row
                break
            if row.concept or row.code:
                unranked = True
                continue
            level = item_level(row.name)
            if level == 1:
                heading = row
                items.append(row)
            elif level == 2 and heading is not None:
                row.part_of = heading
            elif level is None and not row.name.startswith("其中") and _figured(row):
                unranked = True
