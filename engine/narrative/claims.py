"""Claims from a parsed sentence: a lark Transformer whose methods, named after the rules of
grammar/narrative.lark and its fragments, turn phrases into printed figures and bases; its start
rule hands them to the SentenceReader, which gives each figure its subject and builds the Claims."""

from __future__ import annotations

from lark import Token, Transformer

from engine.narrative.phrases import QUALIFIER_BASIS, Basis, Phrase, Printed, Reading, Scope
from engine.narrative.reading import SentenceReader
from engine.narrative.sentences import Sentence


class ClaimBuilder(Transformer):
    """One sentence's parse tree → its Reading."""

    def __init__(self, scope: Scope, sentence: Sentence) -> None:
        super().__init__()
        self.scope = scope
        self.sentence = sentence

    # ---- figures.lark
    def amount(self, items: list[Token]) -> Printed:
        return Printed("amount", items[0], items[1])

    def count(self, items: list[Token]) -> Printed:
        return Printed("count", items[0], items[1])

    def tally(self, items: list[Token]) -> Printed:
        return Printed("tally", items[0], items[1])

    def percent(self, items: list[Token]) -> Printed:
        return Printed("percent", items[0], items[1])

    def bare(self, items: list[Token]) -> Printed:
        return Printed("bare", items[0])

    def target(self, items: list) -> Phrase:
        return Phrase("target", items[0], items[1])

    # ---- changes.lark
    def year_basis(self, items: list[Token]) -> Basis:
        types = {t.type for t in items}
        kind = "prior_actual" if "ACTUAL_WORD" in types else "prior_budget" if "BUDGET_WORD" in types else None
        year = next((int(t[:4]) for t in items if t.type == "YEAR"), None)
        return Basis(kind, year)

    def budget_basis(self, items: list[Token]) -> Basis:
        return Basis(QUALIFIER_BASIS.get(items[1].type, "budget"))

    def change(self, items: list) -> Phrase:
        return _phrase("change", items)

    def flat(self, items: list) -> Phrase:
        return _phrase("flat", items)

    def cause(self, items: list[Token]) -> Phrase:
        return Phrase("cause", items[0])

    # ---- shares.lark, finals.lark, absence.lark
    def share(self, items: list) -> Phrase:
        return _phrase("share", items)

    def completion(self, items: list) -> Phrase:
        phrase = _phrase("completion", items)
        target = next((t for t in items[1:] if isinstance(t, Token)), None)
        phrase.basis = Basis(QUALIFIER_BASIS.get(target.type, "budget") if target is not None else "budget")
        return phrase

    def qualified(self, items: list) -> Phrase:
        return _phrase("qualified", items)

    def verdict(self, items: list[Token]) -> Phrase:
        return Phrase("verdict", items[0])

    def not_arranged(self, items: list[Token]) -> Phrase:
        return Phrase("not_arranged", items[0])

    def empty_table(self, items: list[Token]) -> Phrase:
        return Phrase("empty_table", items[0])

    # ---- narrative.lark
    def start(self, pieces: list) -> Reading:
        return SentenceReader(self.scope, self.sentence).read(pieces)


def _phrase(rule: str, items: list) -> Phrase:
    """The phrase's marker (its first word), figure and basis, wherever the rule put them."""
    marker = next(t for t in items if isinstance(t, Token))
    figure = next((i for i in items if isinstance(i, Printed)), None)
    basis = next((i for i in items if isinstance(i, Basis)), None)
    return Phrase(rule, marker, figure, basis)
