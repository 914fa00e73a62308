"""What the reader finds in a disclosure: document, sections, tables, rows and cells, each with its span."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic
from engine.numbers import Figure
from engine.printed import names_total, sign_of
from engine.source import Source
from engine.span import Span
from engine.templates import TableSchema


@dataclass(slots=True)
class Cell:
    """One printed amount; `column` is None while the row is ambiguous."""

    figure: Figure
    span: Span
    column: str | None = None
    x: int | None = None  # display column of the figure's last character (layout text only)


@dataclass(slots=True)
class Row:
    """A table row: classification code, name and amounts, on one side of the table."""

    name: str
    span: Span
    code: str | None = None  # as printed
    concept: str | None = None  # the classification code the row is about (printed, or found by name)
    side: str | None = None
    cells: list[Cell] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # text columns (e.g. 项目名称)
    candidates: list[dict[str, int]] = field(default_factory=list)  # column → cell index
    name_spans: list[Span] = field(default_factory=list)
    fits_no_identity: bool = False  # no placement of its amounts keeps the table's identities
    part_of: Row | None = None  # the heading or total row this numbered item adds into (tables/outline.py)
    sole: bool = False  # the only row of a table whose columns are the items (三公 tables): its total

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def is_total(self) -> bool:
        return self.sole or self.code is None and names_total(self.name)


@dataclass(slots=True)
class Table:
    """One standard table of the disclosure, as its template declares it."""

    number: int
    kind: str
    title: str
    title_span: Span
    unit: str | None = None
    unit_span: Span | None = None
    organisation: str | None = None  # the unit its header names (编制单位 / 编制部门)
    organisation_span: Span | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    empty_statement: Span | None = None
    reading_problem: str | None = None  # unaligned text whose own identities fail: what failed (tables/verify.py)
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class Claim:
    """One statement of the narrative about one quantity: '基本支出 126.55 万元' (amount),
    '占 92.85%' (share), '比上年预算增加 3.99 万元' (change), '增长 3.26%' (rate), '7 人' (count),
    '未安排' (not_arranged), '…为空表' (empty_table), '决算数小于预算数' (verdict)."""

    kind: str
    subject: str  # the IRI of a classification concept or a measure (engine/vocab.py)
    value: Figure | None
    unit: str | None  # 万元 | 元 | % | 人 | 辆 | 平方米 | …
    span: Span  # the printed number, or the printed marker when there is none
    sentence: Span  # the whole sentence, as printed
    period: int | None = None  # the year the figure is for
    basis: str | None = None  # prior_budget | prior_actual | initial_budget | full_year_budget
    basis_year: int | None = None  # the comparison year as printed ('比2024年预算')
    direction: str | None = None  # the change word as printed: 增加, 减少, 增长, 下降, 持平 …
    cause: str | None = None  # '主要原因是…' attached to the change it explains
    cause_span: Span | None = None
    whole: str | None = None  # for a share: the subject of the whole, when the sentence names it
    section: Section | None = None  # the innermost numbered section it was printed in ('三、', '（一）', '1.')
    topic: Section | None = None  # the innermost 一、 or （一） section: the list of items it belongs to
    current: Claim | None = None  # for a change, rate or share: the amount it qualifies (narrative/links.py)
    compared: list[Claim] = field(default_factory=list)  # for a verdict: the budgets its final amount is set against
    counted_in: Claim | None = None  # for a part's figure: its whole's figure (narrative/breakdowns.py)

    @property
    def sign(self) -> int | None:
        """+1 for an increase word, −1 for a decrease, 0 for 持平; None when no direction is printed."""
        return sign_of(self.direction or "")


@dataclass(slots=True)
class Section:
    """A numbered heading of the narrative (一、…（一）…1.) and the text range it governs."""

    number: str
    title: str
    level: int
    span: Span
    start: int
    end: int


@dataclass(slots=True)
class Document:
    """A disclosure: who published it, for which year, of which kind and scope, and its parts."""

    path: str
    iri: str  # engine/vocab.py document_iri: from what the document says it is, never its file name
    template: str
    unit: str | None = None
    year: int | None = None
    scope: str | None = None  # 部门 | 单位
    kind: str | None = None  # 预算 | 决算
    unit_span: Span | None = None
    year_span: Span | None = None
    tables: list[Table] = field(default_factory=list)


@dataclass(slots=True)
class TableRegion:
    """Where one table is printed: its schema, title line and the text range of its body."""

    schema: TableSchema
    number: int
    title: str
    title_start: int
    title_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Label:
    """One printed label: its kind (placeholder, heading_year, as_of_date, project_period), the year(s)
    it names, where."""

    kind: str
    span: Span
    year: int | None = None
    end_year: int | None = None  # a project's 实施周期: the last year it runs


@dataclass(frozen=True, slots=True)
class PrintedPath:
    """A 类/款(/项) path the narrative prints ("一般公共服务支出（类）商贸事务（款）行政运行（项）"): each name
    folded (narrative/codepaths.py), and the code each name is in the code lists (None when it is none)."""

    span: Span
    class_name: str
    item_name: str
    entry_name: str | None
    class_code: str
    item_code: str | None
    entry_code: str | None


@dataclass(slots=True)
class Labels:
    """The document's labels, and whether it is a blank template (placeholder unit or no figure at all)."""

    items: list[Label] = field(default_factory=list)
    blank_template: bool = False
    paths: list[PrintedPath] = field(default_factory=list)  # the 类/款/项 paths the narrative prints


@dataclass(frozen=True, slots=True)
class PrintedPart:
    """A part of the template (its id: narrative, glossary …) and where its heading is printed."""

    id: str
    span: Span


@dataclass(frozen=True, slots=True)
class ListedTable:
    """A table the 目录 lists: its kind (the template's title it matches), its title as listed, where."""

    kind: str
    title: str
    span: Span


@dataclass(frozen=True, slots=True)
class TableEnd:
    """How a table ends: its last printed amount and its total row (None when not printed)."""

    number: int
    needs_total: bool  # the template prints a 合计/总计 row in this table
    last_amount: Span | None
    total: Span | None
    header_only: bool = False  # printed with its header and no amount at all


@dataclass(slots=True)
class Completeness:
    """The parts the template requires (id, label), the parts printed, the tables the 目录 lists, how each
    table ends and where the text ends (engine/completeness.py)."""

    required: list[tuple[str, str]] = field(default_factory=list)
    printed: list[PrintedPart] = field(default_factory=list)
    listed: list[ListedTable] = field(default_factory=list)  # the tables the 目录 lists
    tables: list[TableEnd] = field(default_factory=list)
    end: Span | None = None  # the last printed line: where a document cut short stops


@dataclass(slots=True)
class Loaded:
    """Everything read from one document, before it becomes a graph."""

    source: Source
    document: Document
    tables: list[Table]
    regions: list[TableRegion]
    diagnostics: list[Diagnostic] = field(default_factory=list)  # lines that produced no fact
    claims: list[Claim] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)
    completeness: Completeness = field(default_factory=Completeness)
