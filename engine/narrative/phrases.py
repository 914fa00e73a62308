"""The pieces a parsed sentence is read into, and the document state its reading shares with the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token

from engine.model import Claim, Section
from engine.narrative.subjects import Subjects
from engine.narrative.text import Narrative

# A qualifier or a comparison target (its token type) → the basis of the amount or rate it introduces.
QUALIFIER_BASIS = {"INITIAL": "initial_budget", "FULL_YEAR": "full_year_budget", "EXECUTED": "prior_actual"}


@dataclass(slots=True)
class Printed:
    """A figure as printed: its form (amount, count, tally, percent, bare), number and unit tokens."""

    form: str
    number: Token
    unit: Token | None = None


@dataclass(slots=True)
class Basis:
    """What a change compares with; kind None means 'the prior year', read by the document's kind,
    and 'budget' a 决算's own budget, read by the paragraph's last 年初预算/全年预算."""

    kind: str | None
    year: int | None = None


@dataclass(slots=True)
class Phrase:
    """A parsed phrase: its rule, the word that marks it, its figure and its basis."""

    rule: str
    marker: Token
    figure: Printed | None = None
    basis: Basis | None = None


@dataclass(slots=True)
class Scope:
    """What reading a sentence needs from its document, and leaves for the sentences after it."""

    narrative: Narrative
    subjects: Subjects
    year: int | None
    final: bool  # a 决算: "与2023年度相比" compares with what was spent
    sections: list[Section]
    units: list[tuple[int, str]]  # narrative offset and unit of each （万元） declaration
    last_subject: str | None = None
    paragraph: int = -1
    item: str | None = None  # the classification a numbered item's heading names
    item_end: int = -1  # source offset up to which that item governs later paragraphs (its section)
    open_changes: list[Claim] = field(default_factory=list)  # the paragraph's changes without a cause
    qualifier_basis: str | None = None  # the paragraph's last 年初预算/全年预算
    qualified: list[tuple[str, Claim]] = field(default_factory=list)  # 年初预算/全年预算/决算 amounts, by marker

    def enter(self, paragraph: int, at: int) -> None:
        """A new paragraph, beginning at source offset `at`: its open changes no longer apply, nor
        the item of the paragraph before unless a heading's item governs its section beyond."""
        if paragraph != self.paragraph:
            self.paragraph = paragraph
            if at >= self.item_end:
                self.item = None
            self.open_changes = []
            self.qualifier_basis = None


@dataclass(slots=True)
class Reading:
    """A sentence's claims, how many figures it printed, and why the first unclaimed one was not."""

    claims: list[Claim] = field(default_factory=list)
    figures: int = 0
    missed: str | None = None
