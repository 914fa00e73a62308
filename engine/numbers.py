"""Printed figures: decimal value, printed decimals and the rounding interval they stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# An amount as tables print it: thousands separators optional, decimals optional.
AMOUNT_RE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# A cell amount in a table body: it has a decimal point or thousands separators, so a
# classification code (201, 20129) or a column number (1 2 3) is never read as an amount. The leading
# lookahead names the characters an amount begins with, so a scan of a table's text passes the others
# (the spaces of aligned text) at once.
CELL_AMOUNT_RE = re.compile(r"(?=[-\d])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as printed: its exact value and how many decimals it was printed with."""

    value: Decimal
    decimals: int

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit: the rounding radius of the figure."""
        return Decimal(5).scaleb(-self.decimals - 1)


def parse_figure(text: str) -> Figure:
    """'91,016,775.35' → Figure(91016775.35, 2); '4,614' → Figure(4614, 0)."""
    clean = text.replace(",", "").replace("，", "")
    decimals = len(clean.split(".", 1)[1]) if "." in clean else 0
    return Figure(Decimal(clean), decimals)


def plain(text: str) -> str:
    """The printed digits without thousands separators, and without the line break of a figure wrapped
    over two lines: '9,101.68' → '9101.68', '7\\n.58' → '7.58'."""
    return re.sub(r"[,\s]", "", text)
