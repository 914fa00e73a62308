"""Disclosure templates: table schemas kept as data in ontology/templates/*.toml (docs/templates.md)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from engine.printed import without_spaces
from engine.resources import data_path

TEMPLATE_DIR = data_path("ontology", "templates")

_IDENTITY_RE = re.compile(r"^\s*([\w.]+)\s*=\s*([\w.]+(?:\s*[-+]\s*[\w.]+)*)\s*$")
_TERM_RE = re.compile(r"([-+]?)\s*([\w.]+)")


@dataclass(frozen=True, slots=True)
class Identity:
    """`total = basic + project` (or `closing = opening + income - total`): a column that the
    template defines from others; `signs[i]` is +1 or -1 for `parts[i]`."""

    total: str
    parts: tuple[str, ...]
    signs: tuple[int, ...]

    @classmethod
    def parse(cls, text: str, where: str) -> Identity:
        m = _IDENTITY_RE.match(text)
        if not m:
            raise ValueError(f"{where}: identity {text!r} is not of the form 'a = b + c - d'")
        terms = _TERM_RE.findall(m.group(2))
        return cls(m.group(1), tuple(t for _, t in terms), tuple(-1 if s == "-" else 1 for s, _ in terms))

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.total, *self.parts)

    def __str__(self) -> str:
        rhs = "".join(f" {'-' if s < 0 else '+'} {p}" for s, p in zip(self.signs, self.parts, strict=True))
        return f"{self.total} = {rhs[3:] if rhs.startswith(' + ') else rhs.strip()}"


@dataclass(frozen=True, slots=True)
class TableSchema:
    """One table kind of a template: how to find it, its layout, its columns and identities."""

    kind: str
    title: re.Pattern[str]  # any of the template's title patterns (_any_of)
    layout: str
    code_scheme: str | None
    columns: tuple[str, ...]
    left_columns: tuple[str, ...]
    right_columns: tuple[str, ...]
    left_side: str
    right_side: str
    identities: tuple[Identity, ...]
    headers: dict[str, tuple[str, ...]]
    text_columns: tuple[str, ...]
    total_row: bool  # the table prints a 合计/总计 row (false where 合计 is a column of a single row)
    raw: dict
    subcolumns: tuple[str, ...] = ()  # each column printed as these sub-columns (预算数 | 决算数): `columns` are "total.final"

    def columns_of(self, side: str | None) -> tuple[str, ...]:
        """The amount columns of a side (two-sided tables) or of the table."""
        if self.layout != "two-sided":
            return self.columns
        return self.left_columns if side == self.left_side else self.right_columns

    def matches_title(self, compact: str) -> bool:
        """Whether a title, its white space taken out (without_spaces), is one of this table's."""
        return self.title.search(compact) is not None


@dataclass(frozen=True, slots=True)
class Part:
    """A part the template requires (第三部分 情况说明, 名词解释 …) and the headings that print it."""

    id: str
    label: str
    heading: re.Pattern[str]  # any of the template's heading patterns (_any_of)

    def matches(self, compact_line: str) -> bool:
        return self.heading.search(compact_line) is not None


@dataclass(frozen=True, slots=True)
class Template:
    """A disclosure format: markers that recognise it, the parts it requires and the schemas of its tables."""

    id: str
    markers: tuple[str, ...]
    tables: tuple[TableSchema, ...] = field(default_factory=tuple)
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def score(self, compact: str) -> int:
        """How many of the template's markers a text, its white space taken out (without_spaces), prints."""
        return sum(1 for m in self.markers if m in compact)

    def table_titled(self, compact: str) -> TableSchema | None:
        """The first of the template's tables whose title this is (white space taken out), if any."""
        return next((s for s in self.tables if s.matches_title(compact)), None)

    def part_headed(self, compact_line: str) -> Part | None:
        """The first of the template's parts whose heading this line is (white space taken out), if any."""
        return next((p for p in self.parts if p.matches(compact_line)), None)


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One pattern that matches where any of these does, so that a line is searched once, not once per
    pattern (titles and headings are tried on every short line); none matches nothing."""
    for p in patterns:
        re.compile(p)  # a malformed pattern is reported as its template writes it, not inside the alternation
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


def _table_schema(raw: dict, where: str) -> TableSchema:
    layout = raw.get("layout", "coded")
    if layout not in {"coded", "two-sided", "items"}:
        raise ValueError(f"{where}: unknown layout {layout!r}")
    scheme = raw.get("code_scheme")
    subcolumns = tuple(raw.get("subcolumns", ()))
    columns = tuple(raw.get("columns", ()))
    return TableSchema(
        kind=raw["kind"],
        title=_any_of(raw["titles"]),
        layout=layout,
        code_scheme=None if scheme in (None, "none") else scheme,
        columns=tuple(f"{c}.{s}" for c in columns for s in subcolumns) if subcolumns else columns,
        left_columns=tuple(raw.get("left_columns", ())),
        right_columns=tuple(raw.get("right_columns", ())),
        left_side=raw.get("left_side", "income"),
        right_side=raw.get("right_side", "expenditure"),
        identities=tuple(Identity.parse(i, where) for i in raw.get("identities", ())),
        headers={k: tuple(v) for k, v in raw.get("headers", {}).items()},
        text_columns=tuple(raw.get("text_columns", ())),
        total_row=raw.get("total_row", True),
        raw=raw,
        subcolumns=subcolumns,
    )


def load_template(path: Path) -> Template:
    """Read one template file; a malformed file is a ValueError naming it."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    tables = tuple(_table_schema(t, f"{path.name}: table {i + 1}") for i, t in enumerate(raw.get("tables", ())))
    parts = tuple(
        Part(p["id"], p["label"], _any_of(p["headings"])) for p in raw.get("parts", ())
    )
    return Template(id=raw["id"], markers=tuple(raw.get("markers", ())), tables=tables, parts=parts)


@cache
def all_templates(directory: Path = TEMPLATE_DIR) -> tuple[Template, ...]:
    """Every template of the project, in file-name order."""
    return tuple(load_template(p) for p in sorted(directory.glob("*.toml")))


def template_named(template_id: str) -> Template | None:
    """The project's template of this id (a document records the one it was read with)."""
    return next((t for t in all_templates() if t.id == template_id), None)


def choose_template(text: str) -> Template | None:
    """The template whose markers the text matches best; None when no marker matches."""
    compact = without_spaces(text)
    scored = [(t.score(compact), t) for t in all_templates()]
    best = max(scored, key=lambda st: st[0], default=(0, None))
    return best[1] if best[0] > 0 else None
