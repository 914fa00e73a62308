"""Narrative stage: the text outside the tables (情况说明, 编制说明, the 决算 说明, performance tables)
→ Claims, with every number-bearing sentence that yields none reported as Unparsed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lark import Lark, Token, Tree

from engine.diagnostics import WARNING, Diagnostic
from engine.model import Claim, TableRegion
from engine.narrative.breakdowns import link_parts
from engine.narrative.claims import ClaimBuilder
from engine.narrative.links import link_amounts
from engine.narrative.phrases import Reading, Scope
from engine.narrative.sentences import Sentence, split_sentences
from engine.narrative.subjects import Subjects, subjects
from engine.narrative.text import Narrative, narrative_text
from engine.resources import data_path
from engine.source import Source
from engine.structure import find_sections

GRAMMAR = data_path("grammar", "narrative.lark")
_BASIS_WORDS = {"INITIAL", "FULL_YEAR", "FINAL", "EXECUTED", "ACTUAL_WORD"}


@cache
def parser() -> Lark:
    """The sentence parser: LALR with the contextual lexer (grammar/narrative.lark says why)."""
    return Lark.open(str(GRAMMAR), parser="lalr")


def _names_a_basis(label: str) -> bool:
    """Whether the grammar reads the label as the basis of a figure: it ends in 年初预算, 全年预算,
    决算(为), 执行数 and the like."""
    pieces = parser().parse(label).children
    last = pieces[-1] if pieces else None
    if isinstance(last, Tree):
        last = last.children[0] if last.data == "qualified" else None
    return isinstance(last, Token) and last.type in _BASIS_WORDS


def subject_index() -> Subjects:
    """The subjects a figure can be about (engine/narrative/subjects.py), without the bases."""
    return subjects(_names_a_basis)


def _pattern(name: str) -> str:
    return parser().get_terminal(name).pattern.to_regexp()


@cache
def _worth_parsing() -> re.Pattern[str]:
    """Sentences that can yield or explain a claim: a digit, a statement without figure, a path, a cause or a verdict."""
    return re.compile(
        "|".join([r"\d", *(_pattern(n) for n in ("ABSENT", "EMPTY", "FLAT", "CLASS_MARK", "CAUSE", "VERDICT"))])
    )


def _unit_declarations(narrative: Narrative) -> list[tuple[int, str]]:
    """Where a performance table declares the unit of its bare figures, and the unit."""
    money = re.compile(_pattern("MONEY"))
    out = []
    for m in re.finditer(_pattern("UNIT_DECL"), narrative.text):
        unit = money.search(m.group(0))
        if unit:
            out.append((m.start(), unit.group(0)))
    return out


def read_sentence(scope: Scope, sentence: Sentence) -> Reading:
    """Parse one sentence and read its claims."""
    tree = parser().parse(scope.narrative.text[sentence.start : sentence.end])
    return ClaimBuilder(scope, sentence).transform(tree)


@dataclass(slots=True)
class Narrated:
    """What the stage read: claims, the number-bearing sentences that gave none, and how many
    sentences printed a figure at all (years, dates, list numbers and the like are no figures)."""

    claims: list[Claim] = field(default_factory=list)
    unparsed: list[Diagnostic] = field(default_factory=list)
    figure_sentences: int = 0


def read_narrative(source: Source, regions: list[TableRegion], year: int | None, kind: str | None) -> Narrated:
    """Read every sentence outside the tables of a document of `year` and `kind` (预算 or 决算);
    a sentence that fails is reported, never raised."""
    narrative = narrative_text(source, regions)
    scope = Scope(
        narrative=narrative,
        subjects=subject_index(),
        year=year,
        final=kind == "决算",  # a 决算 compares with what was spent
        sections=find_sections(source, 0, len(source.text)),
        units=_unit_declarations(narrative),
    )
    out = Narrated()
    worth = _worth_parsing()
    for sentence in split_sentences(narrative):
        if not worth.search(narrative.text, sentence.start, sentence.end):
            continue
        scope.enter(sentence.paragraph, narrative.origin[sentence.start])
        try:
            reading = read_sentence(scope, sentence)
        except Exception as err:  # noqa: BLE001 - one sentence's failure must not lose the others' claims
            reading = Reading(figures=1, missed=f"not read: {type(err).__name__}: {err}")
        out.claims.extend(reading.claims)
        if reading.figures:
            out.figure_sentences += 1
            if not reading.claims:
                span = narrative.span(sentence.start, sentence.end)
                out.unparsed.append(Diagnostic("narrative", WARNING, span, reading.missed or "no claim"))
    link_amounts(out.claims)
    link_parts(out.claims, scope.sections, scope.subjects.wholes)
    return out


def read_text(text: str, year: int | None = None, kind: str | None = "预算") -> Narrated:
    """Read narrative sentences given as a string (tests, examples): no tables, no file."""
    return read_narrative(Source(path="<text>", text=text, encoding="utf-8"), [], year, kind)
